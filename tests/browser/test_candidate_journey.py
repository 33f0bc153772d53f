"""A candidate on a phone finds a job, applies with a CV, saves a job alert and follows the
application in their own area. Every page is checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from talent.models import Application, EqualityMonitoring, SavedSearch
from tests.browser.conftest import assert_accessible, click_through
from tests.documents import PDF_BYTES
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    ScreeningQuestionFactory,
    UserFactory,
    VacancyFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}


def test_a_candidate_on_a_phone_searches_applies_with_a_cv_and_saves_a_job_alert(
    open_page, tmp_path
):
    trust = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust", slug="lth")
    nights = VacancyFactory(
        organisation=trust,
        title="Healthcare Assistant",
        slug="healthcare-assistant",
        working_patterns=["nights"],
    )
    ScreeningQuestionFactory(vacancy=nights, text="Why do you want to work in health and care?")
    VacancyFactory(
        organisation=trust,
        title="Healthcare Assistant Days",
        slug="healthcare-assistant-days",
        working_patterns=["full_time"],
    )
    candidate = UserFactory(name="Amira Patel")
    cv = tmp_path / "Amira Patel CV.pdf"
    cv.write_bytes(PDF_BYTES)

    page = open_page(phone=True)
    page.set_viewport_size(SMALL_PHONE)

    # Search, then narrow the results with a filter.
    page.goto("/jobs/")
    assert_accessible(page)
    page.get_by_label("Job title, skill or keyword").fill("healthcare assistant")
    click_through(page, page.get_by_role("button", name="Search", exact=True))
    results = page.locator("#job-results")
    expect(results.get_by_role("link", name="Healthcare Assistant Days")).to_be_visible()

    page.get_by_text("Filter jobs").click()
    page.get_by_label("Nights").check()
    if not page.get_by_role("button", name="Apply filters").is_hidden():
        # Without the in-place update (or before it lands), the button sends the form.
        with page.expect_navigation():
            page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"pattern=nights"))
    expect(results.get_by_role("link", name="Healthcare Assistant Days")).to_have_count(0)
    assert_accessible(page)

    # The job, then applying: signing in first brings the candidate back to the form.
    click_through(page, results.get_by_role("link", name="Healthcare Assistant", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Healthcare Assistant")
    click_through(page, page.get_by_role("button", name="Apply for this job").first)
    page.get_by_label("Email").fill(candidate.email)
    page.get_by_label("Password").fill(PASSWORD)
    click_through(page, page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Apply for Healthcare Assistant")
    expect(page.get_by_label("Full name")).to_have_value("Amira Patel")

    page.get_by_label("Phone number").fill("07700 900982")
    page.get_by_label("Postcode").fill("ls12 3ab")
    page.get_by_label("Yes, I have the right to work in the UK").check()
    page.get_by_label("Why do you want to work in health and care?").fill(
        "I looked after my grandmother and want to care for others."
    )
    page.locator("input[type=file][name=cv]").set_input_files(str(cv))
    page.get_by_role("group", name="What is your age?").get_by_label("Prefer not to say").check()

    # A mistake first: the statement is missing. The errors are listed, nothing is sent,
    # and the page asks for the CV again because browsers drop a chosen file.
    click_through(page, page.get_by_role("button", name="Submit application"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter your supporting statement")
    expect(page.get_by_text("Choose your CV again")).to_be_visible()
    assert not Application.objects.exists()

    page.get_by_label("Supporting statement").fill(
        "Three years caring for my grandmother taught me patience and kindness."
    )
    page.locator("input[type=file][name=cv]").set_input_files(str(cv))
    click_through(page, page.get_by_role("button", name="Submit application"))
    expect(page.get_by_text("Your application for Healthcare Assistant was sent")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Download Amira-Patel-CV.pdf"))).to_be_visible()

    application = Application.objects.get(candidate=candidate)
    assert application.stage == Application.Stage.SUBMITTED
    assert application.vacancy == nights
    assert application.cv_filename == "Amira-Patel-CV.pdf"
    assert application.postcode == "LS12 3AB"
    assert EqualityMonitoring.objects.get(application=application).age_band == "prefer_not_to_say"

    # Back to the search, to keep it as a job alert.
    page.goto("/jobs/?q=healthcare+assistant&pattern=nights")
    assert_accessible(page)
    click_through(page, page.get_by_role("button", name="Create a job alert for this search"))
    expect(page.get_by_text("Job alert saved")).to_be_visible()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("Healthcare assistant jobs"))
    ).to_be_visible()
    saved = SavedSearch.objects.get(user=candidate)
    assert saved.query == "q=healthcare+assistant&pattern=nights"

    # And the application is in their area.
    click_through(page, page.get_by_role("link", name="Your applications"))
    card = page.locator(".nhsuk-card", has_text="Healthcare Assistant")
    expect(card).to_contain_text("Leeds Teaching Hospitals NHS Trust")
    expect(card).to_contain_text("Received")
    click_through(page, card.get_by_role("link", name="Healthcare Assistant"))
    expect(page.get_by_text("What has happened")).to_be_visible()
    expect(page.get_by_role("button", name="Withdraw application")).to_be_visible()
