import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hub.models import User
from tests.factories import PASSWORD, UserFactory


def test_the_user_model_signs_in_by_email_and_has_no_username():
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User, "username")


@pytest.mark.django_db(transaction=True)
def test_sign_up_needs_a_confirmed_email(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "Newcomer@Example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    # Not signed in until the address is confirmed.
    assert client.get(reverse("hub:dashboard")).status_code == 302

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("testserver", 1)[-1]
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("hub:dashboard")).status_code == 200


def test_a_weak_password_is_refused_at_sign_up(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "weak@example.org", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    assert "This password is too common." in response.text
    assert not User.objects.filter(email="weak@example.org").exists()


def test_partner_staff_without_two_factor_are_sent_to_set_it_up(client_as, org_a):
    from tests.factories import MembershipFactory

    person = MembershipFactory(organisation=org_a, user=UserFactory(totp=False)).user
    response = client_as(person).get(
        reverse("hub:organisation_dashboard", kwargs={"org_slug": org_a.slug})
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_hub_admins_without_two_factor_are_sent_to_set_it_up(client_as, db):
    admin = UserFactory(is_staff=True, is_superuser=True)
    assert client_as(admin).get("/admin/").url == reverse("mfa_activate_totp")


def test_candidates_do_not_need_two_factor(client_as, candidate):
    assert client_as(candidate).get(reverse("hub:dashboard")).status_code == 200


def test_staff_cannot_switch_two_factor_off(client_as, staff_a):
    client = client_as(staff_a)
    session = client.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": timezone.now().timestamp(), "email": staff_a.email}
    ]
    session.save()
    client.post(reverse("mfa_deactivate_totp"))
    assert staff_a.authenticator_set.filter(type="totp").exists()


def test_sign_in_asks_staff_for_their_two_factor_code(client, staff_a):
    response = client.post(reverse("account_login"), {"login": staff_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get(reverse("hub:dashboard")).status_code == 302  # not signed in yet


def test_the_django_admin_signs_in_through_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_repeated_failed_sign_ins_are_blocked(client, candidate):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": candidate.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": candidate.email, "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.text
    assert client.get(reverse("hub:dashboard")).status_code == 302  # still signed out


def test_a_session_ends_after_inactivity(client_as, candidate, settings):
    client = client_as(candidate)
    assert client.get(reverse("hub:dashboard")).status_code == 200
    with time_machine.travel(
        timezone.now() + settings.SESSION_IDLE_TIMEOUT + timezone.timedelta(minutes=1)
    ):
        assert client.get(reverse("hub:dashboard")).status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_however_active(client_as, candidate, settings):
    client = client_as(candidate)
    start = timezone.now()
    client.get(reverse("hub:dashboard"))
    step = settings.SESSION_IDLE_TIMEOUT - timezone.timedelta(minutes=1)
    moment = start
    with time_machine.travel(start, tick=False) as traveller:
        while moment - start < settings.SESSION_ABSOLUTE_TIMEOUT - step:
            moment += step
            traveller.move_to(moment)
            assert client.get(reverse("hub:dashboard")).status_code == 200
        traveller.move_to(start + settings.SESSION_ABSOLUTE_TIMEOUT + timezone.timedelta(minutes=1))
        response = client.get(reverse("hub:dashboard"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_pages_viewed_within_a_minute_do_not_write_the_session(
    client_as, candidate, django_assert_num_queries
):
    """Activity renews the session at most once a minute, not with three writes a page."""
    client = client_as(candidate)
    client.get(reverse("hub:dashboard"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("hub:dashboard"))
    assert not [q for q in queries.captured_queries if "UPDATE" in q["sql"]]
