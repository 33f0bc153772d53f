"""A real Celery worker over the real Redis broker (REDIS_URL, embedded when unset)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.test import Client

from config.celery_app import app as celery_app
from hub import outbox, tasks
from hub.models import OutboundEmail

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    celery_app.conf.task_always_eager = False
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield
    celery_app.conf.task_always_eager = True


def test_an_outbox_email_is_delivered_by_a_real_worker_through_redis(worker):
    email = outbox.outbox_enqueue(kind="test", to="a@example.org", subject="Hi", body_text="Hello")
    tasks.outbox_resend_unsent.delay()  # also exercises publishing from a task
    result = tasks.outbox_deliver.delay(str(email.pk))
    result_id = result.id
    for _ in range(100):
        email.refresh_from_db()
        if email.status == OutboundEmail.Status.SENT:
            break
        time.sleep(0.1)
    assert email.status == OutboundEmail.Status.SENT, result_id
    assert [m.subject for m in mail.outbox] == ["Hi"]  # sent once though enqueued twice


def test_health_sees_the_running_worker(worker):
    response = Client().get("/health/")
    body = response.json()
    assert body["checks"]["workers"]["count"] >= 1
    assert response.status_code == 200
