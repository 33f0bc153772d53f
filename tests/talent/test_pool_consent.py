"""Consent in the shared talent pool: joining needs an explicit, dated consent whose
wording is kept; without it nobody sees the profile; leaving takes effect at once and
rejoining needs fresh consent; every look at a profile by partner staff is written to the
audit log; an unsuccessful candidate is offered the pool by email and on their page."""

import pytest
from django.urls import reverse

from hub.models import AuditEvent, Membership
from talent.models import PoolInvitation, TalentPoolProfile
from talent.services.pipeline import application_move
from talent.services.pool import POOL_CONSENT_WORDING
from tests.factories import ApplicationFactory, UserFactory, VacancyFactory
from tests.talent.mobility_builders import make_pool_profile

JOIN = reverse("pool_candidate:profile")
LEAVE = reverse("pool_candidate:leave")

PROFILE_FORM = {
    "headline": "Care worker with three years' experience",
    "skills": "Personal care, dementia care, medication prompting",
    "staff_groups": ["social-care"],
    "needs": ["no_nights"],
    "max_hours_per_week": "30",
    "postcode_district": "ls12 3ab",
    "available_from": "",
}


def _search(org):
    return reverse("pool:search", kwargs={"org_slug": org.slug})


def _profile_url(org, profile):
    return reverse("pool:profile", kwargs={"org_slug": org.slug, "profile_id": profile.pk})


def _found(client, org) -> list[int]:
    """The ids of the profiles a search of the whole pool lists."""
    response = client.get(_search(org))
    assert response.status_code == 200
    return [profile.pk for profile in response.context["page"].object_list]


# --- Joining ------------------------------------------------------------------------------


def test_joining_without_ticking_consent_is_refused_and_stores_nothing(client_as, candidate):
    response = client_as(candidate).post(JOIN, PROFILE_FORM)
    assert response.status_code == 200
    assert "Tick the box to agree that partner organisations may see your profile" in (
        response.text
    )
    assert not TalentPoolProfile.objects.exists()


def test_joining_with_consent_stores_its_wording_and_date_and_the_profile(client_as, candidate):
    response = client_as(candidate).post(JOIN, {**PROFILE_FORM, "consent": "on"})
    assert response.status_code == 302
    profile = TalentPoolProfile.objects.get(user=candidate)
    assert profile.is_in_pool
    assert profile.consent_wording == POOL_CONSENT_WORDING
    assert profile.consent_given_at is not None
    assert profile.joined == TalentPoolProfile.Joined.OWN_CHOICE
    assert profile.postcode_district == "LS12"
    assert profile.no_nights and not profile.no_weekends
    assert profile.max_hours_per_week == 30
    assert [group.slug for group in profile.staff_groups.all()] == ["social-care"]
    event = AuditEvent.objects.get(action="talent_pool.joined")
    assert event.actor == candidate


def test_the_consent_wording_is_shown_next_to_the_box(client_as, candidate):
    response = client_as(candidate).get(JOIN)
    assert POOL_CONSENT_WORDING in response.text
    assert "Join the talent pool" in response.text


def test_a_nonsense_postcode_district_is_a_form_error(client_as, candidate):
    response = client_as(candidate).post(
        JOIN, {**PROFILE_FORM, "postcode_district": "not a postcode", "consent": "on"}
    )
    assert "Enter a postcode district, like LS9" in response.text
    assert not TalentPoolProfile.objects.exists()


def test_changing_the_profile_in_the_pool_keeps_the_original_consent(client_as, candidate):
    profile = make_pool_profile(candidate)
    given = profile.consent_given_at
    response = client_as(candidate).post(JOIN, {**PROFILE_FORM, "headline": "Senior carer"})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.headline == "Senior carer"
    assert profile.consent_given_at == given


# --- Without consent, nobody sees the profile ------------------------------------------------


def test_a_profile_without_consent_is_neither_found_nor_opened(client_as, org_a, staff_a):
    never_consented = make_pool_profile(in_pool=False)
    consented = make_pool_profile()
    client = client_as(staff_a)
    assert _found(client, org_a) == [consented.pk]
    assert client.get(_profile_url(org_a, never_consented)).status_code == 404
    assert client.get(_profile_url(org_a, consented)).status_code == 200


