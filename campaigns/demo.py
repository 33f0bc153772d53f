"""Demo records for community recruitment campaigns: the neighbourhoods named in the
partnership's documents, the two campaigns it has published figures for, and a campaign
running now with events to sign up for and tracking links, so the portal shows something
live.

- "Armley and New Wortley" (July to October 2021), led by Leeds and York Partnership for
  Red Kite View: its funnel is exactly the published 468 engaged, 118 at the employment
  webinar, 70 applications and 40 into a role, training or employability support.
- "East Leeds" (February to July 2022) in Clifton and Nowells, Lincoln Green and Boggart
  Hill: school visits, community-centre sessions, work-experience days and a six-week
  employability course. Its figures were never published; these are illustrative.
- "Careers in care: west Leeds", running now, led by Leeds City Council.

Campaigns are made through `campaign_create` and links through `link_create`, so the demo
exercises their rules; the hundreds of residents, journeys and bookings are written with
`bulk_create`, as staff would have recorded them one by one. Residents are generated
("Resident 001", emails at example.org); most consented to be contacted, and those who did
not have no email address kept. Idempotent: a campaign already there (by name and lead) is
left as it is, with everything in it.
"""

import datetime
import random
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

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
from campaigns.services.campaigns import campaign_create
from campaigns.services.links import link_create
from campaigns.services.residents import CONSENT_WORDING
from hub.models import Membership, Organisation, User
from talent.models import StaffGroup, Vacancy

LTHT = "Leeds Teaching Hospitals NHS Trust"
LYPFT = "Leeds and York Partnership NHS Foundation Trust"
COUNCIL = "Leeds City Council"
FORUM = "Forum Central"
LINCOLN_GREEN_GP = "Lincoln Green Surgery (demo)"
ARMLEY_GP = "Armley Moor Medical Practice (demo)"
CARE_HOME = "Wortley Beck Care Home (demo)"
ORGANISATIONS = (LTHT, LYPFT, COUNCIL, FORUM, LINCOLN_GREEN_GP, ARMLEY_GP, CARE_HOME)

# name, ward, postcode sectors, IMD decile. The neighbourhoods are the partnership's; the
# sectors and deciles are illustrative (close to the real ones, not checked against the
# published Index of Multiple Deprivation). Headingley and Roundhay are there for contrast.
NEIGHBOURHOODS = [
    ("Armley", "Armley", ("LS12 2", "LS12 3"), 1),
    ("New Wortley", "Armley", ("LS12 1",), 1),
    ("Lincoln Green", "Burmantofts and Richmond Hill", ("LS9 7",), 1),
    ("Clifton and Nowells", "Burmantofts and Richmond Hill", ("LS9 6",), 1),
    ("Boggart Hill", "Killingbeck and Seacroft", ("LS14 1", "LS14 2"), 1),
    ("Headingley", "Headingley and Hyde Park", ("LS6 3",), 5),
    ("Roundhay", "Roundhay", ("LS8 2",), 9),
]

Channel = Engagement.Channel
Outcome = Engagement.Outcome
Programme = Engagement.Programme
Kind = Event.Kind
CAPTURED_BY = {
    Channel.FACE_TO_FACE: ContactConsent.CapturedBy.OUTREACH,
    Channel.SCHOOL: ContactConsent.CapturedBy.PAPER_SHEET,
    Channel.ONLINE: ContactConsent.CapturedBy.EVENT_SIGN_UP,
    Channel.REFERRAL: ContactConsent.CapturedBy.STAFF,
}
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # the letters a postcode's last two may be


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _neighbourhoods(created: dict) -> dict[str, Neighbourhood]:
    found = {}
    for name, ward, sectors, decile in NEIGHBOURHOODS:
        neighbourhood, made = Neighbourhood.objects.get_or_create(
            name=name,
            defaults={"slug": name.lower().replace(" ", "-"), "ward": ward, "imd_decile": decile},
        )
        created["neighbourhoods"] += made
        for sector in sectors:
            PostcodeSector.objects.get_or_create(
                sector=sector, defaults={"neighbourhood": neighbourhood}
            )
        found[name] = neighbourhood
    return found


