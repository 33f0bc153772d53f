"""The Staff Portability Framework end to end, in Chromium, every page checked with axe:
a hospital raises a mobilisation, a hub admin activates it, the hospital asks for a
nurse, the council offers one, the hospital accepts; the council records the
pre-deployment checks, the hospital records the local induction, starts the deployment
and records the return, and the council adds its feedback."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from portability.models import Deployment, Mobilisation, StaffOffer
from tests.browser.conftest import assert_accessible, click_through, sign_in_with_two_factor
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.portability.builders import sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_date(page, label, day: datetime.date) -> None:
    """Fill the date field labelled exactly `label` (optional fields say so after it)."""
    name = re.compile(rf"^\s*{re.escape(label)}( \(optional\))?\s*$")
    page.get_by_label(name).fill(day.isoformat())


def test_a_nurse_is_mobilised_checked_deployed_and_returned(open_page):
    host_org = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust", slug="lth")
    home_org = OrganisationFactory(name="Leeds City Council", slug="council")
    host = MembershipFactory(organisation=host_org, role="admin").user
    home = MembershipFactory(organisation=home_org, role="admin").user
    hub_admin = UserFactory(totp=True, is_staff=True)
    sign(host_org, lead=host)
    home_signature = sign(home_org, lead=home)
    today = timezone.localdate()
    starts_on = today + datetime.timedelta(days=1)

    # The hospital raises a mobilisation.
    host_page = open_page()
    sign_in_with_two_factor(host_page, host, PASSWORD)
    host_page.goto("/manage/lth/portability/mobilisations/new/")
    assert_accessible(host_page)
    host_page.get_by_label("Service that needs staff").fill("Ward 12, acute medicine")
    host_page.get_by_label("Why is there critical service need?").fill("Norovirus outbreak")
    host_page.get_by_label(re.compile(r"^\s*High")).check()
    _fill_date(host_page, "From when", starts_on)
    _fill_date(host_page, "Expected end", starts_on + datetime.timedelta(days=13))
    click_through(host_page, host_page.get_by_role("button", name="Raise the mobilisation"))
    mobilisation = Mobilisation.objects.get()

    # A hub admin activates it.
    admin_page = open_page()
    sign_in_with_two_factor(admin_page, hub_admin, PASSWORD)
    admin_page.goto("/portability/mobilisations/")
    assert_accessible(admin_page)
    click_through(admin_page, admin_page.get_by_role("button", name=re.compile("^Activate")))
    mobilisation.refresh_from_db()
    assert mobilisation.status == Mobilisation.Status.ACTIVE

    # The hospital asks for a nurse for five days.
    host_page.goto(f"/manage/lth/portability/mobilisations/{mobilisation.pk}/requests/new/")
    assert_accessible(host_page)
    host_page.get_by_label("Role").fill("Staff nurse")
    host_page.get_by_label("Staff group").select_option(index=1)
    host_page.get_by_label("Professional registration needed").select_option("nmc")
    host_page.get_by_label("How many people").fill("1")
    _fill_date(host_page, "From", starts_on)
    _fill_date(host_page, "Until", starts_on + datetime.timedelta(days=4))
    host_page.get_by_label("Shift pattern").fill("Long days")
    host_page.get_by_label("Site").fill("St James's, ward 12")
    click_through(host_page, host_page.get_by_role("button", name="Add the request"))

    # The council offers a nurse from the board.
    home_page = open_page(phone=True)
    sign_in_with_two_factor(home_page, home, PASSWORD)
    home_page.goto("/manage/council/portability/board/")
    assert_accessible(home_page)
    click_through(home_page, home_page.get_by_role("link", name="Staff nurse"))
    click_through(home_page, home_page.get_by_role("button", name="Make the offer"))
    home_page.get_by_label("Full name").fill("Ada Okafor")
    home_page.get_by_label("Work email address").fill("ada@example.org")
    home_page.get_by_label("Job title").fill("Community nurse")
    home_page.get_by_label("Registration number").fill("12A3456E")
    home_page.get_by_label(re.compile("agreed to be offered for")).check()
    click_through(home_page, home_page.get_by_role("button", name="Make the offer"))

    # The hospital accepts: a planned deployment.
    host_page.goto("/manage/lth/portability/offers/")
    assert_accessible(host_page)
    click_through(host_page, host_page.get_by_role("link", name="Ada Okafor"))
    click_through(host_page, host_page.get_by_role("button", name=re.compile("^Accept")))
    assert StaffOffer.objects.get().status == StaffOffer.Status.ACCEPTED
    deployment = Deployment.objects.get()
    assert deployment.status == Deployment.Status.PLANNED

    # The council records the checks once.
    home_page.goto("/manage/council/portability/deployments/")
    assert_accessible(home_page)
    click_through(home_page, home_page.get_by_role("link", name="Ada Okafor"))
    click_through(home_page, home_page.get_by_role("link", name="Record the checks"))
    for label in (
        "Identity checked on",
        "Right to work checked on",
        "DBS certificate issued on",
        "Mandatory training completed on",
        "Occupational health clearance on",
        "Indemnity confirmed on",
    ):
        _fill_date(home_page, label, today - datetime.timedelta(days=20))
    home_page.get_by_label("DBS level").select_option("enhanced")
    home_page.get_by_label("Professional registration body").select_option("nmc")
    home_page.get_by_label("Registration number").fill("12A3456E")
    _fill_date(home_page, "Registration expires on", today + datetime.timedelta(days=200))
    click_through(home_page, home_page.get_by_role("button", name="Save the checks"))
    deployment.refresh_from_db()
    assert deployment.status == Deployment.Status.CHECKS_COMPLETE

    # The hospital sees them, records the local induction and starts the deployment.
    host_page.goto("/manage/lth/portability/deployments/")
    assert_accessible(host_page)
    click_through(host_page, host_page.get_by_role("link", name="Ada Okafor"))
    assert "You must close this gap yourself" in host_page.content()
    click_through(host_page, host_page.get_by_role("link", name="Record the local induction"))
    _fill_date(host_page, "Local induction given on", today)
    click_through(host_page, host_page.get_by_role("button", name="Save the checks"))
    click_through(host_page, host_page.get_by_role("link", name="Start the deployment"))
    mail.outbox.clear()
    click_through(host_page, host_page.get_by_role("button", name="Start the deployment"))
    deployment.refresh_from_db()
    assert deployment.status == Deployment.Status.ACTIVE
    assert deployment.override_reason == ""
    started = sorted(m.to[0] for m in mail.outbox if "has started" in m.subject)
    assert started == sorted([home_signature.lead.email, home_signature.deputy.email])

    # It ends with the return, and the council adds its feedback.
    click_through(host_page, host_page.get_by_role("link", name="Record the return"))
    host_page.get_by_label("Days worked").fill("5")
    host_page.get_by_label("Hours worked").fill("57.5")
    host_page.get_by_label(re.compile(r"^\s*Recharge due")).fill("1450.00")
    host_page.get_by_label("Your feedback on the deployment").fill("Calm and capable.")
    click_through(host_page, host_page.get_by_role("button", name="Record the return"))
    deployment.refresh_from_db()
    assert deployment.status == Deployment.Status.RETURNED
    assert deployment.days_worked == 5

    home_page.goto(f"/manage/council/portability/deployments/{deployment.pk}/")
    assert_accessible(home_page)
    click_through(home_page, home_page.get_by_role("link", name="Add your feedback"))
    home_page.get_by_label("Your feedback on the deployment").fill("She came back with ideas.")
    click_through(home_page, home_page.get_by_role("button", name="Save your feedback"))
    deployment.refresh_from_db()
    assert deployment.home_feedback == "She came back with ideas."
    assert "She came back with ideas." in home_page.content()
