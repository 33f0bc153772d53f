"""Staff running a campaign's events: adding, changing and cancelling them, seeing who is
booked and waiting, and marking attendance. An admin of the lead organisation (or of a
partner) may; a member whose role lacks the capability gets 403; another organisation
gets 404 and changes nothing."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Event, EventBooking
from hub.models import AuditEvent
from tests.campaigns.builders import (
    make_booking,
    make_campaign,
    make_engagement,
    make_event,
    make_resident,
)
from tests.factories import MembershipFactory

Status = EventBooking.Status


@pytest.fixture
def campaign(org_a):
    return make_campaign(org_a, name="Connecting Communities: Armley")


@pytest.fixture
def event(campaign):
    return make_event(campaign, title="Careers in care webinar", capacity=3)


@pytest.fixture
def outreach_a(org_a):
    return MembershipFactory(organisation=org_a, role="outreach").user


def _url(name, org, **kwargs):
    return reverse(f"campaign_events:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _errors(response) -> list[str]:
    import re

    summary = re.search(
        r'<div class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary on the page"
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


def _event_data(**overrides):
    day = timezone.localdate() + datetime.timedelta(days=14)
    return {
        "kind": "community_session",
        "title": "Drop-in at Armley One Stop Centre",
        "description": "Meet people who work in care.",
        "starts_on": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:30",
        "ends_on": "",
        "venue_name": "Armley One Stop Centre",
        "address": "Stocks Hill, Leeds",
        "postcode": "ls12 1uq",
        "online_url": "",
        "capacity": "25",
    } | overrides


# --- Adding and changing events ---------------------------------------------------------------


def test_an_admin_adds_an_event_run_by_their_organisation(client_as, admin_a, org_a, campaign):
    response = client_as(admin_a).post(
        _url("event_create", org_a, campaign_id=campaign.pk), _event_data()
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response.url == _url("event_detail", org_a, event_id=event.pk)
    assert event.organisation == org_a and event.campaign == campaign
    assert event.postcode == "LS12 1UQ"
    starts = timezone.localtime(event.starts_at)
    assert (starts.hour, starts.minute) == (10, 0)
    assert event.ends_at - event.starts_at == datetime.timedelta(hours=2, minutes=30)
    assert AuditEvent.objects.filter(action="event.created", object_id=str(event.pk)).exists()


def test_a_partner_organisation_runs_its_own_events_of_the_campaign(client_as, org_a, org_b):
    campaign = make_campaign(org_a, partners=[org_b])
    partner = MembershipFactory(organisation=org_b, role="staff").user
    client_as(partner).post(_url("event_create", org_b, campaign_id=campaign.pk), _event_data())
    assert Event.objects.get().organisation == org_b


def test_a_course_over_several_weeks_ends_on_its_last_day(client_as, admin_a, org_a, campaign):
    first = timezone.localdate() + datetime.timedelta(days=7)
    client_as(admin_a).post(
        _url("event_create", org_a, campaign_id=campaign.pk),
        _event_data(
            kind="employability_course",
            starts_on=first.isoformat(),
            ends_on=(first + datetime.timedelta(weeks=6)).isoformat(),
        ),
    )
    event = Event.objects.get()
    assert timezone.localtime(event.ends_at).date() == first + datetime.timedelta(weeks=6)


@pytest.mark.parametrize(
    "overrides, expected",
    [
        (
            {"venue_name": "", "online_url": ""},
            ["Enter the name of the venue, or an online joining link"],
        ),
        ({"end_time": "09:00"}, ["The event must end after it starts"]),
        (
            {"starts_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()},
            ["The event must start in the future"],
        ),
        (
            {"capacity": "0", "kind": ""},
            ["Choose the type of event", "The number of places must be 1 or more"],
        ),
        ({"postcode": "nowhere"}, ["Enter a real postcode, like LS12 3AB, or leave it empty"]),
    ],
)
def test_a_wrong_event_is_refused_with_the_field_named(
    client_as, admin_a, org_a, campaign, overrides, expected
):
    response = client_as(admin_a).post(
        _url("event_create", org_a, campaign_id=campaign.pk), _event_data(**overrides)
    )
    assert response.status_code == 200
    assert _errors(response) == expected
    assert not Event.objects.exists()


def test_the_edit_form_shows_the_event_and_saves_changes(client_as, admin_a, org_a, event):
    client = client_as(admin_a)
    page = client.get(_url("event_edit", org_a, event_id=event.pk)).content.decode()
    assert 'value="Careers in care webinar"' in page
    start = timezone.localtime(event.starts_at)
    response = client.post(
        _url("event_edit", org_a, event_id=event.pk),
        _event_data(
            kind=event.kind,
            title="Careers in care webinar (evening)",
            starts_on=start.date().isoformat(),
            start_time=start.strftime("%H:%M"),
            end_time=(start + datetime.timedelta(hours=1)).strftime("%H:%M"),
            capacity="3",
        ),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Careers in care webinar (evening)"
    assert event.venue_name == "Armley One Stop Centre"


def test_places_cannot_be_cut_below_those_booked(client_as, admin_a, org_a, event):
    for _ in range(3):
        make_booking(event, make_resident())
    start = timezone.localtime(event.starts_at)
    response = client_as(admin_a).post(
        _url("event_edit", org_a, event_id=event.pk),
        _event_data(
            starts_on=start.date().isoformat(),
            start_time=start.strftime("%H:%M"),
            end_time=(start + datetime.timedelta(hours=1)).strftime("%H:%M"),
            capacity="2",
        ),
    )
    assert _errors(response) == [
        "3 places are already booked: the number of places cannot be fewer"
    ]
    event.refresh_from_db()
    assert event.capacity == 3


# --- Cancelling -----------------------------------------------------------------------------


def test_cancelling_asks_for_a_reason_then_cancels_and_tells_people(
    client_as, admin_a, org_a, event, django_capture_on_commit_callbacks
):
    make_booking(event, make_resident(email="ada@example.org"))
    client = client_as(admin_a)
    url = _url("event_cancel", org_a, event_id=event.pk)
    assert "Cancel the event</button>" in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert _errors(response) == ["Enter why the event is cancelled"]
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "The venue is closed for repairs."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED and event.cancelled_at is not None
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    page = client.get(_url("event_detail", org_a, event_id=event.pk)).content.decode()
    assert "Cancelled</strong>" in page
    assert "Change the event" not in page
    assert client.post(url, {"reason": "Again"}).status_code == 200
    assert len(mail.outbox) == 1


# --- The event's page: bookings and the waiting list ------------------------------------------


def test_the_page_shows_places_and_the_waiting_list_in_order(client_as, admin_a, org_a, event):
    now = timezone.now()
    for name in ("Zoe", "Ada", "Ben"):
        make_booking(event, make_resident(name=name))
    for minutes, name in [(2, "Late Lou"), (1, "Early Eli")]:
        make_booking(
            event,
            make_resident(name=name),
            status=Status.WAITING,
            waiting_since=now + datetime.timedelta(minutes=minutes),
        )
    page = client_as(admin_a).get(_url("event_detail", org_a, event_id=event.pk)).content.decode()
    assert "3 of 3 booked, 2 on the waiting list" in page
    assert page.index("Ada") < page.index("Ben") < page.index("Zoe")
    assert page.index("Early Eli") < page.index("Late Lou")
    assert event.get_absolute_url() in page
    assert reverse("campaign_public:event_ics", kwargs={"event_id": event.pk}) in page
    assert AuditEvent.objects.filter(action="event.bookings_viewed").exists()


def test_the_page_links_each_person_to_their_journey(client_as, admin_a, org_a, campaign, event):
    engagement = make_engagement(campaign)
    make_booking(event, engagement.resident)
    page = client_as(admin_a).get(_url("event_detail", org_a, event_id=event.pk)).content.decode()
    assert (
        reverse(
            "campaigns:journey",
            kwargs={
                "org_slug": org_a.slug,
                "campaign_id": campaign.pk,
                "engagement_id": engagement.pk,
            },
        )
        in page
    )


@pytest.mark.parametrize("people", [2, 20])
def test_the_page_runs_a_fixed_number_of_queries(
    client_as, admin_a, org_a, campaign, people, django_assert_max_num_queries
):
    event = make_event(
        campaign, capacity=people, starts_at=timezone.now() + datetime.timedelta(hours=1)
    )
    for _ in range(people):
        make_booking(event, make_engagement(campaign).resident)
        make_booking(event, make_resident(), status=Status.WAITING)
    client = client_as(admin_a)
    client.get(_url("event_detail", org_a, event_id=event.pk))  # the session settles
    with django_assert_max_num_queries(8):
        response = client.get(_url("event_detail", org_a, event_id=event.pk))
    assert response.content.decode().count('class="nhsuk-radios__input"') == 2 * people


# --- Attendance -------------------------------------------------------------------------------


@pytest.fixture
def today_event(campaign):
    """An event later today: attendance can be marked from the day of the event."""
    return make_event(
        campaign, kind=Event.Kind.WEBINAR, starts_at=timezone.now() + datetime.timedelta(minutes=5)
    )


def _mark(client, org, event, marks):
    return client.post(
        _url("attendance", org, event_id=event.pk),
        {f"attendance-{booking.pk}": mark for booking, mark in marks.items()},
    )


def test_staff_mark_who_attended(client_as, staff_a, org_a, today_event):
    ada = make_booking(today_event, make_resident(name="Ada"))
    ben = make_booking(today_event, make_resident(name="Ben"))
    cara = make_booking(today_event, make_resident(name="Cara"))
    response = _mark(client_as(staff_a), org_a, today_event, {ada: "attended", ben: "absent"})
    assert response.status_code == 302
    for booking in (ada, ben, cara):
        booking.refresh_from_db()
    assert (ada.attended, ben.attended, cara.attended) == (True, False, None)
    assert ada.attendance_marked_by == staff_a and ada.attendance_marked_at is not None
    assert cara.attendance_marked_at is None
    audit = AuditEvent.objects.get(action="event.attendance_marked")
    assert audit.data == {"attended": 1, "did_not_attend": 1, "completed_course": 0}


def test_a_course_records_who_completed_it(client_as, admin_a, org_a, campaign):
    course = make_event(
        campaign,
        kind=Event.Kind.EMPLOYABILITY_COURSE,
        starts_at=timezone.now() - datetime.timedelta(weeks=6),
    )
    ada = make_booking(course, make_resident(name="Ada"))
    ben = make_booking(course, make_resident(name="Ben"))
    client = client_as(admin_a)
    page = client.get(_url("event_detail", org_a, event_id=course.pk)).content.decode()
    assert "Attended and completed the course" in page
    _mark(client, org_a, course, {ada: "completed", ben: "attended"})
    ada.refresh_from_db()
    ben.refresh_from_db()
    assert (ada.attended, ada.completed_course) == (True, True)
    assert (ben.attended, ben.completed_course) == (True, False)


def test_completing_is_not_a_choice_for_other_events(client_as, admin_a, org_a, today_event):
    ada = make_booking(today_event, make_resident(name="Ada"))
    client = client_as(admin_a)
    response = _mark(client, org_a, today_event, {ada: "completed"})
    assert response.status_code == 302
    ada.refresh_from_db()
    assert (ada.attended, ada.completed_course) == (None, False)
    page = client.get(response.url).content.decode()
    assert "Choose attended or did not attend for each person, then save." in page


def test_an_invalid_mark_changes_nothing_at_all(client_as, admin_a, org_a, today_event):
    ada = make_booking(today_event, make_resident(name="Ada"))
    ben = make_booking(today_event, make_resident(name="Ben"))
    _mark(client_as(admin_a), org_a, today_event, {ada: "attended", ben: "maybe"})
    ada.refresh_from_db()
    assert ada.attended is None
    assert not AuditEvent.objects.filter(action="event.attendance_marked").exists()


def test_attendance_cannot_be_marked_before_the_day_of_the_event(client_as, admin_a, org_a, event):
    ada = make_booking(event, make_resident(name="Ada"))
    client = client_as(admin_a)
    page = client.get(_url("event_detail", org_a, event_id=event.pk)).content.decode()
    assert "You can mark who came from the day of the event." in page
    response = _mark(client, org_a, event, {ada: "attended"})
    ada.refresh_from_db()
    assert ada.attended is None
    assert (
        "You can mark attendance from the day of the event."
        in client.get(response.url).content.decode()
    )


# --- Tenancy and roles ----------------------------------------------------------------------


def test_a_member_without_the_role_gets_403(client_as, outreach_a, org_a, campaign, event):
    client = client_as(outreach_a)
    assert client.get(_url("event_create", org_a, campaign_id=campaign.pk)).status_code == 403
    assert client.get(_url("event_detail", org_a, event_id=event.pk)).status_code == 403


def test_another_organisation_cannot_reach_or_change_an_event(
    client_as, member_b, org_b, campaign, event
):
    """B's admin puts A's campaign and event ids into B's own URLs: 404, nothing changes."""
    ada = make_booking(event, make_resident(name="Ada"))
    client = client_as(member_b)
    responses = [
        client.post(_url("event_create", org_b, campaign_id=campaign.pk), _event_data()),
        client.get(_url("event_detail", org_b, event_id=event.pk)),
        client.post(_url("event_edit", org_b, event_id=event.pk), _event_data(title="Hijacked")),
        client.post(_url("event_cancel", org_b, event_id=event.pk), {"reason": "Because"}),
        _mark(client, org_b, event, {ada: "absent"}),
    ]
    assert [r.status_code for r in responses] == [404] * 5
    event.refresh_from_db()
    ada.refresh_from_db()
    assert (event.title, event.status) == ("Careers in care webinar", Event.Status.SCHEDULED)
    assert ada.attended is None
    assert Event.objects.count() == 1
