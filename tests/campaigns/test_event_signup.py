"""Signing up for an event on its public page, with no account: consent is required and
recorded, the same person never gets two bookings, cancelled and past events refuse
sign-up, and the list and page of events run a fixed number of queries."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.models import (
    ContactConsent,
    Engagement,
    Event,
    EventBooking,
    Resident,
    TrackingLink,
)
from campaigns.services import events as services
from campaigns.services.residents import CONSENT_WORDING
from talent.attribution import CAMPAIGN_SESSION_KEY
from tests.campaigns.builders import make_booking, make_campaign, make_event, make_resident

Status = EventBooking.Status


@pytest.fixture
def campaign(org_a):
    return make_campaign(org_a, name="Connecting Communities: Armley")


@pytest.fixture
def event(campaign):
    return make_event(campaign, title="Careers in care webinar", capacity=2)


def _page(event):
    return reverse("campaign_public:event", kwargs={"event_id": event.pk})


def _sign_up(client, event, **overrides):
    data = {
        "name": "Amira Khan",
        "email": "amira@example.org",
        "phone": "0113 496 0000",
        "postcode": "ls12 3ab",
        "consent": "on",
    } | overrides
    return client.post(_page(event), {k: v for k, v in data.items() if v is not None})


def _errors(response) -> list[str]:
    summary = re.search(
        r'<div class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary on the page"
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]


def test_the_page_shows_the_event_in_london_time_and_the_consent_wording(client, campaign):
    # 18:00 UTC on 1 July is 7pm in London (BST).
    starts_at = datetime.datetime(2099, 7, 1, 18, 0, tzinfo=datetime.UTC)
    event = make_event(campaign, title="Evening webinar", starts_at=starts_at)
    response = client.get(_page(event))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wednesday 1 July 2099, 7pm to 9pm" in page
    assert "Armley Community Centre" in page
    assert "20 places left" in page
    assert CONSENT_WORDING in page
    assert (
        '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Agreeing to be contacted'
        in page
    )


def test_an_online_event_says_online(client, campaign):
    event = make_event(
        campaign, venue_name="", address="", postcode="", online_url="https://teams.example/j/1"
    )
    page = client.get(_page(event)).content.decode()
    assert "Online: the joining link is in your confirmation email" in page
    assert "teams.example" not in page


def test_signing_up_records_the_resident_their_consent_and_a_place(client, event, campaign):
    response = _sign_up(client, event)
    booking = EventBooking.objects.get()
    assert response.status_code == 302
    assert response.url == reverse(
        "campaign_public:booking", kwargs={"token": services.booking_token(booking)}
    )
    assert booking.status == Status.BOOKED and booking.event == event
    resident = booking.resident
    assert (resident.name, resident.email, resident.postcode) == (
        "Amira Khan",
        "amira@example.org",
        "LS12 3AB",
    )
    consent = resident.consents.get()
    assert consent.wording == CONSENT_WORDING
    assert consent.captured_by == ContactConsent.CapturedBy.EVENT_SIGN_UP
    engagement = Engagement.objects.get(resident=resident)
    assert engagement.campaign == campaign
    assert engagement.channel == Engagement.Channel.ONLINE
    page = client.get(response.url).content.decode()
    assert "Your place is booked" in page


def test_a_sign_up_after_following_a_poster_link_is_attributed_to_it(client, event, campaign):
    poster = TrackingLink.objects.create(campaign=campaign, label="Library poster", code="ARM-LIB")
    session = client.session
    session[CAMPAIGN_SESSION_KEY] = "arm-lib"
    session.save()
    _sign_up(client, event)
    assert Engagement.objects.get().tracking_link == poster


def test_a_link_of_another_campaign_is_not_credited(client, event, org_a):
    other = make_campaign(org_a)
    TrackingLink.objects.create(campaign=other, label="Elsewhere", code="ELSEWHERE")
    session = client.session
    session[CAMPAIGN_SESSION_KEY] = "ELSEWHERE"
    session.save()
    _sign_up(client, event)
    assert Engagement.objects.get().tracking_link is None


def test_without_consent_nothing_is_written_and_the_box_is_named(client, event):
    response = _sign_up(client, event, consent=None)
    assert response.status_code == 200
    assert _errors(response) == ["Tick the box to agree to be contacted about this event"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Resident.objects.exists()
    assert not EventBooking.objects.exists()
    assert not Engagement.objects.exists()
    assert mail.outbox == []


def test_a_bad_email_is_named_and_nothing_is_written(client, event):
    response = _sign_up(client, event, email="amira@", name="")
    assert _errors(response) == [
        "Enter your full name",
        "Enter an email address in the correct format, like name@example.com",
    ]
    assert not Resident.objects.exists()


def test_a_bad_postcode_is_named_by_the_service_and_nothing_is_written(client, event):
    response = _sign_up(client, event, postcode="123 456")
    assert response.status_code == 200
    assert _errors(response) == ["Enter a real postcode, like LS1 3EX"]
    assert not Resident.objects.exists()


def test_signing_up_twice_keeps_one_booking_and_emails_the_link_again(
    client, event, django_capture_on_commit_callbacks
):
    _sign_up(client, event)
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, event, email="AMIRA@example.org", name="Someone Else")
    assert EventBooking.objects.count() == 1
    assert Resident.objects.count() == 1
    # The person typing may not be the one booked: the link goes to the email, not the page.
    assert response.url == _page(event)
    assert len(mail.outbox) == 1
    assert "You had already booked a place" in mail.outbox[0].body


def test_a_cancelled_booking_is_taken_up_again_not_duplicated(client, event):
    _sign_up(client, event)
    booking = EventBooking.objects.get()
    services.booking_cancel(booking=booking)
    response = _sign_up(client, event)
    booking.refresh_from_db()
    assert EventBooking.objects.count() == 1
    assert booking.status == Status.BOOKED and booking.cancelled_at is None
    assert response.url == reverse(
        "campaign_public:booking", kwargs={"token": services.booking_token(booking)}
    )


def test_a_cancelled_event_refuses_sign_up(client, event):
    Event.objects.filter(pk=event.pk).update(
        status=Event.Status.CANCELLED, cancelled_at=timezone.now()
    )
    page = client.get(_page(event)).content.decode()
    assert "This event has been cancelled, so you cannot sign up for it." in page
    assert 'name="consent"' not in page
    response = _sign_up(client, event)
    assert response.status_code == 200
    assert not EventBooking.objects.exists() and not Resident.objects.exists()


def test_an_event_that_has_started_refuses_sign_up(client, campaign):
    event = make_event(campaign, starts_at=timezone.now() - datetime.timedelta(minutes=5))
    response = _sign_up(client, event)
    assert "This event has already started" in response.content.decode()
    assert not EventBooking.objects.exists()


def test_the_service_refuses_without_consent_even_if_asked_directly(event):
    with pytest.raises(Exception, match="Tick the box"):
        services.event_sign_up(event=event, name="Amira", email="a@example.org", consent=False)
    assert not Resident.objects.exists()


def test_events_of_a_private_campaign_have_no_public_page(client, org_a):
    event = make_event(make_campaign(org_a, is_public=False))
    assert client.get(_page(event)).status_code == 404
    assert (
        client.get(reverse("campaign_public:event_ics", kwargs={"event_id": event.pk})).status_code
        == 404
    )


def test_the_event_page_runs_a_fixed_number_of_queries(
    client, event, django_assert_max_num_queries
):
    for n in range(5):
        make_booking(event, make_resident(email=f"r{n}@example.org"))
    with django_assert_max_num_queries(3):
        response = client.get(_page(event))
    assert "Every place is taken" in response.content.decode()
    assert "Join the waiting list" in response.content.decode()


# --- The list of events --------------------------------------------------------------------


def test_the_list_shows_upcoming_public_events_with_places_left(client, org_a, campaign):
    full = make_event(campaign, title="Full day", capacity=1, days_ahead=3)
    make_booking(full, make_resident())
    make_event(campaign, title="Open day", capacity=10, days_ahead=5)
    make_event(campaign, title="Last month", starts_at=timezone.now() - datetime.timedelta(days=30))
    cancelled = make_event(campaign, title="Called off")
    Event.objects.filter(pk=cancelled.pk).update(status=Event.Status.CANCELLED)
    make_event(make_campaign(org_a, is_public=False), title="Private visit")
    page = client.get(reverse("campaign_public:event_list")).content.decode()
    assert page.index("Full day") < page.index("Open day")
    assert "you can join the waiting list" in page
    assert "10 places left" in page
    for hidden in ("Last month", "Called off", "Private visit"):
        assert hidden not in page


def test_the_list_filters_by_type_of_event(client, campaign):
    make_event(campaign, title="Webinar one", kind=Event.Kind.WEBINAR)
    make_event(campaign, title="Course one", kind=Event.Kind.EMPLOYABILITY_COURSE)
    page = client.get(
        reverse("campaign_public:event_list"), {"kind": "employability_course"}
    ).content.decode()
    assert "Course one" in page and "Webinar one" not in page


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    client, campaign, django_assert_max_num_queries
):
    for n in range(12):
        event = make_event(campaign, title=f"Session {n:02d}", days_ahead=n + 1)
        make_booking(event, make_resident())
    with django_assert_max_num_queries(3):
        first = client.get(reverse("campaign_public:event_list"))
    page = first.content.decode()
    assert "Session 09" in page and "Session 10" not in page
    assert "?page=2" in page
    second = client.get(reverse("campaign_public:event_list"), {"page": 2}).content.decode()
    assert "Session 10" in second and "Session 11" in second


def test_the_calendar_file_is_a_download_in_london_time(client, campaign):
    event = make_event(
        campaign,
        title="Winter webinar",
        starts_at=datetime.datetime(2099, 1, 5, 10, 0, tzinfo=datetime.UTC),
    )
    response = client.get(reverse("campaign_public:event_ics", kwargs={"event_id": event.pk}))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == 'attachment; filename="event.ics"'
    text = response.content.decode()
    assert "SUMMARY:Winter webinar" in text
    assert "DTSTART;TZID=Europe/London:20990105T100000" in text
    assert f"UID:campaign-event-{event.pk}@" in text
