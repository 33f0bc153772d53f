"""The funnel reports: figures counted from generated records equal the ones counted by
hand, in the partnership's shape, by neighbourhood and decile, with small numbers hidden,
course cohorts, retention, and campaigns side by side, in a fixed number of queries."""

import datetime
from html import unescape

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from campaigns.models import Engagement, Event
from campaigns.selectors import funnel as selectors
from hub.models import Membership
from tests.campaigns.builders import (
    make_booking,
    make_campaign,
    make_engagement,
    make_event,
)
from tests.campaigns.funnel_records import (
    funnel_url,
    make_journeys,
    mark_attended,
    page_tables,
    update_journeys,
)
from tests.factories import ApplicationFactory, MembershipFactory

Outcome = Engagement.Outcome
TODAY = datetime.date(2025, 1, 15)


# --- Campaign totals -------------------------------------------------------------------------


def test_the_funnel_of_campaign_one_is_468_118_70_40(campaign_one):
    counts = selectors.campaign_funnel(campaign_one)
    assert (counts.engaged, counts.attended, counts.applied, counts.outcomes) == (468, 118, 70, 40)
    assert (
        counts.started_job,
        counts.started_training,
        counts.employability_support,
        counts.volunteering,
    ) == (22, 8, 10, 0)
    assert counts.referred_for_support == 90
    assert counts.referred_to_programme == 28
    assert dict(counts.programmes)["A care academy"] == 28
    assert selectors.funnel_for_campaigns([campaign_one.pk])[campaign_one.pk] == counts


def test_the_funnel_page_shows_the_published_table_with_rates_and_goals(
    client_as, admin_a, org_a, campaign_one
):
    response = client_as(admin_a).get(funnel_url(org_a, campaign_one))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    table = page_tables(response.content.decode())["The funnel"]
    assert table == [
        ["Stage", "People", "% of engaged", "% of the stage before", "Goal", "% of goal"],
        ["Engaged", "468", "100.0%", "–", "400", "117.0%"],
        ["Attended an event", "118", "25.2%", "25.2%", "100", "118.0%"],
        ["Applied for a job", "70", "15.0%", "59.3%", "60", "116.7%"],
        [
            "Secured a role, went on to training or took up employability support",
            "40",
            "8.5%",
            "57.1%",
            "35",
            "114.3%",
        ],
    ]
    outcomes = page_tables(response.content.decode())["Outcomes"]
    assert outcomes[1:] == [
        ["Started a job", "22", "4.7%"],
        ["Started training", "8", "1.7%"],
        ["Employability support", "10", "2.1%"],
        ["Volunteering", "0", "0.0%"],
    ]
    referrals = page_tables(response.content.decode())["Support and referrals"]
    assert ["Referred for one-to-one support", "90", "19.2%"] in referrals
    assert ["Referred to a partner programme", "28", "6.0%"] in referrals


def test_a_campaign_without_goals_or_anyone_engaged_shows_zeros_and_no_rates(
    client_as, admin_a, org_a
):
    campaign = make_campaign(org_a)
    response = client_as(admin_a).get(funnel_url(org_a, campaign))
    table = page_tables(response.content.decode())["The funnel"]
    assert table[1] == ["Engaged", "0", "–", "–", "None set", "–"]
    assert table[3] == ["Applied for a job", "0", "–", "–", "None set", "–"]


def test_a_hire_of_the_linked_application_counts_as_a_job_until_an_outcome_is_recorded(org_a):
    campaign = make_campaign(org_a)
    hired = ApplicationFactory(stage="hired", vacancy__organisation=org_a)
    journey = make_engagement(campaign, application=hired, applied_on=datetime.date(2025, 1, 2))
    counts = selectors.campaign_funnel(campaign)
    assert (counts.applied, counts.outcomes, counts.started_job) == (1, 1, 1)

    update_journeys(
        [journey], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2025, 2, 1)
    )
    counts = selectors.campaign_funnel(campaign)
    assert (counts.outcomes, counts.started_job, counts.started_training) == (1, 0, 1)


