"""The shared talent pool end to end, in Chromium, every page checked with axe: an HR
person searches the pool from their dashboard (someone who cannot work nights drops out
of a search for nights), opens a profile (which is written to the audit log) and invites
the candidate to apply for a vacancy; the candidate is emailed, signs in, finds the
invitation in their area and follows it to the application form."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from hub.models import AuditEvent, Membership
from talent.models import PoolInvitation
from tests.browser.conftest import assert_accessible, click_through, sign_in_with_two_factor
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VacancyFactory,
)
from tests.talent.mobility_builders import make_pool_profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_search_the_pool_and_invite_a_candidate_who_sees_the_invitation(open_page):
    trust = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust", slug="lth")
    hr = MembershipFactory(organisation=trust, role=Membership.Role.STAFF).user
    VacancyFactory(organisation=trust, title="Bank healthcare assistant", reference="B-12")
    candidate = UserFactory(name="Amira Patel", email="amira@example.org")
    make_pool_profile(
        candidate,
        headline="Care worker with dementia experience",
        skills="Two years of home care, mostly people living with dementia.",
        postcode_district="LS12",
    )
    make_pool_profile(
        headline="Dementia café volunteer, days only",
        skills="Running a weekly dementia café.",
        no_nights=True,
    )

    # HR search the pool for someone with dementia experience who can work nights.
    hr_page = open_page()
    sign_in_with_two_factor(hr_page, hr, PASSWORD)
    hr_page.goto("/manage/lth/")
    assert_accessible(hr_page)
    click_through(hr_page, hr_page.get_by_role("link", name="Talent pool"))
    expect(hr_page.get_by_role("heading", level=1)).to_contain_text("Talent pool")
    hr_page.get_by_label("Skills, experience or keywords").fill("dementia")
    hr_page.get_by_label("Can work nights").check()
    click_through(hr_page, hr_page.get_by_role("button", name="Search", exact=True))
    results = hr_page.locator("#pool-results")
    expect(results).to_contain_text("1 person found")
    expect(results.get_by_role("link", name="Dementia café volunteer")).to_have_count(0)
    expect(results).not_to_contain_text("Amira Patel")

    # The profile: the name but no contact details; opening it is audited.
    click_through(hr_page, results.get_by_role("link", name="Care worker with dementia experience"))
    expect(hr_page.get_by_role("heading", level=1)).to_contain_text("Amira Patel")
    expect(hr_page.locator("main")).not_to_contain_text("amira@example.org")
    viewed = AuditEvent.objects.get(action="talent_pool.profile_viewed")
    assert (viewed.actor, viewed.organisation) == (hr, trust)

    # The invitation to apply.
    click_through(hr_page, hr_page.get_by_role("button", name="Invite them to apply"))
    hr_page.get_by_label(re.compile("Bank healthcare assistant, B-12")).check()
    hr_page.get_by_label(re.compile("Your message to them")).fill(
        "Your dementia experience is just what our bank team needs."
    )
    click_through(hr_page, hr_page.get_by_role("button", name="Send the invitation"))
    expect(
        hr_page.get_by_text("Invitation to apply for Bank healthcare assistant sent")
    ).to_be_visible()
    expect(hr_page.get_by_role("table")).to_contain_text("Bank healthcare assistant")
    invitation = PoolInvitation.objects.get()
    [email] = [m for m in mail.outbox if m.to == ["amira@example.org"]]
    assert "invites you to apply for Bank healthcare assistant" in email.subject

    # The candidate signs in and finds it in their area.
    candidate_page = open_page(phone=True)
    candidate_page.goto("/accounts/login/")
    assert_accessible(candidate_page)
    candidate_page.get_by_label("Email").fill(candidate.email)
    candidate_page.get_by_label("Password").fill(PASSWORD)
    click_through(candidate_page, candidate_page.get_by_role("button", name="Sign in"))
    candidate_page.goto("/me/applications/")
    assert_accessible(candidate_page)
    click_through(candidate_page, candidate_page.get_by_role("link", name="Invitations to apply"))
    card = candidate_page.locator(".nhsuk-card", has_text="Bank healthcare assistant")
    expect(card).to_contain_text("Leeds Teaching Hospitals NHS Trust")
    expect(card).to_contain_text("Your dementia experience is just what our bank team needs.")
    expect(card).to_contain_text("New")
    invitation.refresh_from_db()
    assert invitation.seen_at is not None

    click_through(candidate_page, card.get_by_role("button", name=re.compile("^Apply")))
    expect(candidate_page.get_by_role("heading", level=1)).to_contain_text(
        "Apply for Bank healthcare assistant"
    )
