"""The stage rules of the hiring pipeline (talent/services/pipeline.py): every illegal
move refused, every legal one recorded with who and when, reasons where they matter,
guaranteed interviews, offers before hiring, bulk moves all or nothing, and what the
candidate hears."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hub.models import AuditEvent, Membership
from talent.models import Application, ApplicationNote, FairRoute, Offer, StageChange
from talent.selectors.pipeline import (
    is_guaranteed_interview,
    pipeline_applications,
)
from talent.services.pipeline import (
    TRANSITIONS,
    application_move,
    application_note_add,
    application_set_essential_criteria,
    applications_move_many,
    legal_targets,
    pipeline_targets,
)
from tests.factories import ApplicationFactory, VacancyFactory

Stage = Application.Stage

# The rules written out by hand, so the test does not merely repeat TRANSITIONS.
LEGAL = {
    ("submitted", "screening"),
    ("submitted", "shortlisted"),
    ("submitted", "interview"),
    ("screening", "shortlisted"),
    ("screening", "interview"),
    ("shortlisted", "interview"),
    ("interview", "offer"),
    ("offer", "pre_employment"),
    ("pre_employment", "hired"),
    *{
        (stage, end)
        for stage in (
            "submitted",
            "screening",
            "shortlisted",
            "interview",
            "offer",
            "pre_employment",
        )
        for end in ("rejected", "withdrawn")
    },
}
MATRIX = [(a, b) for a in Stage.values for b in Stage.values if a != b]


@pytest.fixture
def vacancy(org_a):
    return VacancyFactory(organisation=org_a, title="Healthcare assistant")


@pytest.fixture
def admin_membership(org_a, admin_a):
    return Membership.objects.get(user=admin_a, organisation=org_a)


@pytest.fixture
def staff_membership(org_a, staff_a):
    return Membership.objects.get(user=staff_a, organisation=org_a)


def _at(vacancy, stage, **fields):
    """An application at `stage`, with an unconditional offer and start date when it has
    reached the offer, so only the transition rule can refuse a move."""
    application = ApplicationFactory(vacancy=vacancy, stage=stage, **fields)
    return application


def _full_offer(application):
    return Offer.objects.create(
        application=application,
        conditional_at=timezone.now() - dt.timedelta(days=10),
        unconditional_at=timezone.now() - dt.timedelta(days=1),
        start_date=timezone.localdate() + dt.timedelta(days=14),
    )


def _move(application, to_stage, user, membership, **kwargs):
    kwargs.setdefault("rejection_reason", "others_stronger" if to_stage == "rejected" else "")
    return application_move(
        application=application, to_stage=to_stage, actor=user, membership=membership, **kwargs
    )


def test_the_transition_table_is_the_one_written_down():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == LEGAL
    assert legal_targets("withdrawn") == legal_targets("hired") == legal_targets("draft") == []
    assert pipeline_targets("interview") == ["rejected", "withdrawn"]


@pytest.mark.parametrize(("from_stage", "to_stage"), [m for m in MATRIX if m not in LEGAL])
def test_every_illegal_move_is_refused_and_changes_nothing(
    from_stage, to_stage, vacancy, admin_a, admin_membership
):
    application = _at(vacancy, from_stage)
    _full_offer(application)
    with pytest.raises(ValidationError) as error:
        _move(application, to_stage, admin_a, admin_membership, reason="Because")
    assert error.value.messages[0].startswith(("You cannot move", "An application can only"))
    application.refresh_from_db()
    assert application.stage == from_stage
    assert not StageChange.objects.filter(application=application).exists()
    assert not AuditEvent.objects.filter(action="application.moved").exists()


@pytest.mark.parametrize(("from_stage", "to_stage"), sorted(LEGAL))
def test_every_legal_move_is_recorded_with_who_and_when(
    from_stage, to_stage, vacancy, admin_a, admin_membership, time_machine, mailoutbox
):
    moment = dt.datetime(2026, 3, 2, 10, 30, tzinfo=dt.UTC)
    application = _at(vacancy, from_stage)
    if to_stage in {"offer", "pre_employment", "hired"}:
        _full_offer(application)
    time_machine.move_to(moment, tick=False)
    moved = _move(application, to_stage, admin_a, admin_membership)
    assert moved.stage == to_stage
    application.refresh_from_db()
    assert application.stage == to_stage
    assert application.stage_changed_at == moment
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage) == (from_stage, to_stage)
    assert change.actor == admin_a
    assert change.created_at == moment
    audit = AuditEvent.objects.get(action="application.moved")
    assert audit.actor == admin_a
    assert audit.data["from"] == from_stage and audit.data["to"] == to_stage


def test_nothing_moves_after_withdrawal(vacancy, admin_a, admin_membership):
    application = _at(vacancy, "interview")
    _move(application, "withdrawn", admin_a, admin_membership)
    for stage in ("submitted", "screening", "interview", "offer", "hired", "rejected"):
        with pytest.raises(ValidationError, match="You cannot move an application from Withdrawn"):
            _move(application, stage, admin_a, admin_membership)
    application.refresh_from_db()
    assert application.stage == "withdrawn"
    assert StageChange.objects.filter(application=application).count() == 1


def test_no_one_is_hired_without_an_unconditional_offer_with_a_start_date(
    vacancy, admin_a, admin_membership
):
    application = _at(vacancy, "pre_employment")
    message = "An application can only be hired after an unconditional offer with a start date"
    with pytest.raises(ValidationError, match=message):
        _move(application, "hired", admin_a, admin_membership)
    offer = Offer.objects.create(application=application)
    with pytest.raises(ValidationError, match=message):
        _move(application, "hired", admin_a, admin_membership)
    offer.unconditional_at = timezone.now()
    offer.save()
    with pytest.raises(ValidationError, match=message):
        _move(application, "hired", admin_a, admin_membership)
    offer.start_date = timezone.localdate()
    offer.save()
    assert _move(application, "hired", admin_a, admin_membership).stage == "hired"


def test_an_interviewed_applicant_is_not_hired_straight_away_even_with_an_offer(
    vacancy, admin_a, admin_membership
):
    application = _at(vacancy, "interview")
    _full_offer(application)
    with pytest.raises(ValidationError, match="only be hired after an unconditional offer"):
        _move(application, "hired", admin_a, admin_membership)


def test_moving_to_offer_needs_an_offer_made_first(vacancy, admin_a, admin_membership):
    application = _at(vacancy, "interview")
    with pytest.raises(ValidationError, match="once an offer has been made"):
        _move(application, "offer", admin_a, admin_membership)
    Offer.objects.create(application=application)
    assert _move(application, "offer", admin_a, admin_membership).stage == "offer"


def test_a_rejection_needs_a_reason_from_the_list(vacancy, admin_a, admin_membership):
    application = _at(vacancy, "screening")
    for bad in ("", "because I said so"):
        with pytest.raises(ValidationError) as error:
            _move(application, "rejected", admin_a, admin_membership, rejection_reason=bad)
        assert error.value.message_dict == {
            "rejection_reason": ["Select why the application was unsuccessful"]
        }
    moved = _move(
        application,
        "rejected",
        admin_a,
        admin_membership,
        rejection_reason="not_essential",
        reason="No care experience",
    )
    assert moved.rejection_reason == "not_essential"
    change = StageChange.objects.get(application=application)
    assert change.reason == "Does not meet the essential criteria: No care experience"


def test_moving_to_the_same_stage_is_refused(vacancy, admin_a, admin_membership):
    application = _at(vacancy, "screening")
    with pytest.raises(ValidationError, match="already at Screening"):
        _move(application, "screening", admin_a, admin_membership)


def test_a_membership_of_another_organisation_cannot_move_applications(vacancy, member_b, org_b):
    application = _at(vacancy, "submitted")
    membership_b = Membership.objects.get(user=member_b, organisation=org_b)
    with pytest.raises(PermissionDenied):
        _move(application, "screening", member_b, membership_b)
    application.refresh_from_db()
    assert application.stage == "submitted"


def test_a_move_can_add_an_internal_note(vacancy, staff_a, staff_membership):
    application = _at(vacancy, "submitted")
    _move(application, "screening", staff_a, staff_membership, note="Strong caring background")
    note = ApplicationNote.objects.get(application=application)
    assert note.author == staff_a and note.text == "Strong caring background"


# --- Guaranteed interviews ----------------------------------------------------------------


@pytest.fixture
def guaranteed(vacancy):
    vacancy.guaranteed_interview_routes = [FairRoute.CARE_LEAVER, FairRoute.ARMED_FORCES]
    vacancy.save()
    return _at(vacancy, "screening", fair_route=FairRoute.CARE_LEAVER)


def test_an_applicant_from_a_named_route_is_guaranteed_an_interview(vacancy, guaranteed):
    other_route = _at(vacancy, "screening", fair_route=FairRoute.REDEPLOYMENT)
    no_route = _at(vacancy, "screening")
    misses_criteria = _at(
        vacancy, "screening", fair_route=FairRoute.ARMED_FORCES, meets_essential_criteria=False
    )
    meets = _at(
        vacancy, "screening", fair_route=FairRoute.ARMED_FORCES, meets_essential_criteria=True
    )
    expected = {
        guaranteed.pk: True,
        other_route.pk: False,
        no_route.pk: False,
        misses_criteria.pk: False,
        meets.pk: True,
    }
    annotated = {a.pk: a.guaranteed_interview for a in pipeline_applications(vacancy)}
    assert annotated == expected
    for application in Application.objects.filter(pk__in=expected):
        assert is_guaranteed_interview(application) is expected[application.pk]


def test_staff_cannot_reject_a_guaranteed_applicant_before_interview(
    guaranteed, staff_a, staff_membership
):
    with pytest.raises(ValidationError, match="guaranteed an interview"):
        _move(guaranteed, "rejected", staff_a, staff_membership, reason="Weak statement")
    guaranteed.refresh_from_db()
    assert guaranteed.stage == "screening"


def test_an_admin_must_say_why_to_reject_a_guaranteed_applicant(
    guaranteed, admin_a, admin_membership
):
    with pytest.raises(ValidationError) as error:
        _move(guaranteed, "rejected", admin_a, admin_membership)
    assert "reason" in error.value.message_dict
    guaranteed.refresh_from_db()
    assert guaranteed.stage == "screening"


def test_an_admin_with_a_reason_can_reject_a_guaranteed_applicant(
    guaranteed, admin_a, admin_membership
):
    moved = _move(
        guaranteed,
        "rejected",
        admin_a,
        admin_membership,
        rejection_reason="other",
        reason="Withdrew consent for references",
    )
    assert moved.stage == "rejected"
    change = StageChange.objects.get(application=guaranteed)
    assert change.actor == admin_a
    assert change.reason == "Another reason: Withdrew consent for references"


def test_the_guarantee_ends_at_interview(guaranteed, staff_a, staff_membership):
    _move(guaranteed, "interview", staff_a, staff_membership)
    moved = _move(guaranteed, "rejected", staff_a, staff_membership, rejection_reason="interview")
    assert moved.stage == "rejected"


def test_the_guarantee_lapses_when_the_essential_criteria_are_not_met(
    guaranteed, staff_a, staff_membership
):
    application_set_essential_criteria(application=guaranteed, actor=staff_a, meets=False)
    guaranteed.refresh_from_db()
    assert guaranteed.meets_essential_criteria is False
    moved = _move(
        guaranteed, "rejected", staff_a, staff_membership, rejection_reason="not_essential"
    )
    assert moved.stage == "rejected"
    assert AuditEvent.objects.filter(action="application.essential_criteria").exists()


def test_a_guaranteed_applicant_may_still_be_withdrawn(guaranteed, staff_a, staff_membership):
    assert _move(guaranteed, "withdrawn", staff_a, staff_membership).stage == "withdrawn"


# --- Bulk moves ---------------------------------------------------------------------------


def test_a_bulk_move_moves_every_applicant_and_counts_them(
    vacancy, staff_a, staff_membership, django_capture_on_commit_callbacks, mailoutbox
):
    applications = [_at(vacancy, "submitted"), _at(vacancy, "submitted"), _at(vacancy, "screening")]
    with django_capture_on_commit_callbacks(execute=True):
        result = applications_move_many(
            applications=applications,
            to_stage="shortlisted",
            actor=staff_a,
            membership=staff_membership,
        )
    assert result.moved == 3
    assert result.from_stages == {"submitted": 2, "screening": 1}
    assert set(Application.objects.values_list("stage", flat=True)) == {"shortlisted"}
    assert StageChange.objects.filter(to_stage="shortlisted", actor=staff_a).count() == 3
    assert len(mailoutbox) == 3


def test_a_bulk_move_is_all_or_nothing(
    vacancy, staff_a, staff_membership, django_capture_on_commit_callbacks, mailoutbox
):
    fine = _at(vacancy, "submitted")
    withdrawn = _at(vacancy, "withdrawn", full_name="Wendy Withdrawn")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        applications_move_many(
            applications=[fine, withdrawn],
            to_stage="shortlisted",
            actor=staff_a,
            membership=staff_membership,
        )
    assert error.value.messages == [
        "Wendy Withdrawn: You cannot move an application from Withdrawn."
    ]
    fine.refresh_from_db()
    assert fine.stage == "submitted"
    assert not StageChange.objects.exists()
    assert mailoutbox == []


def test_a_bulk_rejection_needs_a_reason_and_says_so_once(vacancy, staff_a, staff_membership):
    applications = [_at(vacancy, "submitted"), _at(vacancy, "submitted")]
    with pytest.raises(ValidationError) as error:
        applications_move_many(
            applications=applications,
            to_stage="rejected",
            actor=staff_a,
            membership=staff_membership,
        )
    assert error.value.message_dict == {
        "rejection_reason": ["Select why the application was unsuccessful"]
    }


def test_a_bulk_move_of_nobody_is_refused(staff_a, staff_membership):
    with pytest.raises(ValidationError, match="Select at least one applicant"):
        applications_move_many(
            applications=[], to_stage="screening", actor=staff_a, membership=staff_membership
        )


# --- Notes --------------------------------------------------------------------------------


def test_notes_are_kept_with_their_author_and_audited(vacancy, staff_a):
    application = _at(vacancy, "submitted")
    note = application_note_add(application=application, actor=staff_a, text="  Called back  ")
    assert note.text == "Called back" and note.author == staff_a
    assert AuditEvent.objects.filter(action="application.note_added").exists()
    with pytest.raises(ValidationError, match="Enter a note"):
        application_note_add(application=application, actor=staff_a, text="   ")


# --- What the candidate hears -------------------------------------------------------------


@pytest.mark.parametrize(
    ("to_stage", "subject"),
    [
        ("shortlisted", "You have been shortlisted for Healthcare assistant"),
        ("interview", "Invitation to interview: Healthcare assistant"),
        ("rejected", "Your application for Healthcare assistant"),
        ("withdrawn", "Your application for Healthcare assistant has been withdrawn"),
    ],
)
def test_the_candidate_hears_of_moves_meant_for_them(
    to_stage,
    subject,
    vacancy,
    staff_a,
    staff_membership,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    application = _at(vacancy, "submitted", email="sam@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        _move(application, to_stage, staff_a, staff_membership)
    assert [m.subject for m in mailoutbox] == [subject]
    assert mailoutbox[0].to == ["sam@example.org"]


def test_screening_is_not_worth_an_email(
    vacancy, staff_a, staff_membership, django_capture_on_commit_callbacks, mailoutbox
):
    application = _at(vacancy, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        _move(application, "screening", staff_a, staff_membership)
    assert mailoutbox == []


def test_a_caller_can_send_its_own_email_instead(
    vacancy, staff_a, staff_membership, django_capture_on_commit_callbacks, mailoutbox
):
    application = _at(vacancy, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        _move(application, "interview", staff_a, staff_membership, notify=False)
    assert mailoutbox == []