# --- Leaving ------------------------------------------------------------------------------


def test_leaving_takes_the_profile_out_of_every_search_and_page_at_once(
    client, org_a, staff_a, candidate
):
    profile = make_pool_profile(candidate)
    client.force_login(staff_a)
    assert _found(client, org_a) == [profile.pk]

    client.force_login(candidate)
    response = client.post(LEAVE, {})
    assert response.status_code == 302

    profile.refresh_from_db()
    assert profile.consent_withdrawn_at is not None
    client.force_login(staff_a)
    assert _found(client, org_a) == []
    assert client.get(_profile_url(org_a, profile)).status_code == 404
    invite = reverse("pool:invite", kwargs={"org_slug": org_a.slug, "profile_id": profile.pk})
    assert client.get(invite).status_code == 404
    assert AuditEvent.objects.filter(action="talent_pool.left", actor=candidate).count() == 1


def test_leaving_keeps_the_profile_and_rejoining_needs_fresh_consent(client_as, candidate):
    profile = make_pool_profile(candidate)
    first_consent = profile.consent_given_at
    client = client_as(candidate)
    client.post(LEAVE, {})

    page = client.get(JOIN)
    assert "You left the talent pool" in page.text
    assert "Rejoin the talent pool" in page.text

    refused = client.post(JOIN, PROFILE_FORM)
    assert "Tick the box to agree" in refused.text
    profile.refresh_from_db()
    assert not profile.is_in_pool

    client.post(JOIN, {**PROFILE_FORM, "consent": "on"})
    profile.refresh_from_db()
    assert profile.is_in_pool
    assert profile.consent_given_at > first_consent


def test_leaving_can_delete_the_profile_and_its_invitations(client_as, candidate, org_a):
    profile = make_pool_profile(candidate)
    PoolInvitation.objects.create(
        profile=profile, vacancy=VacancyFactory(organisation=org_a), organisation=org_a
    )
    response = client_as(candidate).post(LEAVE, {"delete_profile": "on"})
    assert response.status_code == 302
    assert not TalentPoolProfile.objects.exists()
    assert not PoolInvitation.objects.exists()
    assert AuditEvent.objects.filter(action="talent_pool.profile_deleted").count() == 1


