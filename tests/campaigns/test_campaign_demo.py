"""The campaigns demo: built on hub's, talent's and portability's demos, once, with the
published campaign 1 figures and a campaign running now with something to sign up for."""

import pytest
from django.urls import reverse

from campaigns.demo import CAMPAIGN_1, CAMPAIGN_2, CAMPAIGN_3
from campaigns.demo import seed_demo as seed_campaigns
from campaigns.models import (
    Campaign,
    ContactConsent,
    Engagement,
    Event,
    EventBooking,
    Neighbourhood,
    PostcodeSector,
    Resident,
    TrackingLink,
)
from campaigns.selectors.funnel import campaign_funnel, course_cohorts, funnel_by_decile
from hub.demo import seed_demo as seed_hub
from portability.demo import seed_demo as seed_portability
from talent.demo import seed_demo as seed_talent

CAMPAIGN_MODELS = (
    Neighbourhood,
    PostcodeSector,
    Campaign,
    Event,
    Resident,
    ContactConsent,
    Engagement,
    EventBooking,
    TrackingLink,
)


def _seed():
    seed_hub()
    seed_talent()
    seed_portability()
    return seed_campaigns()


def _counts():
    return {model.__name__: model.objects.count() for model in CAMPAIGN_MODELS}


@pytest.fixture
def seeded(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = _seed()
    return created


def test_seeding_twice_creates_the_campaigns_demo_once(seeded):
    first = _counts()
    again = seed_campaigns()
    assert _counts() == first
    assert set(again.values()) == {0}
    assert seeded["campaigns"] == first["Campaign"] == 3
    assert seeded["neighbourhoods"] == first["Neighbourhood"] == 7
    assert seeded["residents"] == first["Resident"] == first["Engagement"]


def test_campaign_one_has_the_published_funnel(seeded):
    campaign = Campaign.objects.get(name=CAMPAIGN_1)
    counts = campaign_funnel(campaign)
    assert (counts.engaged, counts.attended, counts.applied, counts.outcomes) == (468, 118, 70, 40)
    assert counts.started_job + counts.started_training + counts.employability_support == 40
    assert campaign.lead_organisation.name == "Leeds and York Partnership NHS Foundation Trust"
    assert {n.name for n in campaign.neighbourhoods.all()} == {"Armley", "New Wortley"}


def test_campaign_two_tours_east_leeds_with_a_course_cohort(seeded):
    campaign = Campaign.objects.get(name=CAMPAIGN_2)
    assert {n.name for n in campaign.neighbourhoods.all()} == {
        "Clifton and Nowells",
        "Lincoln Green",
        "Boggart Hill",
    }
    kinds = set(campaign.events.values_list("kind", flat=True))
    assert {
        Event.Kind.SCHOOL_VISIT,
        Event.Kind.COMMUNITY_SESSION,
        Event.Kind.WORK_EXPERIENCE,
    } <= kinds
    [cohort] = course_cohorts(campaign)
    assert (cohort.started, cohort.completed, cohort.into_work) == (14, 11, 6)
    deciles = {row.label for row in funnel_by_decile(campaign)}
    assert {"Decile 1", "Decile 5", "Decile 9"} <= deciles


def test_residents_without_consent_have_no_contact_details_kept(seeded):
    without = Resident.objects.exclude(pk__in=ContactConsent.objects.values("resident"))
    assert without.exists()
    assert not without.exclude(email="", phone="").exists()
    assert Resident.objects.with_consent().count() > Resident.objects.count() * 0.8


def test_the_running_campaign_has_events_to_sign_up_for_and_links(seeded, client):
    campaign = Campaign.objects.get(name=CAMPAIGN_3)
    page = client.get(campaign.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Careers in care: online information evening" in html
    assert "Jobs and support session, New Wortley" in html
    assert "2 places left" in html  # the community session is nearly full
    assert campaign.vacancies.exists()
    assert "Mental health support worker" in html

    response = client.get(reverse("campaign_public:link", kwargs={"code": "armley-library"}))
    assert response.status_code == 302
    assert response.url == campaign.get_absolute_url()
    assert TrackingLink.objects.get(code="ARMLEY-LIBRARY").visits == 58
