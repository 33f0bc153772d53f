"""Fuzzing the candidate's forms (issue 9): applying for a vacancy (sending and saving a
draft), their profile, saving a job alert and its unsubscribe link, withdrawing an
application, joining the talent pool, asking for a trial shift and choosing an interview
time. Whatever is posted, never a server error; bad input gets the form's errors and
changes no row; good input does what the form is for."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from hub.models import AuditEvent
from talent.forms.applying import MONITORING_PREFIX, MONITORING_QUESTIONS, NO_FAIR_ROUTE
from talent.models import (
    Application,
    ApplicationAnswer,
    CandidateProfile,
    EqualityMonitoring,
    FairRoute,
    InterviewBooking,
    InterviewSlot,
    SavedSearch,
    StaffGroup,
    TalentPoolProfile,
    TrialShiftRequest,
    TrialShiftSlot,
)
from talent.services.pool import MAX_HEADLINE, MAX_SKILLS
from tests.factories import (
    ApplicationFactory,
    SavedSearchFactory,
    ScreeningQuestionFactory,
    UserFactory,
    VacancyFactory,
)
from tests.fuzz.harness import (
    assert_no_server_error,
    fuzz_settings,
    get,
    new_client,
    path_segment,
    post,
    rolled_back,
    row_counts,
    submit,
)
from tests.fuzz.strategies import (
    NUL,
    UNTICKED,
    Field,
    bad_text,
    dates_as_text,
    hostile_text,
    impossible_dates,
    numbers_as_text,
    postcodes,
    submissions,
    tokens,
    too_long,
    wrong_choices,
)

pytestmark = pytest.mark.django_db

names = st.one_of(
    st.sampled_from(["Amira Khan", "Siobhán O'Neill", "Łukasz Nowak", "محمد علي", "Zoë"]),
    st.text(min_size=1, max_size=40).filter(lambda value: value.strip() and NUL not in value),
)
phones = st.sampled_from(["07700 900982", "0113 496 0000", "+44 808 157 0192", "(0113) 4960000"])
bad_phones = st.sampled_from(["abc", "123", "07700 900982 ext 4", "0" * 16, "++44", "0770O 900982"])
statements = st.text(min_size=1, max_size=300).filter(lambda value: value.strip())
good_postcodes = st.sampled_from(["LS1 3EX", "ls13ex", "LS12 3AB", "  ls12 3ab ", ""])
bad_postcodes = st.sampled_from(["LS", "LS1 3E", "1LS 3EX", "ZZZZZZ", "12345", "ＬＳ１ ３ＥＸ"])


def _postcode_field() -> Field:
    return Field(good_postcodes, st.one_of(bad_postcodes, bad_text(10, required=False)))


def _phone_field(*, required: bool) -> Field:
    return Field(phones, st.one_of(bad_phones, bad_text(30, required=required)), required)


def _text_field(good, max_length: int, *, required: bool) -> Field:
    return Field(good, bad_text(max_length, required=required), required)


def _choice_field(valid, *, required: bool = False) -> Field:
    return Field(st.sampled_from(list(valid)), wrong_choices(valid), required)


@pytest.fixture
def candidate_user(db):
    return UserFactory(name="Amira Khan")


@pytest.fixture
def vacancy(org_a, admin_a):
    vacancy = VacancyFactory(
        organisation=org_a, title="Care worker", trial_shift_available=True, contact=admin_a
    )
    ScreeningQuestionFactory(vacancy=vacancy, position=1, text="Why do you want this job?")
    return vacancy


# --- Applying ---------------------------------------------------------------------------------


def application_fields(vacancy) -> dict[str, Field]:
    fields = {
        "full_name": _text_field(names, 150, required=True),
        "phone": _phone_field(required=True),
        "address": _text_field(statements, 500, required=False),
        "postcode": _postcode_field(),
        "right_to_work": _choice_field(CandidateProfile.RightToWork.values, required=True),
        "supporting_statement": _text_field(statements, 20000, required=True),
        "reasonable_adjustments": _text_field(statements, 5000, required=False),
        "source": _choice_field(Application.Source.values),
        "fair_route": _choice_field([*FairRoute.values, NO_FAIR_ROUTE]),
    }
    for question in vacancy.questions.all():
        fields[f"question_{question.pk}"] = _text_field(statements, 5000, required=True)
    for name, (_, options) in MONITORING_QUESTIONS.items():
        fields[MONITORING_PREFIX + name] = _choice_field([value for value, _ in options])
    return fields


@fuzz_settings(50)
@given(data=st.data())
def test_applying_refuses_bad_input_and_sends_good_input(candidate_user, vacancy, data):
    CandidateProfile.objects.get_or_create(user=candidate_user)
    submission = data.draw(submissions(application_fields(vacancy)))
    action = data.draw(st.sampled_from(["submit", "save"]))
    submission.data["action"] = action
    if action == "save":
        # A draft may leave anything out, or blank: only what was typed is checked.
        submission.missing_required.clear()
        submission.bad_fields[:] = [
            name
            for name in submission.bad_fields
            if isinstance(submission.data[name], str) and submission.data[name].strip()
        ]
    models = (Application, ApplicationAnswer, EqualityMonitoring, AuditEvent)
    with rolled_back():
        client = new_client(candidate_user)
        accepted = submit(client, f"/jobs/{vacancy.pk}/apply/", submission, models)
        if accepted:
            application = Application.objects.get(vacancy=vacancy, candidate=candidate_user)
            assert application.is_draft == (action == "save")
            assert NUL not in application.full_name + application.supporting_statement


@fuzz_settings(30)
@given(
    submission=submissions(
        {
            "full_name": _text_field(names, 150, required=True),
            "phone": _phone_field(required=False),
            "address": _text_field(statements, 500, required=False),
            "postcode": _postcode_field(),
            "right_to_work": _choice_field(CandidateProfile.RightToWork.values),
        }
    )
)
def test_the_profile_keeps_its_values_when_the_input_is_bad(candidate_user, submission):
    CandidateProfile.objects.get_or_create(user=candidate_user, defaults={"phone": "0113 496 0000"})
    with rolled_back():
        client = new_client(candidate_user)
        accepted = submit(client, "/me/profile/", submission, [CandidateProfile])
        profile = CandidateProfile.objects.get(user=candidate_user)
        candidate_user.refresh_from_db()
        if accepted:
            assert NUL not in candidate_user.name + profile.phone + profile.address
        else:
            assert (candidate_user.name, profile.phone) == ("Amira Khan", "0113 496 0000")


# --- Job alerts -------------------------------------------------------------------------------


@fuzz_settings(40)
@given(
    submission=submissions(
        {
            "query": _text_field(
                st.sampled_from(["q=nurse", "band=3&band=4", "district=LS9&sort=newest", ""]),
                2000,
                required=False,
            ),
            "name": _text_field(names, 100, required=False),
            "frequency": _choice_field(SavedSearch.Frequency.values),
        }
    ),
    signed_in=st.booleans(),
)
def test_saving_a_job_alert_stays_on_the_site_and_saves_only_good_input(
    candidate_user, submission, signed_in
):
    with rolled_back():
        client = new_client(candidate_user if signed_in else None)
        before = row_counts(SavedSearch)
        response = post(client, "/me/alerts/new/", submission.data)
        assert_no_server_error(response)
        # The answer is always a redirect, with a message: back to the search (carrying
        # only its own parameters), to the alerts, or to sign in.
        assert response.status_code in (302, 400)
        if response.status_code == 302:
            assert response.url.startswith("/") and not response.url.startswith("//")
        saved = row_counts(SavedSearch)[SavedSearch._meta.label] - before[SavedSearch._meta.label]
        if submission.must_be_refused or not signed_in:
            assert saved == 0
        else:
            assert saved in (0, 1)


@fuzz_settings(40)
@given(token=st.one_of(tokens, st.just("REAL")), method=st.sampled_from(["get", "post"]))
def test_an_unsubscribe_link_works_only_with_its_own_token(token, method):
    real = token == "REAL"
    with rolled_back():
        saved_search = SavedSearchFactory(unsubscribe_token="t" * 40)
        path = f"/jobs/alerts/unsubscribe/{path_segment('t' * 40 if real else token)}/"
        client = new_client()
        response = client.get(path) if method == "get" else post(client, path, {})
        assert_no_server_error(response)
        saved_search.refresh_from_db()
        if real:
            assert response.status_code == 200
            assert saved_search.active == (method == "get")
        else:
            assert response.status_code in (400, 404)
            assert saved_search.active


# --- Withdrawing ------------------------------------------------------------------------------


@fuzz_settings(30)
@given(submission=submissions({"reason": _text_field(statements, 200, required=False)}))
def test_withdrawing_refuses_a_bad_reason_and_keeps_the_application(
    candidate_user, vacancy, submission
):
    with rolled_back():
        application = ApplicationFactory(vacancy=vacancy, candidate=candidate_user)
        client = new_client(candidate_user)
        path = f"/me/applications/{application.pk}/withdraw/"
        accepted = submit(client, path, submission, [Application, AuditEvent])
        application.refresh_from_db()
        assert application.is_open != accepted


# --- Talent pool ------------------------------------------------------------------------------


@fuzz_settings(40)
@given(data=st.data())
def test_joining_the_talent_pool_refuses_bad_input(candidate_user, data):
    slugs = list(StaffGroup.objects.values_list("slug", flat=True))
    fields = {
        "headline": _text_field(names, MAX_HEADLINE, required=True),
        "skills": _text_field(statements, MAX_SKILLS, required=True),
        "staff_groups": Field(
            st.lists(st.sampled_from(slugs), max_size=3, unique=True), wrong_choices(slugs)
        ),
        "needs": Field(
            st.lists(st.sampled_from(["no_nights", "no_weekends", "term_time_only"]), max_size=3),
            wrong_choices(["no_nights", "no_weekends", "term_time_only"]),
        ),
        "max_hours_per_week": Field(
            st.integers(min_value=1, max_value=48).map(str),
            st.one_of(
                st.integers(max_value=0).map(str),
                st.integers(min_value=49).map(str),
                st.sampled_from(["22.5", "thirty", "1e3"]),
            ),
        ),
        "postcode_district": Field(
            st.sampled_from(["LS9", "ls12", "LS9 7TF", "ls97tf"]),
            st.one_of(bad_postcodes, too_long(10), st.just("")),
            required=True,
        ),
        "available_from": Field(
            st.dates(min_value=timezone.localdate()).map(lambda day: day.strftime("%d/%m/%Y")),
            impossible_dates,
        ),
        "consent": Field(st.sampled_from(["on", "1", "true"]), UNTICKED, True),
    }
    submission = data.draw(submissions(fields))
    path = data.draw(st.sampled_from(["/me/talent-pool/", "/me/talent-pool/?from=rejection"]))
    with rolled_back():
        client = new_client(candidate_user)
        accepted = submit(client, path, submission, [TalentPoolProfile, AuditEvent])
        joined = TalentPoolProfile.objects.filter(user=candidate_user).exists()
        assert joined == accepted


# --- Trial shifts and interviews ----------------------------------------------------------------


def _slot(model, vacancy, days):
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=days)
    return model.objects.create(
        vacancy=vacancy,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        capacity=1,
        location="Ward J12, St James's University Hospital",
    )


@pytest.fixture
def trial_slots(vacancy):
    slot = _slot(TrialShiftSlot, vacancy, days=4)
    other_vacancys_slot = _slot(TrialShiftSlot, VacancyFactory(trial_shift_available=True), 5)
    return slot, other_vacancys_slot


@fuzz_settings(30)
@given(data=st.data())
def test_asking_for_a_trial_shift_refuses_bad_input(candidate_user, trial_slots, data):
    slot, other_vacancys_slot = trial_slots
    fields = {
        "slot": Field(
            st.just(str(slot.pk)),
            st.one_of(st.just(str(other_vacancys_slot.pk)), numbers_as_text, hostile_text),
            required=True,
        ),
        "phone": _phone_field(required=True),
        "message": _text_field(statements, 1000, required=False),
    }
    submission = data.draw(submissions(fields))
    if submission.data.get("slot") in ("", " "):
        submission.missing_required.append("slot")
    with rolled_back():
        client = new_client(candidate_user)
        path = f"/jobs/{slot.vacancy_id}/trial-shifts/"
        accepted = submit(client, path, submission, [TrialShiftRequest, AuditEvent])
        assert TrialShiftRequest.objects.filter(candidate=candidate_user).exists() == accepted


@fuzz_settings(30)
@given(slot_choice=st.one_of(st.just("FREE"), numbers_as_text, hostile_text, st.lists(tokens)))
def test_choosing_an_interview_time_refuses_a_time_not_offered(
    candidate_user, vacancy, slot_choice
):
    with rolled_back():
        application = ApplicationFactory(
            vacancy=vacancy, candidate=candidate_user, stage="interview"
        )
        free = _slot(InterviewSlot, vacancy, days=3)
        data = {"slot": str(free.pk) if slot_choice == "FREE" else slot_choice}
        client = new_client(candidate_user)
        path = f"/me/applications/{application.pk}/interview/"
        before = row_counts(InterviewBooking)
        response = post(client, path, data)
        assert_no_server_error(response)
        if slot_choice == "FREE":
            assert response.status_code == 302
            assert InterviewBooking.objects.get().slot == free
        else:
            assert response.status_code in (200, 400)
            assert row_counts(InterviewBooking) == before


@fuzz_settings(30)
@given(
    params=st.dictionaries(
        hostile_text, st.one_of(hostile_text, dates_as_text, postcodes), max_size=3
    )
)
def test_the_candidates_own_pages_ignore_stray_parameters(candidate_user, vacancy, params):
    with rolled_back():
        application = ApplicationFactory(vacancy=vacancy, candidate=candidate_user)
        client = new_client(candidate_user)
        for path in (
            "/me/applications/",
            f"/me/applications/{application.pk}/",
            "/me/profile/",
            "/me/alerts/",
            "/me/talent-pool/",
            "/me/invitations/",
            "/me/trial-shifts/",
            f"/jobs/{vacancy.pk}/apply/",
            f"/jobs/{vacancy.pk}/trial-shifts/",
        ):
            response = get(client, path, params)
            assert_no_server_error(response)
            assert response.status_code in (200, 302, 400)
