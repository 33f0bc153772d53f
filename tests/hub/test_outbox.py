import smtplib

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from config.celery_app import app as celery_app
from hub import outbox, tasks
from hub.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _enqueue(**overrides):
    fields = {"kind": "test", "to": "x@example.org", "subject": "Hello", "body_text": "Body"}
    return outbox.outbox_enqueue(**{**fields, **overrides})


def test_an_email_is_sent_after_commit_and_marked_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = _enqueue(body_html="<p>Body</p>")
    assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.sent_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].alternatives == [("<p>Body</p>", "text/html")]


def test_an_email_from_a_rolled_back_transaction_is_never_sent(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _enqueue()
        raise RuntimeError("the event failed")
    assert not OutboundEmail.objects.exists()
    assert len(mail.outbox) == 0


def test_running_the_task_twice_sends_once():
    email = _enqueue()
    assert tasks.outbox_deliver.apply(args=[str(email.pk)]).get() is True
    assert tasks.outbox_deliver.apply(args=[str(email.pk)]).get() is False
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_is_retried_then_given_up(settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email = _enqueue()

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connection closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(outbox.DeliveryFailed):
        outbox.outbox_deliver(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.PENDING, 1)
    assert "SMTPServerDisconnected" in email.last_error
    assert outbox.outbox_deliver(email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboundEmail.Status.FAILED, 2)


def test_delivery_task_survives_a_killed_worker_and_retries_with_backoff():
    task = tasks.outbox_deliver
    assert task.acks_late and task.reject_on_worker_lost
    assert task.autoretry_for == (outbox.DeliveryFailed,)
    assert task.retry_backoff and task.max_retries


@pytest.fixture
def broker_down():
    """Point Celery at a port where nothing listens, as when Redis is down."""
    previous = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    celery_app.conf.task_always_eager = False
    _reset_broker_pools()
    yield
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = previous
    _reset_broker_pools()


def _reset_broker_pools():
    # Celery caches its connection and producer pools on first use.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_a_broker_outage_delays_email_until_the_beat_job_resends_it(
    broker_down, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        email = _enqueue()  # publishing fails fast; the request is not affected
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING
    assert len(mail.outbox) == 0

    celery_app.conf.task_always_eager = True  # the broker is back
    assert tasks.outbox_resend_unsent.apply().get() == 0  # too recent: its task may still run
    time_machine.shift(300)
    assert tasks.outbox_resend_unsent.apply().get() == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert tasks.outbox_resend_unsent.apply().get() == 0
