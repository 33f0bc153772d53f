import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from hub.models import Membership, User
from tests.browser.conftest import assert_accessible, click_through, totp_code
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _link_in_last_email(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[-1].split("/", 1)[1]


def test_a_newcomer_signs_up_confirms_their_email_and_signs_in(open_page):
    page = open_page(phone=True)
    page.goto("/")
    assert_accessible(page)
    click_through(page, page.get_by_role("link", name="Create an account").first)

    # A mistake first: the form says what is wrong and nothing is created.
    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_role("button", name=re.compile("Sign up|Create", re.I)).click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    assert not User.objects.exists()

    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile("Password \\(again\\)|Confirm", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign up|Create", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        re.compile("Verify|Confirm|Check", re.I)
    )
    assert_accessible(page)

    link = _link_in_last_email(r"https?://\S+/accounts/confirm-email/\S+/")
    page.goto(_path(link))
    assert_accessible(page)
    click_through(page, page.get_by_role("button", name="Confirm"))

    click_through(page, page.get_by_role("button", name="Sign out").first)
    if page.get_by_role("button", name="Sign out").count():  # allauth's confirmation page
        click_through(page, page.get_by_role("main").get_by_role("button", name="Sign out"))

    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("newcomer@example.org").first).to_be_visible()
    assert_accessible(page)


def test_an_organisation_admin_invites_a_colleague_who_joins_and_sets_up_two_factor(open_page):
    organisation = OrganisationFactory(name="Leeds Community Healthcare NHS Trust", slug="lch")
    admin = MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user

    page = open_page()
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Password").fill(PASSWORD)
    click_through(page, page.get_by_role("button", name="Sign in"))
    page.get_by_label(re.compile("code", re.I)).fill(totp_code(admin.totp_secret))
    page.get_by_role("button", name=re.compile("Sign in|Verify|Continue", re.I)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(organisation.name)
    assert_accessible(page)

    click_through(page, page.get_by_role("link", name="Colleagues").first)
    page.get_by_label("Email address").fill("new.nurse.lead@example.org")
    page.get_by_label("Role", exact=True).select_option("staff")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("An invitation was sent to new.nurse.lead@example.org")).to_be_visible()
    assert_accessible(page)

    link = _link_in_last_email(r"https?://\S+/invitations/[\w-]+/")
    colleague = open_page(phone=True)
    colleague.goto(_path(link))
    assert_accessible(colleague)
    colleague.get_by_label("Full name").fill("Nia Nurse")
    colleague.get_by_label("Create a password").fill(PASSWORD)
    colleague.get_by_label("Confirm the password").fill(PASSWORD)
    click_through(colleague, colleague.get_by_role("button", name="Create account and join"))

    # Two-factor set-up: the page shows the secret an authenticator app would scan.
    secret = colleague.get_by_label(re.compile("secret|key", re.I)).input_value()
    colleague.get_by_label(re.compile("code", re.I)).fill(totp_code(secret))
    click_through(
        colleague,
        colleague.get_by_role("button", name=re.compile("Activate|Set up|Continue", re.I)),
    )
    colleague.goto("/dashboard/")
    expect(colleague.get_by_role("heading", level=1)).to_contain_text(organisation.name)
    expect(colleague.get_by_text(organisation.name).first).to_be_visible()
    assert_accessible(colleague)

    member = Membership.objects.get(user__email="new.nurse.lead@example.org")
    assert member.role == Membership.Role.STAFF
    assert member.user.authenticator_set.filter(type="totp").exists()

    # Removing a colleague asks first; backing out keeps them.
    page.goto(f"/manage/{organisation.slug}/members/")
    click_through(page, page.get_by_role("button", name="Remove Nia Nurse"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Remove Nia Nurse?")
    click_through(page, page.get_by_role("link", name="No, keep them"))
    assert Membership.objects.filter(user__email="new.nurse.lead@example.org").exists()
