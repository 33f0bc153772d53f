"""The hiring journey from application to start date, in Chromium, every page checked
with axe: HR shortlist an applicant on the pipeline page and invite them to interview,
publish interview times; the candidate books one from the link in the invitation email
and downloads the calendar file; HR make a conditional offer, record the six
pre-employment checks, make the offer unconditional and record the start date; the
candidate sees each step on their application page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from hub.models import AuditEvent, Membership
from talent.models import Application, InterviewBooking, Offer, PreEmploymentCheck, StageChange
from tests.browser.conftest import (
    assert_accessible,
    click_through,
    sign_in_with_two_factor,
)
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VacancyFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Stage = Application.Stage


def _sign_in_on_the_way(page, user):
    """The candidate followed a link while signed out: sign in, and land where it led."""
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    click_through(page, page.get_by_role("button", name="Sign in"))


def _email_to(address: str, subject: str):
    matching = [m for m in mail.outbox if m.to == [address] and subject in m.subject]
    assert matching, [(m.to, m.subject) for m in mail.outbox]
    return matching[-1]


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[1]


def _move_on_the_pipeline(page, name: str, to_stage: str) -> None:
    page.get_by_role("checkbox", name=f"Select {name}").check()
    page.get_by_label("Move the selected applicants to").select_option(label=to_stage)
    click_through(page, page.get_by_role("button", name="Move applicants"))


def _candidate_sees(candidate_page, application) -> None:
    candidate_page.goto(application.get_absolute_url())
    assert_accessible(candidate_page)


def test_hr_take_an_applicant_from_shortlisting_to_a_start_date_and_the_candidate_follows(
    open_page, tmp_path
):
    trust = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust", slug="lth")
    hr = MembershipFactory(organisation=trust, role=Membership.Role.STAFF).user
    vacancy = VacancyFactory(organisation=trust, title="Healthcare assistant")
    candidate = UserFactory(name="Amira Patel", email="amira@example.org")
    application = ApplicationFactory(
        vacancy=vacancy, candidate=candidate, full_name="Amira Patel", email=candidate.email
    )
    ApplicationFactory(vacancy=vacancy, full_name="Sam Other")
    today = timezone.localdate()
    interview_day = today + timedelta(days=7)

    hr_page = open_page()
    sign_in_with_two_factor(hr_page, hr, PASSWORD)

    # Shortlist on the pipeline page, then invite to interview.
    hr_page.goto(f"/manage/lth/vacancies/{vacancy.pk}/pipeline/")
    assert_accessible(hr_page)
    _move_on_the_pipeline(hr_page, "Amira Patel", "Shortlisted")
    application.refresh_from_db()
    assert application.stage == Stage.SHORTLISTED
    _move_on_the_pipeline(hr_page, "Amira Patel", "Interview")
    application.refresh_from_db()
    assert application.stage == Stage.INTERVIEW

    # Publish an interview time.
    hr_page.goto(f"/manage/lth/vacancies/{vacancy.pk}/interviews/")
    assert_accessible(hr_page)
    click_through(hr_page, hr_page.get_by_role("button", name="Add one interview time"))
    hr_page.get_by_label("Date", exact=True).fill(interview_day.isoformat())
    hr_page.get_by_label("Start time", exact=True).fill("10:00")
    hr_page.get_by_label("End time", exact=True).fill("10:45")
    hr_page.get_by_role("textbox", name=re.compile("Where")).fill(
        "Room 4, Chancellor Wing, St James's University Hospital"
    )
    click_through(hr_page, hr_page.get_by_role("button", name="Add the interview time"))
    expect(hr_page.get_by_text("10am to 10:45am").first).to_be_visible()

    # The candidate follows the link in the invitation, signs in and books the time.
    invitation = _email_to(candidate.email, "Invitation to interview")
    link = re.search(r"https?://\S+/me/applications/[\w-]+/interview/", invitation.body)
    assert link, invitation.body
    candidate_page = open_page(phone=True)
    candidate_page.goto(_path(link.group(0)))
    assert_accessible(candidate_page)
    _sign_in_on_the_way(candidate_page, candidate)
    expect(candidate_page.get_by_role("heading", level=1)).to_contain_text(
        "Choose an interview time"
    )
    candidate_page.get_by_label(re.compile("10am to 10:45am")).check()
    click_through(candidate_page, candidate_page.get_by_role("button", name="Book this time"))
    expect(candidate_page.get_by_role("heading", level=1)).to_contain_text("Your interview")
    assert InterviewBooking.objects.filter(application=application).exists()
    with candidate_page.expect_download() as download:
        candidate_page.get_by_role("link", name=re.compile("Add to calendar")).click()
    ics = tmp_path / "interview.ics"
    download.value.save_as(ics)
    calendar = ics.read_text()
    assert "BEGIN:VCALENDAR" in calendar and "BEGIN:VEVENT" in calendar
    assert "Healthcare assistant" in calendar

    # HR make a conditional offer from the application page.
    hr_page.goto(f"/manage/lth/applications/{application.pk}/")
    assert_accessible(hr_page)
    click_through(hr_page, hr_page.get_by_role("button", name="Make a conditional offer"))
    click_through(hr_page, hr_page.get_by_role("button", name="Make the offer"))
    expect(hr_page.get_by_role("link", name="Enter the terms of the offer")).to_be_visible()
    hr_page.get_by_label("Terms of the offer").fill(
        "Band 3, £24,071 a year, 37.5 hours a week on Ward 12."
    )
    click_through(hr_page, hr_page.get_by_role("button", name="Make the offer"))
    expect(hr_page.get_by_text("You made a conditional offer")).to_be_visible()
    offer_email = _email_to(candidate.email, "A conditional offer")
    assert "What happens next" in offer_email.body

    _candidate_sees(candidate_page, application)
    expect(candidate_page.get_by_role("heading", name="Your job offer")).to_be_visible()
    expect(candidate_page.get_by_text("Not done yet")).to_have_count(6)

    # The six checks, each with its date; registration is not needed for this role.
    outcomes = {
        "Identity": "Satisfactory",
        "Right to work": "Satisfactory",
        "Criminal record (DBS)": "Satisfactory",
        "Professional registration": "Not needed for this role",
        "Employment references": "Satisfactory",
        "Occupational health": "Satisfactory",
    }
    for label, outcome in outcomes.items():
        click_through(hr_page, hr_page.get_by_role("link", name=f"Record the {label} check"))
        if label == "Identity":  # a mistake first: nothing chosen, nothing saved
            click_through(hr_page, hr_page.get_by_role("button", name="Save the check"))
            expect(
                hr_page.get_by_role("link", name="Select the outcome of the check")
            ).to_be_visible()
        hr_page.get_by_label(outcome, exact=True).check()
        hr_page.get_by_label("Date of the check").fill(today.isoformat())
        if label == "Criminal record (DBS)":
            hr_page.get_by_label("Details").fill("Enhanced DBS, certificate 001234567890")
        click_through(hr_page, hr_page.get_by_role("button", name="Save the check"))
        expect(hr_page.get_by_text(f"{label} check recorded")).to_be_visible()
    assert PreEmploymentCheck.objects.filter(application=application).count() == 6
    application.refresh_from_db()
    assert application.stage == Stage.PRE_EMPLOYMENT

    _candidate_sees(candidate_page, application)
    expect(candidate_page.get_by_text("Not done yet")).to_have_count(0)
    expect(candidate_page.get_by_text("Waiting for the checks")).to_be_visible()
    expect(candidate_page.get_by_text("001234567890")).to_have_count(0)

    # Every check done: the offer becomes unconditional.
    click_through(hr_page, hr_page.get_by_role("button", name="Make the offer unconditional"))
    click_through(hr_page, hr_page.get_by_role("button", name="Confirm the offer"))
    expect(hr_page.get_by_text("The offer is unconditional")).to_be_visible()
    _email_to(candidate.email, "Your offer is confirmed")

    _candidate_sees(candidate_page, application)
    expect(candidate_page.get_by_text("Your offer is confirmed")).to_be_visible()
    expect(candidate_page.get_by_text("Not agreed yet")).to_be_visible()

    # The start date: the applicant is hired.
    start = today + timedelta(days=28)
    click_through(hr_page, hr_page.get_by_role("button", name="Record the start date"))
    hr_page.get_by_label("Start date").fill(start.isoformat())
    click_through(hr_page, hr_page.get_by_role("button", name="Save the start date"))
    expect(hr_page.get_by_text(f"starts on {start.day} {start:%B %Y}")).to_be_visible()
    _email_to(candidate.email, "Your start date")

    _candidate_sees(candidate_page, application)
    expect(
        candidate_page.get_by_role("heading", name=f"You start on {start:%A} {start.day}")
    ).to_be_visible()
    expect(candidate_page.locator(".nhsuk-tag").first).to_have_text("Hired")

    application.refresh_from_db()
    assert application.stage == Stage.HIRED
    assert Offer.objects.get(application=application).start_date == start
    assert list(
        StageChange.objects.filter(application=application).values_list("to_stage", flat=True)
    ) == [Stage.SHORTLISTED, Stage.INTERVIEW, Stage.OFFER, Stage.PRE_EMPLOYMENT, Stage.HIRED]
    assert AuditEvent.objects.filter(actor=hr, action__startswith="offer.").count() >= 9

    # And the time-to-hire report counts it.
    hr_page.goto("/manage/lth/time-to-hire/")
    assert_accessible(hr_page)
    expect(hr_page.get_by_role("heading", name="Healthcare assistant")).to_be_visible()
