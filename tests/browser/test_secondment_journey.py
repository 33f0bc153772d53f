"""A secondment from posting to active, in Chromium, every page checked with axe: the
community trust's HR posts an opportunity and publishes it; a member of the council's
staff expresses interest; the council's admin releases her; the trust selects her; the
council approves the agreement, then the trust's admin; the trust's HR starts it on its
start date (today), and both organisations and the person see it active."""

import datetime
import re

import pytest
from django.utils import timezone

from talent.models import SecondmentAgreement, SecondmentInterest, SecondmentOpportunity
from tests.browser.conftest import assert_accessible, click_through, sign_in_with_two_factor
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = SecondmentAgreement.Status


def _fill_date(page, label, day: datetime.date) -> None:
    """Fill the date field labelled exactly `label`."""
    page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*$")).fill(day.isoformat())


def test_a_secondment_goes_from_posting_to_active(open_page):
    host_org = OrganisationFactory(name="Leeds Community Healthcare NHS Trust", slug="lch")
    home_org = OrganisationFactory(name="Leeds City Council", slug="council")
    host_hr = MembershipFactory(organisation=host_org, role="staff").user
    host_admin = MembershipFactory(organisation=host_org, role="admin").user
    home_admin = MembershipFactory(organisation=home_org, role="admin").user
    person = MembershipFactory(organisation=home_org, role="outreach").user
    today = timezone.localdate()

    # The trust's HR posts an opportunity starting today, and publishes it.
    hr_page = open_page()
    sign_in_with_two_factor(hr_page, host_hr, PASSWORD)
    hr_page.goto("/manage/lch/")
    assert_accessible(hr_page)
    click_through(hr_page, hr_page.get_by_role("link", name="Secondments", exact=True))
    click_through(hr_page, hr_page.get_by_role("link", name="Offer a secondment opportunity"))
    hr_page.get_by_label("Role", exact=True).fill("Discharge coordinator")
    hr_page.get_by_label("Staff group").select_option(label="Nursing and midwifery")
    hr_page.get_by_label(re.compile("Agenda for Change band")).select_option("6")
    hr_page.get_by_label("Description").fill("Coordinate discharges with community teams.")
    _fill_date(hr_page, "Start date", today)
    hr_page.get_by_label("Duration in months").fill("6")
    _fill_date(hr_page, "Closing date", today)
    hr_page.get_by_label("Every partner").check()
    hr_page.get_by_label(re.compile("^Secondment: the home organisation pays")).check()
    hr_page.get_by_label(re.compile(r"^\s*Recharge")).fill("100% of salary and on-costs")
    click_through(hr_page, hr_page.get_by_role("button", name="Save as draft"))
    click_through(hr_page, hr_page.get_by_role("button", name="Publish"))
    opportunity = SecondmentOpportunity.objects.get()
    assert opportunity.status == SecondmentOpportunity.Status.OPEN

    # A member of the council's staff expresses interest, on her phone.
    person_page = open_page(phone=True)
    sign_in_with_two_factor(person_page, person, PASSWORD)
    person_page.goto("/manage/council/")
    assert_accessible(person_page)
    click_through(person_page, person_page.get_by_role("link", name="Secondment opportunities"))
    click_through(
        person_page, person_page.get_by_role("link", name="Discharge coordinator", exact=True)
    )
    click_through(person_page, person_page.get_by_role("button", name="Express interest"))
    person_page.get_by_label("Why are you interested?").fill(
        "I plan discharges from the council's side and want to see the hospital's."
    )
    click_through(person_page, person_page.get_by_role("button", name="Send your interest"))
    assert "Waiting for release by the home organisation" in person_page.content()

    # The council's admin releases her.
    home_page = open_page()
    sign_in_with_two_factor(home_page, home_admin, PASSWORD)
    home_page.goto("/manage/council/secondments/")
    assert_accessible(home_page)
    click_through(home_page, home_page.get_by_role("link", name=person.name))
    home_page.get_by_label("Yes, release them").check()
    click_through(home_page, home_page.get_by_role("button", name="Save your decision"))
    assert SecondmentInterest.objects.get().status == SecondmentInterest.Status.RELEASED

    # The trust selects her: an agreement is proposed.
    hr_page.goto(f"/manage/lch/secondments/opportunities/{opportunity.pk}/")
    assert_accessible(hr_page)
    click_through(hr_page, hr_page.get_by_role("button", name=re.compile("^Select")))
    agreement = SecondmentAgreement.objects.get()
    assert agreement.status == Status.PROPOSED

    # The council approves first, stating her right to return.
    home_page.goto("/manage/council/secondments/")
    assert_accessible(home_page)
    click_through(home_page, home_page.get_by_role("link", name=person.name))
    home_page.get_by_label("Yes", exact=True).check()
    home_page.get_by_label(re.compile("What they return to")).fill("Her post in adult social care")
    click_through(home_page, home_page.get_by_role("button", name=re.compile("^Approve for")))
    agreement.refresh_from_db()
    assert agreement.status == Status.HOME_APPROVED

    # Then the trust's admin.
    admin_page = open_page()
    sign_in_with_two_factor(admin_page, host_admin, PASSWORD)
    admin_page.goto("/manage/lch/secondments/")
    assert_accessible(admin_page)
    click_through(admin_page, admin_page.get_by_role("link", name=person.name))
    click_through(admin_page, admin_page.get_by_role("button", name=re.compile("^Approve for")))
    agreement.refresh_from_db()
    assert agreement.status == Status.HOST_APPROVED

    # The trust's HR starts it today.
    hr_page.goto(f"/manage/lch/secondments/agreements/{agreement.pk}/")
    assert_accessible(hr_page)
    click_through(hr_page, hr_page.get_by_role("button", name="Start the secondment"))
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE
    assert "The secondment is running until" in hr_page.content()

    # Both organisations and the person see it active.
    home_page.goto(f"/manage/council/secondments/agreements/{agreement.pk}/")
    assert_accessible(home_page)
    assert home_page.locator(".nhsuk-tag", has_text="Active").is_visible()
    assert "Her post in adult social care" in home_page.content()
    person_page.goto("/me/secondments/")
    assert_accessible(person_page)
    assert person_page.locator(".nhsuk-tag", has_text="Active").is_visible()
