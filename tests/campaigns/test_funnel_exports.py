"""The funnel page's tables as report tables, for CSV and Excel: the figures in the file
are the figures on the page (small numbers hidden alike), for every campaign the
organisation leads or is a partner in and no other, counted in a fixed number of queries
whatever the campaigns; and the page links to the export with those tables ticked."""

import datetime
import re
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from campaigns.models import Campaign, Engagement, Event
from campaigns.reports import FUNNEL_PAGE_TABLE_KEYS
from hub.report_tables import REGISTRY
from tests.campaigns.builders import make_campaign, make_event
from tests.campaigns.funnel_records import (
    funnel_url,
    make_journeys,
    mark_attended,
    page_tables,
    update_journeys,
)

NOW = datetime.datetime(2025, 1, 15, 12, tzinfo=datetime.UTC)


def _table(key, organisation):
    return REGISTRY[key].build(organisation)


def _shown(value) -> str:
    """A file's cell as the page writes it: "25.2%" for a rate, "1,234" for a count."""
    if isinstance(value, Decimal):
        return f"{value}%"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _rows_of(table, campaign) -> list[list[str]]:
    """The file's rows of one campaign, its name left out, as the page writes them."""
    return [[_shown(cell) for cell in row[1:]] for row in table.rows if row[0] == campaign.name]


@time_machine.travel(NOW, tick=False)
def test_the_exported_tables_hold_the_figures_the_funnel_page_shows(
    client_as, admin_a, org_a, campaign_one, spread, starters
):
    course = make_event(
        campaign_one, kind=Event.Kind.EMPLOYABILITY_COURSE, title="Care course", days_ahead=-50
    )
    journeys = list(Engagement.objects.filter(campaign=campaign_one).order_by("pk"))
    mark_attended(course, journeys[:12], completed_course=True)
    mark_attended(course, journeys[12:15])
    for campaign in (campaign_one, spread, starters):
        page = page_tables(client_as(admin_a).get(funnel_url(org_a, campaign)).content.decode())

        assert _rows_of(_table("organisation.campaign_funnel_goals", org_a), campaign) == [
            row for row in page["The funnel"][1:]
        ]
        outcomes = _rows_of(_table("organisation.campaign_outcomes", org_a), campaign)
        on_page = page["Outcomes"][1:] + page["Support and referrals"][1:]
        assert [row[1:] for row in outcomes] == [row[1:] for row in on_page]
        assert (
            _rows_of(_table("organisation.campaign_by_neighbourhood", org_a), campaign)
            == (page["The funnel by neighbourhood"][1:])
        )
        assert (
            _rows_of(_table("organisation.campaign_by_decile", org_a), campaign)
            == (page["The funnel by deprivation decile"][1:])
        )
        assert [
            row[1:] for row in _rows_of(_table("organisation.campaign_retention", org_a), campaign)
        ] == [row[1:] for row in page["Retention of people who started a job"][1:]]
        cohorts = _rows_of(_table("organisation.campaign_cohorts", org_a), campaign)
        assert [row[2:] for row in cohorts] == [
            row[1:] for row in page.get("Employability-course cohorts", [[]])[1:]
        ]


def test_campaign_one_exports_as_468_118_70_40_against_its_goals(org_a, campaign_one):
    rows = _table("organisation.campaign_funnel_goals", org_a).rows
    assert [row[1:] for row in rows if row[0] == campaign_one.name] == [
        ["Engaged", 468, Decimal("100.0"), "–", 400, Decimal("117.0")],
        ["Attended an event", 118, Decimal("25.2"), Decimal("25.2"), 100, Decimal("118.0")],
        ["Applied for a job", 70, Decimal("15.0"), Decimal("59.3"), 60, Decimal("116.7")],
        [
            "Secured a role, went on to training or took up employability support",
            40,
            Decimal("8.5"),
            Decimal("57.1"),
            35,
            Decimal("114.3"),
        ],
    ]


