"""The emails of events: the confirmation (with the .ics) or the place in the waiting
list, "a place is yours" when promoted, the reminder the day before (once, never to anyone
without consent), and the cancellation. Each carries the link to stop contact."""

from datetime import datetime

import pytest
import time_machine
from django.core import mail

from campaigns.models import Event, EventBooking
from campaigns.services import events as services
from campaigns.services.residents import consent_withdraw
from campaigns.tasks import send_event_reminders
from hub.models import Membership
from talent.ics import LONDON
from tests.campaigns.builders import make_booking, make_campaign, make_event, make_resident

Status = EventBooking.Status


@pytest.fixture
def campaign(org_a):
    return make_campaign(org_a, name="Connecting Communities")


@pytest.fixture
def event(campaign):
    return make_event(campaign, title="Careers in care webinar", capacity=1)


def _sign_up(event, name, capture):
    with capture(execute=True):
        return services.event_sign_up(
            event=event, name=name, email=f"{name.lower()}@example.org", consent=True
        ).booking


def test_the_confirmation_has_the_calendar_file_the_booking_link_and_the_stop_link(
    event, django_capture_on_commit_callbacks
):
    booking = _sign_up(event, "Ada", django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["ada@example.org"]
    assert message.subject.startswith("Your place is booked: Careers in care webinar")
    assert services.booking_token(booking) in message.body
    contact = f"/contact-preferences/{services.contact_token(booking.resident)}/"
    assert contact in message.body
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{contact}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("event.ics", "text/calendar")
    assert "SUMMARY:Careers in care webinar" in content
    html = message.alternatives[0][0]
    assert contact in html


def test_someone_on_the_waiting_list_is_told_their_position_without_a_calendar_file(
    event, django_capture_on_commit_callbacks
):
    _sign_up(event, "Ada", django_capture_on_commit_callbacks)
    _sign_up(event, "Ben", django_capture_on_commit_callbacks)
    _sign_up(event, "Cara", django_capture_on_commit_callbacks)
    cara = mail.outbox[-1]
    assert cara.to == ["cara@example.org"]
    assert cara.subject.startswith("You are on the waiting list")
    assert "You are number 2 on the list." in cara.body
    assert cara.attachments == []


def test_the_first_person_waiting_is_emailed_that_a_place_is_theirs(
    event, django_capture_on_commit_callbacks
):
    ada = _sign_up(event, "Ada", django_capture_on_commit_callbacks)
    _sign_up(event, "Ben", django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=ada)
    [message] = mail.outbox
    assert message.to == ["ben@example.org"]
    assert message.subject.startswith("A place is yours: Careers in care webinar")
    assert message.attachments[0][0] == "event.ics"


def test_someone_promoted_after_withdrawing_consent_gets_the_place_but_no_email(
    event, django_capture_on_commit_callbacks
):
    ada = _sign_up(event, "Ada", django_capture_on_commit_callbacks)
    ben = _sign_up(event, "Ben", django_capture_on_commit_callbacks)
    consent_withdraw(resident=ben.resident)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=ada)
    ben.refresh_from_db()
    assert ben.status == Status.BOOKED
    assert mail.outbox == []


# --- Reminders ---------------------------------------------------------------------------

# Saturday 28 March 2026, 09:00 in London; the clocks go forward at 01:00 on Sunday 29th.
NOW = datetime(2026, 3, 28, 9, 0, tzinfo=LONDON)


