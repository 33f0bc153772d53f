"""Creating, changing and reading campaigns: the lead organisation creates and changes
them, partners see them, outreach workers only reach quick capture."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, TrackingLink
from campaigns.services.campaigns import campaign_create, code_base
from hub.models import AuditEvent, Membership
from talent.models import Vacancy
from tests.campaigns.builders import (
    make_booking,
    make_campaign,
    make_engagement,
    make_event,
    make_neighbourhood,
)
from tests.factories import MembershipFactory, OrganisationFactory, VacancyFactory


@pytest.fixture
def outreach_a(org_a):
    return MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user


@pytest.fixture
def armley(db):
    return make_neighbourhood("Armley", sectors=("LS12 2", "LS12 3"))


def _url(name, org, **kwargs):
    return reverse(f"campaigns:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _form(neighbourhood, **changes):
    today = timezone.localdate()
    data = {
        "name": "Armley and New Wortley",
        "summary": "Health and care careers for people in Armley.",
        "neighbourhoods": [neighbourhood.pk],
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(days=90)).isoformat(),
        "target_roles": "Healthcare assistants",
        "goal_engaged": "400",
        "goal_attended": "100",
        "goal_applied": "60",
        "goal_outcomes": "40",
        "is_public": "on",
    }
    return data | changes


# --- Creating -------------------------------------------------------------------------------


def test_staff_create_a_campaign_their_organisation_leads_with_a_readable_code(
    client_as, org_a, org_b, staff_a, armley
):
    vacancy = VacancyFactory(organisation=org_a)
    data = _form(armley, partner_organisations=[org_b.pk], vacancies=[vacancy.pk])
    response = client_as(staff_a).post(_url("campaign_create", org_a), data)

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == _url("campaign_detail", org_a, campaign_id=campaign.pk)
    assert campaign.lead_organisation == org_a
    assert list(campaign.partner_organisations.all()) == [org_b]
    assert list(campaign.neighbourhoods.all()) == [armley]
    assert list(campaign.vacancies.all()) == [vacancy]
    assert (campaign.goal_engaged, campaign.goal_outcomes) == (400, 40)
    assert campaign.slug == "armley-and-new-wortley"
    link = campaign.links.get()
    assert (link.label, link.code, link.destination) == (
        "Campaign code",
        "ARMLEY-NEW-WORTLEY",
        TrackingLink.Destination.CAMPAIGN,
    )
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"campaign.created", "campaign.link_created"} <= actions


def test_a_code_already_taken_gets_a_number(client_as, org_a, staff_a, armley):
    make_campaign(org_a, code="armley-new-wortley")  # taken, in another letter case
    client_as(staff_a).post(_url("campaign_create", org_a), _form(armley))
    client_as(staff_a).post(_url("campaign_create", org_a), _form(armley))

    new = Campaign.objects.filter(name="Armley and New Wortley").order_by("created_at")
    assert [campaign.links.get().code for campaign in new] == [
        "ARMLEY-NEW-WORTLEY-2",
        "ARMLEY-NEW-WORTLEY-3",
    ]
    assert [campaign.slug for campaign in new] == [
        "armley-and-new-wortley",
        "armley-and-new-wortley-2",
    ]


def test_a_long_name_makes_a_code_that_still_fits_with_a_number():
    code = code_base("Connecting Communities with Health and Care Careers in Lincoln Green")
    assert code == "CONNECTING-COMMUNITIES-HEALTH-CARE"
    assert len(f"{code}-99") <= 40


def test_a_campaign_cannot_end_before_it_starts(client_as, org_a, staff_a, armley):
    today = timezone.localdate()
    data = _form(armley, ends_on=(today - datetime.timedelta(days=1)).isoformat())
    response = client_as(staff_a).post(_url("campaign_create", org_a), data)
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.text
    assert not Campaign.objects.exists()
    assert not TrackingLink.objects.exists()


def test_a_campaign_needs_a_neighbourhood(client_as, org_a, staff_a, armley):
    response = client_as(staff_a).post(
        _url("campaign_create", org_a), _form(armley, neighbourhoods=[])
    )
    assert "Choose at least one neighbourhood the campaign is aimed at" in response.text
    assert not Campaign.objects.exists()


def test_a_vacancy_of_an_organisation_outside_the_campaign_cannot_be_linked(
    client_as, org_a, org_b, staff_a, armley
):
    outsider = VacancyFactory(organisation=org_b)
    response = client_as(staff_a).post(
        _url("campaign_create", org_a), _form(armley, vacancies=[outsider.pk])
    )
    assert "Choose vacancies from the list" in response.text
    assert not Campaign.objects.exists()


def test_a_partners_published_vacancy_can_be_linked_when_it_is_ticked_as_partner(
    client_as, org_a, org_b, staff_a, armley
):
    theirs = VacancyFactory(organisation=org_b)
    data = _form(armley, partner_organisations=[org_b.pk], vacancies=[theirs.pk])
    client_as(staff_a).post(_url("campaign_create", org_a), data)
    assert list(Campaign.objects.get().vacancies.all()) == [theirs]


def test_the_service_refuses_unpublished_vacancies_and_outsiders(org_a, org_b, staff_a, armley):
    draft = VacancyFactory(organisation=org_a, status=Vacancy.Status.DRAFT, published_at=None)
    today = timezone.localdate()
    base = {
        "organisation": org_a,
        "actor": staff_a,
        "name": "Lincoln Green",
        "starts_on": today,
        "ends_on": today,
        "neighbourhoods": [armley],
    }
    with pytest.raises(ValidationError, match="is not published"):
        campaign_create(**base, vacancies=[draft])
    with pytest.raises(ValidationError, match="not a vacancy of the lead or a partner"):
        campaign_create(**base, vacancies=[VacancyFactory(organisation=org_b)])
    with pytest.raises(ValidationError, match="leads the campaign"):
        campaign_create(**base, partner_organisations=[org_a])
    assert not Campaign.objects.exists()


# --- Changing -------------------------------------------------------------------------------


def test_the_lead_changes_its_campaign_and_the_code_stays(client_as, org_a, org_b, staff_a, armley):
    campaign = make_campaign(org_a, name="Old name", code="OLD-CODE", neighbourhoods=[armley])
    slug = campaign.slug
    data = _form(armley, name="Lincoln Green careers", partner_organisations=[org_b.pk])
    response = client_as(staff_a).post(_url("campaign_edit", org_a, campaign_id=campaign.pk), data)

    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Lincoln Green careers"
    assert campaign.slug == slug
    assert campaign.links.get().code == "OLD-CODE"
    assert list(campaign.partner_organisations.all()) == [org_b]
    audit = AuditEvent.objects.get(action="campaign.updated")
    assert audit.data["partners_added"] == [org_b.pk]
    assert "name" in audit.data["fields"]


def test_the_edit_form_shows_the_campaign_as_it_is(client_as, org_a, staff_a, armley):
    campaign = make_campaign(org_a, name="Clifton and Nowells", goal_applied=70)
    response = client_as(staff_a).get(_url("campaign_edit", org_a, campaign_id=campaign.pk))
    assert 'value="Clifton and Nowells"' in response.text
    assert 'value="70"' in response.text


def test_the_edit_form_ticks_many_links_in_at_most_ten_queries(
    client_as, org_a, staff_a, django_assert_max_num_queries
):
    partners = [OrganisationFactory() for _ in range(30)]
    neighbourhoods = [make_neighbourhood(f"Ward {n}", sectors=()) for n in range(30)]
    vacancies = [VacancyFactory(organisation=org_a) for _ in range(30)]
    campaign = make_campaign(org_a, partners=partners, neighbourhoods=neighbourhoods)
    campaign.vacancies.set(vacancies)
    client = client_as(staff_a)
    url = _url("campaign_edit", org_a, campaign_id=campaign.pk)
    client.get(url)

    with django_assert_max_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200
    # Every partner, neighbourhood and vacancy ticked, and "give it a public page".
    assert response.text.count(" checked") == 3 * 30 + 1


def test_a_partner_cannot_change_the_campaign(client_as, org_a, org_b, member_b, armley):
    campaign = make_campaign(org_a, name="Led by A", partners=[org_b])
    url = _url("campaign_edit", org_b, campaign_id=campaign.pk)
    client = client_as(member_b)

    response = client.get(url)
    assert response.status_code == 403
    assert f"Only the lead organisation, {org_a.name}, can change this campaign" in response.text
    assert client.post(url, _form(armley, name="Taken over")).status_code == 403
    campaign.refresh_from_db()
    assert campaign.name == "Led by A"


def test_a_partner_sees_the_campaign_without_the_change_button(client_as, org_a, org_b, member_b):
    campaign = make_campaign(org_a, partners=[org_b])
    response = client_as(member_b).get(_url("campaign_detail", org_b, campaign_id=campaign.pk))
    assert response.status_code == 200
    assert f"led by {org_a.name}" in response.text
    assert _url("campaign_edit", org_b, campaign_id=campaign.pk) not in response.text


# --- Reading --------------------------------------------------------------------------------


def test_the_list_shows_campaigns_led_and_partnered_with_their_counts(
    client_as, org_a, org_b, staff_a
):
    led = make_campaign(org_a, name="Led by us")
    partnered = make_campaign(org_b, name="Partner in this", partners=[org_a])
    make_campaign(org_b, name="Not ours")
    for _ in range(3):
        make_engagement(led)
    attended = make_engagement(partnered)
    make_booking(make_event(partnered), attended.resident, attended=True)

    response = client_as(staff_a).get(_url("campaign_list", org_a))
    assert "Led by us" in response.text
    assert "Partner in this" in response.text
    assert "Not ours" not in response.text
    assert f"Led by {org_b.name}" in response.text
    assert "Campaigns (2)" in response.text
    assert "Engaged </span>3</td>" in response.text
    assert "Attended </span>1</td>" in response.text


def test_outreach_workers_see_the_list_with_only_the_capture_link(client_as, org_a, outreach_a):
    campaign = make_campaign(org_a, name="Armley outreach")
    client = client_as(outreach_a)
    response = client.get(_url("campaign_list", org_a))
    assert response.status_code == 200
    assert _url("capture", org_a, campaign_id=campaign.pk) in response.text
    assert f'href="{_url("campaign_detail", org_a, campaign_id=campaign.pk)}"' not in response.text
    assert _url("campaign_create", org_a) not in response.text
    assert client.get(_url("campaign_create", org_a)).status_code == 403
    assert client.get(_url("campaign_detail", org_a, campaign_id=campaign.pk)).status_code == 403


def test_the_overview_shows_goals_against_the_funnel_and_upcoming_events(client_as, org_a, staff_a):
    campaign = make_campaign(org_a, goal_engaged=4, goal_applied=10)
    webinar = make_event(campaign, title="Employment webinar in March")
    make_event(campaign, title="Last year's visit", days_ahead=-30)
    for _ in range(2):
        make_engagement(campaign)
    applicant = make_engagement(campaign, applied_on=timezone.localdate())
    make_booking(webinar, applicant.resident)

    response = client_as(staff_a).get(_url("campaign_detail", org_a, campaign_id=campaign.pk))
    text = response.text
    assert "Employment webinar in March" in text
    assert "Last year's visit" not in text
    assert (
        reverse(
            "campaign_events:event_detail", kwargs={"org_slug": org_a.slug, "event_id": webinar.pk}
        )
        in text
    )
    # 3 engaged of a goal of 4; 1 applied of 10.
    assert ">3</td>" in text and ">4</td>" in text and "75%" in text
    assert "10%" in text
    assert campaign.links.get().code in text


def _grow(campaign, org, n):
    """n more partners, neighbourhoods, linked vacancies, events and residents."""
    campaign.partner_organisations.add(*OrganisationFactory.create_batch(n))
    campaign.neighbourhoods.add(
        *[
            make_neighbourhood(f"Place {campaign.neighbourhoods.count()}-{i}", sectors=())
            for i in range(n)
        ]
    )
    campaign.vacancies.add(*VacancyFactory.create_batch(n, organisation=org))
    for _ in range(n):
        make_event(campaign)
        make_engagement(campaign)


def test_the_overview_runs_a_fixed_number_of_queries(
    client_as, org_a, staff_a, django_assert_max_num_queries
):
    campaign = make_campaign(org_a)
    _grow(campaign, org_a, 1)
    client = client_as(staff_a)
    url = _url("campaign_detail", org_a, campaign_id=campaign.pk)
    client.get(url)
    with django_assert_max_num_queries(10) as few:
        client.get(url)
    _grow(campaign, org_a, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.text.count("run by") == 9


def test_the_organisation_dashboard_links_to_campaigns(client_as, org_a, outreach_a, staff_a):
    for user in (staff_a, outreach_a):
        response = client_as(user).get(
            reverse("hub:organisation_dashboard", kwargs={"org_slug": org_a.slug})
        )
        assert _url("campaign_list", org_a) in response.text