def test_small_numbers_are_hidden_in_the_exported_breakdowns(org_a, spread):
    rows = {row[1]: row[2:] for row in _table("organisation.campaign_by_neighbourhood", org_a).rows}
    # New Wortley: 3 engaged, 1 attended, nobody applied: hidden, and no rate from them.
    assert rows["New Wortley"] == [1, "<5", "<5", "–", 0, "–", 0, "–"]
    assert rows["Armley"] == [1, 12, 6, Decimal("50.0"), 5, Decimal("41.7"), "<5", "–"]
    assert rows["Roundhay"] == [9, 0, 0, "–", 0, "–", 0, "–"]
    assert _table("organisation.campaign_by_neighbourhood", org_a).notes


def test_the_tables_cover_the_organisations_campaigns_and_no_others(
    org_a, org_b, campaign_one, spread
):
    partnered = make_campaign(org_b, partners=[org_a], name="Council partnership")
    foreign = make_campaign(org_b, name="Council only")
    make_journeys(partnered, 6)
    make_journeys(foreign, 6)
    for key in FUNNEL_PAGE_TABLE_KEYS:
        campaigns = {row[0] for row in _table(key, org_a).rows}
        assert foreign.name not in campaigns, key
    goals = {row[0] for row in _table("organisation.campaign_funnel_goals", org_a).rows}
    led = set(Campaign.objects.filter(lead_organisation=org_a).values_list("name", flat=True))
    assert goals == led | {partnered.name}
    city = {row[0] for row in _table("city.campaign_funnel_goals", None).rows}
    assert {foreign.name, partnered.name, campaign_one.name} <= city


def test_the_tables_take_a_fixed_number_of_queries_whatever_the_campaigns(
    org_a, campaign_one, django_assert_max_num_queries
):
    def build_all():
        for key in FUNNEL_PAGE_TABLE_KEYS:
            _table(key, org_a)

    for n in range(5):
        campaign = make_campaign(org_a, name=f"More {n}")
        people = make_journeys(campaign, 4)
        mark_attended(make_event(campaign, kind=Event.Kind.EMPLOYABILITY_COURSE), people[:2])
        update_journeys(
            people[:1], outcome=Engagement.Outcome.STARTED_JOB, outcome_on=datetime.date.today()
        )
    # Two queries a table: the campaigns, and one aggregate over all of them.
    with django_assert_max_num_queries(2 * len(FUNNEL_PAGE_TABLE_KEYS)):
        build_all()


def test_the_funnel_page_links_to_the_export_with_its_tables_ticked(
    client_as, admin_a, org_a, campaign_one
):
    page = client_as(admin_a).get(funnel_url(org_a, campaign_one)).content.decode()
    link = reverse("hub:exports", kwargs={"org_slug": org_a.slug})
    start = page.index(f'href="{link}?')
    export_url = unescape(page[start + 6 : page.index('"', start + 6)])

    response = client_as(admin_a).get(export_url)
    assert response.context["form"].initial["tables"] == FUNNEL_PAGE_TABLE_KEYS
    html = response.content.decode()
    for key in REGISTRY:
        boxes = re.findall(rf'<input[^>]*value="{re.escape(key)}"[^>]*>', html)
        if key in FUNNEL_PAGE_TABLE_KEYS:
            assert boxes and "checked" in boxes[0], key
        else:
            assert not boxes or "checked" not in boxes[0], key


def test_the_export_page_groups_the_tables_by_area_and_ignores_unknown_ones(
    client_as, admin_a, org_a
):
    url = reverse("hub:exports", kwargs={"org_slug": org_a.slug})
    response = client_as(admin_a).get(url, {"tables": ["city.campaign_reach", "no.such"]})
    assert response.status_code == 200
    assert response.context["form"].initial["tables"] == []
    html = response.content.decode()
    areas = ["Community campaigns", "Recruitment", "Secondments and the talent pool"]
    positions = [html.index(f">{area}<") for area in areas]
    assert positions == sorted(positions)
    # Each table is listed under its own area.
    campaigns_at, recruitment_at = positions[0], positions[1]
    assert campaigns_at < html.index("Campaign funnels by neighbourhood") < recruitment_at


@pytest.mark.parametrize("scope", ["organisation", "city"])
def test_every_table_on_the_funnel_page_can_be_exported(scope):
    for key in FUNNEL_PAGE_TABLE_KEYS:
        table = REGISTRY[key.replace("organisation.", f"{scope}.")]
        assert table.exportable and table.area == "Community campaigns"
