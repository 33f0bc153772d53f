"""Records for the funnel tests (tests/campaigns/test_funnel.py, test_funnel_exports.py):
residents' journeys made in bulk, campaign 1 as published, a campaign spread over
neighbourhoods, and people who started a job; and reading a page's tables as a person
does. The fixtures reach the tests through tests/campaigns/conftest.py."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from campaigns.models import Engagement, Event, EventBooking, Resident
from tests.campaigns.builders import make_campaign, make_event, make_neighbourhood
from tests.factories import ApplicationFactory

Outcome = Engagement.Outcome


def make_journeys(campaign, count, *, neighbourhood=None, **fields) -> list[Engagement]:
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


def mark_attended(event, journeys, *, attended=True, **fields):
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


def update_journeys(journeys, **fields):
    Engagement.objects.filter(pk__in=[journey.pk for journey in journeys]).update(**fields)


def funnel_url(org, campaign):
    return reverse(
        "campaign_reports:funnel", kwargs={"org_slug": org.slug, "campaign_id": campaign.pk}
    )


def page_tables(html: str) -> dict[str, list[list[str]]]:
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
        make_journeys(campaign, 280, neighbourhood=armley)
        + make_journeys(campaign, 170, neighbourhood=wortley)
        + make_journeys(campaign, 18)
    )
    webinar = make_event(campaign, days_ahead=-30)
    drop_in = make_event(campaign, kind=Event.Kind.COMMUNITY_SESSION, days_ahead=-40)
    mark_attended(webinar, journeys[:118])
    # Ten of them also came to the drop-in: still ten people, counted once.
    mark_attended(drop_in, journeys[:10])
    # Booked and did not come, or not marked yet: not attended.
    mark_attended(webinar, journeys[118:140], attended=False)
    mark_attended(drop_in, journeys[140:150], attended=None)
    # At another campaign's event: not this campaign's attendance.
    other = make_campaign(org_a)
    mark_attended(make_event(other, days_ahead=-5), journeys[150:160])

    applied = journeys[100:170]
    update_journeys(applied, applied_on=datetime.date(2021, 9, 1))
    update_journeys(
        applied[:20], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2021, 10, 1)
    )
    for journey in applied[20:22]:
        hired = ApplicationFactory(stage="hired", vacancy__organisation=org_a)
        update_journeys([journey], application=hired)
    update_journeys(
        applied[22:27], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2021, 10, 4)
    )
    update_journeys(
        journeys[300:303], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2021, 10, 4)
    )
    update_journeys(
        journeys[400:410],
        outcome=Outcome.EMPLOYABILITY_SUPPORT,
        outcome_on=datetime.date(2021, 9, 20),
    )
    # Applied but still waiting: a linked application not (yet) hired is no outcome.
    still_open = ApplicationFactory(stage="interview", vacancy__organisation=org_a)
    update_journeys([applied[-1]], application=still_open)
    update_journeys(journeys[200:290], referred_for_support_on=datetime.date(2021, 8, 1))
    update_journeys(
        journeys[200:228],
        programme=Engagement.Programme.CARE_ACADEMY,
        programme_referred_on=datetime.date(2021, 8, 8),
    )
    return campaign


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
    in_armley = make_journeys(campaign, 12, neighbourhood=armley)
    mark_attended(event, in_armley[:6])
    update_journeys(in_armley[:5], applied_on=datetime.date(2025, 1, 2))
    update_journeys(
        in_armley[:3], outcome=Outcome.STARTED_JOB, outcome_on=datetime.date(2025, 1, 10)
    )
    in_wortley = make_journeys(campaign, 3, neighbourhood=wortley)
    mark_attended(event, in_wortley[:1])
    update_journeys(
        make_journeys(campaign, 7, neighbourhood=headingley), applied_on=datetime.date(2025, 1, 3)
    )
    make_journeys(campaign, 2)
    return campaign


@pytest.fixture
def starters(org_a):
    """Six people who started a job, seen on 15 January 2025: still there, left before
    3 months, left between 3 and 6 months, started 4 months ago, started last month, and
    left exactly on their 3-month day. One more went into training (not a job)."""
    campaign = make_campaign(org_a)
    people = make_journeys(campaign, 7)
    jobs = [
        (datetime.date(2024, 1, 1), None),
        (datetime.date(2024, 1, 10), datetime.date(2024, 3, 1)),
        (datetime.date(2024, 2, 1), datetime.date(2024, 6, 1)),
        (datetime.date(2024, 9, 1), None),
        (datetime.date(2024, 12, 1), None),
        (datetime.date(2024, 6, 10), datetime.date(2024, 9, 10)),
    ]
    for person, (started, left) in zip(people, jobs, strict=False):
        update_journeys([person], outcome=Outcome.STARTED_JOB, outcome_on=started, left_on=left)
    update_journeys(
        people[6:], outcome=Outcome.STARTED_TRAINING, outcome_on=datetime.date(2023, 1, 1)
    )
    return campaign
