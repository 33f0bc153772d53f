"""HR staff run a vacancy's pipeline: the page with counts, stage tabs and flags, moving
many applicants at once, the pipeline panel of an application's page (moves, essential
criteria, notes), anonymised shortlisting, and what the candidate reads of their stage."""

import datetime as dt
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hub.models import AuditEvent, Membership
from talent.models import Application, ApplicationNote, FairRoute, StageChange
from talent.services.pipeline import application_move
from tests.documents import PDF_BYTES
from tests.factories import ApplicationFactory, MembershipFactory, UserFactory, VacancyFactory

Stage = Application.Stage


@pytest.fixture
def vacancy(org_a):
    return VacancyFactory(organisation=org_a, title="Healthcare assistant")


@pytest.fixture
def outreach_a(org_a):
    return MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user


def _pipeline(org, vacancy, **params):
    url = reverse("pipeline:vacancy_pipeline", kwargs={"org_slug": org.slug, "pk": vacancy.pk})
    return f"{url}?{'&'.join(f'{k}={v}' for k, v in params.items())}" if params else url


def _application_page(org, application):
    return reverse(
        "vacancies:application_detail",
        kwargs={"org_slug": org.slug, "application_id": application.pk},
    )


def _panel(name, org, application):
    return reverse(
        f"pipeline:{name}", kwargs={"org_slug": org.slug, "application_id": application.pk}
    )


