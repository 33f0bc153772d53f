"""What the new scheduled jobs do: vacancies closed on their closing date, the weekly
digest for vacancy contacts, the monthly city impact report and deployment end
reminders; each once, whatever the number of runs."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from campaigns.models import Engagement
from hub.impact_report import (
    MonthFigure,
    city_impact_figures,
    city_impact_report_send,
    last_month,
)
from hub.models import AuditEvent
from portability.models import Deployment
from portability.services.deployments import deployment_end_reminders_send
from talent.models import Application, StageChange, Vacancy
from talent.services.vacancies import (
    vacancies_close_past_closing_date,
    weekly_vacancy_digests_send,
)
from tests.campaigns.builders import make_booking, make_campaign, make_engagement, make_event
from tests.factories import ApplicationFactory, MembershipFactory, UserFactory, VacancyFactory
from tests.portability.builders import make_deployment, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """`run(job, **kwargs)`: the job, with its emails delivered as its transactions commit."""

    def run_job(job, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return job(**kwargs)

    return run_job


def _emails_to(address: str):
    return [message for message in mail.outbox if message.to == [address]]


# --- Vacancies closed on their closing date ---------------------------------------------------


def test_published_vacancies_past_their_closing_date_are_closed_and_audited(org_a):
    today = timezone.localdate()
    past = VacancyFactory(organisation=org_a, closing_date=today - datetime.timedelta(days=1))
    closing_today = VacancyFactory(organisation=org_a, closing_date=today)
    draft = VacancyFactory(
        organisation=org_a, status="draft", closing_date=today - datetime.timedelta(days=5)
    )

    assert vacancies_close_past_closing_date(today=today) == 1
    assert vacancies_close_past_closing_date(today=today) == 0

    statuses = dict(Vacancy.objects.values_list("pk", "status"))
    assert statuses == {past.pk: "closed", closing_today.pk: "published", draft.pk: "draft"}
    event = AuditEvent.objects.get(action="vacancy.closed")
    assert (event.object_id, event.actor) == (str(past.pk), None)


# --- Weekly digest for vacancy contacts -------------------------------------------------------


@pytest.fixture
def digest_scene(org_a, org_b):
    contact = MembershipFactory(organisation=org_a, role="staff").user
    vacancy = VacancyFactory(organisation=org_a, contact=contact, title="Ward Clerk")
    now = timezone.now()
    for stage in ("submitted", "submitted", "screening"):
        ApplicationFactory(vacancy=vacancy, stage=stage, submitted_at=now)
    ApplicationFactory(vacancy=vacancy, submitted_at=now - datetime.timedelta(days=10))
    # Waiting in "submitted" for 12 days: over the 5-day target, so overdue.
    overdue = ApplicationFactory(vacancy=vacancy, submitted_at=now - datetime.timedelta(days=12))
    StageChange.objects.create(
        application=overdue, to_stage="submitted", created_at=now - datetime.timedelta(days=12)
    )
    # A contact who has left the organisation hears nothing.
    outsider = MembershipFactory(organisation=org_b).user
    VacancyFactory(organisation=org_a, contact=outsider)
    return contact, vacancy


def test_the_weekly_digest_counts_the_weeks_applications_by_stage_and_the_overdue(
    digest_scene, run
):
    contact, _ = digest_scene

    assert run(weekly_vacancy_digests_send) == 1

    (message,) = mail.outbox
    assert message.to == [contact.email]
    assert "Ward Clerk" in message.body
    assert "New this week: 3 (2 submitted, 1 screening now)" in message.body
    assert "Overdue: 1" in message.body
    # Figures only: no applicant is named.
    for name in Application.objects.values_list("full_name", flat=True):
        assert name not in message.body


def test_the_weekly_digest_goes_once_a_week(digest_scene, run):
    contact, _ = digest_scene
    monday = timezone.now()

    assert run(weekly_vacancy_digests_send, now=monday) == 1
    assert run(weekly_vacancy_digests_send, now=monday + datetime.timedelta(hours=1)) == 0
    assert run(weekly_vacancy_digests_send, now=monday + datetime.timedelta(days=7)) == 1
    assert len(_emails_to(contact.email)) == 2


# --- Monthly city impact report ---------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 3, 1, 7, 30, tzinfo=datetime.UTC), tick=False)
def test_the_city_impact_report_counts_last_month_and_goes_once(org_a, org_b, run):
    in_feb = datetime.datetime(2026, 2, 14, 12, tzinfo=datetime.UTC)
    in_jan = datetime.datetime(2026, 1, 31, 12, tzinfo=datetime.UTC)
    VacancyFactory.create_batch(2, organisation=org_a, published_at=in_feb)
    vacancy = VacancyFactory(organisation=org_b, published_at=in_jan)
    hired = ApplicationFactory(vacancy=vacancy, stage="hired", submitted_at=in_feb)
    StageChange.objects.create(application=hired, to_stage="hired", created_at=in_feb)
    ApplicationFactory.create_batch(2, vacancy=vacancy, submitted_at=in_feb)
    ApplicationFactory(vacancy=vacancy, submitted_at=in_jan)
    deployment = make_deployment(home=org_a, host=org_b)
    Deployment.objects.filter(pk=deployment.pk).update(status="active", started_at=in_feb)
    campaign = make_campaign(org_a)
    make_engagement(campaign, engaged_on=datetime.date(2026, 2, 3))
    make_engagement(campaign, engaged_on=datetime.date(2026, 1, 3))
    event = make_event(campaign, starts_at=in_feb)
    make_booking(event, Engagement.objects.first().resident, attended=True)
    admins = [UserFactory(is_staff=True), UserFactory(is_staff=True)]
    UserFactory(is_staff=True, is_active=False)

    assert last_month(timezone.localdate()) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
    )
    assert city_impact_figures(datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)) == {
        "vacancies_published": 2,
        "applications": 3,
        "hires": 1,
        "secondments_started": 0,
        "deployments_started": 1,
        "residents_engaged": 1,
        "event_attendances": 1,
    }
    assert run(city_impact_report_send) == 2
    assert run(city_impact_report_send) == 0

    assert sorted(message.to[0] for message in mail.outbox) == sorted(a.email for a in admins)
    assert mail.outbox[0].subject == "City impact report for February 2026"
    body = mail.outbox[0].body
    assert "Applications sent: 3 (January: 1)" in body
    assert "Vacancies published: 2 (January: 1)" in body
    assert "Hires: 1 (January: 0)" in body
    # The chart: each figure's pair of bars drawn to the larger of the two.
    html = mail.outbox[0].alternatives[0][0]
    applications = html[html.index("Applications sent") : html.index("Hires")]
    assert "width: 100%;" in applications and "width: 33%;" in applications
    hires = html[html.index(">Hires<") : html.index("Secondments started")]
    assert "width: 100%;" in hires and "#aeb7bd" not in hires


@pytest.mark.parametrize(
    ("count", "previous", "bars"),
    [(3, 1, (100, 33)), (0, 4, (0, 100)), (0, 0, (0, 0)), (7, 7, (100, 100))],
)
def test_the_impact_reports_bars_are_drawn_to_the_larger_of_the_two_months(count, previous, bars):
    figure = MonthFigure("Hires", count, previous)
    assert (figure.bar_percent, figure.previous_bar_percent) == bars


# --- Deployment end reminders -----------------------------------------------------------------


def test_deployments_ending_within_three_days_remind_both_organisations_once(org_a, org_b, run):
    home_sig, host_sig = sign(org_a), sign(org_b)
    today = timezone.localdate()
    ending = make_deployment(home=org_a, host=org_b, starts_on=today - datetime.timedelta(days=7))
    later = make_deployment(home=org_a, host=org_b, starts_on=today - datetime.timedelta(days=3))
    Deployment.objects.filter(pk=ending.pk).update(
        status="active", ends_on=today + datetime.timedelta(days=3)
    )
    Deployment.objects.filter(pk=later.pk).update(
        status="active", ends_on=today + datetime.timedelta(days=4)
    )

    assert run(deployment_end_reminders_send, today=today) == 1
    assert run(deployment_end_reminders_send, today=today) == 0

    recipients = sorted(message.to[0] for message in mail.outbox)
    people = [home_sig.lead, home_sig.deputy, host_sig.lead, host_sig.deputy]
    assert recipients == sorted(person.email for person in people)
    host_email = _emails_to(host_sig.lead.email)[0]
    assert "record the return" in host_email.body
    assert f"/manage/{org_b.slug}/" in host_email.body
    assert "ends on" in host_email.subject


def test_a_deployment_moved_to_a_later_end_is_reminded_again(org_a, org_b, run):
    sign(org_a), sign(org_b)
    today = timezone.localdate()
    deployment = make_deployment(home=org_a, host=org_b, starts_on=today)
    Deployment.objects.filter(pk=deployment.pk).update(status="active", ends_on=today)
    assert run(deployment_end_reminders_send, today=today) == 1

    Deployment.objects.filter(pk=deployment.pk).update(ends_on=today + datetime.timedelta(days=2))

    assert run(deployment_end_reminders_send, today=today) == 1
