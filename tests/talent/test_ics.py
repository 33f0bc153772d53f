"""The .ics files of interviews and trial shifts: they parse with icalendar, carry the
right times in Europe/London (summer and winter), the place or the video link, the
organisation as organiser, and a UID that stays the same when the time changes."""

from datetime import datetime

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from talent import ics
from talent.ics import LONDON
from talent.models import InterviewSlot, TrialShiftSlot
from talent.services import interviews as services
from tests.factories import ApplicationFactory, UserFactory, VacancyFactory


@pytest.fixture
def vacancy(org_a, admin_a):
    return VacancyFactory(organisation=org_a, title="Staff nurse", contact=admin_a)


@pytest.fixture
def invited(vacancy):
    return ApplicationFactory(vacancy=vacancy, stage="interview")


def _slot(vacancy, start, end, model=InterviewSlot, **fields):
    fields.setdefault("location", "Room 2, Bexley Wing, St James's University Hospital")
    return model.objects.create(vacancy=vacancy, starts_at=start, ends_at=end, **fields)


def _event(text):
    calendar = Calendar.from_ical(text)
    [event] = calendar.events
    return calendar, event


@time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_a_summer_interview_is_written_in_london_time_with_its_place(vacancy, invited, org_a):
    slot = _slot(
        vacancy,
        datetime(2026, 7, 14, 10, 0, tzinfo=LONDON),
        datetime(2026, 7, 14, 10, 45, tzinfo=LONDON),
        notes="Bring your passport.",
    )
    booking = services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    text = ics.interview_ics(booking)
    calendar, event = _event(text)
    assert str(calendar["method"]) == "PUBLISH"
    assert "DTSTART;TZID=Europe/London:20260714T100000" in text
    assert "DTEND;TZID=Europe/London:20260714T104500" in text
    assert event.start.utcoffset().total_seconds() == 3600  # BST
    assert event.start == slot.starts_at
    assert str(event["location"]) == slot.location
    assert "Bring your passport." in str(event["description"])
    assert event["organizer"].params["CN"] == org_a.name
    assert str(event["organizer"]) == f"mailto:{vacancy.contact.email}"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/London"]


@time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), tick=False)
def test_a_winter_interview_is_written_in_greenwich_time(vacancy, invited):
    slot = _slot(
        vacancy,
        datetime(2026, 12, 1, 14, 0, tzinfo=LONDON),
        datetime(2026, 12, 1, 14, 30, tzinfo=LONDON),
    )
    booking = services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    text = ics.interview_ics(booking)
    _, event = _event(text)
    assert "DTSTART;TZID=Europe/London:20261201T140000" in text
    assert event.start.utcoffset().total_seconds() == 0
    assert event.end == slot.ends_at


def test_a_video_interview_gives_its_link_as_the_location(vacancy, invited):
    slot = _slot(
        vacancy,
        datetime(2030, 1, 8, 9, 0, tzinfo=LONDON),
        datetime(2030, 1, 8, 9, 30, tzinfo=LONDON),
        location="",
        video_link="https://teams.microsoft.com/l/meetup-join/xyz",
    )
    booking = services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    _, event = _event(ics.interview_ics(booking))
    assert str(event["location"]) == slot.video_link
    assert str(event["url"]) == slot.video_link


def test_the_uid_stays_the_same_when_the_interview_moves(vacancy, invited):
    first = _slot(
        vacancy,
        datetime(2030, 1, 8, 9, 0, tzinfo=LONDON),
        datetime(2030, 1, 8, 9, 30, tzinfo=LONDON),
    )
    second = _slot(
        vacancy,
        datetime(2030, 1, 9, 9, 0, tzinfo=LONDON),
        datetime(2030, 1, 9, 9, 30, tzinfo=LONDON),
    )
    with time_machine.travel(datetime(2029, 12, 1, 9, 0, tzinfo=LONDON), tick=False):
        booking = services.interview_book(application=invited, slot=first, actor=invited.candidate)
        _, before = _event(ics.interview_ics(booking))
    with time_machine.travel(datetime(2029, 12, 2, 9, 0, tzinfo=LONDON), tick=False):
        booking = services.interview_book(application=invited, slot=second, actor=invited.candidate)
        _, after = _event(ics.interview_ics(booking))
    assert str(before["uid"]) == str(after["uid"])
    assert str(before["uid"]).startswith(f"interview-{invited.pk}@")
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.start == second.starts_at


def test_a_cancellation_cancels_the_same_event(vacancy, invited):
    slot = _slot(
        vacancy,
        datetime(2030, 1, 8, 9, 0, tzinfo=LONDON),
        datetime(2030, 1, 8, 9, 30, tzinfo=LONDON),
    )
    booking = services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    calendar, event = _event(ics.interview_ics(booking, cancelled=True))
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["status"]) == "CANCELLED"
    assert str(event["uid"]).startswith(f"interview-{invited.pk}@")


def test_the_email_carries_the_same_calendar_file(
    vacancy, invited, django_capture_on_commit_callbacks
):
    slot = _slot(
        vacancy,
        datetime(2030, 1, 8, 9, 0, tzinfo=LONDON),
        datetime(2030, 1, 8, 9, 30, tzinfo=LONDON),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    message = next(m for m in mail.outbox if m.to == [invited.email])
    [(filename, content, mimetype)] = message.attachments
    assert (filename, mimetype) == ("interview.ics", "text/calendar")
    _, event = _event(content)
    assert event.start == slot.starts_at
    assert "Tuesday 8 January 2030, 9am to 9:30am" in message.body


def test_a_trial_shift_event_names_the_shift_and_the_organisation(vacancy, org_a, staff_a):
    vacancy.trial_shift_available = True
    vacancy.save()
    slot = _slot(
        vacancy,
        datetime(2030, 5, 8, 7, 30, tzinfo=LONDON),
        datetime(2030, 5, 8, 12, 0, tzinfo=LONDON),
        model=TrialShiftSlot,
        location="Ward J12",
    )
    trial_request = services.trial_shift_request_create(slot=slot, candidate=UserFactory())
    text = ics.trial_shift_ics(trial_request)
    _, event = _event(text)
    assert "DTSTART;TZID=Europe/London:20300508T073000" in text
    assert str(event["summary"]) == f"Trial shift: Staff nurse, {org_a.name}"
    assert str(event["location"]) == "Ward J12"
    assert str(event["uid"]).startswith(f"trial-shift-{trial_request.pk}@")


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        ((9, 0), (9, 30), "Tuesday 8 January 2030, 9am to 9:30am"),
        ((12, 0), (13, 15), "Tuesday 8 January 2030, midday to 1:15pm"),
        ((14, 5), (15, 0), "Tuesday 8 January 2030, 2:05pm to 3pm"),
    ],
)
def test_times_read_as_the_nhs_writes_them(start, end, words):
    assert (
        ics.when_text(
            datetime(2030, 1, 8, *start, tzinfo=LONDON), datetime(2030, 1, 8, *end, tzinfo=LONDON)
        )
        == words
    )