def test_someone_signed_out_is_asked_to_sign_in(client):
    for url in (JOIN, LEAVE, reverse("pool_candidate:invitations")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


# --- Every look at a profile is logged --------------------------------------------------------


def test_every_view_of_a_profile_writes_one_audit_event_with_the_viewers_organisation(
    client_as, org_a, org_b, staff_a, member_b
):
    profile = make_pool_profile()
    client_as(staff_a).get(_profile_url(org_a, profile))
    client_as(staff_a).get(_profile_url(org_a, profile))
    client_as(member_b).get(_profile_url(org_b, profile))

    events = AuditEvent.objects.filter(action="talent_pool.profile_viewed").order_by("pk")
    assert [(event.actor, event.organisation) for event in events] == [
        (staff_a, org_a),
        (staff_a, org_a),
        (member_b, org_b),
    ]
    assert {event.object_id for event in events} == {str(profile.pk)}


def test_searching_writes_no_view_and_shows_no_names_or_contact_details(client_as, org_a, staff_a):
    person = UserFactory(name="Olivia Marsh", email="olivia.marsh@example.org")
    make_pool_profile(person, headline="Porter keen to become a healthcare assistant")
    response = client_as(staff_a).get(_search(org_a))
    assert "Porter keen to become a healthcare assistant" in response.text
    assert "Olivia Marsh" not in response.text
    assert not AuditEvent.objects.filter(action="talent_pool.profile_viewed").exists()


def test_the_profile_shows_the_name_but_never_the_email_address(client_as, org_a, staff_a):
    person = UserFactory(name="Olivia Marsh", email="olivia.marsh@example.org")
    profile = make_pool_profile(person, no_weekends=True, max_hours_per_week=20)
    response = client_as(staff_a).get(_profile_url(org_a, profile))
    assert "Olivia Marsh" in response.text
    assert "Cannot work weekends" in response.text
    assert "At most 20 hours a week" in response.text
    assert "olivia.marsh@example.org" not in response.text


def test_outreach_workers_cannot_search_the_pool(client_as, org_a):
    from tests.factories import MembershipFactory

    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    assert client_as(outreach).get(_search(org_a)).status_code == 403


# --- The offer to an unsuccessful candidate -----------------------------------------------


@pytest.fixture
def application(org_a, candidate):
    return ApplicationFactory(
        vacancy=VacancyFactory(organisation=org_a, title="Healthcare assistant"),
        candidate=candidate,
    )


def _reject(application, staff, org):
    return application_move(
        application=application,
        to_stage="rejected",
        actor=staff,
        membership=Membership.objects.get(user=staff, organisation=org),
        rejection_reason="others_stronger",
    )


def test_the_rejection_email_offers_the_talent_pool(
    application, org_a, staff_a, django_capture_on_commit_callbacks, mailoutbox, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        _reject(application, staff_a, org_a)
    [email] = mailoutbox
    link = f"{settings.SITE_URL}{JOIN}?from=rejection"
    assert "Join the shared talent pool" in email.body
    assert link in email.body
    assert f'href="{link}"' in email.alternatives[0][0]


def test_the_unsuccessful_application_page_offers_the_pool_and_others_do_not(
    client_as, application, org_a, staff_a, candidate
):
    page = reverse("candidate:application", kwargs={"application_id": application.pk})
    client = client_as(candidate)
    assert f"{JOIN}?from=rejection" not in client.get(page).text
    _reject(application, staff_a, org_a)
    assert f"{JOIN}?from=rejection" in client.get(page).text


def test_joining_from_the_rejection_offer_is_recorded_as_after_a_rejection(
    client_as, application, org_a, staff_a, candidate
):
    _reject(application, staff_a, org_a)
    client = client_as(candidate)
    offer = client.get(f"{JOIN}?from=rejection")
    assert "not successful this time" in offer.text
    client.post(f"{JOIN}?from=rejection", {**PROFILE_FORM, "consent": "on"})
    profile = TalentPoolProfile.objects.get(user=candidate)
    assert profile.joined == TalentPoolProfile.Joined.AFTER_REJECTION


def test_the_rejection_link_alone_does_not_count_someone_never_rejected(client_as, candidate):
    client_as(candidate).post(f"{JOIN}?from=rejection", {**PROFILE_FORM, "consent": "on"})
    profile = TalentPoolProfile.objects.get(user=candidate)
    assert profile.joined == TalentPoolProfile.Joined.OWN_CHOICE


# --- The Django admin -----------------------------------------------------------------------


def test_hub_admins_see_each_profiles_consent_but_cannot_change_it(client_as, org_a):
    hub_admin = UserFactory(is_staff=True, is_superuser=True, totp=True)
    in_pool = make_pool_profile(headline="Still in")
    make_pool_profile(headline="Gone", consent_withdrawn_at=in_pool.consent_given_at)
    PoolInvitation.objects.create(
        profile=in_pool, vacancy=VacancyFactory(organisation=org_a), organisation=org_a
    )
    client = client_as(hub_admin)
    changelist = client.get(reverse("admin:talent_talentpoolprofile_changelist"))
    assert "In the pool since" in changelist.text and "Left on" in changelist.text
    left = client.get(reverse("admin:talent_talentpoolprofile_changelist"), {"consent": "left"})
    assert "Gone" in left.text and "Still in" not in left.text
    change = reverse("admin:talent_talentpoolprofile_change", args=[in_pool.pk])
    assert client.get(change).status_code == 200
    client.post(change, {"headline": "Changed by an admin"})
    in_pool.refresh_from_db()
    assert in_pool.headline == "Still in"
    invitations = client.get(reverse("admin:talent_poolinvitation_changelist"))
    assert invitations.status_code == 200
    invitation = PoolInvitation.objects.get()
    detail = reverse("admin:talent_poolinvitation_change", args=[invitation.pk])
    assert client.get(detail).status_code == 200