def _lead_actor(organisation: Organisation) -> User | None:
    """An admin of the lead, if the demo has one (the campaign's creator)."""
    membership = (
        Membership.objects.filter(organisation=organisation, role=Membership.Role.ADMIN)
        .select_related("user")
        .order_by("created_at")
        .first()
    )
    return membership.user if membership else None


class _Residents:
    """Generated residents, numbered across the demo so every name is different."""

    def __init__(self):
        self.number = Resident.objects.filter(name__startswith="Resident ").count()

    def make(
        self,
        campaign: Campaign,
        people: list[dict],
        *,
        rng: random.Random,
        organisation: Organisation,
    ) -> list[Engagement]:
        """One resident and journey per entry of `people` (each: neighbourhood, sector,
        channel, engaged_on, consent, and journey fields), written in bulk."""
        residents, consents, engagements = [], [], []
        for person in people:
            self.number += 1
            consent = person.pop("consent")
            sector = person.pop("sector")
            neighbourhood = person.pop("neighbourhood")
            postcode = f"{sector}{rng.choice(LETTERS)}{rng.choice(LETTERS)}" if sector else ""
            resident = Resident(
                name=f"Resident {self.number:03}",
                email=f"resident{self.number:03}@example.org" if consent else "",
                phone=f"07700 9{self.number % 100000:05}" if consent else "",
                postcode=postcode,
                neighbourhood=neighbourhood,
            )
            residents.append(resident)
            if consent:
                consents.append(
                    ContactConsent(
                        resident=resident,
                        wording=CONSENT_WORDING,
                        given_at=_at(person["engaged_on"], 12),
                        captured_by=CAPTURED_BY[person["channel"]],
                    )
                )
            engagements.append(
                Engagement(
                    campaign=campaign, resident=resident, organisation=organisation, **person
                )
            )
        Resident.objects.bulk_create(residents)
        ContactConsent.objects.bulk_create(consents)
        return Engagement.objects.bulk_create(engagements)


def _people(
    count: int,
    *,
    places: list[tuple[Neighbourhood | None, str, int]],
    channels: list[tuple[str, int]],
    starts_on: datetime.date,
    days: int,
    rng: random.Random,
    consent_share: float = 0.85,
) -> list[dict]:
    """`count` people spread over neighbourhoods and channels by weight, engaged over
    `days` days from `starts_on`. `places`: (neighbourhood, postcode sector, weight)."""
    people = []
    for n in range(count):
        neighbourhood, sector, _ = rng.choices(places, weights=[w for *_, w in places])[0]
        channel = rng.choices([c for c, _ in channels], weights=[w for _, w in channels])[0]
        people.append(
            {
                "neighbourhood": neighbourhood,
                "sector": sector,
                "channel": channel,
                "engaged_on": starts_on + datetime.timedelta(days=n * days // count),
                "consent": rng.random() < consent_share,
            }
        )
    return people


def _apply(person: dict, days: int = 16) -> None:
    person["applied_on"] = person["engaged_on"] + datetime.timedelta(days=days)


def _outcome(person: dict, outcome: str, days: int = 45, **fields) -> None:
    person["outcome"] = outcome
    person["outcome_on"] = person["engaged_on"] + datetime.timedelta(days=days)
    person.update(fields)


def _refer(person: dict, programme: str = "", days: int = 7) -> None:
    person["referred_for_support_on"] = person["engaged_on"] + datetime.timedelta(days=days)
    if programme:
        person["programme"] = programme
        person["programme_referred_on"] = person["engaged_on"] + datetime.timedelta(days=days + 7)


def _book(event: Event, engagements, *, attended: bool | None, marked_by=None) -> list:
    marked_at = event.ends_at if attended is not None else None
    return [
        EventBooking(
            event=event,
            resident_id=engagement.resident_id,
            status=EventBooking.Status.BOOKED,
            attended=attended,
            attendance_marked_at=marked_at,
            attendance_marked_by=marked_by,
        )
        for engagement in engagements
    ]


def _event(
    campaign: Campaign,
    organisation: Organisation,
    kind: str,
    title: str,
    starts_at,
    hours,
    **fields,
):
    return Event.objects.create(
        campaign=campaign,
        organisation=organisation,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours),
        **fields,
    )


# --- Campaign 1: Armley and New Wortley --------------------------------------------------------

CAMPAIGN_1 = "Armley and New Wortley"


