import pytest
from django.core import mail
from django.urls import reverse

from hub.models import AuditEvent, Invitation, Membership
from tests.factories import InvitationFactory, MembershipFactory


def _members_url(org):
    return reverse("hub:members", kwargs={"org_slug": org.slug})


def test_admin_invites_a_colleague_by_email(
    client_as, org_a, admin_a, django_capture_on_commit_callbacks
):
    client = client_as(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _members_url(org_a), {"email": "Jane.Doe@Example.org", "role": "staff"}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "jane.doe@example.org"
    assert invitation.organisation == org_a
    assert [m.to for m in mail.outbox] == [["jane.doe@example.org"]]
    assert "jane.doe@example.org" in client.get(_members_url(org_a)).text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-email", "role": "staff"}, "Enter a valid email address."),
        ({"email": "", "role": "staff"}, "This field is required."),
        ({"email": "a@example.org", "role": "owner"}, "Select a valid choice."),
    ],
)
def test_bad_invitations_are_refused_on_the_form(client_as, org_a, admin_a, data, message):
    response = client_as(admin_a).post(_members_url(org_a), data)
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem" in response.text
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


def test_an_existing_member_cannot_be_invited_again(client_as, org_a, admin_a, staff_a):
    response = client_as(admin_a).post(
        _members_url(org_a), {"email": staff_a.email, "role": "staff"}
    )
    assert response.status_code == 200
    assert "is already a member" in response.text
    assert not Invitation.objects.exists()


def test_admin_changes_a_colleagues_role_and_it_is_audited(client_as, org_a, admin_a, staff_a):
    membership = staff_a.memberships.get()
    url = reverse(
        "hub:member_change_role", kwargs={"org_slug": org_a.slug, "membership_id": membership.pk}
    )
    client_as(admin_a).post(url, {"role": "admin"})
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    event = AuditEvent.objects.get(action="membership.role_changed")
    assert event.actor == admin_a and event.organisation == org_a


def test_the_last_admin_cannot_step_down_or_be_removed(client_as, org_a, admin_a):
    membership = admin_a.memberships.get()
    client = client_as(admin_a)
    kwargs = {"org_slug": org_a.slug, "membership_id": membership.pk}
    response = client.post(
        reverse("hub:member_change_role", kwargs=kwargs), {"role": "staff"}, follow=True
    )
    assert "must keep at least one admin" in response.text
    client.post(reverse("hub:member_remove", kwargs=kwargs))
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_admin_removes_a_colleague(client_as, org_a, admin_a, staff_a):
    membership = staff_a.memberships.get()
    url = reverse(
        "hub:member_remove", kwargs={"org_slug": org_a.slug, "membership_id": membership.pk}
    )
    client = client_as(admin_a)
    confirm = client.get(url)
    assert f"Remove {staff_a}?" in confirm.text
    assert Membership.objects.filter(pk=membership.pk).exists()  # asking changes nothing
    client.post(url)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="membership.removed").exists()


def test_admin_withdraws_an_invitation(client_as, org_a, admin_a):
    invitation = InvitationFactory(organisation=org_a, invited_by=admin_a)
    url = reverse(
        "hub:invitation_revoke", kwargs={"org_slug": org_a.slug, "invitation_id": invitation.pk}
    )
    client_as(admin_a).post(url)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_members_page_runs_a_fixed_number_of_queries(
    client_as, org_a, admin_a, django_assert_max_num_queries
):
    client = client_as(admin_a)
    client.get(_members_url(org_a))  # warm the session
    MembershipFactory.create_batch(3, organisation=org_a)
    with django_assert_max_num_queries(12) as few:
        client.get(_members_url(org_a))
    MembershipFactory.create_batch(25, organisation=org_a)
    InvitationFactory.create_batch(10, organisation=org_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_members_url(org_a))
    assert response.text.count("Change role") >= 29


def test_organisation_dashboard_shows_head_counts(client_as, org_a, admin_a, staff_a):
    response = client_as(staff_a).get(
        reverse("hub:organisation_dashboard", kwargs={"org_slug": org_a.slug})
    )
    assert response.status_code == 200
    assert org_a.name in response.text
    assert response.context["summary"] == {"members": 2, "admins": 1, "staff": 1, "outreach": 0}


def test_admin_edits_the_organisation_profile(client_as, org_a, admin_a):
    url = reverse("hub:organisation_profile", kwargs={"org_slug": org_a.slug})
    data = {
        "name": org_a.name,
        "kind": "nhs_trust",
        "ods_code": "rr8",
        "description": "Seven hospitals.",
        "website": "https://www.leedsth.nhs.uk/",
        "address": "St James's University Hospital",
        "postcode": "ls9  7tf",
    }
    response = client_as(admin_a).post(url, data)
    assert response.status_code == 302
    org_a.refresh_from_db()
    assert (org_a.ods_code, org_a.postcode) == ("RR8", "LS9 7TF")
    assert AuditEvent.objects.get(action="organisation.updated").data["fields"] == [
        "address",
        "description",
        "ods_code",
        "postcode",
        "website",
    ]


def test_a_taken_ods_code_is_refused_on_the_form(client_as, org_a, org_b, admin_a):
    org_b.ods_code = "RR8"
    org_b.save()
    url = reverse("hub:organisation_profile", kwargs={"org_slug": org_a.slug})
    response = client_as(admin_a).post(
        url, {"name": org_a.name, "kind": "nhs_trust", "ods_code": "RR8"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    org_a.refresh_from_db()
    assert org_a.ods_code == ""


def test_a_logo_that_is_not_an_image_is_refused(client_as, org_a, admin_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("hub:organisation_profile", kwargs={"org_slug": org_a.slug})
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = client_as(admin_a).post(url, {"name": org_a.name, "kind": "nhs_trust", "logo": fake})
    assert response.status_code == 200
    assert "Upload a valid image" in response.text
    org_a.refresh_from_db()
    assert not org_a.logo


def test_a_person_in_two_organisations_switches_the_acting_one(client_as, org_a, org_b, staff_a):
    MembershipFactory(organisation=org_b, user=staff_a)
    client = client_as(staff_a)
    response = client.post(reverse("hub:switch_organisation"), {"organisation": org_b.slug})
    assert response.url == reverse("hub:organisation_dashboard", kwargs={"org_slug": org_b.slug})
    assert client.get(reverse("hub:dashboard")).url == response.url
    page = client.get(response.url)
    assert "Acting for" in page.text or org_b.name in page.text


def test_switching_to_an_organisation_you_do_not_belong_to_is_refused(
    client_as, org_a, org_b, staff_a
):
    client = client_as(staff_a)
    response = client.post(reverse("hub:switch_organisation"), {"organisation": org_b.slug})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert client.get(reverse("hub:dashboard")).url.endswith(f"/manage/{org_a.slug}/")


def test_a_refused_profile_edit_keeps_the_saved_name_in_the_header(client_as, org_a, admin_a):
    url = reverse("hub:organisation_profile", kwargs={"org_slug": org_a.slug})
    response = client_as(admin_a).post(url, {"name": "Renamed Trust", "kind": "not-a-kind"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert response.context["request"].organisation.name == org_a.name
    org_a.refresh_from_db()
    assert org_a.name != "Renamed Trust"
