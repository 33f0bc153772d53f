"""The funnel reports: figures counted from generated records equal the ones counted by
hand, in the partnership's shape, by neighbourhood and decile, with small numbers hidden,
course cohorts, retention, and campaigns side by side, in a fixed number of queries."""

import datetime
import re
from html import unescape

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from campaigns.models import Engagement, Event, EventBooking, Resident
from campaigns.selectors import funnel as selectors
from hub.models import Membership
from tests.campaigns.builders import (
    make_booking,
    make_campaign,
    make_engagement,
    make_event,
    make_neighbourhood,
)
from tests.factories import ApplicationFactory, MembershipFactory

Outcome = Engagement.Outcome
TODAY = datetime.date(2025, 1, 15)


def _journeys(campaign, count, *, neighbourhood=None, **fields) -> list[Engagement]:
    """`count` residents and their journeys in the campaign, in two queries."""
    residents = Resident.objects.bulk_create(
        [Resident(name=f"Person {n}", neighbourhood=neighbourhood) for n in range(count)]
    )
    return Engagement.objects.bulk_create(
        [
            Engagement(
                campaign=campaign,
                resident=resident,
                channel=Engagement.Channel.FACE_TO_FACE,
                **fields,
            )
            for resident in residents
        ]
    )


def _attend(event, journeys, *, attended=True, **fields):
    EventBooking.objects.bulk_create(
        [
            EventBooking(
                event=event,
                resident_id=journey.resident_id,
                status=EventBooking.Status.BOOKED,
                attended=attended,
                **fields,
            )
            for journey in journeys
        ]
    )


def _mark(journeys, **fields):
    Engagement.objects.filter(pk__in=[journey.pk for journey in journeys]).update(**fields)


def _funnel_url(org, campaign):
    return reverse(
        "campaign_reports:funnel", kwargs={"org_slug": org.slug, "campaign_id": campaign.pk}
    )


def _tables(html: str) -> dict[str, list[list[str]]]:
    """{caption: rows of cell texts} for every table on the page, as a person reads them
    (the headings repeated for small screens left out)."""
    html = re.sub(
        r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", html, flags=re.S
    )
    tables = {}
    for table in re.findall(r"<table.*?</table>", html, re.S):
        caption = re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S).group(1)
        rows = [
            [
                " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
                for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        ]
        tables[" ".join(re.sub(r"<[^>]+>", "", caption).split())] = rows
    return tables


@pytest.fixture
def armley(org_a):
    return make_neighbourhood("Armley", decile=1, sectors=("LS12 2", "LS12 3"))


@pytest.fixture
def campaign_one(org_a, armley):
    """The published campaign 1, from its records: 468 engaged, 118 at the webinar, 70
    applied, 40 outcomes (22 jobs, 2 of them hires nobody has recorded yet, 8 training,
    10 employability support)."""
    wortley = make_neighbourhood("New Wortley", decile=1, sectors=("LS12 1",))
    campaign = make_campaign(
        org_a,
        neighbourhoods=[armley, wortley],
        name="Armley and New Wortley",
        goal_engaged=400,
        goal_attended=100,
        goal_applied=60,
        goal_outcomes=35,
    )
    journeys = (
        _journeys(campaign, 280, neighbourhood=armley)
        + _journeys(campaign, 170, neighbourhood=wortley)
        + _journeys(campaign, 18)
    )
    webinar = make_event(campaign, days_ahead=-30)
    drop_in = make_event(campaign, kind=Event.Kind.COMMUNITY_SESSION, days_ahead=-40)
    _attend(webinar, journeys[:118])
    # Ten of them also came to the drop-in: still ten people, counted once.
    _attend(drop_in, journeys[:10])
    # Booked and did not come, or not marked yet: not attended.
    _attend(webinar, journeys[118:140], attended=False)
    _attend(drop_in, journeys[140:150], attended=None)
    # At another campaign's event: not this campaign's attendance.
    other = make_campaign(org_a)
    _attend(make_event(other, days_ahead=-5), journeys[150:160])

    applied = journeys[100:170]
    _mark(applied, applied_on=datetime.date(2021, 9, 1))
    _mark(applied[:20], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2021, 10, 1))
    for journey in applied[20:22]:
        hired = ApplicationFactory(stage="hired", vacancy__organisation=org_a)
        _mark([journey], application=hired)
    _mark(applied[22:27], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2021, 10, 4))
    _mark(
        journeys[300:303], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2021, 10, 4)
    )
    _mark(
        journeys[400:410],
        outcome=Outcome.EMPLOYABILITY_SUPPORT,
        outcome_on=datetime.date(2021, 9, 20),
    )
    # Applied but still waiting: a linked application not (yet) hired is no outcome.
    still_open = ApplicationFactory(stage="interview", vacancy__organisation=org_a)
    _mark([applied[-1]], application=still_open)
    _mark(journeys[200:290], referred_for_support_on=datetime.date(2021, 8, 1))
    _mark(
        journeys[200:228],
        programme=Engagement.Programme.CARE_ACADEMY,
        programme_referred_on=datetime.date(2021, 8, 8),
    )
    return campaign


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
    response = client_as(admin_a).get(_funnel_url(org_a, campaign_one))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    table = _tables(response.content.decode())["The funnel"]
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
    outcomes = _tables(response.content.decode())["Outcomes"]
    assert outcomes[1:] == [
        ["Started a job", "22", "4.7%"],
        ["Started training", "8", "1.7%"],
        ["Employability support", "10", "2.1%"],
        ["Volunteering", "0", "0.0%"],
    ]
    referrals = _tables(response.content.decode())["Support and referrals"]
    assert ["Referred for one-to-one support", "90", "19.2%"] in referrals
    assert ["Referred to a partner programme", "28", "6.0%"] in referrals