def _errors(response) -> list[str]:
    summary = re.search(
        r'<div class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary on the page"
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


def _membership(user, org):
    return Membership.objects.get(user=user, organisation=org)


# --- The pipeline page -------------------------------------------------------------------


def test_the_page_counts_applicants_by_stage_and_never_shows_drafts(
    client_as, org_a, staff_a, vacancy
):
    ApplicationFactory(vacancy=vacancy, full_name="Sam Submitted")
    ApplicationFactory(vacancy=vacancy, full_name="Sue Screening", stage="screening")
    ApplicationFactory(vacancy=vacancy, full_name="Shaz Screening", stage="screening")
    ApplicationFactory(vacancy=vacancy, full_name="Dan Draft", stage="draft")
    ApplicationFactory(full_name="Olly Otherjob")
    response = client_as(staff_a).get(_pipeline(org_a, vacancy))
    assert response.status_code == 200
    text = response.text
    assert "All applicants (3)" in text
    assert "Screening (2)" in text and "Submitted (1)" in text and "Hired (0)" in text
    assert "Sam Submitted" in text and "Sue Screening" in text
    assert "Dan Draft" not in text and "Olly Otherjob" not in text
    assert AuditEvent.objects.filter(action="application.list_viewed").exists()


def test_a_stage_tab_shows_only_that_stage(client_as, org_a, staff_a, vacancy):
    ApplicationFactory(vacancy=vacancy, full_name="Sam Submitted")
    ApplicationFactory(vacancy=vacancy, full_name="Sue Screening", stage="screening")
    text = client_as(staff_a).get(_pipeline(org_a, vacancy, stage="screening")).text
    assert "Sue Screening" in text and "Sam Submitted" not in text
    assert "Screening (1)" in text


def test_an_unknown_stage_shows_everyone(client_as, org_a, staff_a, vacancy):
    ApplicationFactory(vacancy=vacancy, full_name="Sam Submitted")
    response = client_as(staff_a).get(_pipeline(org_a, vacancy, stage="nonsense"))
    assert response.status_code == 200 and "Sam Submitted" in response.text


def test_each_applicant_links_to_their_application_page(client_as, org_a, staff_a, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    text = client_as(staff_a).get(_pipeline(org_a, vacancy)).text
    assert f'href="{_application_page(org_a, application)}"' in text


def test_guaranteed_interviews_and_likely_duplicates_are_flagged(
    client_as, org_a, staff_a, vacancy
):
    vacancy.guaranteed_interview_routes = [FairRoute.CARE_LEAVER]
    vacancy.save()
    ApplicationFactory(vacancy=vacancy, full_name="Cara Leaver", fair_route="care_leaver")
    ApplicationFactory(vacancy=vacancy, full_name="Dee Twin", duplicate_key="dee twin|0113")
    ApplicationFactory(vacancy=vacancy, full_name="Dee  Twin", duplicate_key="dee twin|0113")
    ApplicationFactory(vacancy=vacancy, full_name="Nobody Special")
    text = client_as(staff_a).get(_pipeline(org_a, vacancy)).text
    assert text.count(">Guaranteed interview</strong>") == 1
    assert text.count(">Likely duplicate</strong>") == 2
    assert "2 applications look like the same person applying twice" in text


def test_time_to_hire_is_marked_on_track_due_or_overdue(
    client_as, org_a, staff_a, vacancy, time_machine
):
    now = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    time_machine.move_to(now, tick=False)
    vacancy.closing_date = now.date()
    vacancy.save()
    ApplicationFactory(vacancy=vacancy, stage="submitted", stage_changed_at=now)
    ApplicationFactory(vacancy=vacancy, stage="screening", stage_changed_at=now - dt.timedelta(4))
    ApplicationFactory(
        vacancy=vacancy, stage="submitted", stage_changed_at=now - dt.timedelta(days=10)
    )
    ApplicationFactory(vacancy=vacancy, stage="rejected", rejection_reason="other")
    text = client_as(staff_a).get(_pipeline(org_a, vacancy)).text
    assert text.count(">On track</strong>") == 1
    assert text.count(">Due</strong>") == 1
    assert text.count(">Overdue</strong>") == 1
    assert "Not timed" in text


def test_the_page_runs_a_fixed_number_of_queries(
    client_as, org_a, staff_a, vacancy, django_assert_max_num_queries
):
    client = client_as(staff_a)
    vacancy.guaranteed_interview_routes = [FairRoute.ARMED_FORCES]
    vacancy.anonymised_shortlisting = True
    vacancy.save()
    for _ in range(2):
        ApplicationFactory(vacancy=vacancy)
    client.get(_pipeline(org_a, vacancy))  # the session settles
    with CaptureQueriesContext(connection) as few:
        assert client.get(_pipeline(org_a, vacancy)).status_code == 200
    stages = ["submitted", "screening", "shortlisted", "interview", "rejected"]
    for n in range(28):
        application = ApplicationFactory(
            vacancy=vacancy,
            stage=stages[n % len(stages)],
            fair_route="armed_forces" if n % 3 == 0 else "",
            duplicate_key="twin|0113" if n % 4 == 0 else "",
        )
        StageChange.objects.create(application=application, to_stage=application.stage)
        ApplicationNote.objects.create(application=application, text="A note")
    with django_assert_max_num_queries(len(few)):
        response = client.get(_pipeline(org_a, vacancy))
    assert "All applicants (30)" in response.text


def test_outreach_workers_cannot_see_the_pipeline(client_as, org_a, outreach_a, vacancy):
    assert client_as(outreach_a).get(_pipeline(org_a, vacancy)).status_code == 403


def test_another_organisation_gets_404_even_through_its_own_address(
    client_as, org_a, org_b, member_b, vacancy
):
    client = client_as(member_b)
    assert client.get(_pipeline(org_a, vacancy)).status_code == 404
    assert client.get(_pipeline(org_b, vacancy)).status_code == 404


# --- Moving many at once -------------------------------------------------------------------


def test_staff_move_the_selected_applicants_together(
    client_as, org_a, staff_a, vacancy, django_capture_on_commit_callbacks, mailoutbox
):
    first, second = ApplicationFactory(vacancy=vacancy), ApplicationFactory(vacancy=vacancy)
    untouched = ApplicationFactory(vacancy=vacancy)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(staff_a).post(
            _pipeline(org_a, vacancy, stage="submitted"),
            {"applications": [first.pk, second.pk], "to_stage": "shortlisted"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == _pipeline(org_a, vacancy, stage="submitted")
    assert "2 applicants moved to Shortlisted." in response.text
    stages = dict(Application.objects.values_list("pk", "stage"))
    assert stages == {first.pk: "shortlisted", second.pk: "shortlisted", untouched.pk: "submitted"}
    assert StageChange.objects.filter(actor=staff_a, to_stage="shortlisted").count() == 2
    assert len(mailoutbox) == 2


def test_a_bulk_rejection_needs_a_reason(client_as, org_a, staff_a, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    response = client_as(staff_a).post(
        _pipeline(org_a, vacancy), {"applications": [application.pk], "to_stage": "rejected"}
    )
    assert response.status_code == 200
    assert _errors(response) == ["Select why the application was unsuccessful"]
    application.refresh_from_db()
    assert application.stage == "submitted"


def test_a_bulk_move_that_fails_for_one_moves_nobody_and_says_who(
    client_as, org_a, staff_a, vacancy
):
    fine = ApplicationFactory(vacancy=vacancy, full_name="Fine Applicant")
    gone = ApplicationFactory(vacancy=vacancy, full_name="Gone Applicant", stage="withdrawn")
    response = client_as(staff_a).post(
        _pipeline(org_a, vacancy),
        {"applications": [fine.pk, gone.pk], "to_stage": "screening"},
    )
    assert response.status_code == 200
    assert _errors(response) == ["Gone Applicant: You cannot move an application from Withdrawn."]
    fine.refresh_from_db()
    assert fine.stage == "submitted"
    assert not StageChange.objects.exists()
    # The ticks are kept, so the recruiter can untick the one that cannot move.
    assert response.text.count(" checked") == 2


def test_moving_nobody_or_somebody_elses_applicant_is_refused(client_as, org_a, staff_a, vacancy):
    client = client_as(staff_a)
    response = client.post(_pipeline(org_a, vacancy), {"to_stage": "screening"})
    assert _errors(response) == ["Select at least one applicant"]
    elsewhere = ApplicationFactory(full_name="Other Vacancy")
    response = client.post(
        _pipeline(org_a, vacancy), {"applications": [elsewhere.pk], "to_stage": "screening"}
    )
    assert _errors(response) == ["Select applicants from the list"]
    elsewhere.refresh_from_db()
    assert elsewhere.stage == "submitted"


def test_offers_and_hiring_are_not_bulk_moves(client_as, org_a, staff_a, vacancy):
    application = ApplicationFactory(vacancy=vacancy, stage="interview")
    response = client_as(staff_a).post(
        _pipeline(org_a, vacancy), {"applications": [application.pk], "to_stage": "offer"}
    )
    assert _errors(response) == ["Choose a stage from the list"]


def test_another_organisation_cannot_move_applicants(client_as, org_a, member_b, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    response = client_as(member_b).post(
        _pipeline(org_a, vacancy), {"applications": [application.pk], "to_stage": "screening"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.stage == "submitted"


# --- The panel on the application's page -----------------------------------------------------


def _offered_moves(text: str) -> list[str]:
    return re.findall(r'name="move-to_stage" value="([a-z_]+)"', text)


def test_the_panel_offers_only_the_legal_moves_made_here(client_as, org_a, staff_a, vacancy):
    client = client_as(staff_a)
    submitted = ApplicationFactory(vacancy=vacancy)
    assert _offered_moves(client.get(_application_page(org_a, submitted)).text) == [
        "screening",
        "shortlisted",
        "interview",
        "rejected",
        "withdrawn",
    ]
    interview = ApplicationFactory(vacancy=vacancy, stage="interview")
    assert _offered_moves(client.get(_application_page(org_a, interview)).text) == [
        "rejected",
        "withdrawn",
    ]
    withdrawn = ApplicationFactory(vacancy=vacancy, stage="withdrawn")
    text = client.get(_application_page(org_a, withdrawn)).text
    assert _offered_moves(text) == []
    assert "This application is withdrawn, so it cannot move any further." in text


def test_staff_move_one_application_from_its_page(client_as, org_a, staff_a, vacancy):
    application = ApplicationFactory(vacancy=vacancy, full_name="Sam Moved")
    response = client_as(staff_a).post(
        _panel("application_move", org_a, application),
        {"move-to_stage": "screening", "move-reason": "Looks promising"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _application_page(org_a, application)
    assert "Sam Moved moved to Screening." in response.text
    change = StageChange.objects.get(application=application)
    assert (change.to_stage, change.actor, change.reason) == (
        "screening",
        staff_a,
        "Looks promising",
    )


def test_a_refused_move_shows_why_on_the_page(client_as, org_a, staff_a, vacancy):
    vacancy.guaranteed_interview_routes = [FairRoute.REDEPLOYMENT]
    vacancy.save()
    application = ApplicationFactory(vacancy=vacancy, fair_route="redeployment")
    client = client_as(staff_a)
    response = client.post(
        _panel("application_move", org_a, application), {"move-to_stage": "rejected"}
    )
    assert response.status_code == 200
    assert _errors(response) == ["Select why the application was unsuccessful"]
    response = client.post(
        _panel("application_move", org_a, application),
        {"move-to_stage": "rejected", "move-rejection_reason": "not_essential"},
    )
    assert response.status_code == 200
    [error] = _errors(response)
    assert "guaranteed an interview" in error and "Only an admin" in error
    application.refresh_from_db()
    assert application.stage == "submitted"


def test_an_admin_rejects_a_guaranteed_applicant_with_a_reason(client_as, org_a, admin_a, vacancy):
    vacancy.guaranteed_interview_routes = [FairRoute.REDEPLOYMENT]
    vacancy.save()
    application = ApplicationFactory(vacancy=vacancy, fair_route="redeployment")
    client = client_as(admin_a)
    url = _panel("application_move", org_a, application)
    data = {"move-to_stage": "rejected", "move-rejection_reason": "other"}
    response = client.post(url, data)
    assert _errors(response) == [
        "Enter why you are rejecting an applicant who is guaranteed an interview"
    ]
    response = client.post(url, {**data, "move-reason": "Accepted another post"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.stage == "rejected"


def test_a_stage_the_panel_does_not_offer_is_refused(client_as, org_a, staff_a, vacancy):
    application = ApplicationFactory(vacancy=vacancy, stage="pre_employment")
    response = client_as(staff_a).post(
        _panel("application_move", org_a, application), {"move-to_stage": "hired"}
    )
    assert _errors(response) == ["Choose a stage from the list"]


def test_the_panel_shows_the_flags(client_as, org_a, staff_a, vacancy):
    vacancy.guaranteed_interview_routes = [FairRoute.CARE_LEAVER]
    vacancy.save()
    application = ApplicationFactory(
        vacancy=vacancy, fair_route="care_leaver", duplicate_key="sam|0113"
    )
    ApplicationFactory(vacancy=vacancy, duplicate_key="sam|0113")
    text = client_as(staff_a).get(_application_page(org_a, application)).text
    assert ">Guaranteed interview</strong>" in text
    assert ">Likely duplicate</strong>" in text
    assert "Care leaver" in text


def test_recruiters_record_whether_the_essential_criteria_are_met(
    client_as, org_a, staff_a, vacancy
):
    application = ApplicationFactory(vacancy=vacancy)
    client = client_as(staff_a)
    response = client.post(
        _panel("application_criteria", org_a, application), {"criteria-meets": "no"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.meets_essential_criteria is False
    client.post(_panel("application_criteria", org_a, application), {"criteria-meets": "unknown"})
    application.refresh_from_db()
    assert application.meets_essential_criteria is None
    response = client.post(_panel("application_criteria", org_a, application), {})
    assert _errors(response) == ["Select whether the applicant meets the essential criteria"]


def test_notes_are_added_and_listed_with_author_and_time(
    client_as, org_a, staff_a, vacancy, time_machine
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC), tick=False)
    staff_a.name = "Nina Notetaker"
    staff_a.save()
    application = ApplicationFactory(vacancy=vacancy)
    client = client_as(staff_a)
    response = client.post(
        _panel("application_note_add", org_a, application),
        {"note-text": "Phoned: available from April"},
        follow=True,
    )
    assert "Phoned: available from April" in response.text
    assert "Nina Notetaker, 2 March 2026 at 09:15" in response.text
    response = client.post(_panel("application_note_add", org_a, application), {"note-text": " "})
    assert _errors(response) == ["Enter a note"]
    assert ApplicationNote.objects.count() == 1


def test_notes_are_never_shown_to_the_candidate(client_as, vacancy, org_a, staff_a):
    application = ApplicationFactory(vacancy=vacancy)
    ApplicationNote.objects.create(application=application, author=staff_a, text="Secret note")
    response = client_as(application.candidate).get(application.get_absolute_url())
    assert response.status_code == 200 and "Secret note" not in response.text


@pytest.mark.parametrize(
    "name",
    ["application_move", "application_criteria", "application_note_add"],
)
def test_another_organisation_gets_404_on_the_panels_forms(
    name, client_as, org_a, org_b, member_b, vacancy
):
    application = ApplicationFactory(vacancy=vacancy)
    client = client_as(member_b)
    data = {"move-to_stage": "screening", "criteria-meets": "no", "note-text": "Hi"}
    assert client.post(_panel(name, org_a, application), data).status_code == 404
    assert client.post(_panel(name, org_b, application), data).status_code == 404
    application.refresh_from_db()
    assert application.stage == "submitted" and application.meets_essential_criteria is None
    assert not ApplicationNote.objects.exists()


# --- Anonymised shortlisting ---------------------------------------------------------------


@pytest.fixture
def anonymised(vacancy):
    vacancy.anonymised_shortlisting = True
    vacancy.save()
    application = ApplicationFactory(
        vacancy=vacancy,
        full_name="Amira Khan",
        email="amira@example.org",
        phone="07700 900123",
        address="1 Armley Road",
        postcode="LS12 2AA",
        cv_filename="Amira Khan CV.pdf",
    )
    application.cv.save("cvs/anon.pdf", ContentFile(PDF_BYTES), save=True)
    return application


PERSONAL = ("Amira Khan", "amira@example.org", "07700 900123", "1 Armley Road", "LS12 2AA")


def _reference(application):
    return f"Applicant {application.pk.hex[:8].upper()}"


def test_anonymised_applicants_are_shown_by_reference_until_shortlisted(
    client_as, org_a, staff_a, vacancy, anonymised
):
    client = client_as(staff_a)
    for url in (
        _pipeline(org_a, vacancy),
        _application_page(org_a, anonymised),
        reverse(
            "vacancies:vacancy_applications", kwargs={"org_slug": org_a.slug, "pk": vacancy.pk}
        ),
    ):
        text = client.get(url).text
        assert _reference(anonymised) in text, url
        for detail in PERSONAL:
            assert detail not in text, (url, detail)
    page = client.get(_application_page(org_a, anonymised)).text
    assert "Download the CV" not in page
    assert "Hidden until shortlisted" in page

    application_move(
        application=anonymised,
        to_stage="shortlisted",
        actor=staff_a,
        membership=_membership(staff_a, org_a),
    )
    for url in (_pipeline(org_a, vacancy), _application_page(org_a, anonymised)):
        text = client.get(url).text
        assert "Amira Khan" in text, url
        assert _reference(anonymised) not in text
    page = client.get(_application_page(org_a, anonymised)).text
    for detail in PERSONAL:
        assert detail in page
    assert "Download the CV" in page


def test_a_rejection_before_shortlisting_stays_anonymous_and_one_after_does_not(
    client_as, org_a, staff_a, vacancy, anonymised
):
    membership = _membership(staff_a, org_a)
    later = ApplicationFactory(vacancy=vacancy, full_name="Bilal Later")
    application_move(
        application=anonymised,
        to_stage="rejected",
        actor=staff_a,
        membership=membership,
        rejection_reason="not_essential",
    )
    application_move(
        application=later, to_stage="shortlisted", actor=staff_a, membership=membership
    )
    application_move(
        application=later,
        to_stage="rejected",
        actor=staff_a,
        membership=membership,
        rejection_reason="others_stronger",
    )
    text = client_as(staff_a).get(_pipeline(org_a, vacancy)).text
    assert "Amira Khan" not in text and _reference(anonymised) in text
    assert "Bilal Later" in text


def test_the_audit_log_of_a_move_does_not_name_an_anonymised_applicant(org_a, staff_a, anonymised):
    application_move(
        application=anonymised,
        to_stage="screening",
        actor=staff_a,
        membership=_membership(staff_a, org_a),
    )
    audit = AuditEvent.objects.get(action="application.moved")
    assert "Amira" not in audit.summary and _reference(anonymised) in audit.summary


# --- What the candidate reads --------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "words"),
    [
        ("submitted", "We have your application"),
        ("screening", "Your application is being reviewed"),
        ("shortlisted", "You have been shortlisted"),
        ("interview", "You are invited to an interview"),
        ("offer", "You have been offered the job"),
        ("pre_employment", "Your pre-employment checks are under way"),
        ("hired", "You have the job"),
        ("withdrawn", "This application was withdrawn"),
    ],
)
def test_the_candidate_reads_their_stage_in_plain_words(client_as, vacancy, stage, words):
    application = ApplicationFactory(vacancy=vacancy, stage=stage)
    text = client_as(application.candidate).get(application.get_absolute_url()).text
    assert words in text


def test_an_unsuccessful_candidate_reads_the_reason(client_as, vacancy):
    application = ApplicationFactory(
        vacancy=vacancy, stage="rejected", rejection_reason="others_stronger"
    )
    text = client_as(application.candidate).get(application.get_absolute_url()).text
    assert "Your application was not successful this time" in text
    assert "The reason given: Other applicants met the criteria better." in text


def test_the_vacancy_page_links_to_the_pipeline(client_as, org_a, staff_a, vacancy):
    ApplicationFactory(vacancy=vacancy)
    url = reverse("vacancies:vacancy_detail", kwargs={"org_slug": org_a.slug, "pk": vacancy.pk})
    assert f'href="{_pipeline(org_a, vacancy)}"' in client_as(staff_a).get(url).text


def test_a_candidate_of_another_vacancy_cannot_see_the_pipeline(client_as, org_a, vacancy):
    outsider = UserFactory()
    response = client_as(outsider).get(_pipeline(org_a, vacancy))
    assert response.status_code == 404
