"""Sign-in abuse (issue 9): allauth's rate limits hold per account and per address, lift
when their time is up, cover sign-up, password reset and two-factor codes, and believe
X-Forwarded-For only from a trusted proxy; partner staff and hub admins cannot get in
without their second factor. The limits are allauth's defaults (config/settings.py);
docs/security.md lists them with these tests."""

import time

import pytest
import time_machine
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from hub.models import Membership
from tests.factories import PASSWORD, MembershipFactory, UserFactory

LOCKED = "Too many failed login attempts"
ATTACKER, NEIGHBOUR = "203.0.113.10", "198.51.100.20"


def _sign_in(client, email, password, address=ATTACKER, **headers):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address,
        **headers,
    )  # fmt: skip


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


def _totp_code(user) -> str:
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(user.totp_secret, counter))


# --- Passwords: per account ------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_whatever_address_they_come_from(client, candidate):
    for n in range(5):
        _sign_in(client, candidate.email, "wrong", address=f"192.0.2.{n + 1}")
    response = _sign_in(client, candidate.email, PASSWORD, address=NEIGHBOUR)
    assert LOCKED in response.text
    assert not _signed_in(client)


def test_the_lock_on_an_account_lifts_after_five_minutes(client, candidate):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            _sign_in(client, candidate.email, "wrong")
        traveller.move_to(start + timezone.timedelta(minutes=4))
        assert LOCKED in _sign_in(client, candidate.email, PASSWORD).text
        traveller.move_to(start + timezone.timedelta(minutes=5, seconds=1))
        response = _sign_in(client, candidate.email, PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_one_locked_account_does_not_lock_others_signing_in_from_the_same_address(
    client, candidate
):
    for _ in range(5):
        _sign_in(client, candidate.email, "wrong")
    colleague = UserFactory()
    assert _sign_in(client, colleague.email, PASSWORD).status_code == 302


def test_signing_in_successfully_does_not_count_towards_the_lock(client, candidate):
    for _ in range(6):
        assert _sign_in(client, candidate.email, PASSWORD).status_code == 302
        client.post(reverse("account_logout"))
    for _ in range(4):
        _sign_in(client, candidate.email, "wrong")
    assert _sign_in(client, candidate.email, PASSWORD).status_code == 302


# --- Passwords: per address ------------------------------------------------------------------


def test_ten_wrong_passwords_a_minute_from_one_address_block_it_for_every_account(client, db):
    for n in range(10):
        _sign_in(client, f"guess{n}@example.org", "wrong")
    person = UserFactory()
    assert LOCKED in _sign_in(client, person.email, PASSWORD).text
    assert not _signed_in(client)
    # Someone else, elsewhere, signs in as usual.
    assert _sign_in(client, person.email, PASSWORD, address=NEIGHBOUR).status_code == 302


def test_more_than_thirty_sign_in_forms_a_minute_from_one_address_get_too_many_requests(client, db):
    for _ in range(30):
        assert client.post(reverse("account_login"), {}, REMOTE_ADDR=ATTACKER).status_code == 200
    response = client.post(reverse("account_login"), {}, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429
    assert "Too many attempts" in response.text  # the portal's page, templates/429.html
    assert client.post(reverse("account_login"), {}, REMOTE_ADDR=NEIGHBOUR).status_code == 200


# --- Behind a proxy --------------------------------------------------------------------------

PROXY = "10.0.0.2"


def test_behind_a_trusted_proxy_each_visitor_has_their_own_address_limit(client, db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        _sign_in(client, f"guess{n}@example.org", "wrong", PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    person = UserFactory()
    response = _sign_in(client, person.email, PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert LOCKED in response.text
    response = _sign_in(client, person.email, PASSWORD, PROXY, HTTP_X_FORWARDED_FOR=NEIGHBOUR)
    assert response.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_escape_the_limit(client, db):
    for n in range(10):
        _sign_in(client, f"guess{n}@example.org", "wrong", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    person = UserFactory()
    response = _sign_in(client, person.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert LOCKED in response.text


# --- Sign-up and password reset --------------------------------------------------------------


def test_more_than_twenty_sign_ups_a_minute_from_one_address_get_too_many_requests(client, db):
    def sign_up(n, address=ATTACKER):
        data = {"email": f"new{n}@example.org", "password1": "x", "password2": "y"}
        return client.post(reverse("account_signup"), data, REMOTE_ADDR=address)

    for n in range(20):
        assert sign_up(n).status_code == 200  # refused for its weak password, but counted
    assert sign_up(20).status_code == 429
    assert sign_up(21, address=NEIGHBOUR).status_code == 200


def _reset(client, email, address=ATTACKER):
    return client.post(reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=address)


def test_password_resets_for_one_address_are_limited_to_five_a_minute(client, candidate):
    for _ in range(5):
        assert _reset(client, candidate.email).status_code == 302
    assert _reset(client, candidate.email, address=NEIGHBOUR).status_code == 429
    assert _reset(client, UserFactory().email).status_code == 302


def test_password_resets_from_one_address_are_limited_to_twenty_a_minute(client, db):
    for n in range(20):
        assert _reset(client, f"person{n}@example.org").status_code == 302
    assert _reset(client, "person20@example.org").status_code == 429
    assert _reset(client, "person21@example.org", address=NEIGHBOUR).status_code == 302


# --- Two-factor ------------------------------------------------------------------------------


def test_five_wrong_two_factor_codes_block_the_right_one(client, staff_a):
    assert _sign_in(client, staff_a.email, PASSWORD).url == reverse("mfa_authenticate")
    for _ in range(5):
        response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert "Incorrect code" in response.text
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(staff_a)})
    assert LOCKED in response.text
    assert not _signed_in(client)


def test_a_two_factor_code_works_only_once(client, staff_a):
    code = _totp_code(staff_a)
    _sign_in(client, staff_a.email, PASSWORD)
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert _signed_in(client)
    client.post(reverse("account_logout"))
    _sign_in(client, staff_a.email, PASSWORD)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert "Incorrect code" in response.text
    assert not _signed_in(client)


def test_a_password_alone_opens_no_page_for_partner_staff(client, org_a, staff_a):
    _sign_in(client, staff_a.email, PASSWORD)
    for url in [
        reverse("hub:dashboard"),
        reverse("hub:organisation_dashboard", args=[org_a.slug]),
        "/admin/",
    ]:
        # Through the sign-in page, back to the code that is still owed.
        response = client.get(url, follow=True)
        assert response.request["PATH_INFO"] == reverse("mfa_authenticate"), url
    assert not _signed_in(client)


@pytest.mark.parametrize("role", Membership.Role.values)
def test_every_partner_role_must_set_up_two_factor_before_anything_else(client_as, org_a, role):
    person = MembershipFactory(organisation=org_a, role=role, user=UserFactory(totp=False)).user
    client = client_as(person)
    for url in [
        reverse("hub:dashboard"),
        reverse("hub:organisation_dashboard", args=[org_a.slug]),
        reverse("jobs:search"),
    ]:
        assert client.get(url).url == reverse("mfa_activate_totp"), url


def test_hub_admins_must_set_up_two_factor_before_the_admin(client_as, db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = client_as(admin)
    for url in ["/admin/", "/admin/hub/organisation/", reverse("hub:dashboard")]:
        assert client.get(url).url == reverse("mfa_activate_totp"), url