def _armley(orgs, places, residents: _Residents, created: dict) -> None:
    lead = orgs[LYPFT]
    if Campaign.objects.filter(name=CAMPAIGN_1, lead_organisation=lead).exists():
        return
    starts_on, ends_on = datetime.date(2021, 7, 1), datetime.date(2021, 10, 31)
    campaign = campaign_create(
        organisation=lead,
        actor=_lead_actor(lead),
        name=CAMPAIGN_1,
        starts_on=starts_on,
        ends_on=ends_on,
        neighbourhoods=[places["Armley"], places["New Wortley"]],
        partner_organisations=[orgs[COUNCIL], orgs[FORUM], orgs[LTHT], orgs[ARMLEY_GP]],
        target_staff_groups=list(
            StaffGroup.objects.filter(slug__in=["additional-clinical-services", "social-care"])
        ),
        summary=(
            "Recruiting local people for Red Kite View, Leeds and York Partnership's new "
            "mental health inpatient service for children and young people, with routes "
            "into social care through the council's We Care Academy and support for anyone "
            "not ready to apply yet."
        ),
        target_roles="Assistant support workers, support workers, domestic and admin roles.",
        goal_engaged=400,
        goal_attended=100,
        goal_applied=60,
        goal_outcomes=35,
    )
    created["campaigns"] += 1
    rng = random.Random(2021)
    people = _people(
        468,
        places=[
            (places["Armley"], "LS12 3", 45),
            (places["Armley"], "LS12 2", 15),
            (places["New Wortley"], "LS12 1", 35),
            (None, "", 5),
        ],
        channels=[(Channel.FACE_TO_FACE, 55), (Channel.ONLINE, 33), (Channel.REFERRAL, 12)],
        starts_on=starts_on,
        days=(ends_on - starts_on).days - 30,
        rng=rng,
    )
    # Exactly the published figures: 118 at the webinar, 70 applied, 40 outcomes (22 jobs,
    # 8 into training, 10 into employability support), chosen among the people at random.
    order = list(range(len(people)))
    rng.shuffle(order)
    webinar_people = order[:118]
    applied = order[60:130]  # 58 of them were at the webinar
    jobs, training = applied[:22], applied[22:27] + order[300:303]
    support = order[400:410]
    for n in applied:
        _apply(people[n])
    left = {jobs[0]: 80, jobs[1]: 150, jobs[2]: 330}  # days after starting
    for n in jobs:
        _outcome(people[n], Outcome.STARTED_JOB, days=60)
        if n in left:
            people[n]["left_on"] = people[n]["outcome_on"] + datetime.timedelta(days=left[n])
    for n in training:
        _refer(people[n], Programme.CARE_ACADEMY)
        _outcome(people[n], Outcome.STARTED_TRAINING, days=40)
    for n in support:
        _refer(people[n], Programme.EMPLOYABILITY_COURSE)
        _outcome(people[n], Outcome.EMPLOYABILITY_SUPPORT, days=30)
    for n in order[150:260]:
        _refer(people[n], Programme.CARE_ACADEMY if n % 5 == 0 else "")
    engagements = residents.make(campaign, people, rng=rng, organisation=lead)

    webinar = _event(
        campaign,
        lead,
        Kind.WEBINAR,
        "Careers at Red Kite View: employment webinar",
        _at(datetime.date(2021, 9, 15), 18),
        1.5,
        description="Meet the team opening Red Kite View and hear how to apply.",
        online_url="https://meet.example.org/red-kite-view-careers",
        capacity=200,
    )
    _event(
        campaign,
        orgs[FORUM],
        Kind.COMMUNITY_SESSION,
        "Careers drop-in, Armley",
        _at(datetime.date(2021, 8, 4), 10),
        4,
        venue_name="Armley community hub (demo)",
        address="Town Street, Armley, Leeds",
        postcode="LS12 3HN",
        capacity=40,
    )
    no_shows = order[130:157]
    EventBooking.objects.bulk_create(
        _book(webinar, [engagements[n] for n in webinar_people], attended=True)
        + _book(webinar, [engagements[n] for n in no_shows], attended=False)
    )
    created["events"] += 2
    created["residents"] += len(engagements)


# --- Campaign 2: East Leeds ----------------------------------------------------------------------

