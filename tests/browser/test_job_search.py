"""The job search in Chromium: filters apply in place with the page's script (results,
counts, address bar, Back), errors fall back to the full page, and every page is axe
clean on a phone and on a desktop."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, click_through
from tests.factories import OrganisationFactory, VacancyFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The shared factory's text mentions nurses; these jobs say only what their titles say.
PLAIN = {
    "summary": "A job in health and care.",
    "description": "Details.",
    "essential_criteria": "",
}


@pytest.fixture
def jobs():
    trust = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust", slug="lth")
    council = OrganisationFactory(name="Leeds City Council", slug="council", kind="local_authority")
    VacancyFactory(
        organisation=trust, title="Staff nurse", band="5", trial_shift_available=True, **PLAIN
    )
    VacancyFactory(organisation=trust, title="Porter", band="2", entry_level=True, **PLAIN)
    VacancyFactory(
        **PLAIN,
        organisation=council,
        title="Care assistant",
        band="",
        pay_scale="Council grade C",
        contract_type="bank",
        working_patterns=["nights", "weekends"],
        disability_confident=True,
    )


def test_on_a_phone_a_filter_updates_the_results_in_place_and_back_undoes_it(open_page, jobs):
    page = open_page(phone=True)
    page.goto("/jobs/")
    assert_accessible(page)
    results = page.locator("#job-results")
    expect(page.locator("#job-results-heading")).to_contain_text("3 jobs found")
    # With the script, changes apply by themselves.
    expect(page.get_by_role("button", name="Apply filters")).to_be_hidden()

    page.get_by_text("Filter jobs").click()
    page.get_by_role("checkbox", name=re.compile(r"^Band 5 ")).check()

    page.wait_for_url(re.compile(r"/jobs/\?band=5$"))
    expect(page.locator("#job-results-heading")).to_contain_text("1 job found")
    expect(page.locator("#job-search-status")).to_have_text("1 job found")
    expect(results.get_by_role("link", name="Staff nurse")).to_be_visible()
    expect(results.get_by_role("link", name="Porter")).to_have_count(0)
    # Counts in other fieldsets follow; the band's own options still count every band.
    expect(page.locator("#id_trial_shift-count")).to_have_text("1")
    expect(page.locator("#id_entry_level-count")).to_have_text("0")
    expect(page.locator("#id_band_1-count")).to_have_text("1")
    # The alert form keeps the new search.
    expect(page.locator('#job-search-alert input[name="query"]')).to_have_value("band=5")
    assert_accessible(page)

    page.go_back()
    page.wait_for_url(re.compile(r"/jobs/$"))
    expect(page.locator("#job-results-heading")).to_contain_text("3 jobs found")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Band 5 "))).not_to_be_checked()

    # Keywords typed but not yet sent go with the next filter, and bring their order.
    expect(page.locator("#id_sort option:checked")).to_have_text("Newest")
    page.get_by_label("Job title, skill or keyword").fill("nurse")
    page.get_by_role("checkbox", name=re.compile(r"^Band 5 ")).check()
    page.wait_for_url(re.compile(r"/jobs/\?q=nurse&band=5$"))
    expect(page.locator("#id_sort option:checked")).to_have_text("Most relevant")
    expect(page.locator("#job-results-heading")).to_contain_text("1 job found for ‘nurse’")


def test_keywords_load_a_new_page_and_a_bad_value_shows_the_error_summary(open_page, jobs):
    page = open_page()
    page.goto("/jobs/")
    assert_accessible(page)

    page.get_by_label("Job title, skill or keyword").fill("nurse")
    click_through(page, page.get_by_role("button", name="Search", exact=True))
    assert page.url.endswith("/jobs/?q=nurse")
    expect(page.locator("#job-results-heading")).to_contain_text("1 job found for ‘nurse’")

    page.get_by_label("Maximum hours a week").fill("lots")
    with page.expect_navigation():
        page.get_by_label("Maximum hours a week").press("Enter")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Enter maximum hours as a number, like 20")
    ).to_be_visible()
    assert_accessible(page)


def test_a_vacancy_page_and_a_closed_one_are_accessible(open_page, jobs):
    closed = VacancyFactory(title="Closed job", status="closed")
    page = open_page(phone=True)
    page.goto("/jobs/?q=nurse")
    assert_accessible(page)
    click_through(page, page.get_by_role("link", name="Staff nurse"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Staff nurse")
    expect(page.get_by_role("button", name="Apply for this job").first).to_be_visible()

    page.goto(closed.get_absolute_url())
    assert_accessible(page)
    expect(page.get_by_text("Applications are closed")).to_be_visible()
