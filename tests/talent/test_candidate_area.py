"""The candidate's own area: their applications with their history, their CVs, their
profile and job alerts. Everything is theirs alone: another candidate gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talent.models import Application, CandidateProfile, SavedSearch, StageChange
from talent.services import applications as services
from tests.documents import PDF_BYTES
from tests.factories import (
    ApplicationFactory,
    SavedSearchFactory,
    UserFactory,
    VacancyFactory,
)


@pytest.fixture
def application(candidate, org_a):
    vacancy = VacancyFactory(organisation=org_a, title="Ward Clerk")
    return ApplicationFactory(vacancy=vacancy, candidate=candidate, full_name="Amira Patel")


@pytest.fixture
def application_with_cv(candidate, org_a):
    vacancy = VacancyFactory(organisation=org_a, title="Porter")
    draft = services.application_start(vacancy=vacancy, candidate=candidate)
    return services.application_save(
        application=draft,
        actor=candidate,
        cv=SimpleUploadedFile("Amira's CV.pdf", PDF_BYTES),
    )


def _url(name, application):
    return reverse(f"candidate:{name}", kwargs={"application_id": application.pk})


# --- Only their own ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, method",
    [
        ("application", "get"),
        ("application_cv", "get"),
        ("application_withdraw", "get"),
        ("application_withdraw", "post"),
        ("application_delete", "get"),
        ("application_delete", "post"),
    ],
)
def test_another_candidate_gets_404_for_an_application_that_is_not_theirs(
    client_as, application_with_cv, name, method
):
    response = getattr(client_as(UserFactory()), method)(_url(name, application_with_cv))
    assert response.status_code == 404
    assert Application.objects.filter(pk=application_with_cv.pk, stage="draft").exists()


@pytest.mark.parametrize(
    "url",
    ["candidate:applications", "candidate:profile", "candidate:alerts"],
)
def test_the_candidate_area_asks_visitors_to_sign_in(client, url):
    response = client.get(reverse(url))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_visitor_cannot_download_a_cv(client, application_with_cv):
    response = client.get(_url("application_cv", application_with_cv))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_list_shows_only_the_candidates_own_applications(client_as, candidate, application):
    someone_else = ApplicationFactory(vacancy__title="Someone else's job")
    response = client_as(candidate).get(reverse("candidate:applications"))
    page = response.content.decode()
    assert "Ward Clerk" in page
    assert someone_else.vacancy.title not in page


def test_partner_staff_cannot_see_a_candidates_application_in_the_candidate_area(
    client_as, admin_a, application
):
    assert client_as(admin_a).get(_url("application", application)).status_code == 404


# --- The list -------------------------------------------------------------------------------


def test_each_application_shows_its_job_organisation_stage_in_words_and_date(
    client_as, candidate, application, org_a
):
    application.stage = "interview"
    application.save()
    draft = ApplicationFactory(
        candidate=candidate, stage="draft", vacancy__organisation=org_a, vacancy__title="Porter"
    )
    response = client_as(candidate).get(reverse("candidate:applications"))
    page = response.content.decode()
    assert "Ward Clerk" in page and org_a.name in page
    assert "Invited to interview" in page
    assert f"Sent on {application.submitted_at:%-d %B %Y}" in page
    assert "Draft: not sent" in page
    assert reverse("candidate:apply", kwargs={"pk": draft.vacancy.pk}) in page
    assert "Continue" in page
    # Drafts come first.
    assert page.index("Porter") < page.index("Ward Clerk")


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("candidate:applications"))
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_for_2_or_15_applications(
    client_as, candidate, django_assert_max_num_queries
):
    client = client_as(candidate)
    client.get(reverse("candidate:applications"))  # the first page view renews the session
    for _ in range(2):
        ApplicationFactory(candidate=candidate)
    with_two = _queries_for_list(client)
    for index in range(13):
        ApplicationFactory(candidate=candidate, stage="draft" if index % 3 == 0 else "screening")
    with_fifteen = _queries_for_list(client)
    assert with_two == with_fifteen
    with django_assert_max_num_queries(with_two):
        response = client.get(reverse("candidate:applications"))
    assert response.content.decode().count('class="nhsuk-card"') == 15


# --- One application ------------------------------------------------------------------------


def test_an_application_shows_what_was_sent_and_its_history(client_as, candidate, application):
    StageChange.objects.create(
        application=application, from_stage="draft", to_stage="submitted", actor=candidate
    )
    StageChange.objects.create(
        application=application, from_stage="submitted", to_stage="screening"
    )
    application.stage = "screening"
    application.save()
    response = client_as(candidate).get(_url("application", application))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Amira Patel" in page
    assert application.supporting_statement in page
    assert "Received" in page and "Being reviewed" in page
    assert page.index("Received") < page.index("Being reviewed", page.index("What has happened"))
    assert _url("application_withdraw", application) in page


def test_the_candidate_downloads_their_own_cv_as_an_attachment_that_is_never_cached(
    client_as, candidate, application_with_cv
):
    response = client_as(candidate).get(_url("application_cv", application_with_cv))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Amira-s-CV.pdf"'
    assert "no-store" in response["Cache-Control"]


def test_an_application_without_a_cv_has_nothing_to_download(client_as, candidate, application):
    assert client_as(candidate).get(_url("application_cv", application)).status_code == 404


# --- Withdrawing and deleting ------------------------------------------------------------------


def test_withdrawing_asks_first_then_withdraws_and_nothing_moves_after(
    client_as, candidate, application
):
    client = client_as(candidate)
    response = client.get(_url("application_withdraw", application))
    assert "Are you sure you want to withdraw your application?" in response.content.decode()
    application.refresh_from_db()
    assert application.stage == "submitted"

    response = client.post(_url("application_withdraw", application), {"reason": "Found a job"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == "withdrawn"
    change = application.history.get()
    assert (change.to_stage, change.actor, change.reason) == ("withdrawn", candidate, "Found a job")

    page = client.get(_url("application", application)).content.decode()
    assert "You have withdrawn your application for Ward Clerk." in page
    assert _url("application_withdraw", application) not in page

    response = client.post(_url("application_withdraw", application))
    assert response.status_code == 302
    assert application.history.count() == 1


def test_a_draft_can_be_deleted_with_its_cv(
    client_as, candidate, application_with_cv, django_capture_on_commit_callbacks
):
    client = client_as(candidate)
    stored = application_with_cv.cv.name
    response = client.get(_url("application_delete", application_with_cv))
    assert "Are you sure you want to delete this draft?" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("application_delete", application_with_cv))
    assert response.url == reverse("candidate:applications")
    assert not Application.objects.filter(pk=application_with_cv.pk).exists()
    assert not application_with_cv.cv.storage.exists(stored)


def test_a_sent_application_is_not_deleted(client_as, candidate, application):
    client_as(candidate).post(_url("application_delete", application))
    assert Application.objects.filter(pk=application.pk).exists()


# --- Profile ----------------------------------------------------------------------------------


def test_the_profile_is_shown_and_saved(client_as, candidate):
    client = client_as(candidate)
    response = client.get(reverse("candidate:profile"))
    assert response.status_code == 200
    assert f'value="{candidate.name}"' in response.content.decode()

    response = client.post(
        reverse("candidate:profile"),
        {
            "full_name": "Amira Patel",
            "phone": "0113 496 0002",
            "address": "2 Town Street",
            "postcode": "ls12 3ab",
            "right_to_work": "needs_sponsorship",
        },
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.name == "Amira Patel"
    profile = CandidateProfile.objects.get(user=candidate)
    assert (profile.phone, profile.address, profile.postcode, profile.right_to_work) == (
        "0113 496 0002",
        "2 Town Street",
        "LS12 3AB",
        "needs_sponsorship",
    )


def test_a_profile_with_mistakes_is_not_saved(client_as, candidate):
    response = client_as(candidate).post(
        reverse("candidate:profile"), {"full_name": "", "postcode": "LS"}
    )
    page = response.content.decode()
    assert "Enter your full name" in page
    assert "Enter a full UK postcode, like LS1 3EX" in page
    assert not CandidateProfile.objects.filter(user=candidate).exists()


# --- Job alerts -------------------------------------------------------------------------------


def test_the_alerts_page_lists_the_candidates_saved_searches(client_as, candidate):
    SavedSearchFactory(user=candidate, name="Nurse jobs", query="q=nurse", frequency="weekly")
    SavedSearchFactory(name="Someone else's alert")
    page = client_as(candidate).get(reverse("candidate:alerts")).content.decode()
    assert "Nurse jobs" in page
    assert "Once a week" in page
    assert "/jobs/?q=nurse" in page
    assert "Someone else" not in page


def test_a_candidate_deletes_their_alert_but_not_anyone_elses(client_as, candidate):
    mine = SavedSearchFactory(user=candidate)
    theirs = SavedSearchFactory()
    client = client_as(candidate)
    url = reverse("candidate:alert_delete", kwargs={"saved_search_id": theirs.pk})
    assert client.post(url).status_code == 404
    url = reverse("candidate:alert_delete", kwargs={"saved_search_id": mine.pk})
    assert client.post(url).status_code == 302
    assert list(SavedSearch.objects.all()) == [theirs]