CAMPAIGN_2 = "East Leeds"
SCHOOL_TALK = "Careers in health and care: talk and activities"


class DemoEvent(NamedTuple):
    runner: str
    kind: str
    title: str
    day: datetime.date
    hour: int
    hours: int
    capacity: int
    venue: str
    postcode: str
    attended: int


# The schools and community centres are made up for the demo.
# fmt: off
EAST_LEEDS_EVENTS = [
    DemoEvent(LTHT, Kind.SCHOOL_VISIT, SCHOOL_TALK, datetime.date(2022, 3, 3), 10, 2, 60,
              "Burmantofts Academy (demo)", "LS9 7AA", 30),
    DemoEvent(LTHT, Kind.SCHOOL_VISIT, SCHOOL_TALK, datetime.date(2022, 3, 17), 10, 2, 60,
              "Seacroft Park School (demo)", "LS14 1AB", 30),
    DemoEvent(FORUM, Kind.COMMUNITY_SESSION, "Jobs and support drop-in, Lincoln Green",
              datetime.date(2022, 2, 23), 10, 3, 30,
              "Lincoln Green community centre (demo)", "LS9 7QY", 20),
    DemoEvent(FORUM, Kind.COMMUNITY_SESSION, "Jobs and support drop-in, Clifton and Nowells",
              datetime.date(2022, 3, 9), 10, 3, 30,
              "Clifton and Nowells community hub (demo)", "LS9 6LT", 20),
    DemoEvent(COUNCIL, Kind.COMMUNITY_SESSION, "Jobs and support drop-in, Boggart Hill",
              datetime.date(2022, 3, 23), 10, 3, 30,
              "Boggart Hill community centre (demo)", "LS14 1JF", 20),
    DemoEvent(LTHT, Kind.WORK_EXPERIENCE, "Work-experience day: a day in a hospital",
              datetime.date(2022, 5, 11), 9, 7, 12,
              "St James's University Hospital", "LS9 7TF", 9),
    DemoEvent(LTHT, Kind.WORK_EXPERIENCE, "Work-experience day: behind the scenes",
              datetime.date(2022, 6, 8), 9, 7, 12,
              "St James's University Hospital", "LS9 7TF", 9),
]
# fmt: on


