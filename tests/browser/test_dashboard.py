"""The dashboards in Chromium, every page checked with axe: an organisation's HR staff
find their reports from the organisation's page, on a phone as well; a hub admin opens
the city dashboard from their account, with its equity of reach."""

import pytest

from hub import dashboards
from tests.browser.conftest import assert_accessible, click_through, sign_in_with_two_factor
from tests.factories import PASSWORD, UserFactory
from tests.hub.test_dashboards import build_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_figures():
    dashboards.figures_cache.clear()


@pytest.fixture
def records(org_a, org_b):
    """The records whose figures tests/hub/test_dashboards.py counts by hand."""
    return build_records(org_a, org_b)


def test_staff_open_their_dashboard_with_charts_beside_the_tables(
    open_page,
    records,
    org_a,
    staff_a,
):
    page = open_page(phone=True)
    sign_in_with_two_factor(page, staff_a, PASSWORD)
    page.goto(f"/manage/{org_a.slug}/")
    assert_accessible(page)
    click_through(page, page.get_by_role("link", name="Reports", exact=True))

    assert page.get_by_role("heading", name="Applications by stage").is_visible()
    chart = page.get_by_role("img", name="Applications by stage")
    assert chart.count() == 1
    table = page.get_by_role("table", name="Applications by stage")
    assert "Submitted" in table.inner_text()
    assert "Armley into care" in page.get_by_role("table", name="Campaign reach").inner_text()
    assert page.get_by_text("Figures counted at").is_visible()


def test_a_hub_admin_opens_the_city_dashboard_from_their_account(open_page, records):
    hub_admin = UserFactory(totp=True, is_staff=True)
    page = open_page()
    sign_in_with_two_factor(page, hub_admin, PASSWORD)
    page.goto("/dashboard/")
    assert_accessible(page)
    click_through(page, page.get_by_role("link", name="city dashboard"))

    deciles = page.get_by_role(
        "table", name="Applications and hires by neighbourhood deprivation decile"
    )
    assert "<5" in deciles.inner_text()
    assert page.get_by_role("img", name="Hires by neighbourhood deprivation decile").count() == 1
    assert page.get_by_role(
        "table", name="Applications and hires by equality monitoring answer"
    ).is_visible()