def test_a_person_counts_once_as_attended_however_many_of_the_campaigns_events(org_a):
    campaign, other = make_campaign(org_a), make_campaign(org_a)
    twice, elsewhere, absent = (make_engagement(campaign) for _ in range(3))
    first, second = make_event(campaign), make_event(campaign)
    make_booking(first, twice.resident, attended=True)
    make_booking(second, twice.resident, attended=True)
    make_booking(make_event(other), elsewhere.resident, attended=True)  # another campaign's
    make_booking(first, absent.resident, attended=False)

    counts = selectors.campaign_funnel(campaign)

    assert (counts.engaged, counts.attended) == (3, 1)
    by_decile = selectors.funnel_by_decile(campaign)
    assert [(row.counts.engaged, row.counts.attended) for row in by_decile] == [(3, 1)]


def test_no_campaigns_have_no_funnels(db):
    assert selectors.funnel_for_campaigns([]) == {}
    assert selectors.funnels_by_neighbourhood([]) == {}
    assert selectors.funnels_by_decile([]) == {}
    assert selectors.campaign_reports([]) == {}


# --- Breakdowns and small numbers ------------------------------------------------------------


def _figures(row):
    c = row.counts
    return (row.label, row.decile, c.engaged, c.attended, c.applied, c.outcomes)


def test_the_funnel_by_neighbourhood_lists_the_campaigns_own_first_even_with_no_one(spread):
    rows = selectors.funnel_by_neighbourhood(spread)
    assert [_figures(row) for row in rows] == [
        ("Armley", 1, 12, 6, 5, 3),
        ("New Wortley", 1, 3, 1, 0, 0),
        ("Roundhay", 9, 0, 0, 0, 0),
        ("Headingley", 5, 7, 0, 7, 0),
        ("Not known", None, 2, 0, 0, 0),
    ]


def test_the_funnel_by_decile_groups_neighbourhoods_most_deprived_first(spread):
    rows = selectors.funnel_by_decile(spread)
    assert [_figures(row) for row in rows] == [
        ("Decile 1", 1, 15, 7, 5, 3),
        ("Decile 5", 5, 7, 0, 7, 0),
        ("Not known", None, 2, 0, 0, 0),
    ]


def test_counts_from_1_to_4_show_as_under_5_in_breakdowns_but_totals_show_as_they_are(
    client_as, admin_a, org_a, spread
):
    html = client_as(admin_a).get(funnel_url(org_a, spread)).content.decode()
    tables = page_tables(html)
    by_neighbourhood = {row[0]: row[1:] for row in tables["The funnel by neighbourhood"][1:]}
    # decile, engaged, attended, %, applied, %, outcomes, %
    assert by_neighbourhood["Armley"] == ["1", "12", "6", "50.0%", "5", "41.7%", "<5", "–"]
    assert by_neighbourhood["New Wortley"] == ["1", "<5", "<5", "–", "0", "–", "0", "–"]
    assert by_neighbourhood["Roundhay"] == ["9", "0", "0", "–", "0", "–", "0", "–"]
    assert by_neighbourhood["Headingley"] == ["5", "7", "0", "0.0%", "7", "100.0%", "0", "0.0%"]
    assert by_neighbourhood["Not known"] == ["Not known", "<5", "0", "–", "0", "–", "0", "–"]
    by_decile = {row[0]: row[1:] for row in tables["The funnel by deprivation decile"][1:]}
    assert by_decile["Decile 1"] == ["15", "7", "46.7%", "5", "33.3%", "<5", "–"]
    # The campaign's totals are not hidden, however small.
    funnel = tables["The funnel"]
    assert funnel[4][:2] == [
        "Secured a role, went on to training or took up employability support",
        "3",
    ]


@pytest.mark.parametrize(
    "count, shown", [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (1234, "1,234")]
)
def test_a_figure_is_hidden_only_from_1_to_4_and_only_when_suppressing(count, shown):
    template = Template("{% load campaign_figures %}{% figure n suppress=True %}|{% figure n %}")
    rendered = unescape(template.render(Context({"n": count})))
    assert rendered == f"{shown}|{'1,234' if count == 1234 else count}"


