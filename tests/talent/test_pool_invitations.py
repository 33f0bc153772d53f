"""Invitations to apply from the talent pool: HR staff choose one of their live vacancies
and write a message; the candidate is emailed through the outbox and sees it in their
area, where they apply or decline. One invitation per vacancy, none once applied."""

import pytest
from django.urls import reverse

from hub.models import AuditEvent
from talent.models import PoolInvitation, TalentPoolProfile, Vacancy
from tests.factories import ApplicationFactory, UserFactory, VacancyFactory
from tests.talent.mobility_builders import make_pool_profile

INVITATIONS = reverse("pool_candidate:invitations")


@pytest.fixture
def person(db):
    return UserFactory(name="Olivia Marsh", email="olivia.marsh@example.org")


@pytest.fixture
def profile(person):
    return make_pool_profile(person)


@pytest.fixture
def vacancy(org_a):
    return VacancyFactory(organisation=org_a, title="Bank healthcare assistant", reference="B-1")


def _invite_url(org, profile):
    return reverse("pool:invite", kwargs={"org_slug": org.slug, "profile_id": profile.pk})


def _invite(client, org, profile, vacancy, message="Your care experience suits our bank."):
    return client.post(_invite_url(org, profile), {"vacancy": vacancy.pk, "message": message})


def test_an_invitation_is_emailed_with_its_message_and_a_link_to_the_candidates_area(
    client_as,
    org_a,
    staff_a,
    profile,
    vacancy,
    mailoutbox,
    settings,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_as(staff_a), org_a, profile, vacancy)
    assert response.status_code == 302
    invitation = PoolInvitation.objects.get()
    assert (invitation.vacancy, invitation.organisation, invitation.invited_by) == (
        vacancy,
        org_a,
        staff_a,
    )
    [email] = mailoutbox
    assert email.to == ["olivia.marsh@example.org"]
    assert email.subject == (
        "Leeds Teaching Hospitals NHS Trust invites you to apply for Bank healthcare assistant"
    )
    assert "Your care experience suits our bank." in email.body
    assert f"{settings.SITE_URL}{INVITATIONS}" in email.body
    assert f'href="{settings.SITE_URL}{INVITATIONS}"' in email.alternatives[0][0]
    event = AuditEvent.objects.get(action="talent_pool.invitation_sent")
    assert (event.actor, event.organisation) == (staff_a, org_a)


def test_the_invitation_shows_in_the_candidates_area_with_an_apply_link(
    client, org_a, staff_a, person, profile, vacancy
):
    client.force_login(staff_a)
    _invite(client, org_a, profile, vacancy)
    client.force_login(person)
    page = client.get(INVITATIONS)
    assert "Bank healthcare assistant" in page.text
    assert "Leeds Teaching Hospitals NHS Trust" in page.text
    assert "Your care experience suits our bank." in page.text
    assert reverse("candidate:apply", kwargs={"pk": vacancy.pk}) in page.text
    assert ">New</strong>" in page.text
    assert PoolInvitation.objects.get().seen_at is not None
    assert ">New</strong>" not in client.get(INVITATIONS).text


def test_the_candidates_area_links_to_the_pool_and_the_invitations(client_as, person):
    page = client_as(person).get(reverse("candidate:applications"))
    assert reverse("pool_candidate:profile") in page.text
    assert INVITATIONS in page.text


