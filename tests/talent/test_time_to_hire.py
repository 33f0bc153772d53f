"""Time to hire against hand-computed figures: each stage change is placed in time with
time_machine (through the real services where there is one), then the days in each
stage, closing date → unconditional offer, medians and averages, and on track / due /
overdue are checked against numbers worked out by hand. Times are in January and
February, when London is on UTC, so every day is 24 hours."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.models import AuditEvent, Membership, Organisation
from talent.models import (
    Application,
    HiringTargets,
    Offer,
    PreEmploymentCheck,
    RejectionReason,
    StageChange,
)
from talent.selectors.time_to_hire import (
    application_stage_days,
    application_statuses,
    organisation_time_to_hire,
    vacancy_time_to_hire,
)
from talent.services import offers
from talent.services.pipeline import application_move
from tests.factories import ApplicationFactory, VacancyFactory

Stage = Application.Stage


def jan(day, hour=9, minute=0):
    return datetime(2026, 1, day, hour, minute, tzinfo=UTC)


def feb(day, hour=9, minute=0):
    return datetime(2026, 2, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def membership(org_a, admin_a):
    return Membership.objects.get(organisation=org_a, user=admin_a)


@pytest.fixture
def place(time_machine, admin_a, membership, django_capture_on_commit_callbacks):
    """`place(when)` moves the clock; helpers below act at that moment."""

    def at(when):
        time_machine.move_to(when, tick=False)

    return at


def _submitted(place, vacancy, when, **fields) -> Application:
    place(when)
    application = ApplicationFactory(
        vacancy=vacancy, stage=Stage.SUBMITTED, submitted_at=when, stage_changed_at=when, **fields
    )
    StageChange.objects.create(
        application=application, from_stage=Stage.DRAFT, to_stage=Stage.SUBMITTED
    )
    return application


def _move(place, application, stage, when, admin, membership, **kwargs):
    place(when)
    return application_move(
        application=application, to_stage=stage, actor=admin, membership=membership, **kwargs
    )


def _round(figures: dict) -> dict:
    return {key: round(value, 2) for key, value in figures.items()}


@pytest.fixture
def scenario(place, org_a, admin_a, membership):
    """Vacancy A closes on 5 January; three applications. Vacancy B closes on 20 January;
    one application still waiting. The report is read on 12 February at 09:00."""
    a = VacancyFactory(organisation=org_a, title="Ward clerk", closing_date=date(2026, 1, 5))
    b = VacancyFactory(organisation=org_a, title="Porter", closing_date=date(2026, 1, 20))

    # Hired: 2 days submitted, 3 screening, 2 shortlisted, 7 interview, 2 offer, then the
    # checks from 22 January to the start date recorded on 10 February (19 days); the offer
    # became unconditional on 9 February, 35 days after the closing date.
    hired = _submitted(place, a, jan(6), full_name="Hana Hired")
    _move(place, hired, Stage.SCREENING, jan(8), admin_a, membership)
    _move(place, hired, Stage.SHORTLISTED, jan(11), admin_a, membership)
    _move(place, hired, Stage.INTERVIEW, jan(13), admin_a, membership)
    place(jan(20))
    offers.offer_make_conditional(
        application=hired, actor=admin_a, membership=membership, terms="Band 2"
    )
    place(jan(22))
    offers.check_record(
        application=hired,
        actor=admin_a,
        kind="identity",
        outcome="passed",
        checked_on=date(2026, 1, 22),
    )
    place(feb(9, 11))
    for kind in PreEmploymentCheck.Kind.values[1:]:
        offers.check_record(
            application=hired,
            actor=admin_a,
            kind=kind,
            outcome="passed",
            checked_on=date(2026, 2, 9),
        )
    place(feb(9, 12))
    offers.offer_make_unconditional(application=hired, actor=admin_a, membership=membership)
    place(feb(10))
    offers.application_hire(
        application=hired, actor=admin_a, membership=membership, start_date=date(2026, 3, 2)
    )

    # Rejected: 6 days submitted (applied before the closing date), 1.5 days screening.
    rejected = _submitted(place, a, jan(4), full_name="Rob Rejected")
    _move(place, rejected, Stage.SCREENING, jan(10), admin_a, membership)
    _move(
        place,
        rejected,
        Stage.REJECTED,
        jan(11, 21),
        admin_a,
        membership,
        rejection_reason=RejectionReason.OTHERS_STRONGER,
    )

    # Open at interview: 4 days submitted, then at interview since 9 January: 34 days.
    waiting = _submitted(place, a, jan(5), full_name="Ivy Interview")
    _move(place, waiting, Stage.INTERVIEW, jan(9), admin_a, membership)

    # Vacancy B: submitted on 21 January, still waiting: 22 days.
    porter = _submitted(place, b, jan(21), full_name="Pat Porter")

    place(feb(12))
    return {
        "a": a,
        "b": b,
        "hired": hired,
        "rejected": rejected,
        "waiting": waiting,
        "porter": porter,
    }


def test_each_application_has_its_days_in_each_stage_and_closing_to_unconditional(scenario):
    days = application_stage_days(Application.objects.all())
    hired, rejected, waiting, porter = (
        days[scenario[name].pk] for name in ("hired", "rejected", "waiting", "porter")
    )
    assert _round(hired["stages"]) == {
        "submitted": 2.0,
        "screening": 3.0,
        "shortlisted": 2.0,
        "interview": 7.0,
        "offer": 2.0,
        "pre_employment": 19.0,
    }
    assert hired["closing_to_unconditional"] == 35
    assert _round(rejected["stages"]) == {"submitted": 6.0, "screening": 1.5}
    assert rejected["closing_to_unconditional"] is None
    assert _round(waiting["stages"]) == {"submitted": 4.0, "interview": 34.0}
    assert _round(porter["stages"]) == {"submitted": 22.0}


def test_a_vacancys_medians_and_averages_are_compared_with_the_targets(scenario):
    report = vacancy_time_to_hire(scenario["a"])
    stages = {row["stage"]: row for row in report["stages"]}
    figures = {
        stage: (row["median"], round(row["average"], 2), row["count"], row["over_target"])
        for stage, row in stages.items()
    }
    assert figures == {
        "submitted": (4.0, 4.0, 3, False),  # 2, 6, 4 against 5
        "screening": (2.25, 2.25, 2, False),  # 3, 1.5 against 5
        "shortlisted": (2.0, 2.0, 1, False),  # against 14
        "interview": (20.5, 20.5, 2, True),  # 7 and 34 (still there) against 5
        "offer": (2.0, 2.0, 1, False),  # against 5
        "pre_employment": (19.0, 19.0, 1, False),  # against 21
    }
    closing = report["closing_to_unconditional"]
    assert (closing["median"], closing["count"], closing["target"], closing["over_target"]) == (
        35.0,
        1,
        56,
        False,
    )
    assert report["statuses"] == {"on_track": 0, "due": 0, "overdue": 1}
    assert set(report["applications"]) == {
        scenario["hired"].pk,
        scenario["rejected"].pk,
        scenario["waiting"].pk,
    }


def test_the_organisation_figures_cover_every_vacancy_and_each_vacancy_its_own(scenario):
    report = organisation_time_to_hire(scenario["a"].organisation)
    submitted = report["stages"][0]
    # 2, 6, 4 and 22: the median is the mean of 4 and 6.
    assert (submitted["median"], submitted["average"], submitted["count"]) == (5.0, 8.5, 4)
    assert submitted["over_target"] is False
    assert report["statuses"] == {"on_track": 0, "due": 0, "overdue": 2}
    by_title = {row["vacancy"].title: row for row in report["vacancies"]}
    assert list(by_title) == ["Porter", "Ward clerk"]  # newest closing date first
    assert by_title["Porter"]["stages"][0]["median"] == 22.0
    assert by_title["Porter"]["stages"][0]["over_target"] is True
    assert by_title["Porter"]["closing_to_unconditional"]["median"] is None
    assert by_title["Ward clerk"]["stages"][0]["median"] == 4.0
    assert by_title["Ward clerk"]["applications"] == 3
    assert by_title["Ward clerk"]["closing_to_unconditional"]["median"] == 35.0


def test_the_organisation_report_runs_a_fixed_number_of_queries(scenario, org_a):
    # A fresh organisation each time: one that knows its targets asks for them no more.
    organisation = Organisation.objects.get(pk=org_a.pk)
    with CaptureQueriesContext(connection) as two_vacancies:
        organisation_time_to_hire(organisation)
    assert len(two_vacancies) == 5  # targets, three figures each with its by-vacancy, rows
    for _ in range(3):
        vacancy = VacancyFactory(organisation=org_a, closing_date=date(2026, 1, 1))
        for _ in range(2):
            ApplicationFactory(vacancy=vacancy)
    organisation = Organisation.objects.get(pk=org_a.pk)
    with CaptureQueriesContext(connection) as five_vacancies:
        report = organisation_time_to_hire(organisation)
    assert len(report["vacancies"]) == 5
    assert len(five_vacancies) == len(two_vacancies)


# --- On track, due and overdue ----------------------------------------------------------------

NOW = feb(20, 12)


@pytest.fixture
def statuses_of(place, org_a):
    def read(applications):
        place(NOW)
        return application_statuses(applications, org_a)

    return read


def _in_stage(place, vacancy, stage, entered, **fields):
    """An application that moved to `stage` at `entered` (submitted then, or a day before
    for a later stage)."""
    if stage == Stage.SUBMITTED:
        return _submitted(place, vacancy, entered, **fields)
    application = _submitted(place, vacancy, entered - timedelta(days=1), **fields)
    place(entered)
    StageChange.objects.create(application=application, from_stage=Stage.SUBMITTED, to_stage=stage)
    Application.objects.filter(pk=application.pk).update(stage=stage, stage_changed_at=entered)
    return application


@pytest.fixture
def open_vacancy(org_a):
    return VacancyFactory(organisation=org_a, closing_date=date(2026, 2, 19))


def test_applications_are_on_track_due_or_overdue_in_their_current_stage(
    place, open_vacancy, statuses_of
):
    # Submitted: target 5 days, due from 3 (2 days' warning).
    fresh = _in_stage(place, open_vacancy, Stage.SUBMITTED, NOW - timedelta(days=1))
    due = _in_stage(place, open_vacancy, Stage.SUBMITTED, NOW - timedelta(days=3))
    at_target = _in_stage(place, open_vacancy, Stage.SUBMITTED, NOW - timedelta(days=5))
    late = _in_stage(place, open_vacancy, Stage.SUBMITTED, NOW - timedelta(days=5, hours=12))
    # Shortlisted: target 14 days.
    shortlisted_on_track = _in_stage(
        place, open_vacancy, Stage.SHORTLISTED, NOW - timedelta(days=11, hours=23)
    )
    shortlisted_due = _in_stage(place, open_vacancy, Stage.SHORTLISTED, NOW - timedelta(days=12))
    assert statuses_of(Application.objects.all()) == {
        fresh.pk: "on_track",
        due.pk: "due",
        at_target.pk: "due",
        late.pk: "overdue",
        shortlisted_on_track.pk: "on_track",
        shortlisted_due.pk: "due",
    }


def test_before_an_unconditional_offer_the_days_since_the_closing_date_count_too(
    place, org_a, statuses_of
):
    # Overall target 56 days from the closing date; due from 54. Each entered its stage
    # a day ago, well within the stage's own target.
    entered = NOW - timedelta(days=1)
    today = NOW.date()
    over = VacancyFactory(organisation=org_a, closing_date=today - timedelta(days=57))
    close = VacancyFactory(organisation=org_a, closing_date=today - timedelta(days=54))
    within = VacancyFactory(organisation=org_a, closing_date=today - timedelta(days=53))
    overdue = _in_stage(place, over, Stage.SHORTLISTED, entered)
    due = _in_stage(place, close, Stage.SHORTLISTED, entered)
    on_track = _in_stage(place, within, Stage.SHORTLISTED, entered)
    # Unconditional: the clock has stopped, however long ago the job closed.
    stopped = _in_stage(place, over, Stage.PRE_EMPLOYMENT, NOW - timedelta(days=40))
    Offer.objects.create(
        application=stopped,
        conditional_at=NOW - timedelta(days=45),
        unconditional_at=NOW - timedelta(days=30),
    )
    # Finished applications have no status.
    hired = _in_stage(place, over, Stage.HIRED, entered)
    rejected = _in_stage(place, over, Stage.REJECTED, entered)

    statuses = statuses_of([overdue, due, on_track, stopped, hired, rejected])
    assert statuses == {
        overdue.pk: "overdue",
        due.pk: "due",
        on_track.pk: "on_track",
        stopped.pk: "on_track",
    }


def test_the_organisations_own_targets_are_used(place, org_a, open_vacancy, statuses_of):
    HiringTargets.objects.create(organisation=org_a, submitted_days=10, due_within_days=1)
    three = _in_stage(place, open_vacancy, Stage.SUBMITTED, NOW - timedelta(days=3))
    nine = _in_stage(place, open_vacancy, Stage.SUBMITTED, NOW - timedelta(days=9, hours=6))
    eleven = _in_stage(place, open_vacancy, Stage.SUBMITTED, NOW - timedelta(days=11))
    assert statuses_of(Application.objects.all()) == {
        three.pk: "on_track",
        nine.pk: "due",
        eleven.pk: "overdue",
    }


@pytest.mark.parametrize("count", [2, 20])
def test_statuses_take_one_query_whatever_the_number_of_applications(
    count, place, open_vacancy, org_a, django_assert_num_queries
):
    applications = [
        _in_stage(place, open_vacancy, Stage.SCREENING, NOW - timedelta(days=n % 7))
        for n in range(count)
    ]
    place(NOW)
    with django_assert_num_queries(1):
        statuses = application_statuses(applications, org_a)
    assert len(statuses) == count
    with django_assert_num_queries(1):
        assert application_statuses(Application.objects.all(), org_a) == statuses


# --- Pages ------------------------------------------------------------------------------------


def _page(name, org):
    return reverse(f"offers:{name}", kwargs={"org_slug": org.slug})


def test_the_time_to_hire_page_shows_the_figures_against_the_targets(
    scenario, client_as, org_a, staff_a, django_assert_max_num_queries
):
    client = client_as(staff_a)
    with django_assert_max_num_queries(15):
        response = client.get(_page("time_to_hire", org_a))
    assert response.status_code == 200
    text = response.text
    assert "Days in each stage, all vacancies" in text
    assert "Days in each stage, Ward clerk" in text
    assert "20.5" in text and "Over target" in text  # interview at Ward clerk
    assert "35.0" in text  # closing date to unconditional offer
    assert "These are the standard targets" in text
    assert "Change the targets" not in text  # staff cannot edit the organisation


def test_the_time_to_hire_page_stays_within_ten_queries_with_many_vacancies(
    scenario, client_as, org_a, staff_a, django_assert_max_num_queries
):
    for _ in range(30):
        vacancy = VacancyFactory(organisation=org_a, closing_date=date(2026, 1, 1))
        ApplicationFactory(vacancy=vacancy, stage=Stage.SUBMITTED)
    client = client_as(staff_a)
    client.get(_page("time_to_hire", org_a))  # The first visit stores the session.

    with django_assert_max_num_queries(10):
        response = client.get(_page("time_to_hire", org_a))

    assert response.status_code == 200
    assert len(response.context["report"]["vacancies"]) == 32


def test_an_admin_sets_the_targets_with_clear_errors_for_days_out_of_range(
    client_as, org_a, admin_a
):
    client = client_as(admin_a)
    assert client.get(_page("hiring_targets", org_a)).status_code == 200
    values = {
        "closing_to_unconditional_days": "56",
        "submitted_days": "0",
        "screening_days": "366",
        "shortlisted_days": "two",
        "interview_days": "",
        "offer_days": "5",
        "pre_employment_days": "21",
        "due_within_days": "2",
    }
    response = client.post(_page("hiring_targets", org_a), values)
    assert response.status_code == 200
    text = response.text
    assert "There is a problem" in text
    assert "Days to start screening must be between 1 and 365" in text
    assert "Days in screening must be between 1 and 365" in text
    assert "Enter days from shortlisting to interview as a whole number, like 5" in text
    assert "Enter days from interview to offer" in text
    assert not HiringTargets.objects.exists()

    values.update(submitted_days="3", screening_days="7", shortlisted_days="10", interview_days="4")
    response = client.post(_page("hiring_targets", org_a), values)
    assert response.status_code == 302
    targets = HiringTargets.objects.get(organisation=org_a)
    assert (targets.submitted_days, targets.screening_days, targets.interview_days) == (3, 7, 4)
    event = AuditEvent.objects.get(action="hiring_targets.updated")
    assert event.actor == admin_a
    assert event.data["fields"] == [
        "interview_days",
        "screening_days",
        "shortlisted_days",
        "submitted_days",
    ]
    assert "your organisation's own targets" in client.get(_page("time_to_hire", org_a)).text


def test_staff_without_the_admin_role_cannot_change_the_targets(client_as, org_a, staff_a):
    assert client_as(staff_a).get(_page("hiring_targets", org_a)).status_code == 403
    assert client_as(staff_a).post(_page("hiring_targets", org_a), {}).status_code == 403


@pytest.mark.parametrize("name", ["time_to_hire", "hiring_targets"])
def test_staff_of_another_organisation_get_404_for_the_time_to_hire_pages(
    name, client_as, org_a, member_b
):
    assert client_as(member_b).get(_page(name, org_a)).status_code == 404
    assert client_as(member_b).post(_page("hiring_targets", org_a), {}).status_code == 404
    assert not HiringTargets.objects.exists()
