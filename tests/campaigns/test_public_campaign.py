"""The public side of campaigns: following a poster's link or typing its code, and the
campaign's own page (only for campaigns with a public page)."""

import datetime
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Event, TrackingLink
from talent.attribution import CAMPAIGN_SESSION_KEY
from tests.campaigns.builders import make_campaign, make_event, make_neighbourhood
from tests.factories import OrganisationFactory, VacancyFactory

Destination = TrackingLink.Destination


@pytest.fixture
def campaign(org_a, org_b):
    return make_campaign(
        org_a,
        partners=[org_b],
        neighbourhoods=[
            make_neighbourhood("Armley"),
            make_neighbourhood("New Wortley", sectors=("LS12 1",)),
        ],
        name="Careers in care: west Leeds",
        summary="Care and support work close to home, with paid training.",
        code="WEST-LEEDS",
    )


def _link_url(code):
    return reverse("campaign_public:link", kwargs={"code": code})


def _visits(code):
    return TrackingLink.objects.get(code=code).visits


# --- Following a link ----------------------------------------------------------------------


def test_following_a_link_counts_the_visit_remembers_the_code_and_opens_the_campaign(
    client, campaign
):
    response = client.get(_link_url("west-leeds"))
    assert response.status_code == 302
    assert response.url == campaign.get_absolute_url()
    assert client.session[CAMPAIGN_SESSION_KEY] == "WEST-LEEDS"
    assert "no-cache" in response["Cache-Control"]

    client.get(_link_url("WEST-LEEDS"))
    client.get(_link_url("West-Leeds"))
    assert _visits("WEST-LEEDS") == 3


def test_a_vacancy_link_opens_the_vacancy_carrying_the_code(client, org_a, campaign):
    vacancy = VacancyFactory(organisation=org_a, title="Care worker")
    campaign.vacancies.add(vacancy)
    TrackingLink.objects.create(
        campaign=campaign,
        label="Poster",
        code="CARE-WORKER",
        destination=Destination.VACANCY,
        vacancy=vacancy,
    )
    response = client.get(_link_url("care-worker"))
    assert response.url == f"{vacancy.get_absolute_url()}?campaign=CARE-WORKER"
    # The vacancy page remembers it too.
    client.get(response.url)
    assert client.session[CAMPAIGN_SESSION_KEY] == "CARE-WORKER"


def test_a_vacancy_link_whose_vacancy_went_back_to_draft_opens_the_job_search(
    client, org_a, campaign
):
    vacancy = VacancyFactory(organisation=org_a, status="draft", published_at=None)
    TrackingLink.objects.create(
        campaign=campaign,
        label="Poster",
        code="OLD",
        destination=Destination.VACANCY,
        vacancy=vacancy,
    )
    assert client.get(_link_url("OLD")).url == reverse("jobs:search")


def test_a_job_search_link_opens_the_job_search(client, campaign):
    TrackingLink.objects.create(
        campaign=campaign, label="Jobcentre", code="JCP", destination=Destination.JOB_SEARCH
    )
    assert client.get(_link_url("jcp")).url == reverse("jobs:search")


def test_a_link_for_an_event_opens_the_event_until_it_is_over(client, campaign):
    soon = make_event(campaign, days_ahead=5)
    TrackingLink.objects.create(campaign=campaign, label="Leaflet", code="SOON", event=soon)
    past = make_event(campaign, days_ahead=-5)
    TrackingLink.objects.create(campaign=campaign, label="Old leaflet", code="PAST", event=past)

    assert client.get(_link_url("SOON")).url == soon.get_absolute_url()
    assert client.get(_link_url("PAST")).url == campaign.get_absolute_url()


def test_a_link_to_a_campaign_no_longer_public_opens_the_job_search(client, campaign):
    campaign.is_public = False
    campaign.save()
    assert client.get(_link_url("WEST-LEEDS")).url == reverse("jobs:search")
    assert _visits("WEST-LEEDS") == 1


def test_an_unknown_code_is_a_friendly_404_offering_to_type_it_again(client, campaign):
    response = client.get(_link_url("WEST-LEDS"))
    assert response.status_code == 404
    html = unescape(response.content.decode())
    assert "We could not find that code" in html
    assert 'value="WEST-LEDS"' in html
    assert reverse("campaign_public:code_entry") in html
    assert CAMPAIGN_SESSION_KEY not in client.session
    assert _visits("WEST-LEEDS") == 0


# --- Typing the code -----------------------------------------------------------------------


def test_the_code_page_takes_a_code_whatever_its_case_to_its_link(client, campaign):
    response = client.get(reverse("campaign_public:code_entry"))
    assert response.status_code == 200
    assert "Enter the code from the poster" in response.content.decode()

    response = client.get(reverse("campaign_public:code_entry"), {"code": "  west-leeds "})
    assert response.status_code == 302
    assert response.url == _link_url("west-leeds")


@pytest.mark.parametrize(
    "code, error",
    [
        ("", "Enter the code from the poster or leaflet"),
        ("WEST LEEDS", "Use letters, numbers and hyphens only, up to 40 characters"),
        ("NOPE-123", "We could not find that code. Check it against the poster"),
    ],
)
def test_the_code_page_says_what_is_wrong_with_a_code(client, campaign, code, error):
    response = client.get(reverse("campaign_public:code_entry"), {"code": code})
    assert response.status_code == 200
    assert error in unescape(response.content.decode())
    assert _visits("WEST-LEEDS") == 0


# --- The campaign's page -------------------------------------------------------------------


def test_the_campaign_page_shows_who_it_is_for_its_coming_events_and_open_jobs(
    client, org_a, campaign
):
    make_event(campaign, title="Information evening", days_ahead=3, capacity=20)
    make_event(campaign, title="Last month's drop-in", days_ahead=-30)
    cancelled = make_event(campaign, title="Called-off session", days_ahead=4)
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED)
    live = VacancyFactory(organisation=org_a, title="Reablement care worker")
    closed = VacancyFactory(organisation=org_a, title="Filled post", status="filled")
    expired = VacancyFactory(
        organisation=org_a,
        title="Past its closing date",
        closing_date=timezone.localdate() - datetime.timedelta(days=1),
    )
    gone_partner = VacancyFactory(
        organisation=OrganisationFactory(active=False), title="From a partner that left"
    )
    VacancyFactory(organisation=org_a, title="Not this campaign's")
    campaign.vacancies.add(live, closed, expired, gone_partner)

    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Careers in care: west Leeds" in html
    assert "Care and support work close to home, with paid training." in html
    assert "Armley" in html and "New Wortley" in html
    assert "Leeds City Council" in html  # a partner
    assert "Information evening" in html and "20 places left" in html
    assert "Last month's drop-in" not in html and "Called-off session" not in html
    assert "Reablement care worker" in html
    for title in (
        "Filled post",
        "Past its closing date",
        "From a partner that left",
        "Not this campaign's",
    ):
        assert title not in html
    assert reverse("campaign_public:code_entry") in html


def test_a_campaign_without_a_public_page_is_404(client, org_a):
    private = make_campaign(org_a, is_public=False)
    assert client.get(private.get_absolute_url()).status_code == 404


def test_the_campaign_page_runs_a_fixed_number_of_queries(
    client, org_a, campaign, django_assert_max_num_queries
):
    for n in range(8):
        make_event(campaign, days_ahead=n + 1)
        campaign.vacancies.add(VacancyFactory(organisation=org_a))
    with django_assert_max_num_queries(10):
        response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('<li class="job-card">') == 8