@pytest.mark.parametrize(
    "part, whole, suppressed, plain",
    [
        (5, 10, "50.0%", "50.0%"),
        (2, 10, "–", "20.0%"),
        (6, 4, "–", "150.0%"),
        (0, 3, "–", "0.0%"),
        (0, 0, "–", "–"),
        (1, 3, "–", "33.3%"),
        (2, 3, "–", "66.7%"),
    ],
)
def test_a_rate_from_a_hidden_count_is_a_dash(part, whole, suppressed, plain):
    template = Template("{% load campaign_figures %}{% rate p w suppress=True %}|{% rate p w %}")
    assert template.render(Context({"p": part, "w": whole})) == f"{suppressed}|{plain}"


# --- Cohorts and retention -------------------------------------------------------------------


def test_course_cohorts_count_starters_completers_and_those_into_work(client_as, admin_a, org_a):
    campaign = make_campaign(org_a)
    spring = make_event(
        campaign, kind=Event.Kind.EMPLOYABILITY_COURSE, title="Spring course", days_ahead=-60
    )
    autumn = make_event(
        campaign, kind=Event.Kind.EMPLOYABILITY_COURSE, title="Autumn course", days_ahead=-20
    )
    webinar = make_event(campaign, days_ahead=-10)
    people = make_journeys(campaign, 30)
    mark_attended(spring, people[:5], completed_course=True)
    mark_attended(spring, people[5:8])
    mark_attended(spring, people[8:10], attended=False)
    update_journeys(people[:3], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2025, 1, 1))
    update_journeys(
        people[3:4], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2025, 1, 1)
    )
    # In work, but never started the course: not the course's.
    update_journeys(people[8:9], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2025, 1, 1))
    mark_attended(autumn, people[10:22], completed_course=True)
    mark_attended(autumn, people[22:25])
    update_journeys(
        people[10:16], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2025, 2, 1)
    )
    mark_attended(webinar, people[25:30])

    cohorts = selectors.course_cohorts(campaign)
    assert [(c.title, c.started, c.completed, c.into_work) for c in cohorts] == [
        ("Spring course", 8, 5, 3),
        ("Autumn course", 15, 12, 6),
    ]

    html = client_as(admin_a).get(funnel_url(org_a, campaign)).content.decode()
    rows = page_tables(html)["Employability-course cohorts"][1:]
    assert [row[1:] for row in rows] == [
        ["8", "5", "62.5%", "<5", "–"],
        ["15", "12", "80.0%", "6", "40.0%"],
    ]


def test_retention_counts_who_is_still_in_post_at_3_6_and_12_months(starters):
    retention = selectors.campaign_report(starters, today=TODAY).retention
    assert [(r.months, r.eligible, r.still_in_post) for r in retention] == [
        (3, 5, 3),
        (6, 4, 1),
        (12, 2, 1),
    ]


@time_machine.travel(datetime.datetime(2025, 1, 15, 12, tzinfo=datetime.UTC), tick=False)
def test_the_retention_table_hides_small_numbers(client_as, admin_a, org_a, starters):
    html = client_as(admin_a).get(funnel_url(org_a, starters)).content.decode()
    rows = page_tables(html)["Retention of people who started a job"]
    assert rows[1:] == [
        ["3 months", "5", "<5", "–"],
        ["6 months", "<5", "<5", "–"],
        ["12 months", "<5", "<5", "–"],
    ]


def test_months_are_added_as_calendar_months_clamped_to_the_months_end():
    assert selectors.add_months(datetime.date(2024, 5, 31), -3) == datetime.date(2024, 2, 29)
    assert selectors.add_months(datetime.date(2024, 1, 15), -12) == datetime.date(2023, 1, 15)
    assert selectors.add_months(datetime.date(2024, 11, 30), 3) == datetime.date(2025, 2, 28)


# --- Campaigns side by side ------------------------------------------------------------------


def _compare_url(org, **query):
    url = reverse("campaign_reports:compare", kwargs={"org_slug": org.slug})
    return f"{url}?year={query['year']}" if query else url