def _east_leeds(orgs, places, residents: _Residents, created: dict) -> None:
    lead = orgs[LTHT]
    if Campaign.objects.filter(name=CAMPAIGN_2, lead_organisation=lead).exists():
        return
    starts_on, ends_on = datetime.date(2022, 2, 1), datetime.date(2022, 7, 31)
    campaign = campaign_create(
        organisation=lead,
        actor=_lead_actor(lead),
        name=CAMPAIGN_2,
        starts_on=starts_on,
        ends_on=ends_on,
        neighbourhoods=[
            places["Clifton and Nowells"],
            places["Lincoln Green"],
            places["Boggart Hill"],
        ],
        partner_organisations=[orgs[COUNCIL], orgs[FORUM], orgs[LINCOLN_GREEN_GP]],
        summary=(
            "Face to face in Clifton and Nowells, Lincoln Green and Boggart Hill: careers "
            "talks in local schools, sessions in community centres, work-experience days "
            "and one-to-one support for everyone who wants it."
        ),
        target_roles="Healthcare assistants, porters, domestic assistants, care workers and "
        "apprentices.",
        goal_engaged=300,
        goal_attended=120,
        goal_applied=40,
        goal_outcomes=25,
    )
    created["campaigns"] += 1
    rng = random.Random(2022)
    people = _people(
        326,
        places=[
            (places["Lincoln Green"], "LS9 7", 34),
            (places["Clifton and Nowells"], "LS9 6", 30),
            (places["Boggart Hill"], "LS14 1", 14),
            (places["Boggart Hill"], "LS14 2", 10),
            (places["Headingley"], "LS6 3", 3),
            (places["Roundhay"], "LS8 2", 3),
            (None, "", 6),
        ],
        channels=[(Channel.SCHOOL, 40), (Channel.FACE_TO_FACE, 45), (Channel.REFERRAL, 15)],
        starts_on=starts_on,
        days=(ends_on - starts_on).days - 40,
        rng=rng,
    )
    order = list(range(len(people)))
    rng.shuffle(order)
    # Everyone engaged was offered one-to-one support; 180 took it.
    for n in order[:180]:
        _refer(people[n])
    course_people = order[:14]  # started the six-week course: 11 completed, 6 into work
    for n in course_people:
        _refer(people[n], Programme.EMPLOYABILITY_COURSE)
    applied = course_people[:9] + order[200:232]  # 41
    for n in applied:
        _apply(people[n], days=70)
    jobs = course_people[:6] + order[200:206]  # 12
    for n in jobs:
        _outcome(people[n], Outcome.STARTED_JOB, days=110)
    people[jobs[-1]]["left_on"] = people[jobs[-1]]["outcome_on"] + datetime.timedelta(days=120)
    for n in order[206:213]:
        _outcome(people[n], Outcome.STARTED_TRAINING, days=90)
    for n in order[240:246]:
        _outcome(people[n], Outcome.EMPLOYABILITY_SUPPORT, days=40)
    for n in order[250:252]:
        _refer(people[n], Programme.VOLUNTEERING)
        _outcome(people[n], Outcome.VOLUNTEERING, days=50)
    engagements = residents.make(campaign, people, rng=rng, organisation=lead)

    events_and_people = [
        (
            _event(
                campaign,
                orgs[spec.runner],
                spec.kind,
                spec.title,
                _at(spec.day, spec.hour),
                spec.hours,
                venue_name=spec.venue,
                address="Leeds",
                postcode=spec.postcode,
                capacity=spec.capacity,
            ),
            spec.attended,
        )
        for spec in EAST_LEEDS_EVENTS
    ]
    course = _event(
        campaign,
        orgs[COUNCIL],
        Kind.EMPLOYABILITY_COURSE,
        "Get into health and care: six-week employability course",
        _at(datetime.date(2022, 4, 4), 9, 30),
        6 * 7 * 24 - 18,
        description="Two mornings a week for six weeks: care skills, CVs, interviews, "
        "and a guaranteed interview for those who complete it.",
        venue_name="Lincoln Green community centre (demo)",
        address="Leeds",
        postcode="LS9 7QY",
        capacity=16,
    )
    bookings = _book(course, [engagements[n] for n in course_people], attended=True)
    for booking in bookings[:11]:
        booking.completed_course = True
    # Everyone else at one event each: those who came, then three who did not.
    pool, at = order[14:], 0
    for an_event, count in events_and_people:
        bookings += _book(an_event, [engagements[n] for n in pool[at : at + count]], attended=True)
        bookings += _book(
            an_event, [engagements[n] for n in pool[at + count : at + count + 3]], attended=False
        )
        at += count + 3
    EventBooking.objects.bulk_create(bookings)
    created["events"] += len(events_and_people) + 1
    created["residents"] += len(engagements)


# --- Campaign 3: running now ---------------------------------------------------------------------

CAMPAIGN_3 = "Careers in care: west Leeds"
CURRENT_VACANCIES = ("LYP-SW-0140", "LCC-SC-2231", "LCC-APP-0050", "WBCH-CW-11", "AMMP-REC-01")


