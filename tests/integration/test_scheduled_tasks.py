"""Every scheduled task, sent by name through the real Redis broker (REDIS_URL, embedded
when unset) the way beat sends it, runs on a real worker and does its job."""

import datetime
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core import mail
from django.utils import timezone

from campaigns.models import Resident
from campaigns.services.retention import ANONYMISED_RESIDENT_NAME
from config.celery_app import app as celery_app
from hub.models import AuditEvent, OutboundEmail
from hub.schedules import SCHEDULES
from talent.models import Application, Vacancy
from tests.campaigns.builders import make_resident
from tests.factories import ApplicationFactory, MembershipFactory, UserFactory, VacancyFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    """A worker in this process, and the states of the tasks it has finished, by name."""
    finished: dict[str, list[str]] = {}
    lock = threading.Lock()

    def record(sender=None, state=None, **kwargs):
        with lock:
            finished.setdefault(sender.name, []).append(state)

    task_postrun.connect(record, weak=False)
    celery_app.conf.task_always_eager = False
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield finished
    finally:
        celery_app.conf.task_always_eager = True
        task_postrun.disconnect(record)


def wait_for(condition, what: str, seconds: float = 20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_every_scheduled_task_runs_on_a_real_worker(worker):
    for schedule in SCHEDULES:
        celery_app.send_task(schedule.task, args=list(schedule.args))
    names = {schedule.task for schedule in SCHEDULES}
    wait_for(lambda: names <= set(worker), "every scheduled task to finish", seconds=60)
    assert {name: worker[name] for name in names} == {
        name: ["SUCCESS"] * sum(s.task == name for s in SCHEDULES) for name in names
    }


def test_vacancies_past_their_closing_date_are_closed_by_the_worker(worker, org_a):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    past = VacancyFactory(organisation=org_a, closing_date=yesterday)
    live = VacancyFactory(organisation=org_a)

    celery_app.send_task("talent.tasks.close_vacancies_past_closing_date")

    wait_for(lambda: Vacancy.objects.get(pk=past.pk).status == Vacancy.Status.CLOSED, "the close")
    assert Vacancy.objects.get(pk=live.pk).status == Vacancy.Status.PUBLISHED
    assert AuditEvent.objects.filter(action="vacancy.closed", object_id=str(past.pk)).exists()


def test_both_retention_jobs_run_on_the_worker(worker, org_a):
    vacancy = VacancyFactory(
        organisation=org_a,
        status="closed",
        closing_date=timezone.localdate() - relativedelta(months=7),
    )
    application = ApplicationFactory(vacancy=vacancy, stage="rejected")
    resident = make_resident(name="Lapsed Person", email="lapsed@example.org", consent=False)
    Resident.objects.filter(pk=resident.pk).update(
        updated_at=timezone.now() - relativedelta(months=13)
    )

    celery_app.send_task("talent.tasks.anonymise_unsuccessful_applications")
    celery_app.send_task("campaigns.tasks.anonymise_residents_without_consent")

    wait_for(
        lambda: (
            Application.objects.get(pk=application.pk).anonymised_at is not None
            and Resident.objects.get(pk=resident.pk).anonymised_at is not None
        ),
        "the anonymisation",
    )
    anonymised = Application.objects.get(pk=application.pk)
    assert (anonymised.full_name, anonymised.email, anonymised.candidate_id) == ("", "", None)
    resident = Resident.objects.get(pk=resident.pk)
    assert (resident.name, resident.email) == (ANONYMISED_RESIDENT_NAME, "")
    wait_for(
        lambda: AuditEvent.objects.filter(action__startswith="retention.").count() == 2,
        "both audit events",
    )
    events = AuditEvent.objects.filter(action__startswith="retention.")
    assert {event.action: event.data for event in events} == {
        "retention.applications_anonymised": {
            "applications": 1,
            "application_months": settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS,
        },
        "retention.residents_anonymised": {
            "residents": 1,
            "resident_months": settings.RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS,
        },
    }


def _sent(kind: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(kind=kind, status=OutboundEmail.Status.SENT))


def test_the_monthly_city_report_reaches_hub_admins_through_the_worker(worker):
    admin = UserFactory(is_staff=True, email="hub.admin@example.org")
    UserFactory(email="not.an.admin@example.org")

    celery_app.send_task("hub.tasks.send_city_impact_report")

    wait_for(lambda: _sent("city_impact_report"), "the report to be sent")
    assert [email.to for email in _sent("city_impact_report")] == [admin.email]
    assert [message.to for message in mail.outbox] == [[admin.email]]
    assert mail.outbox[0].subject.startswith("City impact report for")


def test_the_weekly_digest_reaches_vacancy_contacts_through_the_worker(worker, org_a):
    contact = MembershipFactory(organisation=org_a, role="staff").user
    vacancy = VacancyFactory(organisation=org_a, contact=contact, title="Care Support Worker")
    ApplicationFactory(vacancy=vacancy)

    celery_app.send_task("talent.tasks.send_weekly_vacancy_digests")

    wait_for(lambda: _sent("vacancy_weekly_digest"), "the digest to be sent")
    assert [message.to for message in mail.outbox] == [[contact.email]]
    assert "Care Support Worker" in mail.outbox[0].body
    assert "New this week: 1" in mail.outbox[0].body
