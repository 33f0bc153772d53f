"""Reminders the day before: candidates with an interview, or a confirmed trial shift,
starting tomorrow (the Europe/London calendar day) are emailed once."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.core import mail

from talent.ics import LONDON
from talent.models import Application, InterviewBooking, InterviewSlot, TrialShiftSlot
from talent.services import interviews as services
from talent.tasks import send_interview_and_trial_shift_reminders
from tests.factories import ApplicationFactory, UserFactory, VacancyFactory

# Saturday 28 March 2026, 09:00 in London; the clocks go forward at 01:00 on Sunday 29th,
# so "tomorrow" is a 23-hour day.
NOW = datetime(2026, 3, 28, 9, 0, tzinfo=LONDON)


@pytest.fixture
def vacancy(org_a, admin_a):
    return VacancyFactory(
        organisation=org_a, title="Care worker", contact=admin_a, trial_shift_available=True
    )


def _book(vacancy, start, *, stage="interview"):
    slot = InterviewSlot.objects.create(
        vacancy=vacancy,
        starts_at=start,
        ends_at=start + timedelta(minutes=30),
        location="Room 1",
    )
    application = ApplicationFactory(vacancy=vacancy, stage="interview")
    booking = services.interview_book(application=application, slot=slot, actor=vacancy.contact)
    if stage != "interview":
        Application.objects.filter(pk=application.pk).update(stage=stage)
    return booking


def _trial(vacancy, start, *, confirm=True, actor=None):
    slot = TrialShiftSlot.objects.create(
        vacancy=vacancy,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        location="Ward 3",
        capacity=3,
    )
    trial_request = services.trial_shift_request_create(slot=slot, candidate=UserFactory())
    if confirm:
        services.trial_shift_request_confirm(trial_request=trial_request, actor=actor)
    return trial_request


@pytest.fixture
def bookings(vacancy):
    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=LONDON), tick=False):
        return {
            "tomorrow_early": _book(vacancy, datetime(2026, 3, 29, 0, 15, tzinfo=LONDON)),
            "tomorrow_late": _book(vacancy, datetime(2026, 3, 29, 23, 15, tzinfo=LONDON)),
            "today": _book(vacancy, datetime(2026, 3, 28, 15, 0, tzinfo=LONDON)),
            "day_after": _book(vacancy, datetime(2026, 3, 30, 0, 15, tzinfo=LONDON)),
            "withdrawn": _book(
                vacancy, datetime(2026, 3, 29, 10, 0, tzinfo=LONDON), stage="withdrawn"
            ),
        }


@pytest.fixture
def trial_shifts(vacancy, staff_a):
    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=LONDON), tick=False):
        return {
            "confirmed": _trial(vacancy, datetime(2026, 3, 29, 8, 0, tzinfo=LONDON), actor=staff_a),
            "waiting": _trial(vacancy, datetime(2026, 3, 29, 9, 0, tzinfo=LONDON), confirm=False),
            "next_week": _trial(vacancy, datetime(2026, 4, 4, 8, 0, tzinfo=LONDON), actor=staff_a),
        }


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@time_machine.travel(NOW, tick=False)
def test_only_interviews_and_confirmed_trial_shifts_starting_tomorrow_are_reminded(
    bookings, trial_shifts, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send()
    assert sent == {"interviews": 2, "trial_shifts": 1}
    expected = sorted(
        [
            bookings["tomorrow_early"].application.email,
            bookings["tomorrow_late"].application.email,
            trial_shifts["confirmed"].candidate.email,
        ]
    )
    assert _recipients() == expected
    interview = next(m for m in mail.outbox if "interview tomorrow" in m.subject)
    assert interview.attachments[0][0] == "interview.ics"
    trial = next(m for m in mail.outbox if "trial shift tomorrow" in m.subject)
    assert "Sunday 29 March 2026, 8am to 9am" in trial.body


@time_machine.travel(NOW, tick=False)
def test_a_second_run_sends_nothing(bookings, trial_shifts, django_capture_on_commit_callbacks):
    services.reminders_send()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send()
    assert sent == {"interviews": 0, "trial_shifts": 0}
    assert mail.outbox == []
    assert InterviewBooking.objects.filter(reminder_sent_at__isnull=False).count() == 2


def test_a_moved_interview_is_reminded_again_for_its_new_day(vacancy):
    with time_machine.travel(datetime(2026, 3, 20, 9, 0, tzinfo=LONDON), tick=False):
        booking = _book(vacancy, datetime(2026, 3, 29, 10, 0, tzinfo=LONDON))
    with time_machine.travel(NOW, tick=False):
        services.reminders_send()
        later = InterviewSlot.objects.create(
            vacancy=vacancy,
            starts_at=datetime(2026, 3, 31, 10, 0, tzinfo=LONDON),
            ends_at=datetime(2026, 3, 31, 10, 30, tzinfo=LONDON),
            location="Room 2",
        )
        services.interview_book(
            application=booking.application, slot=later, actor=booking.application.candidate
        )
    booking.refresh_from_db()
    assert booking.reminder_sent_at is None
    with time_machine.travel(datetime(2026, 3, 30, 9, 0, tzinfo=LONDON), tick=False):
        assert services.reminders_send()["interviews"] == 1


@time_machine.travel(NOW, tick=False)
def test_the_daily_task_sends_the_reminders(bookings):
    assert send_interview_and_trial_shift_reminders.delay().get() == {
        "interviews": 2,
        "trial_shifts": 0,
    }