def test_inviting_twice_to_the_same_vacancy_is_refused_clearly(
    client_as, org_a, staff_a, profile, vacancy, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_as(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, org_a, profile, vacancy)
        response = _invite(client, org_a, profile, vacancy)
    assert response.status_code == 200
    assert "This person was already invited to apply for Bank healthcare assistant" in (
        response.text
    )
    assert PoolInvitation.objects.count() == 1
    assert len(mailoutbox) == 1


def test_someone_who_already_applied_is_not_invited(
    client_as,
    org_a,
    staff_a,
    person,
    profile,
    vacancy,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    ApplicationFactory(vacancy=vacancy, candidate=person)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client_as(staff_a), org_a, profile, vacancy)
    assert "This person has already applied for Bank healthcare assistant" in response.text
    assert not PoolInvitation.objects.exists()
    assert mailoutbox == []


def test_only_the_organisations_own_live_vacancies_can_be_chosen(
    client_as, org_a, org_b, staff_a, profile
):
    closed = VacancyFactory(organisation=org_a, title="Closed job", status=Vacancy.Status.CLOSED)
    theirs = VacancyFactory(organisation=org_b, title="Council job")
    live = VacancyFactory(organisation=org_a, title="Live job")
    client = client_as(staff_a)
    page = client.get(_invite_url(org_a, profile))
    assert "Live job" in page.text
    assert "Closed job" not in page.text and "Council job" not in page.text
    for vacancy in (closed, theirs):
        response = _invite(client, org_a, profile, vacancy)
        assert "Choose one of your live vacancies" in response.text
    assert not PoolInvitation.objects.filter(vacancy__in=[closed, theirs]).exists()
    assert _invite(client, org_a, profile, live).status_code == 302


def test_without_a_live_vacancy_the_page_says_there_is_nothing_to_invite_to(
    client_as, org_a, staff_a, profile
):
    page = client_as(staff_a).get(_invite_url(org_a, profile))
    assert page.status_code == 200
    assert "has no vacancies open for applications" in page.text


def test_the_profile_page_shows_what_came_of_the_organisations_invitations(
    client_as, org_a, org_b, staff_a, person, profile, vacancy, django_assert_max_num_queries
):
    other = VacancyFactory(organisation=org_a, title="Porter")
    theirs = VacancyFactory(organisation=org_b, title="Council care worker")
    for invited_to, organisation in ((vacancy, org_a), (other, org_a), (theirs, org_b)):
        PoolInvitation.objects.create(
            profile=profile, vacancy=invited_to, organisation=organisation
        )
    ApplicationFactory(vacancy=vacancy, candidate=person)
    url = reverse("pool:profile", kwargs={"org_slug": org_a.slug, "profile_id": profile.pk})
    client = client_as(staff_a)
    client.get(url)  # the first visit records the acting organisation in the session
    with django_assert_max_num_queries(8):
        invitations = client.get(url).context["invitations"]
    assert [(i.vacancy.title, i.has_applied) for i in invitations] == [
        ("Porter", False),
        ("Bank healthcare assistant", True),
    ]


def test_the_candidate_declines_their_own_invitation(client_as, org_a, person, profile, vacancy):
    invitation = PoolInvitation.objects.create(profile=profile, vacancy=vacancy, organisation=org_a)
    decline = reverse("pool_candidate:invitation_decline", kwargs={"invitation_id": invitation.pk})
    response = client_as(person).post(decline)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.declined_at is not None
    assert "You said you are not interested" in client_as(person).get(INVITATIONS).text
    event = AuditEvent.objects.get(action="talent_pool.invitation_declined")
    assert (event.actor, event.organisation) == (person, org_a)


def test_someone_elses_invitation_cannot_be_declined(client_as, org_a, profile, vacancy):
    invitation = PoolInvitation.objects.create(profile=profile, vacancy=vacancy, organisation=org_a)
    decline = reverse("pool_candidate:invitation_decline", kwargs={"invitation_id": invitation.pk})
    intruder = UserFactory()
    make_pool_profile(intruder)
    assert client_as(intruder).post(decline).status_code == 404
    invitation.refresh_from_db()
    assert invitation.declined_at is None


def test_the_candidates_invitations_page_runs_a_fixed_number_of_queries(
    client_as, org_a, person, profile, django_assert_max_num_queries
):
    for n in range(6):
        PoolInvitation.objects.create(
            profile=profile,
            vacancy=VacancyFactory(organisation=org_a, title=f"Job {n}"),
            organisation=org_a,
        )
    client = client_as(person)
    with django_assert_max_num_queries(8):
        response = client.get(INVITATIONS)
    assert response.text.count("Not interested<span") == 6


def test_the_demo_candidate_is_in_the_pool_with_an_invitation_from_leeds_teaching_hospitals(
    db,
):
    from hub.demo import seed_demo as seed_hub
    from talent.demo import seed_demo as seed_talent

    seed_hub()
    created = seed_talent()
    assert (created["pool_profiles"], created["pool_invitations"]) == (5, 1)
    invitation = PoolInvitation.objects.select_related("profile__user", "organisation").get()
    assert invitation.profile.user.email == "candidate@example.org"
    assert invitation.organisation.name == "Leeds Teaching Hospitals NHS Trust"
    profiles = TalentPoolProfile.objects
    assert profiles.in_pool().count() == 4
    assert profiles.get(user__email="daniel.osei@example.org").consent_withdrawn_at is not None
    after_rejection = profiles.get(joined=TalentPoolProfile.Joined.AFTER_REJECTION)
    assert after_rejection.user.email == "megan.clarke@example.org"
    again = seed_talent()
    assert (again["pool_profiles"], again["pool_invitations"]) == (0, 0)
