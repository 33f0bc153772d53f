import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hub import services
from hub.models import AuditEvent, Invitation, Membership, User
from tests.factories import PASSWORD, UserFactory


def _invite(org, admin, email="new.colleague@example.org", role="staff", capture=None):
    return services.invitation_create(organisation=org, email=email, role=role, invited_by=admin)


def _token_from_last_email():
    match = re.search(r"/invitations/([\w-]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_inviting_sends_one_email_with_a_link_that_works_once(
    org_a, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org_a, admin_a)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.colleague@example.org"]
    assert org_a.name in mail.outbox[0].subject
    token = _token_from_last_email()
    assert services.invitation_for_token(token) == invitation
    assert token not in invitation.token_hash  # only the hash is stored

    person = UserFactory(email="new.colleague@example.org")
    membership = services.invitation_accept(invitation=invitation, user=person)
    assert membership.role == Membership.Role.STAFF
    assert membership.organisation == org_a

    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(invitation=invitation, user=person)


def test_an_invitation_expires(org_a, admin_a):
    invitation = _invite(org_a, admin_a)
    person = UserFactory(email=invitation.email)
    with (
        time_machine.travel(timezone.now() + timezone.timedelta(days=8)),
        pytest.raises(ValidationError, match="expired"),
    ):
        services.invitation_accept(invitation=invitation, user=person)
    assert not Membership.objects.filter(user=person).exists()


def test_an_invitation_is_only_for_the_invited_address(org_a, admin_a):
    invitation = _invite(org_a, admin_a)
    stranger = UserFactory(email="someone.else@example.org")
    with pytest.raises(ValidationError, match=r"is for new\.colleague@example\.org"):
        services.invitation_accept(invitation=invitation, user=stranger)


def test_inviting_again_replaces_the_pending_invitation(org_a, admin_a):
    first = _invite(org_a, admin_a)
    second = _invite(org_a, admin_a, email="New.Colleague@example.org", role="admin")
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert list(Invitation.objects.open()) == [second]


def test_existing_members_are_not_invited(org_a, admin_a, staff_a):
    with pytest.raises(ValidationError, match="already a member"):
        _invite(org_a, admin_a, email=staff_a.email.upper())


def test_a_withdrawn_invitation_no_longer_works(org_a, admin_a, client):
    invitation = _invite(org_a, admin_a)
    services.invitation_revoke(invitation=invitation, actor=admin_a)
    person = UserFactory(email=invitation.email)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(invitation=invitation, user=person)


@pytest.mark.django_db
def test_a_new_person_creates_their_account_from_the_invitation_and_must_set_up_two_factor(
    org_a, admin_a, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(org_a, admin_a, role="admin")
    url = reverse("hub:invitation_accept", kwargs={"token": _token_from_last_email()})

    page = client.get(url)
    assert page.status_code == 200
    assert "new.colleague@example.org" in page.text

    response = client.post(
        url, {"name": "Nia Colleague", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")
    # Straight to the set-up page: they have just proven their password.
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    user = User.objects.get(email="new.colleague@example.org")
    assert user.emailaddress_set.get().verified
    assert Membership.objects.get(user=user).role == Membership.Role.ADMIN
    # Until two-factor is on, organisation pages send the new member to set it up.
    blocked = client.get(reverse("hub:organisation_dashboard", kwargs={"org_slug": org_a.slug}))
    assert blocked.status_code == 302
    assert blocked.url == reverse("mfa_activate_totp")
    assert AuditEvent.objects.filter(action="invitation.accepted", actor=user).exists()


def test_the_new_account_form_refuses_mismatched_passwords_and_creates_nothing(
    org_a, admin_a, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org_a, admin_a)
    url = reverse("hub:invitation_accept", kwargs={"token": _token_from_last_email()})
    response = client.post(url, {"name": "X", "password1": PASSWORD, "password2": "different"})
    assert response.status_code == 200
    assert "The passwords do not match." in response.text
    assert "There is a problem" in response.text
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_existing_account_signs_in_then_accepts(
    org_a, org_b, admin_a, member_b, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(org_a, admin_a, email=member_b.email)
    url = reverse("hub:invitation_accept", kwargs={"token": _token_from_last_email()})
    client = client_as(member_b)
    assert "Accept invitation" in client.get(url).text
    response = client.post(url)
    assert response.status_code == 302
    assert set(member_b.memberships.values_list("organisation__slug", flat=True)) == {
        org_a.slug,
        org_b.slug,
    }


def test_signed_in_as_someone_else_the_invitation_is_refused(
    org_a, admin_a, staff_a, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org_a, admin_a)
    url = reverse("hub:invitation_accept", kwargs={"token": _token_from_last_email()})
    response = client_as(staff_a).post(url)
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_used_or_unknown_token_says_so(org_a, admin_a, client):
    assert client.get(reverse("hub:invitation_accept", kwargs={"token": "nope"})).status_code == 404


def test_an_existing_account_not_signed_in_is_asked_to_sign_in_first(
    org_a, admin_a, member_b, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(org_a, admin_a, email=member_b.email)
    url = reverse("hub:invitation_accept", kwargs={"token": _token_from_last_email()})
    response = client.get(url)
    assert response.status_code == 200
    assert f"{reverse('account_login')}?next={url}" in response.text
    # Posting a new-account form for an address that has an account creates nothing.
    client.post(url, {"name": "X", "password1": PASSWORD, "password2": PASSWORD})
    assert User.objects.filter(email=member_b.email).count() == 1
    assert not member_b.memberships.filter(organisation=org_a).exists()


def test_a_used_invitation_link_says_it_has_been_used(
    org_a, admin_a, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org_a, admin_a)
    url = reverse("hub:invitation_accept", kwargs={"token": _token_from_last_email()})
    services.invitation_accept(invitation=invitation, user=UserFactory(email=invitation.email))
    response = client.get(url)
    assert response.status_code == 410
    assert "This invitation has already been used." in response.text
