"""From the interview to the first day: the conditional offer, the pre-employment checks,
the unconditional offer and the start date, each moved through the pipeline's rules,
recorded, audited and emailed to the candidate; the HR pages and panel, and the candidate's
panel, which shows each step but never a check's outcome or details."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hub.models import AuditEvent, Membership
from talent.models import Application, Offer, PreEmploymentCheck, StageChange
from talent.services import offers as services
from tests.factories import ApplicationFactory, MembershipFactory, VacancyFactory

Stage = Application.Stage
Kind = PreEmploymentCheck.Kind
Outcome = PreEmploymentCheck.Outcome
TERMS = "Band 3, £24,071 a year, 37.5 hours a week on Ward 12."
DBS_DETAIL = "Enhanced DBS, certificate 001234567890"


@pytest.fixture
def vacancy(org_a):
    return VacancyFactory(organisation=org_a, title="Healthcare assistant")


@pytest.fixture
def application(vacancy, candidate):
    return ApplicationFactory(
        vacancy=vacancy, candidate=candidate, full_name="Amira Khan", stage=Stage.INTERVIEW
    )


@pytest.fixture
def membership(org_a, admin_a):
    return Membership.objects.get(organisation=org_a, user=admin_a)


def _offer(application, admin, membership, capture):
    with capture(execute=True):
        return services.offer_make_conditional(
            application=application, actor=admin, membership=membership, terms=TERMS
        )


def _record(application, admin, kind, outcome=Outcome.PASSED, detail="", checked_on=None):
    return services.check_record(
        application=application,
        actor=admin,
        kind=kind,
        outcome=outcome,
        checked_on=checked_on or timezone.localdate(),
        detail=detail,
    )


def _record_all(application, admin, **overrides):
    for kind in Kind.values:
        _record(application, admin, kind, overrides.get(kind, Outcome.PASSED))


def _unconditional(application, admin, membership, capture):
    with capture(execute=True):
        return services.offer_make_unconditional(
            application=application, actor=admin, membership=membership
        )


def _ready_to_hire(application, admin, membership, capture):
    _offer(application, admin, membership, capture)
    _record_all(application, admin, registration=Outcome.NOT_NEEDED)
    _unconditional(application, admin, membership, capture)


def _url(name, org, application, **kwargs):
    return reverse(
        f"offers:{name}",
        kwargs={"org_slug": org.slug, "application_id": application.pk, **kwargs},
    )


def _hr_page(org, application):
    return reverse(
        "vacancies:application_detail",
        kwargs={"org_slug": org.slug, "application_id": application.pk},
    )


# --- The conditional offer ------------------------------------------------------------------


@pytest.mark.parametrize(
    "stage",
    [Stage.SUBMITTED, Stage.SCREENING, Stage.SHORTLISTED, Stage.REJECTED, Stage.WITHDRAWN],
)
def test_an_offer_can_only_be_made_after_an_interview(
    stage, vacancy, admin_a, membership, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(vacancy=vacancy, stage=stage)
    with pytest.raises(ValidationError, match="only to an applicant at the interview stage"):
        _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    application.refresh_from_db()
    assert application.stage == stage
    assert not Offer.objects.exists()
    assert not mail.outbox


def test_a_conditional_offer_moves_to_offer_is_audited_and_emails_the_candidate_what_happens_next(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    offer = _offer(application, admin_a, membership, django_capture_on_commit_callbacks)

    application.refresh_from_db()
    assert application.stage == Stage.OFFER
    assert (offer.terms, offer.conditional_by, offer.unconditional_at) == (TERMS, admin_a, None)
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage, change.actor) == (
        Stage.INTERVIEW,
        Stage.OFFER,
        admin_a,
    )
    assert AuditEvent.objects.filter(
        action="offer.conditional_made", actor=admin_a, object_id=str(application.pk)
    ).exists()
    [email] = mail.outbox
    assert email.to == [application.email]
    assert "conditional offer" in email.subject.lower()
    assert "Healthcare assistant" in email.subject
    assert "What happens next" in email.body
    assert "Criminal record (DBS)" in email.body and "Occupational health" in email.body
    assert TERMS in email.body
    assert application.get_absolute_url() in email.body


def test_an_offer_needs_its_terms(application, admin_a, membership):
    with pytest.raises(ValidationError) as error:
        services.offer_make_conditional(
            application=application, actor=admin_a, membership=membership, terms="  "
        )
    assert error.value.message_dict == {"terms": ["Enter the terms of the offer"]}
    assert not Offer.objects.exists()


def test_a_member_of_another_organisation_cannot_make_the_offer(application, admin_a, org_b):
    outsider = MembershipFactory(organisation=org_b, role=Membership.Role.ADMIN)
    with pytest.raises(Exception, match="another organisation"):
        services.offer_make_conditional(
            application=application, actor=outsider.user, membership=outsider, terms=TERMS
        )
    assert not Offer.objects.exists()


# --- The checks ------------------------------------------------------------------------------


def test_the_first_check_recorded_starts_the_checks(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    check = _record(application, admin_a, Kind.IDENTITY)

    application.refresh_from_db()
    assert application.stage == Stage.PRE_EMPLOYMENT
    assert (check.checked_by, check.checked_on) == (admin_a, timezone.localdate())
    assert list(
        StageChange.objects.filter(application=application).values_list("from_stage", "to_stage")
    ) == [(Stage.INTERVIEW, Stage.OFFER), (Stage.OFFER, Stage.PRE_EMPLOYMENT)]
    assert AuditEvent.objects.filter(action="offer.checks_started").count() == 1
    assert AuditEvent.objects.filter(action="offer.check_recorded").count() == 1


def test_checks_can_be_started_by_hand_but_only_once(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    services.checks_start(application=application, actor=admin_a, membership=membership)
    assert application.stage == Stage.PRE_EMPLOYMENT
    with pytest.raises(ValidationError, match="already started"):
        services.checks_start(application=application, actor=admin_a, membership=membership)


def test_recording_a_check_again_updates_it_and_the_change_is_audited(
    application, admin_a, staff_a, membership, django_capture_on_commit_callbacks
):
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    yesterday = timezone.localdate() - timedelta(days=1)
    _record(application, admin_a, Kind.DBS, Outcome.FAILED, checked_on=yesterday)
    _record(application, staff_a, Kind.DBS, Outcome.PASSED, detail=DBS_DETAIL)

    check = PreEmploymentCheck.objects.get(application=application)
    assert (check.kind, check.outcome, check.checked_by, check.detail) == (
        Kind.DBS,
        Outcome.PASSED,
        staff_a,
        DBS_DETAIL,
    )
    update = AuditEvent.objects.get(action="offer.check_updated")
    assert update.actor == staff_a
    assert update.data["previous"] == {"outcome": "failed", "checked_on": yesterday.isoformat()}
    assert update.data["outcome"] == "passed"


def test_a_check_cannot_be_dated_in_the_future_or_be_of_an_unknown_kind(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as error:
        _record(
            application,
            admin_a,
            "horoscope",
            "maybe",
            checked_on=timezone.localdate() + timedelta(days=1),
        )
    assert error.value.message_dict == {
        "kind": ["Choose a check from the list"],
        "outcome": ["Select the outcome of the check"],
        "checked_on": ["The date of the check must be today or in the past"],
    }
    assert not PreEmploymentCheck.objects.exists()


def test_checks_are_refused_before_an_offer(application, admin_a):
    with pytest.raises(ValidationError, match="after a conditional offer"):
        _record(application, admin_a, Kind.IDENTITY)
    assert not PreEmploymentCheck.objects.exists()


# --- The unconditional offer ----------------------------------------------------------------


def test_the_offer_cannot_become_unconditional_while_checks_are_missing_and_says_which(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    for kind in [Kind.IDENTITY, Kind.RIGHT_TO_WORK, Kind.REFERENCES, Kind.OCCUPATIONAL_HEALTH]:
        _record(application, admin_a, kind)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as error:
        _unconditional(application, admin_a, membership, django_capture_on_commit_callbacks)
    assert error.value.messages == [
        "Record these checks first: Criminal record (DBS) and Professional registration."
    ]
    assert Offer.objects.get().unconditional_at is None
    assert not mail.outbox


def test_a_failed_check_blocks_the_unconditional_offer_and_is_named(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    _record_all(application, admin_a, references=Outcome.FAILED)
    with pytest.raises(ValidationError) as error:
        _unconditional(application, admin_a, membership, django_capture_on_commit_callbacks)
    assert error.value.messages == [
        "The Employment references check was not satisfactory, so the offer cannot be made "
        "unconditional."
    ]
    assert Offer.objects.get().unconditional_at is None


def test_with_every_check_satisfactory_or_not_needed_the_offer_becomes_unconditional(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    _record_all(application, admin_a, registration=Outcome.NOT_NEEDED)
    mail.outbox.clear()
    offer = _unconditional(application, admin_a, membership, django_capture_on_commit_callbacks)

    assert offer.unconditional_at is not None and offer.unconditional_by == admin_a
    application.refresh_from_db()
    assert application.stage == Stage.PRE_EMPLOYMENT
    assert AuditEvent.objects.filter(action="offer.unconditional_made", actor=admin_a).exists()
    [email] = mail.outbox
    assert email.to == [application.email]
    assert "offer is confirmed" in email.subject
    assert "unconditional" in email.body
    # And the checks are settled: none can change now.
    with pytest.raises(ValidationError, match="already unconditional"):
        _record(application, admin_a, Kind.DBS, Outcome.FAILED)
    with pytest.raises(ValidationError, match="already unconditional"):
        _unconditional(application, admin_a, membership, django_capture_on_commit_callbacks)


# --- Hiring with a start date ---------------------------------------------------------------


def test_hiring_is_refused_without_an_unconditional_offer(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    start = timezone.localdate() + timedelta(days=14)
    with pytest.raises(ValidationError, match="unconditional before you record a start date"):
        services.application_hire(
            application=application, actor=admin_a, membership=membership, start_date=start
        )
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    _record_all(application, admin_a)
    with pytest.raises(ValidationError, match="unconditional before you record a start date"):
        services.application_hire(
            application=application, actor=admin_a, membership=membership, start_date=start
        )
    application.refresh_from_db()
    assert application.stage == Stage.PRE_EMPLOYMENT
    assert Offer.objects.get().start_date is None


def test_hiring_is_refused_with_a_start_date_in_the_past(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    _ready_to_hire(application, admin_a, membership, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as error:
        services.application_hire(
            application=application,
            actor=admin_a,
            membership=membership,
            start_date=timezone.localdate() - timedelta(days=1),
        )
    assert error.value.message_dict == {
        "start_date": ["The start date must be today or in the future"]
    }
    application.refresh_from_db()
    assert application.stage == Stage.PRE_EMPLOYMENT


def test_the_start_date_hires_the_applicant_records_the_move_and_emails_them(
    application, admin_a, membership, django_capture_on_commit_callbacks
):
    _ready_to_hire(application, admin_a, membership, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    start = timezone.localdate() + timedelta(days=21)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_hire(
            application=application, actor=admin_a, membership=membership, start_date=start
        )

    application.refresh_from_db()
    assert application.stage == Stage.HIRED
    assert Offer.objects.get().start_date == start
    last = StageChange.objects.filter(application=application).last()
    assert (last.from_stage, last.to_stage, last.actor) == (
        Stage.PRE_EMPLOYMENT,
        Stage.HIRED,
        admin_a,
    )
    assert AuditEvent.objects.filter(action="offer.start_date_set", actor=admin_a).exists()
    [email] = mail.outbox
    assert "Your start date" in email.subject
    assert start.strftime("%-d %B %Y") in email.body

    # A changed start date is recorded and told, without another move.
    later = start + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_hire(
            application=application, actor=admin_a, membership=membership, start_date=later
        )
    assert Offer.objects.get().start_date == later
    assert StageChange.objects.filter(to_stage=Stage.HIRED).count() == 1
    assert AuditEvent.objects.filter(action="offer.start_date_changed").count() == 1
    assert "Your new start date" in mail.outbox[-1].subject


# --- HR pages ---------------------------------------------------------------------------------


def test_the_hr_application_page_offers_a_conditional_offer_at_interview(
    client_as, org_a, staff_a, application
):
    response = client_as(staff_a).get(_hr_page(org_a, application))
    assert response.status_code == 200
    assert "Make a conditional offer" in response.text
    assert _url("offer_conditional", org_a, application) in response.text


def test_the_hr_application_page_has_no_offer_button_before_interview(
    client_as, org_a, staff_a, vacancy
):
    application = ApplicationFactory(vacancy=vacancy, stage=Stage.SHORTLISTED)
    response = client_as(staff_a).get(_hr_page(org_a, application))
    assert response.status_code == 200
    assert "Make a conditional offer" not in response.text


def test_hr_staff_make_an_offer_record_checks_confirm_it_and_hire_through_the_pages(
    client_as, org_a, staff_a, application, django_capture_on_commit_callbacks
):
    client = client_as(staff_a)
    response = client.post(_url("offer_conditional", org_a, application), {"terms": ""})
    assert response.status_code == 200
    assert "Enter the terms of the offer" in response.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("offer_conditional", org_a, application), {"terms": TERMS})
    assert response.status_code == 302
    assert response.url == _hr_page(org_a, application) + "#offer"

    response = client.post(
        _url("check_record", org_a, application, kind="dbs"),
        {"outcome": "passed", "checked_on": "31/02/2026", "detail": ""},
    )
    assert "Enter a real date of the check, like 27/03/2026" in response.text
    response = client.post(
        _url("check_record", org_a, application, kind="dbs"),
        {"outcome": "", "checked_on": ""},
    )
    assert "Select the outcome of the check" in response.text
    assert "Enter the date of the check" in response.text

    today = timezone.localdate().isoformat()
    for kind in Kind.values:
        response = client.post(
            _url("check_record", org_a, application, kind=kind),
            {
                "outcome": "passed",
                "checked_on": today,
                "detail": DBS_DETAIL if kind == "dbs" else "",
            },
        )
        assert response.status_code == 302
    page = client.get(_hr_page(org_a, application)).text
    assert DBS_DETAIL in page
    assert "Make the offer unconditional" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("offer_unconditional", org_a, application))
    assert response.status_code == 302

    start = (timezone.localdate() + timedelta(days=30)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("application_hire", org_a, application), {"start_date": start})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == Stage.HIRED
    assert [email.subject.split(":")[0] for email in mail.outbox] == [
        "A conditional offer",
        "Your offer is confirmed",
        "Your start date",
    ]


def test_the_unconditional_page_names_the_checks_still_to_do(
    client_as, org_a, admin_a, membership, application, django_capture_on_commit_callbacks
):
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    _record(application, admin_a, Kind.IDENTITY)
    client = client_as(admin_a)
    response = client.get(_url("offer_unconditional", org_a, application))
    assert "Record these checks first: Right to work, Criminal record (DBS)" in response.text
    response = client.post(_url("offer_unconditional", org_a, application))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Right to work, Criminal record (DBS), Professional registration" in response.text
    assert Offer.objects.get().unconditional_at is None


def test_the_start_date_page_refuses_a_past_date_with_a_clear_error(
    client_as, org_a, admin_a, membership, application, django_capture_on_commit_callbacks
):
    _ready_to_hire(application, admin_a, membership, django_capture_on_commit_callbacks)
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client_as(admin_a).post(
        _url("application_hire", org_a, application), {"start_date": yesterday}
    )
    assert response.status_code == 200
    assert "The start date must be today or in the future" in response.text
    application.refresh_from_db()
    assert application.stage == Stage.PRE_EMPLOYMENT


def test_an_unknown_check_is_not_found(client_as, org_a, admin_a, application):
    response = client_as(admin_a).get(_url("check_record", org_a, application, kind="tarot"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "kwargs", "method"),
    [
        ("offer_conditional", {}, "post"),
        ("checks_start", {}, "post"),
        ("check_record", {"kind": "identity"}, "post"),
        ("offer_unconditional", {}, "post"),
        ("application_hire", {}, "post"),
    ],
)
def test_staff_of_another_organisation_get_404_for_the_offer_pages_and_change_nothing(
    name, kwargs, method, client_as, org_a, org_b, member_b, application
):
    client = client_as(member_b)
    for org in (org_a, org_b):  # A's URL, and A's application through B's own URL
        response = getattr(client, method)(
            _url(name, org, application, **kwargs),
            {"terms": TERMS, "outcome": "passed", "checked_on": "2026-01-01"},
        )
        assert response.status_code == 404
    assert not Offer.objects.exists()
    assert not PreEmploymentCheck.objects.exists()


# --- The candidate's panel ----------------------------------------------------------------------


def _candidate_page(client_as, candidate, application):
    response = client_as(candidate).get(application.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_the_candidate_sees_no_offer_panel_before_an_offer(client_as, candidate, application):
    assert "Your job offer" not in _candidate_page(client_as, candidate, application)


def test_the_candidate_sees_each_step_of_their_offer_but_never_a_checks_outcome_or_details(
    client_as, candidate, application, admin_a, membership, django_capture_on_commit_callbacks
):
    _offer(application, admin_a, membership, django_capture_on_commit_callbacks)
    page = _candidate_page(client_as, candidate, application)
    assert "Your job offer" in page
    assert "Conditional offer" in page
    assert page.count("Not done yet") == 6

    _record(application, admin_a, Kind.DBS, Outcome.FAILED, detail="Caution 2019, see note")
    _record(application, admin_a, Kind.IDENTITY, detail="Passport 123456789")
    page = _candidate_page(client_as, candidate, application)
    assert page.count("Not done yet") == 5  # the failed DBS check is not done, and says no more
    assert "Caution 2019" not in page and "Passport 123456789" not in page
    assert "Not satisfactory" not in page
    assert "Waiting for the checks" in page

    _record(application, admin_a, Kind.DBS, Outcome.PASSED)
    for kind in [Kind.RIGHT_TO_WORK, Kind.REGISTRATION, Kind.REFERENCES, Kind.OCCUPATIONAL_HEALTH]:
        _record(application, admin_a, kind)
    _unconditional(application, admin_a, membership, django_capture_on_commit_callbacks)
    page = _candidate_page(client_as, candidate, application)
    assert "Not done yet" not in page
    assert "Your offer is confirmed" in page
    assert "Not agreed yet" in page

    start = timezone.localdate() + timedelta(days=10)
    services.application_hire(
        application=application, actor=admin_a, membership=membership, start_date=start
    )
    page = _candidate_page(client_as, candidate, application)
    assert f"You start on {start.strftime('%A %-d %B %Y')}" in page
