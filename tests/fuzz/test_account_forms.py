"""Fuzzing the account forms (issue 9): creating an account, signing in, asking for a
password reset, the links those emails carry, and accepting an invitation with a new
account. Whatever is posted, never a server error; bad input creates no account."""

import pytest
from allauth.account.models import EmailAddress
from hypothesis import example, given
from hypothesis import strategies as st

from hub.models import Invitation, Membership, User
from hub.services import hash_token
from tests.factories import PASSWORD, InvitationFactory, UserFactory
from tests.fuzz.harness import (
    assert_no_server_error,
    fuzz_settings,
    new_client,
    path_segment,
    post,
    rolled_back,
    shows_form_error,
    submit,
)
from tests.fuzz.strategies import (
    NUL,
    ODD_EMAILS,
    Field,
    Submission,
    bad_emails,
    bad_text,
    hostile_text,
    submissions,
    tokens,
)

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "Leeds-Care-Workforce-2026"
INVITATION_TOKEN = "k" * 43
ACCOUNTS = (User, EmailAddress, Membership)

new_emails = st.one_of(
    st.sampled_from(["new.person@example.org", "Zoe.Brown+jobs@example.co.uk"]),
    st.emails(),
    st.sampled_from(ODD_EMAILS),
)
passwords = st.one_of(
    st.just(STRONG_PASSWORD),
    st.sampled_from(["password", "12345678", "short", "Leeds-Care-Workforce-2026 "]),
    hostile_text,
)


@pytest.fixture
def candidate_user(db):
    return UserFactory(email="amira@example.org")


@fuzz_settings(40)
@given(
    submission=submissions(
        {
            "email": Field(new_emails, st.one_of(bad_emails, st.just("")), required=True),
            "password1": Field(st.just(STRONG_PASSWORD), st.just(""), required=True),
            "password2": Field(st.just(STRONG_PASSWORD), st.just(""), required=True),
        }
    ),
    taken=st.booleans(),
)
def test_creating_an_account_refuses_bad_input(candidate_user, submission, taken):
    if taken and "email" in submission.data and "email" not in submission.bad_fields:
        submission.data["email"] = "AMIRA@example.org"  # an account exists: no second one
    with rolled_back():
        users = User.objects.count()
        accepted = submit(new_client(), "/accounts/signup/", submission, ACCOUNTS)
        if accepted and taken and submission.data.get("email") == "AMIRA@example.org":
            assert User.objects.count() == users
        for email in User.objects.values_list("email", flat=True):
            assert NUL not in email


@fuzz_settings(40)
@given(
    login=st.one_of(st.just("amira@example.org"), st.just(" AMIRA@example.org "), new_emails),
    password=st.one_of(st.just(PASSWORD), passwords),
    remember=st.one_of(st.sampled_from(["", "on"]), hostile_text),
)
def test_signing_in_answers_any_credentials(candidate_user, login, password, remember):
    data = {"login": login, "password": password, "remember": remember}
    with rolled_back():
        client = new_client()
        response = post(client, "/accounts/login/", data)
        assert_no_server_error(response)
        right = login.strip().lower() == "amira@example.org" and password == PASSWORD
        if response.status_code == 302:
            assert right
            assert client.session.get("_auth_user_id") == str(candidate_user.pk)
        else:
            assert response.status_code in (200, 400, 429)
            assert "_auth_user_id" not in client.session


@fuzz_settings(30)
@given(email=st.one_of(st.just("amira@example.org"), new_emails, bad_emails, hostile_text))
def test_asking_for_a_password_reset_never_fails(candidate_user, email):
    with rolled_back():
        response = post(new_client(), "/accounts/password/reset/", {"email": email})
        assert_no_server_error(response)
        # The same "check your email" page whether or not the address has an account.
        assert response.status_code in (302, 400) or shows_form_error(response)


@fuzz_settings(40)
@given(key=tokens)
def test_links_from_account_emails_refuse_made_up_keys(candidate_user, key):
    with rolled_back():
        client = new_client()
        for path in (
            f"/accounts/confirm-email/{path_segment(key)}/",
            f"/accounts/password/reset/key/{path_segment(key)}/",
            f"/accounts/password/reset/key/1-{path_segment(key)}/",
            f"/invitations/{path_segment(key)}/",
        ):
            response = client.get(path)
            assert_no_server_error(response)
            assert response.status_code in (200, 302, 400, 404)


@pytest.fixture
def invitation(org_a):
    return InvitationFactory(
        organisation=org_a, email="new.nurse@example.org", token_hash=hash_token(INVITATION_TOKEN)
    )


@fuzz_settings(40)
@given(
    submission=submissions(
        {
            "name": Field(
                st.sampled_from(["Amira Khan", "Siobhán O'Neill", "محمد علي"]),
                bad_text(150, required=True),
                required=True,
            ),
            "password1": Field(st.just(STRONG_PASSWORD), st.just(""), required=True),
            "password2": Field(st.just(STRONG_PASSWORD), st.just(""), required=True),
        }
    ),
    password2=st.one_of(st.none(), passwords),
)
# Found by the thorough profile: the form stripped passwords, which signing in does not.
@example(
    submission=Submission(
        {"name": "Amira Khan", "password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD}, [], []
    ),
    password2=f"{STRONG_PASSWORD} ",
)
def test_accepting_an_invitation_with_a_new_account_refuses_bad_input(
    invitation, submission, password2
):
    password1 = submission.data.get("password1")
    if isinstance(password1, list):
        password1 = password1[-1]  # the form reads the last of several
    if password2 is not None and password1 is not None and password2 != password1:
        submission.data["password2"] = password2
        submission.bad_fields.append("password2")  # the passwords do not match
    with rolled_back():
        client = new_client()
        accepted = submit(
            client, f"/invitations/{INVITATION_TOKEN}/", submission, (*ACCOUNTS, Invitation)
        )
        invitation.refresh_from_db()
        assert (invitation.accepted_at is not None) == accepted


def test_a_password_chosen_on_an_invitation_signs_in_exactly_as_typed(invitation):
    password = f" {STRONG_PASSWORD} "
    client = new_client()
    data = {"name": "Amira Khan", "password1": password, "password2": password}
    assert post(client, f"/invitations/{INVITATION_TOKEN}/", data).status_code == 302

    client = new_client()
    response = post(client, "/accounts/login/", {"login": invitation.email, "password": password})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=invitation.email).pk)