def test_compare_shows_the_campaigns_the_organisation_leads_or_partners_in(
    client_as, admin_a, org_a, org_b, campaign_one
):
    partnered = make_campaign(
        org_b,
        partners=[org_a],
        name="East Leeds",
        starts_on=datetime.date(2022, 2, 1),
        ends_on=datetime.date(2022, 7, 31),
    )
    make_journeys(partnered, 9)
    make_campaign(org_b, name="Somebody else's campaign")

    html = client_as(admin_a).get(_compare_url(org_a)).content.decode()
    rows = {row[0].split(" ")[0]: row[1:] for row in page_tables(html)["Campaigns (3)"][1:]}
    assert "Somebody" not in html
    assert rows["Armley"] == ["468", "118", "25.2%", "70", "15.0%", "59.3%", "40", "8.5%", "57.1%"]
    assert rows["East"] == ["9", "0", "0.0%", "0", "0.0%", "–", "0", "0.0%", "–"]


def test_compare_filters_by_the_year_the_campaigns_ran_in(client_as, admin_a, org_a):
    make_campaign(
        org_a,
        name="Ran in 2021",
        starts_on=datetime.date(2021, 7, 1),
        ends_on=datetime.date(2021, 10, 31),
    )
    make_campaign(
        org_a,
        name="Ran over new year",
        starts_on=datetime.date(2021, 11, 1),
        ends_on=datetime.date(2022, 2, 28),
    )
    make_campaign(
        org_a,
        name="Ran in 2023",
        starts_on=datetime.date(2023, 3, 1),
        ends_on=datetime.date(2023, 6, 1),
    )
    client = client_as(admin_a)

    html = client.get(_compare_url(org_a, year=2022)).content.decode()
    assert "Ran over new year" in html
    assert "Ran in 2021" not in html and "Ran in 2023" not in html

    html = client.get(_compare_url(org_a, year=2021)).content.decode()
    assert "Ran in 2021" in html and "Ran over new year" in html and "Ran in 2023" not in html

    response = client.get(_compare_url(org_a, year=1999))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a year from the list" in html
    assert "Ran in 2021" in html and "Ran in 2023" in html


# --- Who sees it, and how fast ---------------------------------------------------------------


def test_a_partner_sees_the_funnel_and_an_outsider_gets_404(
    client_as, org_a, org_b, member_b, campaign_one
):
    assert client_as(member_b).get(funnel_url(org_b, campaign_one)).status_code == 404
    campaign_one.partner_organisations.add(org_b)
    assert client_as(member_b).get(funnel_url(org_b, campaign_one)).status_code == 200


def test_an_outreach_worker_cannot_see_the_funnel(client_as, org_a, campaign_one):
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    assert client_as(outreach).get(funnel_url(org_a, campaign_one)).status_code == 403


def test_the_funnel_page_runs_a_fixed_number_of_queries(
    client_as, admin_a, org_a, campaign_one, django_assert_max_num_queries
):
    course = make_event(campaign_one, kind=Event.Kind.EMPLOYABILITY_COURSE, days_ahead=-50)
    mark_attended(course, Engagement.objects.filter(campaign=campaign_one)[:30])
    client = client_as(admin_a)
    client.get(funnel_url(org_a, campaign_one))
    with django_assert_max_num_queries(10):
        response = client.get(funnel_url(org_a, campaign_one))
    assert response.status_code == 200


def test_the_compare_page_runs_a_fixed_number_of_queries(
    client_as, admin_a, org_a, campaign_one, django_assert_max_num_queries
):
    for n in range(6):
        campaign = make_campaign(org_a, name=f"Campaign {n}")
        make_booking(make_event(campaign), make_engagement(campaign).resident, attended=True)
    client = client_as(admin_a)
    client.get(_compare_url(org_a))
    with django_assert_max_num_queries(10):
        response = client.get(_compare_url(org_a, year=datetime.date.today().year))
    assert response.status_code == 200
    assert "Campaigns (8) running in" in response.content.decode()
