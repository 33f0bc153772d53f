"""The audit log in Chromium, every page checked with axe: an organisation's admin opens
it from the organisation's page on a phone and filters it, with an error for a date that
is not one; a hub admin reads every organisation's."""

import pytest

from hub.models import AuditEvent
from tests.browser.conftest import assert_accessible, click_through, sign_in_with_two_factor
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def events(org_a, org_b, admin_a, staff_a):
    AuditEvent.objects.create(
        organisation=org_a,
        actor=staff_a,
        action="application.viewed",
        summary="Viewed an application for Healthcare assistant",
    )
    AuditEvent.objects.create(
        organisation=org_a,
        actor=admin_a,
        action="vacancy.closed",
        summary="Closed the vacancy Healthcare assistant",
    )
    AuditEvent.objects.create(
        organisation=org_b, action="vacancy.published", summary="Published the vacancy Porter"
    )


def test_an_admin_filters_their_organisations_audit_log(open_page, events, org_a, admin_a):
    page = open_page(phone=True)
    sign_in_with_two_factor(page, admin_a, PASSWORD)
    page.goto(f"/manage/{org_a.slug}/")
    assert_accessible(page)
    click_through(page, page.get_by_role("link", name="Audit log"))

    table = page.get_by_role("table")
    assert "Closed the vacancy Healthcare assistant" in table.inner_text()
    assert "Porter" not in page.content()

    page.get_by_label("Kind of event").select_option(label="Views of a person's record")
    click_through(page, page.get_by_role("button", name="Show events"))
    assert "Viewed an application" in page.get_by_role("table").inner_text()
    assert "Closed the vacancy" not in page.get_by_role("table").inner_text()

    # A browser's date picker sends only real dates; a link or a typed address may not.
    page.goto(f"/manage/{org_a.slug}/audit/?date_from=30/02/2026")
    assert_accessible(page)
    assert page.get_by_role("alert").get_by_text("Enter a real start date").is_visible()


def test_a_hub_admin_reads_every_organisations_events(open_page, events, org_b):
    hub_admin = UserFactory(totp=True, is_staff=True)
    page = open_page()
    sign_in_with_two_factor(page, hub_admin, PASSWORD)
    page.goto("/audit/")
    assert_accessible(page)
    assert "Published the vacancy Porter" in page.get_by_role("table").inner_text()

    page.get_by_label("Organisation").select_option(label=org_b.name)
    click_through(page, page.get_by_role("button", name="Show events"))
    text = page.get_by_role("table").inner_text()
    assert "Porter" in text and "Healthcare assistant" not in text
