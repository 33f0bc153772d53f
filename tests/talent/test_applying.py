"""Applying for a job: who may, until when, what is checked, what is stored and where."""

import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hub.models import AuditEvent
from hub.uploads import private_storage
from talent.models import (
    Application,
    ApplicationAnswer,
    CandidateProfile,
    EqualityMonitoring,
    StageChange,
)
from talent.services import applications as services
from tests.documents import PDF_BYTES, docx_bytes, odt_bytes
from tests.factories import (
    ApplicationFactory,
    ScreeningQuestionFactory,
    UserFactory,
    VacancyFactory,
)

MB = 1024 * 1024


@pytest.fixture
def vacancy(org_a):
    vacancy = VacancyFactory(organisation=org_a, title="Healthcare Assistant")
    ScreeningQuestionFactory(vacancy=vacancy, position=1, text="Why do you want this job?")
    ScreeningQuestionFactory(vacancy=vacancy, position=2, text="Tell us about caring for someone.")
    return vacancy


def _apply_url(vacancy):
    return reverse("candidate:apply", kwargs={"pk": vacancy.pk})


def _complete(vacancy, **overrides):
    data = {
        "action": "submit",
        "full_name": "Amira Patel",
        "phone": "07700 900982",
        "address": "1 Town Street\nArmley",
        "postcode": "ls12 3ab",
        "right_to_work": "yes",
        "supporting_statement": "I cared for my grandmother for three years.",
        "reasonable_adjustments": "",
        "source": "job_search",
    }
    for question in vacancy.questions.all():
        data[f"question_{question.pk}"] = f"My answer to {question.text}"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _pdf(name="My CV (final).pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _stored_cvs() -> set[str]:
    try:
        return set(private_storage().listdir("cvs")[1])
    except FileNotFoundError:
        return set()


def _errors(response) -> list[str]:
    summary = re.search(
        r'<div class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary on the page"
    return [
        " ".join(text.split())
        for text in re.findall(
            r"<li>\s*(?:<a[^>]*>)?(.*?)(?:</a>)?\s*</li>", summary.group(0), re.S
        )
    ]


# --- Who may apply ----------------------------------------------------------------------


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in_and_back(client, vacancy):
    response = client.get(_apply_url(vacancy))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={_apply_url(vacancy)}"


def test_a_candidate_whose_email_is_not_confirmed_is_told_to_confirm_it_first(client_as, vacancy):
    person = UserFactory(verified_email=False)
    client = client_as(person)

    response = client.get(_apply_url(vacancy))
    assert response.status_code == 403
    assert "Confirm your email address to apply" in response.content.decode()
    assert reverse("account_email") in response.content.decode()

    response = client.post(_apply_url(vacancy), _complete(vacancy))
    assert response.status_code == 403
    assert not Application.objects.exists()


def test_a_vacancy_that_was_never_published_cannot_be_applied_for(client_as, candidate, org_a):
    draft = VacancyFactory(organisation=org_a, status="draft", published_at=None)
    assert client_as(candidate).get(_apply_url(draft)).status_code == 404


# --- The form ---------------------------------------------------------------------------


def test_the_form_is_prefilled_from_the_candidates_name_and_profile(client_as, vacancy):
    person = UserFactory(name="Amira Patel")
    CandidateProfile.objects.create(
        user=person,
        phone="0113 496 0001",
        address="1 Town Street",
        postcode="LS12 3AB",
        right_to_work="yes",
    )
    response = client_as(person).get(_apply_url(vacancy))
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["full_name"] == "Amira Patel"
    assert initial["phone"] == "0113 496 0001"
    assert initial["address"] == "1 Town Street"
    assert initial["postcode"] == "LS12 3AB"
    assert initial["right_to_work"] == "yes"
    page = response.content.decode()
    assert 'value="0113 496 0001"' in page
    assert "Why do you want this job?" in page
    assert "Equal opportunities monitoring (optional)" in page
    assert "Prefer not to say" in page


def test_submitting_a_complete_application_stores_it_with_its_answers_and_history(
    client_as, candidate, vacancy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(candidate).post(_apply_url(vacancy), _complete(vacancy))

    application = Application.objects.get(vacancy=vacancy, candidate=candidate)
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    assert application.stage == Application.Stage.SUBMITTED
    assert application.submitted_at is not None
    assert application.full_name == "Amira Patel"
    assert application.email == candidate.email
    assert application.postcode == "LS12 3AB"
    assert application.source == Application.Source.JOB_SEARCH
    answers = list(application.answers.values_list("question__text", "answer"))
    assert answers == [
        ("Why do you want this job?", "My answer to Why do you want this job?"),
        (
            "Tell us about caring for someone.",
            "My answer to Tell us about caring for someone.",
        ),
    ]
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage, change.actor) == ("draft", "submitted", candidate)
    assert AuditEvent.objects.filter(
        action="application.submitted", object_id=str(application.pk), actor=candidate
    ).exists()


def test_submitting_updates_the_candidates_profile_from_what_they_sent(client_as, vacancy):
    person = UserFactory(name="")
    client_as(person).post(_apply_url(vacancy), _complete(vacancy))
    person.refresh_from_db()
    assert person.name == "Amira Patel"
    profile = CandidateProfile.objects.get(user=person)
    assert (profile.phone, profile.postcode, profile.right_to_work) == (
        "07700 900982",
        "LS12 3AB",
        "yes",
    )
    assert profile.address == "1 Town Street\nArmley"


def test_submitting_with_something_missing_says_what_and_changes_nothing(
    client_as, candidate, vacancy
):
    data = _complete(
        vacancy,
        supporting_statement="",
        phone="",
        right_to_work=None,
        **{f"question_{vacancy.questions.first().pk}": "  "},
    )
    response = client_as(candidate).post(_apply_url(vacancy), data)

    assert response.status_code == 200
    assert _errors(response) == [
        "Enter your phone number",
        "Select whether you have the right to work in the UK",
        "Enter your supporting statement",
        "Enter your answer to question 1",
    ]
    assert "<title>Error: " in response.content.decode()
    assert not Application.objects.exists()
    assert not CandidateProfile.objects.filter(user=candidate).exists()


def test_a_phone_number_or_postcode_that_is_not_real_is_refused(client_as, candidate, vacancy):
    data = _complete(vacancy, phone="call me", postcode="not a postcode")
    response = client_as(candidate).post(_apply_url(vacancy), data)
    assert _errors(response) == [
        "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        "Enter a full UK postcode, like LS1 3EX",
    ]
    assert not Application.objects.exists()


# --- Drafts -----------------------------------------------------------------------------


def test_a_draft_keeps_what_was_given_and_resumes_with_everything_filled_in(
    client_as, candidate, vacancy
):
    first, second = vacancy.questions.all()
    client = client_as(candidate)
    response = client.post(
        _apply_url(vacancy),
        {
            "action": "save",
            "full_name": "Amira Patel",
            "phone": "",
            "supporting_statement": "Half written",
            f"question_{first.pk}": "Because I care",
            "cv": _pdf(),
            "monitoring_age_band": "20_29",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("candidate:applications")

    application = Application.objects.get(candidate=candidate)
    assert application.stage == Application.Stage.DRAFT
    assert application.submitted_at is None
    assert not application.history.exists()

    response = client.get(_apply_url(vacancy))
    form = response.context["form"]
    assert form.initial["supporting_statement"] == "Half written"
    assert form.initial[f"question_{first.pk}"] == "Because I care"
    assert not form.initial.get(f"question_{second.pk}")
    assert form.initial["monitoring_age_band"] == "20_29"
    page = response.content.decode()
    assert "Half written" in page
    assert "Because I care" in page
    assert "You have uploaded" in page and "My-CV-final.pdf" in page

    # Finishing it later sends it, keeping the CV saved with the draft.
    data = _complete(vacancy)
    client.post(_apply_url(vacancy), data)
    application.refresh_from_db()
    assert application.stage == Application.Stage.SUBMITTED
    assert application.cv_filename == "My-CV-final.pdf"
    assert application.answers.count() == 2


def test_an_empty_draft_can_be_saved(client_as, candidate, vacancy):
    response = client_as(candidate).post(_apply_url(vacancy), {"action": "save"})
    assert response.status_code == 302
    assert Application.objects.get(candidate=candidate).is_draft


def test_a_submitted_application_cannot_be_saved_or_sent_again(candidate, vacancy):
    application = services.application_start(vacancy=vacancy, candidate=candidate)
    details = _complete(vacancy)
    answers = {q.pk: "An answer" for q in vacancy.questions.all()}
    services.application_submit(
        application=application, actor=candidate, details=details, answers=answers
    )
    with pytest.raises(ValidationError, match="already sent"):
        services.application_save(application=application, actor=candidate, details=details)
    with pytest.raises(ValidationError, match="already sent"):
        services.application_submit(application=application, actor=candidate, details=details)
    assert StageChange.objects.filter(application=application).count() == 1


def test_another_person_cannot_write_to_a_candidates_draft(candidate, vacancy):
    application = services.application_start(vacancy=vacancy, candidate=candidate)
    with pytest.raises(ValidationError, match="not your application"):
        services.application_save(
            application=application, actor=UserFactory(), details={"full_name": "Someone"}
        )


# --- One application per candidate and vacancy -----------------------------------------


def test_starting_again_returns_the_application_the_candidate_already_has(candidate, vacancy):
    first = services.application_start(vacancy=vacancy, candidate=candidate)
    again = services.application_start(vacancy=vacancy, candidate=candidate)
    assert again.pk == first.pk
    assert Application.objects.filter(vacancy=vacancy, candidate=candidate).count() == 1


def test_the_database_refuses_a_second_application_for_the_same_vacancy(candidate, vacancy):
    ApplicationFactory(vacancy=vacancy, candidate=candidate)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(vacancy=vacancy, candidate=candidate)


def test_applying_again_after_submitting_shows_the_sent_application(client_as, candidate, vacancy):
    application = ApplicationFactory(vacancy=vacancy, candidate=candidate)
    client = client_as(candidate)
    for response in (
        client.get(_apply_url(vacancy)),
        client.post(_apply_url(vacancy), _complete(vacancy)),
    ):
        assert response.status_code == 302
        assert response.url == application.get_absolute_url()
    assert Application.objects.filter(candidate=candidate).count() == 1


# --- The closing date -------------------------------------------------------------------


def test_nothing_is_accepted_after_the_closing_date(client_as, candidate, vacancy):
    after_closing = timezone.now() + timezone.timedelta(days=29)
    with time_machine.travel(after_closing):
        client = client_as(candidate)
        response = client.get(_apply_url(vacancy))
        assert response.status_code == 200
        assert "This job has closed" in response.content.decode()
        assert "form" not in response.context

        response = client.post(_apply_url(vacancy), _complete(vacancy, cv=_pdf()))
        assert "This job has closed" in response.content.decode()
        response = client.post(_apply_url(vacancy), {"action": "save"})
        assert "This job has closed" in response.content.decode()

        with pytest.raises(ValidationError, match="Applications are no longer accepted"):
            services.application_start(vacancy=vacancy, candidate=candidate)
    assert not Application.objects.exists()


def test_the_last_day_is_still_open(client_as, candidate, vacancy):
    last_day = timezone.make_aware(
        timezone.datetime.combine(vacancy.closing_date, timezone.datetime.min.time())
    ) + timezone.timedelta(hours=23)
    with time_machine.travel(last_day):
        client_as(candidate).post(_apply_url(vacancy), _complete(vacancy))
    assert Application.objects.get(candidate=candidate).stage == "submitted"


def test_a_draft_cannot_be_saved_or_submitted_once_the_job_has_closed(candidate, vacancy):
    application = services.application_start(vacancy=vacancy, candidate=candidate)
    details = _complete(vacancy)
    answers = {q.pk: "An answer" for q in vacancy.questions.all()}
    with time_machine.travel(timezone.now() + timezone.timedelta(days=29)):
        with pytest.raises(ValidationError, match="This job closed on"):
            services.application_save(application=application, actor=candidate, details=details)
        with pytest.raises(ValidationError, match="This job closed on"):
            services.application_submit(
                application=application, actor=candidate, details=details, answers=answers
            )
    application.refresh_from_db()
    assert application.is_draft
    assert application.supporting_statement == ""


def test_a_vacancy_closed_early_by_its_employer_takes_no_applications(
    client_as, candidate, vacancy
):
    vacancy.status = "closed"
    vacancy.save()
    response = client_as(candidate).post(_apply_url(vacancy), _complete(vacancy))
    assert "This job has closed" in response.content.decode()
    assert not Application.objects.exists()


# --- The CV -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, message",
    [
        (
            "cv.pdf",
            b"<html><script>alert(1)</script></html>",
            "The selected file is not a real PDF file",
        ),
        ("cv.pdf", PDF_BYTES + b"0" * (5 * MB), "The selected file must be smaller than 5.0"),
        ("cv.pdf", b"", "The selected file is empty"),
        ("cv.exe", PDF_BYTES, "The selected file must be a PDF, Word (.docx)"),
    ],
    ids=["wrong content with a pdf name", "oversized", "empty", "wrong extension"],
)
@pytest.mark.parametrize("action", ["submit", "save"])
def test_a_cv_that_is_not_a_real_document_is_refused_and_nothing_is_stored(
    client_as, candidate, vacancy, name, content, message, action
):
    before = _stored_cvs()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client_as(candidate).post(
        _apply_url(vacancy), _complete(vacancy, action=action, cv=upload)
    )
    assert response.status_code == 200
    errors = _errors(response)
    assert len(errors) == 1 and errors[0].startswith(message), errors
    assert 'href="#id_cv"' in response.content.decode()
    assert not Application.objects.exists()
    assert _stored_cvs() == before


def test_the_service_checks_the_cv_too(candidate, vacancy):
    application = services.application_start(vacancy=vacancy, candidate=candidate)
    before = _stored_cvs()
    with pytest.raises(ValidationError) as error:
        services.application_save(
            application=application,
            actor=candidate,
            cv=SimpleUploadedFile("cv.pdf", b"MZ not a pdf"),
        )
    assert "not a real PDF" in error.value.message_dict["cv"][0]
    application.refresh_from_db()
    assert not application.cv
    assert _stored_cvs() == before


@pytest.mark.parametrize(
    "name, content",
    [("cv.pdf", PDF_BYTES), ("cv.docx", docx_bytes()), ("cv.odt", odt_bytes())],
)
def test_pdf_word_and_opendocument_cvs_are_accepted(client_as, candidate, vacancy, name, content):
    upload = SimpleUploadedFile(name, content)
    client_as(candidate).post(_apply_url(vacancy), _complete(vacancy, cv=upload))
    application = Application.objects.get(candidate=candidate)
    assert application.cv_filename == name
    assert application.cv.name.endswith("." + name.rsplit(".", 1)[1])


def test_a_cv_is_stored_privately_under_a_random_name_with_its_name_kept_safe(
    client_as, candidate, vacancy
):
    client_as(candidate).post(
        _apply_url(vacancy), _complete(vacancy, cv=_pdf("../../Zoë's CV (2025).pdf"))
    )
    application = Application.objects.get(candidate=candidate)
    assert re.fullmatch(r"cvs/[0-9a-f]{32}\.pdf", application.cv.name)
    assert application.cv_filename == "Zoe-s-CV-2025.pdf"
    with application.cv.open("rb") as stored:
        assert stored.read() == PDF_BYTES


def test_a_cv_chosen_on_a_form_with_errors_must_be_chosen_again_and_then_works(
    client_as, candidate, vacancy
):
    client = client_as(candidate)
    before = _stored_cvs()
    response = client.post(
        _apply_url(vacancy), _complete(vacancy, supporting_statement="", cv=_pdf())
    )
    assert "Choose your CV again" in response.content.decode()
    assert _errors(response) == ["Enter your supporting statement"]
    assert _stored_cvs() == before

    response = client.post(_apply_url(vacancy), _complete(vacancy, cv=_pdf()))
    assert response.status_code == 302
    application = Application.objects.get(candidate=candidate)
    assert application.stage == "submitted"
    assert application.cv_filename == "My-CV-final.pdf"


def test_a_replaced_cv_is_deleted_once_the_new_one_is_saved(
    candidate, vacancy, django_capture_on_commit_callbacks
):
    application = services.application_start(vacancy=vacancy, candidate=candidate)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_save(
            application=application, actor=candidate, cv=_pdf("old.pdf")
        )
    old_name = application.cv.name
    assert private_storage().exists(old_name)

    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_save(
            application=application,
            actor=candidate,
            cv=SimpleUploadedFile("new.docx", docx_bytes()),
        )
    assert application.cv_filename == "new.docx"
    assert private_storage().exists(application.cv.name)
    assert not private_storage().exists(old_name)


def test_a_cv_is_removed_again_when_the_submission_fails(candidate, vacancy):
    application = services.application_start(vacancy=vacancy, candidate=candidate)
    before = _stored_cvs()
    with pytest.raises(ValidationError):
        services.application_submit(application=application, actor=candidate, cv=_pdf())
    assert _stored_cvs() == before
    application.refresh_from_db()
    assert not application.cv


# --- Monitoring and where they heard of the job --------------------------------------------


def test_equality_monitoring_is_stored_apart_from_the_application(client_as, candidate, vacancy):
    data = _complete(
        vacancy,
        monitoring_age_band="30_39",
        monitoring_ethnic_group="prefer_not_to_say",
        monitoring_disability="no",
    )
    client_as(candidate).post(_apply_url(vacancy), data)
    application = Application.objects.get(candidate=candidate)
    monitoring = EqualityMonitoring.objects.get(application=application)
    assert monitoring.age_band == "30_39"
    assert monitoring.ethnic_group == "prefer_not_to_say"
    assert monitoring.disability == "no"
    assert monitoring.sex == ""
    stored = {f.name: getattr(application, f.name) for f in Application._meta.concrete_fields}
    assert "30_39" not in stored.values()


def test_monitoring_is_optional_and_no_answers_store_nothing(client_as, candidate, vacancy):
    client_as(candidate).post(_apply_url(vacancy), _complete(vacancy))
    assert Application.objects.get(candidate=candidate).stage == "submitted"
    assert not EqualityMonitoring.objects.exists()


def test_a_made_up_monitoring_answer_is_refused(client_as, candidate, vacancy):
    response = client_as(candidate).post(
        _apply_url(vacancy), _complete(vacancy, monitoring_sex="robot")
    )
    assert _errors(response) == ["Select an answer from the list"]
    assert not Application.objects.exists()


def test_arriving_through_a_campaign_link_attributes_the_application_to_the_campaign(
    client_as, candidate, vacancy
):
    client = client_as(candidate)
    session = client.session
    session["talent_campaign_code"] = "ARMLEY-2025"
    session.save()

    response = client.get(_apply_url(vacancy))
    assert response.context["form"].initial["source"] == Application.Source.CAMPAIGN

    client.post(_apply_url(vacancy), _complete(vacancy, source="campaign"))
    application = Application.objects.get(candidate=candidate)
    assert application.source == Application.Source.CAMPAIGN
    assert application.campaign_code == "ARMLEY-2025"


def test_without_a_campaign_link_no_campaign_is_recorded(client_as, candidate, vacancy):
    response = client_as(candidate).get(_apply_url(vacancy))
    assert response.context["form"].initial["source"] == ""
    client_as(candidate).post(_apply_url(vacancy), _complete(vacancy))
    assert Application.objects.get(candidate=candidate).campaign_code == ""


# --- Withdrawing ----------------------------------------------------------------------------


def test_a_withdrawn_application_stays_withdrawn(candidate, vacancy):
    application = ApplicationFactory(vacancy=vacancy, candidate=candidate, stage="screening")
    services.application_withdraw(application=application, actor=candidate, reason="Took a job")
    application.refresh_from_db()
    assert application.stage == "withdrawn"
    change = application.history.get()
    assert (change.from_stage, change.to_stage, change.actor, change.reason) == (
        "screening",
        "withdrawn",
        candidate,
        "Took a job",
    )
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.application_withdraw(application=application, actor=candidate)
    with pytest.raises(ValidationError, match="already sent"):
        services.application_submit(application=application, actor=candidate)
    assert application.history.count() == 1


def test_a_draft_is_deleted_rather_than_withdrawn(candidate, vacancy):
    application = services.application_start(vacancy=vacancy, candidate=candidate)
    with pytest.raises(ValidationError, match="Delete the draft instead"):
        services.application_withdraw(application=application, actor=candidate)
    services.application_draft_delete(application=application, actor=candidate)
    assert not Application.objects.exists()


def test_a_decided_application_cannot_be_withdrawn(candidate, vacancy):
    application = ApplicationFactory(vacancy=vacancy, candidate=candidate, stage="rejected")
    with pytest.raises(ValidationError, match="decided"):
        services.application_withdraw(application=application, actor=candidate)


def test_a_sent_application_cannot_be_deleted(candidate, vacancy):
    application = ApplicationFactory(vacancy=vacancy, candidate=candidate)
    with pytest.raises(ValidationError, match="Withdraw it instead"):
        services.application_draft_delete(application=application, actor=candidate)
    assert ApplicationAnswer.objects.count() == 0
    assert Application.objects.filter(pk=application.pk).exists()