def test_a_campaign_without_goals_or_anyone_engaged_shows_zeros_and_no_rates(
    client_as, admin_a, org_a
):
    campaign = make_campaign(org_a)
    response = client_as(admin_a).get(_funnel_url(org_a, campaign))
    table = _tables(response.content.decode())["The funnel"]
    assert table[1] == ["Engaged", "0", "–", "–", "None set", "–"]
    assert table[3] == ["Applied for a job", "0", "–", "–", "None set", "–"]


def test_a_hire_of_the_linked_application_counts_as_a_job_until_an_outcome_is_recorded(org_a):
    campaign = make_campaign(org_a)
    hired = ApplicationFactory(stage="hired", vacancy__organisation=org_a)
    journey = make_engagement(campaign, application=hired, applied_on=datetime.date(2025, 1, 2))
    counts = selectors.campaign_funnel(campaign)
    assert (counts.applied, counts.outcomes, counts.started_job) == (1, 1, 1)

    _mark([journey], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2025, 2, 1))
    counts = selectors.campaign_funnel(campaign)
    assert (counts.outcomes, counts.started_job, counts.started_training) == (1, 0, 1)


# --- Breakdowns and small numbers ------------------------------------------------------------


@pytest.fixture
def spread(org_a, armley):
    """Armley (decile 1): 12 engaged, 6 attended, 5 applied, 3 outcomes. New Wortley
    (decile 1): 3 engaged, 1 attended. Headingley (decile 5, not a target): 7 engaged, 7
    applied. Not known: 2 engaged. Roundhay, a target: no one."""
    wortley = make_neighbourhood("New Wortley", decile=1, sectors=("LS12 1",))
    headingley = make_neighbourhood("Headingley", ward="Headingley", decile=5, sectors=("LS6 3",))
    roundhay = make_neighbourhood("Roundhay", ward="Roundhay", decile=9, sectors=("LS8 2",))
    campaign = make_campaign(org_a, neighbourhoods=[armley, wortley, roundhay])
    event = make_event(campaign, days_ahead=-3)
    in_armley = _journeys(campaign, 12, neighbourhood=armley)
    _attend(event, in_armley[:6])
    _mark(in_armley[:5], applied_on=datetime.date(2025, 1, 2))
    _mark(in_armley[:3], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2025, 1, 10))
    in_wortley = _journeys(campaign, 3, neighbourhood=wortley)
    _attend(event, in_wortley[:1])
    _mark(_journeys(campaign, 7, neighbourhood=headingley), applied_on=datetime.date(2025, 1, 3))
    _journeys(campaign, 2)
    return campaign


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
    html = client_as(admin_a).get(_funnel_url(org_a, spread)).content.decode()
    tables = _tables(html)
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
    people = _journeys(campaign, 30)
    _attend(spring, people[:5], completed_course=True)
    _attend(spring, people[5:8])
    _attend(spring, people[8:10], attended=False)
    _mark(people[:3], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2025, 1, 1))
    _mark(people[3:4], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2025, 1, 1))
    # In work, but never started the course: not the course's.
    _mark(people[8:9], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2025, 1, 1))
    _attend(autumn, people[10:22], completed_course=True)
    _attend(autumn, people[22:25])
    _mark(people[10:16], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2025, 2, 1))
    _attend(webinar, people[25:30])

    cohorts = selectors.course_cohorts(campaign)
    assert [(c.title, c.started, c.completed, c.into_work) for c in cohorts] == [
        ("Spring course", 8, 5, 3),
        ("Autumn course", 15, 12, 6),
    ]

    html = client_as(admin_a).get(_funnel_url(org_a, campaign)).content.decode()
    rows = _tables(html)["Employability-course cohorts"][1:]
    assert [row[1:] for row in rows] == [
        ["8", "5", "62.5%", "<5", "–"],
        ["15", "12", "80.0%", "6", "40.0%"],
    ]