def _west_leeds(orgs, places, residents: _Residents, created: dict) -> None:
    lead = orgs[COUNCIL]
    if Campaign.objects.filter(name=CAMPAIGN_3, lead_organisation=lead).exists():
        return
    today = timezone.localdate()
    starts_on = today - datetime.timedelta(days=45)
    partners = [orgs[LYPFT], orgs[LTHT], orgs[FORUM], orgs[CARE_HOME], orgs[ARMLEY_GP]]
    vacancies = list(
        Vacancy.objects.published().filter(
            reference__in=CURRENT_VACANCIES, organisation__in=[lead, *partners]
        )
    )
    actor = _lead_actor(lead)
    campaign = campaign_create(
        organisation=lead,
        actor=actor,
        name=CAMPAIGN_3,
        starts_on=starts_on,
        ends_on=today + datetime.timedelta(days=75),
        neighbourhoods=[places["Armley"], places["New Wortley"]],
        partner_organisations=partners,
        vacancies=vacancies,
        summary=(
            "Paid training, a trial shift before you decide and jobs close to home: care "
            "and support work with the council, Leeds and York Partnership, local care "
            "homes and GP practices. No experience needed for most roles."
        ),
        target_roles="Care workers, mental health support workers, apprentices and GP "
        "receptionists.",
        goal_engaged=200,
        goal_attended=60,
        goal_applied=30,
        goal_outcomes=20,
    )
    created["campaigns"] += 1
    rng = random.Random(today.toordinal())
    people = _people(
        64,
        places=[
            (places["Armley"], "LS12 3", 50),
            (places["New Wortley"], "LS12 1", 40),
            (None, "", 10),
        ],
        channels=[(Channel.FACE_TO_FACE, 70), (Channel.ONLINE, 20), (Channel.REFERRAL, 10)],
        starts_on=starts_on,
        days=40,
        rng=rng,
        consent_share=0.95,
    )
    for person in people[:5]:
        _apply(person, days=10)
    _outcome(people[0], Outcome.STARTED_TRAINING, days=20)
    for person in people[5:25]:
        _refer(person, Programme.CARE_ACADEMY if rng.random() < 0.3 else "")
    engagements = residents.make(campaign, people, rng=rng, organisation=orgs[FORUM])

    drop_in = _event(
        campaign,
        orgs[FORUM],
        Kind.COMMUNITY_SESSION,
        "Careers drop-in, Armley",
        _at(today - datetime.timedelta(days=20), 10),
        3,
        venue_name="Armley community hub (demo)",
        address="Town Street, Armley, Leeds",
        postcode="LS12 3HN",
        capacity=30,
    )
    webinar = _event(
        campaign,
        lead,
        Kind.WEBINAR,
        "Careers in care: online information evening",
        _at(today + datetime.timedelta(days=6), 18),
        1,
        description="Hear from care workers and managers, ask anything, and find out how "
        "the trial shift and paid training work.",
        online_url="https://meet.example.org/careers-in-care-west-leeds",
        capacity=80,
    )
    session = _event(
        campaign,
        orgs[FORUM],
        Kind.COMMUNITY_SESSION,
        "Jobs and support session, New Wortley",
        _at(today + datetime.timedelta(days=9), 10),
        3,
        description="Bring your CV if you have one, or we can write one with you.",
        venue_name="New Wortley Community Centre (demo)",
        address="Tong Road, Leeds",
        postcode="LS12 1JQ",
        capacity=15,
    )
    EventBooking.objects.bulk_create(
        _book(drop_in, engagements[:16], attended=True)
        + _book(webinar, engagements[16:39], attended=None)
        + _book(session, engagements[39:52], attended=None)
    )
    created["events"] += 3
    created["residents"] += len(engagements)

    support_worker = next((v for v in vacancies if v.reference == "LYP-SW-0140"), None)
    links = [
        (
            "Poster, Armley library",
            "ARMLEY-LIBRARY",
            TrackingLink.Destination.CAMPAIGN,
            None,
            None,
            57,
        ),
        (
            "Leaflets, New Wortley Community Centre",
            "WORTLEY-CC",
            TrackingLink.Destination.CAMPAIGN,
            None,
            session,
            23,
        ),
        (
            "Jobcentre Plus, Armley",
            "JCP-ARMLEY",
            TrackingLink.Destination.JOB_SEARCH,
            None,
            None,
            12,
        ),
    ]
    if support_worker is not None:
        links.append(
            (
                "Poster, St Mary's Hospital",
                "ST-MARYS",
                TrackingLink.Destination.VACANCY,
                support_worker,
                None,
                31,
            )
        )
    for label, code, destination, vacancy, event, visits in links:
        link = link_create(
            campaign=campaign,
            actor=actor,
            organisation=lead,
            label=label,
            destination=destination,
            vacancy=vacancy,
            event=event,
            code=code,
        )
        TrackingLink.objects.filter(pk=link.pk).update(visits=visits)
        created["tracking links"] += 1


@transaction.atomic
def seed_demo() -> dict:
    created = {
        "neighbourhoods": 0,
        "campaigns": 0,
        "events": 0,
        "residents": 0,
        "tracking links": 0,
    }
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=ORGANISATIONS)}
    if len(orgs) < len(ORGANISATIONS):
        return created  # hub's demo has not run (or was changed): nothing to build on
    places = _neighbourhoods(created)
    residents = _Residents()
    _armley(orgs, places, residents, created)
    _east_leeds(orgs, places, residents, created)
    _west_leeds(orgs, places, residents, created)
    return created