@pytest.fixture
def bookings(campaign):
    def event_at(*args, **fields):
        return make_event(campaign, starts_at=datetime(*args, tzinfo=LONDON), **fields)

    def person(name, consent=True):
        return make_resident(name=name, email=f"{name.lower()}@example.org", consent=consent)

    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=LONDON), tick=False):
        early, late = event_at(2026, 3, 29, 0, 30), event_at(2026, 3, 29, 22, 0)
        today, day_after = event_at(2026, 3, 28, 15, 0), event_at(2026, 3, 30, 0, 15)
        cancelled = event_at(2026, 3, 29, 10, 0, status=Event.Status.CANCELLED)
        return {
            "early": make_booking(early, person("Ada")),
            "late": make_booking(late, person("Ben")),
            "no_consent": make_booking(early, person("Cara", consent=False)),
            "waiting": make_booking(early, person("Dev"), status=Status.WAITING),
            "cancelled_booking": make_booking(early, person("Eve"), status=Status.CANCELLED),
            "today": make_booking(today, person("Fay")),
            "day_after": make_booking(day_after, person("Gus")),
            "cancelled_event": make_booking(cancelled, person("Hal")),
        }


@time_machine.travel(NOW, tick=False)
def test_people_booked_on_an_event_tomorrow_are_reminded_once(
    bookings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_reminders_send() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "ben@example.org"]
    ada = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert ada.subject.startswith("Reminder:")
    assert "Sunday 29 March 2026, 12:30am to 2:30am" in ada.body
    assert "List-Unsubscribe" in ada.extra_headers
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_reminders_send() == 0
    assert mail.outbox == []
    reminded = EventBooking.objects.filter(reminded_at__isnull=False)
    assert set(reminded) == {bookings["early"], bookings["late"]}


@time_machine.travel(NOW, tick=False)
def test_withdrawing_consent_stops_the_reminder(bookings, django_capture_on_commit_callbacks):
    consent_withdraw(resident=bookings["early"].resident)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.event_reminders_send() == 1
    assert [m.to for m in mail.outbox] == [["ben@example.org"]]


@time_machine.travel(NOW, tick=False)
def test_the_daily_task_sends_the_reminders(bookings):
    assert send_event_reminders.delay().get() == 2


def test_a_moved_event_is_reminded_again_for_its_new_day(campaign, org_a, admin_a):
    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=LONDON), tick=False):
        event = make_event(campaign, starts_at=datetime(2026, 3, 29, 10, 0, tzinfo=LONDON))
        booking = make_booking(event, make_resident(email="ada@example.org"))
    with time_machine.travel(NOW, tick=False):
        services.event_reminders_send()
        fields = {name: getattr(event, name) for name in services.EDITABLE_FIELDS}
        services.event_update(
            event=event,
            membership=Membership.objects.get(user=admin_a, organisation=org_a),
            actor=admin_a,
            **fields
            | {
                "starts_at": datetime(2026, 3, 31, 10, 0, tzinfo=LONDON),
                "ends_at": datetime(2026, 3, 31, 12, 0, tzinfo=LONDON),
            },
        )
    booking.refresh_from_db()
    assert booking.reminded_at is None
    with time_machine.travel(datetime(2026, 3, 30, 9, 0, tzinfo=LONDON), tick=False):
        assert services.event_reminders_send() == 1


# --- Cancelling an event ------------------------------------------------------------------


def test_cancelling_an_event_emails_everyone_booked_or_waiting_who_agreed(
    event, org_a, admin_a, django_capture_on_commit_callbacks
):
    make_booking(event, make_resident(name="Ada", email="ada@example.org"))
    make_booking(event, make_resident(name="Ben", email="ben@example.org"), status=Status.WAITING)
    make_booking(event, make_resident(name="Cara", email="cara@example.org", consent=False))
    make_booking(event, make_resident(name="Dev", email="dev@example.org"), status=Status.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(
            event=event,
            membership=Membership.objects.get(user=admin_a, organisation=org_a),
            actor=admin_a,
            reason="The presenter is ill.",
        )
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.org", "ben@example.org"]
    ada = next(m for m in mail.outbox if m.to == ["ada@example.org"])
    assert ada.subject.startswith("Cancelled: Careers in care webinar")
    assert "Why: The presenter is ill." in ada.body
    assert "METHOD:CANCEL" in ada.attachments[0][1]
    ben = next(m for m in mail.outbox if m.to == ["ben@example.org"])
    assert "your place on its waiting list is cancelled too" in ben.body
    assert ben.attachments == []