@pytest.fixture
def starters(org_a):
    """Six people who started a job, seen on 15 January 2025: still there, left before
    3 months, left between 3 and 6 months, started 4 months ago, started last month, and
    left exactly on their 3-month day. One more went into training (not a job)."""
    campaign = make_campaign(org_a)
    people = _journeys(campaign, 7)
    jobs = [
        (datetime.date(2024, 1, 1), None),
        (datetime.date(2024, 1, 10), datetime.date(2024, 3, 1)),
        (datetime.date(2024, 2, 1), datetime.date(2024, 6, 1)),
        (datetime.date(2024, 9, 1), None),
        (datetime.date(2024, 12, 1), None),
        (datetime.date(2024, 6, 10), datetime.date(2024, 9, 10)),
    ]
    for person, (started, left) in zip(people, jobs, strict=False):
        _mark([person], outcome=Outcome.STARTED_JOB, outcome_on=started, left_on=left)
    _mark(people[6:], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2023, 1, 1))
    return campaign


def test_retention_counts_who_is_still_in_post_at_3_6_and_12_months(starters):
    retention = selectors.campaign_report(starters, today=TODAY).retention
    assert [(r.months, r.eligible, r.still_in_post) for r in retention] == [
        (3, 5, 3),
        (6, 4, 1),
        (12, 2, 1),
    ]


@time_machine.travel(datetime.datetime(2025, 1, 15, 12, tzinfo=datetime.UTC), tick=False)
def test_the_retention_table_hides_small_numbers(client_as, admin_a, org_a, starters):
    html = client_as(admin_a).get(_funnel_url(org_a, starters)).content.decode()
    rows = _tables(html)["Retention of people who started a job"]
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
    _journeys(partnered, 9)
    make_campaign(org_b, name="Somebody else's campaign")

    html = client_as(admin_a).get(_compare_url(org_a)).content.decode()
    rows = {row[0].split(" ")[0]: row[1:] for row in _tables(html)["Campaigns (3)"][1:]}
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
    assert client_as(member_b).get(_funnel_url(org_b, campaign_one)).status_code == 404
    campaign_one.partner_organisations.add(org_b)
    assert client_as(member_b).get(_funnel_url(org_b, campaign_one)).status_code == 200


def test_an_outreach_worker_cannot_see_the_funnel(client_as, org_a, campaign_one):
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    assert client_as(outreach).get(_funnel_url(org_a, campaign_one)).status_code == 403


def test_the_funnel_page_runs_a_fixed_number_of_queries(
    client_as, admin_a, org_a, campaign_one, django_assert_max_num_queries
):
    course = make_event(campaign_one, kind=Event.Kind.EMPLOYABILITY_COURSE, days_ahead=-50)
    _attend(course, Engagement.objects.filter(campaign=campaign_one)[:30])
    client = client_as(admin_a)
    client.get(_funnel_url(org_a, campaign_one))
    with django_assert_max_num_queries(10):
        response = client.get(_funnel_url(org_a, campaign_one))
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
