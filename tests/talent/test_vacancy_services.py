"""The vacancy services: every state move, every refusal, the approval path chosen by the
organisation's setting, duplication, and the audit rows they write."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from hub.models import AuditEvent, Membership
from talent.models import ApplicationAnswer, ScreeningQuestion, StaffGroup, Vacancy
from talent.services import vacancies as services
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    ScreeningQuestionFactory,
    VacancyFactory,
)

Status = Vacancy.Status


def _today():
    return timezone.localdate()


def _fields(**overrides):
    fields = {
        "title": "Healthcare assistant",
        "staff_group": StaffGroup.objects.get(slug="additional-clinical-services"),
        "band": "3",
        "salary_min": Decimal("24071"),
        "salary_max": Decimal("25674"),
        "contract_type": "permanent",
        "working_patterns": ["full_time", "nights"],
        "hours_per_week": Decimal("37.5"),
        "site": "St James's University Hospital",
        "postcode": "LS9 7TF",
        "closing_date": _today() + timedelta(days=21),
        "summary": "Care for patients on a busy ward.",
        "description": "You will support registered nurses with personal care.",
    }
    return {**fields, **overrides}


def _membership(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


@pytest.fixture
def draft(org_a, staff_a):
    return services.vacancy_create(organisation=org_a, actor=staff_a, **_fields())


# --- Creating and editing ---------------------------------------------------------------


def test_a_new_vacancy_is_a_draft_with_its_slug_district_and_questions_in_order(org_a, staff_a):
    vacancy = services.vacancy_create(
        organisation=org_a,
        actor=staff_a,
        questions=["Why this job?", "  ", "Tell us about a time you helped someone."],
        **_fields(title="Healthcare Assistant – Ward 12", postcode="ls97tf"),
    )
    vacancy.refresh_from_db()
    assert vacancy.status == Status.DRAFT
    assert vacancy.slug == "healthcare-assistant-ward-12"
    assert (vacancy.postcode, vacancy.postcode_district) == ("LS9 7TF", "LS9")
    assert vacancy.created_by == staff_a
    assert vacancy.published_at is None
    assert [q.text for q in vacancy.questions.all()] == [
        "Why this job?",
        "Tell us about a time you helped someone.",
    ]
    event = AuditEvent.objects.get(action="vacancy.created")
    assert (event.actor, event.organisation, event.object_id) == (
        staff_a,
        org_a,
        str(vacancy.pk),
    )


@pytest.mark.parametrize(
    "typed, postcode, district",
    [
        ("ls1 3ex", "LS1 3EX", "LS1"),
        ("  LS10   1AB ", "LS10 1AB", "LS10"),
        ("ls289aa", "LS28 9AA", "LS28"),
        ("EC1A1BB", "EC1A 1BB", "EC1A"),
    ],
)
def test_postcodes_are_written_in_capitals_with_one_space_and_their_district(
    org_a, staff_a, typed, postcode, district
):
    vacancy = services.vacancy_create(organisation=org_a, actor=staff_a, **_fields(postcode=typed))
    assert (vacancy.postcode, vacancy.postcode_district) == (postcode, district)


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"postcode": "Leeds"}, "postcode", "Enter a real postcode"),
        ({"salary_min": Decimal("30000"), "salary_max": Decimal("20000")}, "salary_max", "maximum"),
        ({"band": "", "pay_scale": ""}, "band", "Agenda for Change band, or enter a pay scale"),
        ({"band": "3", "pay_scale": "Council grade C"}, "pay_scale", "Leave the pay scale empty"),
        ({"hours_per_week": Decimal("0")}, "hours_per_week", "between 1 and 48"),
        ({"hours_per_week": Decimal("49")}, "hours_per_week", "between 1 and 48"),
        ({"working_patterns": ["sometimes"]}, "working_patterns", "from the list"),
    ],
)
def test_bad_vacancies_are_refused_with_a_message_by_field_and_nothing_is_saved(
    org_a, staff_a, overrides, field, message
):
    with pytest.raises(ValidationError) as refused:
        services.vacancy_create(organisation=org_a, actor=staff_a, **_fields(**overrides))
    assert any(message in text for text in refused.value.message_dict[field])
    assert not Vacancy.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="vacancy.").exists()


def test_every_problem_is_reported_at_once(org_a, staff_a):
    with pytest.raises(ValidationError) as refused:
        services.vacancy_create(
            organisation=org_a,
            actor=staff_a,
            questions=["x" * 501],
            **_fields(postcode="nowhere", band="", title="", hours_per_week=Decimal("50")),
        )
    assert set(refused.value.message_dict) == {
        "postcode",
        "band",
        "title",
        "hours_per_week",
        "questions",
    }


def test_a_non_agenda_for_change_job_has_a_pay_scale_instead_of_a_band(org_a, staff_a):
    vacancy = services.vacancy_create(
        organisation=org_a,
        actor=staff_a,
        **_fields(
            band="", pay_scale="£12.60 an hour", salary_min=Decimal("12.60"), salary_max=None
        ),
    )
    assert vacancy.pay_scale == "£12.60 an hour"


def test_the_contact_must_be_a_member_of_the_organisation(org_a, staff_a, member_b):
    with pytest.raises(ValidationError) as refused:
        services.vacancy_create(organisation=org_a, actor=staff_a, **_fields(contact=member_b))
    assert "member of your organisation" in refused.value.message_dict["contact"][0]
    vacancy = services.vacancy_create(organisation=org_a, actor=staff_a, **_fields(contact=staff_a))
    assert vacancy.contact == staff_a


def test_more_than_ten_or_overlong_screening_questions_are_refused(org_a, staff_a):
    with pytest.raises(ValidationError) as too_many:
        services.vacancy_create(
            organisation=org_a,
            actor=staff_a,
            questions=[f"Question {n}?" for n in range(11)],
            **_fields(),
        )
    assert too_many.value.message_dict["questions"] == ["Enter 10 questions or fewer"]
    with pytest.raises(ValidationError) as too_long:
        services.vacancy_create(
            organisation=org_a, actor=staff_a, questions=["Fine?", "x" * 501], **_fields()
        )
    assert too_long.value.message_dict["questions"] == [
        "Question 2 must be 500 characters or fewer"
    ]
    assert not Vacancy.objects.exists()


def test_editing_changes_the_slug_with_the_title_and_audits_the_field_names(draft, staff_a):
    services.vacancy_update(
        vacancy=draft, actor=staff_a, title="Senior healthcare assistant", band="4", summary="New."
    )
    assert draft.slug == "senior-healthcare-assistant"
    draft.refresh_from_db()
    assert (draft.title, draft.band) == ("Senior healthcare assistant", "4")
    event = AuditEvent.objects.get(action="vacancy.updated")
    assert event.data["fields"] == ["band", "summary", "title"]


def test_an_edit_that_changes_nothing_writes_no_audit_row(draft, staff_a):
    services.vacancy_update(vacancy=draft, actor=staff_a, **_fields())
    assert not AuditEvent.objects.filter(action="vacancy.updated").exists()


def test_screening_questions_are_synced_in_order_keeping_unchanged_ones(draft, staff_a):
    services.vacancy_update(vacancy=draft, actor=staff_a, questions=["First?", "Second?"])
    first = draft.questions.get(text="First?")
    services.vacancy_update(vacancy=draft, actor=staff_a, questions=["Third?", "First?"])
    assert [(q.text, q.position) for q in draft.questions.all()] == [
        ("Third?", 0),
        ("First?", 1),
    ]
    assert draft.questions.get(text="First?").pk == first.pk
    event = AuditEvent.objects.filter(action="vacancy.updated").first()
    assert event.data["fields"] == ["questions"]


def test_a_question_applicants_answered_cannot_be_removed_or_reworded(staff_a, org_a):
    vacancy = VacancyFactory(organisation=org_a)
    question = ScreeningQuestionFactory(vacancy=vacancy, text="Why care?")
    application = ApplicationFactory(vacancy=vacancy)
    ApplicationAnswer.objects.create(application=application, question=question, answer="I do")
    with pytest.raises(ValidationError) as refused:
        services.vacancy_update(vacancy=vacancy, actor=staff_a, questions=["Why do you care?"])
    assert "already answered" in refused.value.message_dict["questions"][0]
    assert list(vacancy.questions.values_list("text", flat=True)) == ["Why care?"]
    services.vacancy_update(vacancy=vacancy, actor=staff_a, questions=["Why care?", "More?"])
    assert vacancy.questions.count() == 2


def test_a_published_vacancy_can_be_edited_and_the_change_is_audited(org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a)
    services.vacancy_update(vacancy=vacancy, actor=staff_a, hours_per_week=Decimal("30"))
    vacancy.refresh_from_db()
    assert vacancy.hours_per_week == Decimal("30")
    assert vacancy.status == Status.PUBLISHED
    event = AuditEvent.objects.get(action="vacancy.updated")
    assert event.data == {"fields": ["hours_per_week"], "status": "published"}


def test_a_live_vacancys_closing_date_cannot_move_into_the_past(org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a)
    with pytest.raises(ValidationError) as refused:
        services.vacancy_update(
            vacancy=vacancy, actor=staff_a, closing_date=_today() - timedelta(days=1)
        )
    assert "closing_date" in refused.value.message_dict


@pytest.mark.parametrize("status", [Status.CLOSED, Status.FILLED])
def test_closed_and_filled_vacancies_cannot_be_edited(org_a, staff_a, status):
    vacancy = VacancyFactory(organisation=org_a, status=status, title="Porter")
    with pytest.raises(ValidationError, match="cannot edit this vacancy"):
        services.vacancy_update(vacancy=vacancy, actor=staff_a, title="Head porter")
    vacancy.refresh_from_db()
    assert vacancy.title == "Porter"
    assert not AuditEvent.objects.exists()


def test_unknown_fields_are_a_programming_error(draft, staff_a):
    with pytest.raises(ValueError, match="Not editable: status"):
        services.vacancy_update(vacancy=draft, actor=staff_a, status=Status.PUBLISHED)


# --- Publishing and approval ------------------------------------------------------------


def test_publishing_a_draft_puts_it_live_with_its_publication_time(draft, org_a, staff_a):
    services.vacancy_publish(vacancy=draft, actor=staff_a, membership=_membership(staff_a, org_a))
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.published_at is not None
    assert draft.is_live
    assert AuditEvent.objects.filter(action="vacancy.published", actor=staff_a).exists()


def test_when_approval_is_needed_staff_send_it_for_approval_and_every_admin_is_emailed(
    draft, org_a, staff_a, admin_a, django_capture_on_commit_callbacks
):
    other_admin = MembershipFactory(organisation=org_a, role=Membership.Role.ADMIN).user
    org_a.vacancies_need_approval = True
    org_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.vacancy_publish(
            vacancy=draft, actor=staff_a, membership=_membership(staff_a, org_a)
        )
    draft.refresh_from_db()
    assert draft.status == Status.AWAITING_APPROVAL
    assert draft.published_at is None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admin_a.email, other_admin.email])
    assert "Approve a vacancy: Healthcare assistant" in mail.outbox[0].subject
    assert f"/manage/{org_a.slug}/vacancies/{draft.pk}/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="vacancy.submitted_for_approval").exists()


def test_when_approval_is_needed_an_admin_publishes_straight_away(
    draft, org_a, admin_a, django_capture_on_commit_callbacks
):
    org_a.vacancies_need_approval = True
    org_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.vacancy_publish(
            vacancy=draft, actor=admin_a, membership=_membership(admin_a, org_a)
        )
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert mail.outbox == []


def test_publishing_is_refused_when_the_closing_date_has_passed(org_a, staff_a):
    vacancy = VacancyFactory(
        organisation=org_a, status=Status.DRAFT, closing_date=_today() - timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        services.vacancy_publish(
            vacancy=vacancy, actor=staff_a, membership=_membership(staff_a, org_a)
        )
    assert "today or in the future" in refused.value.message_dict["closing_date"][0]
    vacancy.refresh_from_db()
    assert vacancy.status == Status.DRAFT


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.CLOSED, Status.FILLED])
def test_only_drafts_and_vacancies_awaiting_approval_can_be_published(org_a, staff_a, status):
    vacancy = VacancyFactory(organisation=org_a, status=status)
    with pytest.raises(ValidationError, match="cannot publish this vacancy"):
        services.vacancy_publish(
            vacancy=vacancy, actor=staff_a, membership=_membership(staff_a, org_a)
        )
    vacancy.refresh_from_db()
    assert vacancy.status == status


def test_staff_cannot_send_a_vacancy_for_approval_twice(org_a, staff_a):
    org_a.vacancies_need_approval = True
    org_a.save()
    vacancy = VacancyFactory(organisation=org_a, status=Status.AWAITING_APPROVAL)
    with pytest.raises(ValidationError, match="already waiting"):
        services.vacancy_publish(
            vacancy=vacancy, actor=staff_a, membership=_membership(staff_a, org_a)
        )


def test_a_membership_of_another_organisation_cannot_publish(draft, org_b, member_b):
    with pytest.raises(PermissionDenied):
        services.vacancy_publish(
            vacancy=draft, actor=member_b, membership=_membership(member_b, org_b)
        )


@pytest.fixture
def awaiting(org_a, staff_a):
    return VacancyFactory(
        organisation=org_a,
        status=Status.AWAITING_APPROVAL,
        created_by=staff_a,
        published_at=None,
    )


def test_an_admin_approves_a_vacancy_which_goes_live_and_its_author_is_told(
    awaiting, admin_a, staff_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.vacancy_approve(vacancy=awaiting, actor=admin_a)
    awaiting.refresh_from_db()
    assert awaiting.status == Status.PUBLISHED
    assert awaiting.published_at is not None
    assert [m.to for m in mail.outbox] == [[staff_a.email]]
    assert "Your vacancy is live" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="vacancy.approved", actor=admin_a).exists()


def test_staff_without_the_approval_role_cannot_approve(awaiting, staff_a, member_b):
    for person in (staff_a, member_b):
        with pytest.raises(PermissionDenied):
            services.vacancy_approve(vacancy=awaiting, actor=person)
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APPROVAL


def test_only_vacancies_awaiting_approval_can_be_approved(draft, admin_a):
    with pytest.raises(ValidationError, match="cannot approve this vacancy because it is draft"):
        services.vacancy_approve(vacancy=draft, actor=admin_a)


def test_an_admin_returns_a_vacancy_to_draft_with_a_reason_emailed_to_its_author(
    awaiting, admin_a, staff_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.vacancy_return_to_draft(
            vacancy=awaiting, actor=admin_a, reason="Add the band 3 salary range, please."
        )
    awaiting.refresh_from_db()
    assert awaiting.status == Status.DRAFT
    assert [m.to for m in mail.outbox] == [[staff_a.email]]
    assert "Add the band 3 salary range, please." in mail.outbox[0].body
    event = AuditEvent.objects.get(action="vacancy.returned_to_draft")
    assert event.data == {"reason": "Add the band 3 salary range, please."}


def test_returning_to_draft_needs_a_reason_and_a_vacancy_awaiting_approval(
    awaiting, draft, admin_a
):
    with pytest.raises(ValidationError) as no_reason:
        services.vacancy_return_to_draft(vacancy=awaiting, actor=admin_a, reason="   ")
    assert no_reason.value.message_dict == {
        "reason": ["Enter the reason for returning the vacancy"]
    }
    with pytest.raises(ValidationError, match="cannot return to draft"):
        services.vacancy_return_to_draft(vacancy=draft, actor=admin_a, reason="No")
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APPROVAL
    assert mail.outbox == []


# --- Closing, filling, copying ---------------------------------------------------------


def test_closing_a_published_vacancy_stops_it_being_live(org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a)
    services.vacancy_close(vacancy=vacancy, actor=staff_a)
    vacancy.refresh_from_db()
    assert vacancy.status == Status.CLOSED
    assert vacancy.closed_at is not None
    assert not Vacancy.objects.published().exists()
    assert AuditEvent.objects.filter(action="vacancy.closed").exists()


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.AWAITING_APPROVAL, Status.CLOSED, Status.FILLED]
)
def test_only_published_vacancies_can_be_closed(org_a, staff_a, status):
    vacancy = VacancyFactory(organisation=org_a, status=status)
    with pytest.raises(ValidationError, match="cannot close this vacancy"):
        services.vacancy_close(vacancy=vacancy, actor=staff_a)
    vacancy.refresh_from_db()
    assert vacancy.status == status


@pytest.mark.parametrize("status", [Status.PUBLISHED, Status.CLOSED])
def test_published_and_closed_vacancies_can_be_marked_filled(org_a, staff_a, status):
    vacancy = VacancyFactory(organisation=org_a, status=status)
    services.vacancy_mark_filled(vacancy=vacancy, actor=staff_a)
    vacancy.refresh_from_db()
    assert vacancy.status == Status.FILLED
    assert vacancy.closed_at is not None
    assert AuditEvent.objects.filter(action="vacancy.filled").exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.AWAITING_APPROVAL, Status.FILLED])
def test_drafts_and_filled_vacancies_cannot_be_marked_filled(org_a, staff_a, status):
    vacancy = VacancyFactory(organisation=org_a, status=status)
    with pytest.raises(ValidationError, match="cannot mark as filled"):
        services.vacancy_mark_filled(vacancy=vacancy, actor=staff_a)


def test_a_copy_is_a_new_draft_with_the_questions_and_no_reference(org_a, admin_a, staff_a):
    source = VacancyFactory(
        organisation=org_a, reference="LTH-123", title="Porter", status=Status.FILLED
    )
    ScreeningQuestionFactory(vacancy=source, text="Can you lift?", position=0)
    ScreeningQuestionFactory(vacancy=source, text="Nights OK?", position=1)
    copy = services.vacancy_duplicate(vacancy=source, actor=admin_a)
    assert copy.pk != source.pk
    assert (copy.title, copy.slug, copy.reference) == ("Porter (copy)", "porter-copy", "")
    assert copy.status == Status.DRAFT and copy.published_at is None
    assert copy.created_by == admin_a
    assert (copy.band, copy.postcode_district, copy.working_patterns) == (
        source.band,
        "LS9",
        ["full_time"],
    )
    assert list(copy.questions.values_list("text", flat=True)) == ["Can you lift?", "Nights OK?"]
    assert ScreeningQuestion.objects.filter(vacancy=source).count() == 2
    event = AuditEvent.objects.get(action="vacancy.duplicated")
    assert event.data == {"source_id": source.pk} and event.object_id == str(copy.pk)


def test_a_copy_of_a_vacancy_past_its_closing_date_closes_four_weeks_from_today(org_a, staff_a):
    past = VacancyFactory(organisation=org_a, closing_date=_today() - timedelta(days=10))
    future = VacancyFactory(organisation=org_a, closing_date=_today() + timedelta(days=3))
    assert services.vacancy_duplicate(vacancy=past, actor=staff_a).closing_date == (
        _today() + timedelta(days=28)
    )
    assert services.vacancy_duplicate(vacancy=future, actor=staff_a).closing_date == (
        future.closing_date
    )


def test_a_long_titles_copy_still_fits(org_a, staff_a):
    source = VacancyFactory(organisation=org_a, title="x" * 200)
    copy = services.vacancy_duplicate(vacancy=source, actor=staff_a)
    assert len(copy.title) == 200 and copy.title.endswith(" (copy)")


# --- The demo ---------------------------------------------------------------------------


def test_the_demo_builds_live_vacancies_through_the_services_and_only_once(db):
    from hub.demo import seed_demo as seed_hub
    from talent.demo import seed_demo as seed_talent

    seed_hub()
    first = seed_talent()
    assert first["vacancies"] >= 28
    assert set(seed_talent().values()) == {0}
    vacancies = Vacancy.objects.all()
    assert vacancies.count() == first["vacancies"]
    assert vacancies.filter(status=Status.DRAFT).count() == 2
    assert vacancies.filter(status=Status.CLOSED).count() == 1
    live = Vacancy.objects.published()
    assert live.count() == first["vacancies"] - 3
    assert live.filter(closing_date__lte=_today() + timedelta(days=7)).count() >= 3
    assert live.filter(entry_level=True).count() >= 5
    assert live.filter(trial_shift_available=True, staff_group__slug="social-care").exists()
    assert live.filter(contract_type="volunteering", organisation__name="Forum Central").exists()
    assert live.filter(contract_type="work_experience").exists()
    assert live.filter(band="", salary_period="hour").exclude(pay_scale="").exists()
    assert {v.postcode_district for v in live} >= {"LS1", "LS9", "LS12", "LS14", "LS22"}
    hr = Vacancy.objects.filter(organisation__name="Leeds Teaching Hospitals NHS Trust")
    assert {v.created_by.email for v in hr} == {"hr.lth@example.org"}
    assert AuditEvent.objects.filter(action="vacancy.published").count() == live.count() + 1
