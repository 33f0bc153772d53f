"""Interviews: HR staff publish interview times on a vacancy, candidates at the interview
stage book one (or HR books it for them), a time never holds more interviews than its
places, and every booking is emailed with an .ics attachment."""

import threading
import time as time_module
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from hub.models import AuditEvent
from talent.ics import LONDON
from talent.models import Application, InterviewBooking, InterviewSlot
from talent.services import interviews as services
from tests.factories import ApplicationFactory, UserFactory, VacancyFactory


@pytest.fixture
def vacancy(org_a, admin_a):
    return VacancyFactory(organisation=org_a, title="Healthcare assistant", contact=admin_a)


@pytest.fixture
def invited(vacancy):
    """An application at the interview stage."""
    return ApplicationFactory(vacancy=vacancy, stage="interview", full_name="Amira Khan")


def make_slot(vacancy, *, days=3, hour=10, minutes=30, capacity=1, **fields):
    day = timezone.localdate() + timedelta(days=days)
    starts_at = datetime.combine(day, time(hour, 0), tzinfo=LONDON)
    fields.setdefault("location", "Room 4, Jubilee Building, St James's University Hospital")
    return InterviewSlot.objects.create(
        vacancy=vacancy,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        capacity=capacity,
        **fields,
    )


def _manage(name, org, **kwargs):
    return reverse(f"interviews:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _interview_page(application):
    return reverse("bookings:interview", kwargs={"application_id": application.pk})


def _attachment(message):
    [(filename, content, mimetype)] = message.attachments
    return filename, content, mimetype


# --- Booking rules ----------------------------------------------------------------------------


def test_candidate_books_a_free_time_and_is_emailed_the_ics(
    client_as, invited, vacancy, admin_a, django_capture_on_commit_callbacks
):
    slot = make_slot(vacancy)
    client = client_as(invited.candidate)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_interview_page(invited), {"slot": slot.pk})
    assert response.status_code == 302
    booking = InterviewBooking.objects.get(application=invited)
    assert booking.slot == slot
    assert booking.booked_by == invited.candidate
    to_candidate = next(m for m in mail.outbox if m.to == [invited.email])
    assert "Your interview" in to_candidate.subject
    filename, content, mimetype = _attachment(to_candidate)
    assert (filename, mimetype) == ("interview.ics", "text/calendar")
    event = Calendar.from_ical(content).events[0]
    assert event["location"] == slot.location
    to_contact = next(m for m in mail.outbox if m.to == [admin_a.email])
    assert "Interview booked" in to_contact.subject
    assert _attachment(to_contact)[0] == "interview.ics"
    assert AuditEvent.objects.filter(action="interview.booked").exists()


def test_a_time_never_holds_more_interviews_than_its_places(vacancy, invited):
    slot = make_slot(vacancy, capacity=1)
    services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    other = ApplicationFactory(vacancy=vacancy, stage="interview")
    with pytest.raises(ValidationError) as error:
        services.interview_book(application=other, slot=slot, actor=other.candidate)
    assert error.value.error_dict["slot"][0].code == "full"
    assert slot.bookings.count() == 1


def test_a_group_interview_takes_as_many_as_it_has_places(vacancy):
    slot = make_slot(vacancy, capacity=2)
    applications = ApplicationFactory.create_batch(3, vacancy=vacancy, stage="interview")
    for application in applications[:2]:
        services.interview_book(application=application, slot=slot, actor=application.candidate)
    with pytest.raises(ValidationError):
        services.interview_book(
            application=applications[2], slot=slot, actor=applications[2].candidate
        )
    assert slot.bookings.count() == 2


def test_withdrawn_candidates_give_their_place_back(vacancy, invited):
    slot = make_slot(vacancy, capacity=1)
    services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    Application.objects.filter(pk=invited.pk).update(stage="withdrawn")
    other = ApplicationFactory(vacancy=vacancy, stage="interview")
    services.interview_book(application=other, slot=slot, actor=other.candidate)
    assert InterviewBooking.objects.get(application=other).slot == slot


@pytest.mark.parametrize("how", ["rejected by HR", "withdrawn by the candidate"])
def test_a_rejected_or_withdrawn_application_releases_its_interview_and_the_calendars(
    how, vacancy, invited, admin_a, django_capture_on_commit_callbacks
):
    from hub.models import Membership
    from talent.services import applications as application_services
    from talent.services.pipeline import application_move

    slot = make_slot(vacancy)
    services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if how == "rejected by HR":
            application_move(
                application=invited,
                to_stage="rejected",
                actor=admin_a,
                membership=Membership.objects.get(user=admin_a),
                rejection_reason="interview",
            )
        else:
            application_services.application_withdraw(application=invited, actor=invited.candidate)
    assert not InterviewBooking.objects.filter(application=invited).exists()
    cancellations = [m for m in mail.outbox if m.attachments]
    assert {tuple(m.to) for m in cancellations} == {(invited.email,), (admin_a.email,)}
    for message in cancellations:
        content = _attachment(message)[1]
        text = content.decode() if isinstance(content, bytes) else content
        assert "METHOD:CANCEL" in text


def test_booking_locks_the_time_before_counting_its_places(vacancy, invited):
    slot = make_slot(vacancy)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    sql = [query["sql"] for query in queries.captured_queries]
    lock = next(
        n for n, q in enumerate(sql) if 'FROM "talent_interviewslot"' in q and "FOR UPDATE" in q
    )
    count = next(n for n, q in enumerate(sql) if q.startswith("SELECT COUNT(*)"))
    assert lock < count


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_the_same_moment_get_one_place_between_them(
    org_a, monkeypatch
):
    vacancy = VacancyFactory(organisation=org_a)
    slot = make_slot(vacancy, capacity=1)
    first, second = ApplicationFactory.create_batch(2, vacancy=vacancy, stage="interview")

    # Widen the window between counting the places and writing the booking: without the
    # lock, both would count 0 booked and both would book.
    count = services._booked_count

    def slow_count(*args, **kwargs):
        result = count(*args, **kwargs)
        time_module.sleep(0.4)
        return result

    monkeypatch.setattr(services, "_booked_count", slow_count)
    start = threading.Barrier(2)
    outcomes = {}

    def book(application):
        try:
            start.wait(timeout=5)
            services.interview_book(application=application, slot=slot, actor=application.candidate)
            outcomes[application.pk] = "booked"
        except ValidationError as error:
            outcomes[application.pk] = error.error_dict["slot"][0].code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    assert sorted(outcomes.values()) == ["booked", "full"]
    assert InterviewBooking.objects.filter(slot=slot).count() == 1


def test_past_times_are_refused(vacancy, invited):
    slot = make_slot(vacancy, days=-1)
    with pytest.raises(ValidationError) as error:
        services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    assert error.value.error_dict["slot"][0].code == "past"
    assert not InterviewBooking.objects.exists()


def test_a_time_of_another_vacancy_is_refused(vacancy, invited, org_a):
    other_slot = make_slot(VacancyFactory(organisation=org_a))
    with pytest.raises(ValidationError) as error:
        services.interview_book(application=invited, slot=other_slot, actor=invited.candidate)
    assert error.value.error_dict["slot"][0].code == "wrong_vacancy"


@pytest.mark.parametrize(
    "stage", ["submitted", "screening", "shortlisted", "offer", "hired", "rejected", "withdrawn"]
)
def test_only_applications_at_the_interview_stage_can_book(vacancy, stage):
    application = ApplicationFactory(vacancy=vacancy, stage=stage)
    with pytest.raises(ValidationError) as error:
        services.interview_book(
            application=application, slot=make_slot(vacancy), actor=application.candidate
        )
    assert error.value.code == "stage"


def test_rebooking_moves_the_one_booking_and_says_it_moved(
    vacancy, invited, django_capture_on_commit_callbacks
):
    first, second = make_slot(vacancy, hour=10), make_slot(vacancy, hour=11)
    booking = services.interview_book(application=invited, slot=first, actor=invited.candidate)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.interview_book(application=invited, slot=second, actor=invited.candidate)
    assert moved.pk == booking.pk
    assert InterviewBooking.objects.get().slot == second
    assert first.bookings.count() == 0
    assert mail.outbox[-2].subject.startswith("Your interview has moved")


def test_booking_the_same_time_again_changes_nothing_and_sends_nothing(
    vacancy, invited, django_capture_on_commit_callbacks
):
    slot = make_slot(vacancy)
    services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    assert mail.outbox == []


def test_staff_of_another_organisation_cannot_book_through_the_service(vacancy, invited, member_b):
    with pytest.raises(ValidationError) as error:
        services.interview_book(application=invited, slot=make_slot(vacancy), actor=member_b)
    assert error.value.code == "not_staff"


# --- The candidate's pages --------------------------------------------------------------------


def test_the_booking_page_lists_only_free_future_times_of_the_vacancy(
    client_as, vacancy, invited, org_a
):
    free = make_slot(vacancy, hour=9)
    full = make_slot(vacancy, hour=10)
    services.interview_book(
        application=ApplicationFactory(vacancy=vacancy, stage="interview"),
        slot=full,
        actor=vacancy.contact,
    )
    make_slot(vacancy, days=-2, hour=11)
    make_slot(VacancyFactory(organisation=org_a), hour=12)
    response = client_as(invited.candidate).get(_interview_page(invited))
    assert response.status_code == 200
    assert list(response.context["form"].fields["slot"].queryset) == [free]
    assert "9am to 9:30am" in response.text


def test_another_candidate_gets_404_for_the_booking_page_and_calendar(client_as, invited, vacancy):
    services.interview_book(application=invited, slot=make_slot(vacancy), actor=invited.candidate)
    client = client_as(UserFactory())
    assert client.get(_interview_page(invited)).status_code == 404
    assert client.post(_interview_page(invited), {"slot": 1}).status_code == 404
    ics = reverse("bookings:interview_ics", kwargs={"application_id": invited.pk})
    assert client.get(ics).status_code == 404
    cancel = reverse("bookings:interview_cancel", kwargs={"application_id": invited.pk})
    assert client.post(cancel).status_code == 404
    assert InterviewBooking.objects.filter(application=invited).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, invited):
    response = client.get(_interview_page(invited))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_candidate_not_invited_sees_no_times(client_as, vacancy):
    application = ApplicationFactory(vacancy=vacancy, stage="screening")
    make_slot(vacancy)
    response = client_as(application.candidate).get(_interview_page(application))
    assert "has not invited you to interview" in response.text
    response = client_as(application.candidate).post(
        _interview_page(application), {"slot": InterviewSlot.objects.get().pk}
    )
    assert response.status_code == 200
    assert not InterviewBooking.objects.exists()


def test_choosing_nothing_says_what_to_do(client_as, vacancy, invited):
    make_slot(vacancy)
    response = client_as(invited.candidate).post(_interview_page(invited), {})
    assert response.status_code == 200
    assert "Choose an interview time" in response.text
    assert "There is a problem" in response.text


def test_a_time_that_filled_meanwhile_is_refused_with_a_message(client_as, vacancy, invited):
    slot = make_slot(vacancy)
    services.interview_book(
        application=ApplicationFactory(vacancy=vacancy, stage="interview"),
        slot=slot,
        actor=vacancy.contact,
    )
    response = client_as(invited.candidate).post(_interview_page(invited), {"slot": slot.pk})
    assert response.status_code == 200
    assert "no longer available" in response.text
    assert not InterviewBooking.objects.filter(application=invited).exists()


def test_the_candidate_downloads_their_interview_as_ics(client_as, vacancy, invited):
    slot = make_slot(vacancy)
    services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    response = client_as(invited.candidate).get(
        reverse("bookings:interview_ics", kwargs={"application_id": invited.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "interview.ics" in response["Content-Disposition"]
    event = Calendar.from_ical(response.content).events[0]
    assert slot.starts_at == event.start


def test_the_candidate_cancels_and_the_contact_is_told(
    client_as, vacancy, invited, admin_a, django_capture_on_commit_callbacks
):
    services.interview_book(application=invited, slot=make_slot(vacancy), actor=invited.candidate)
    cancel = reverse("bookings:interview_cancel", kwargs={"application_id": invited.pk})
    client = client_as(invited.candidate)
    assert "Cancel your interview" in client.get(cancel).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel)
    assert response.status_code == 302
    assert not InterviewBooking.objects.exists()
    to_contact = next(m for m in mail.outbox if m.to == [admin_a.email])
    assert "cancelled" in to_contact.subject
    content = _attachment(to_contact)[1]
    assert "METHOD:CANCEL" in content


def test_the_application_page_asks_an_invited_candidate_to_choose_a_time(client_as, invited):
    response = client_as(invited.candidate).get(invited.get_absolute_url())
    assert "Choose an interview time" in response.text
    assert _interview_page(invited) in response.text


def test_the_application_page_shows_the_booked_interview_with_a_calendar_link(
    client_as, vacancy, invited
):
    services.interview_book(application=invited, slot=make_slot(vacancy), actor=invited.candidate)
    response = client_as(invited.candidate).get(invited.get_absolute_url())
    assert "Your interview is on" in response.text
    assert reverse("bookings:interview_ics", kwargs={"application_id": invited.pk}) in response.text


def test_the_application_page_shows_nothing_about_interviews_before_the_invitation(
    client_as, vacancy
):
    application = ApplicationFactory(vacancy=vacancy, stage="submitted")
    response = client_as(application.candidate).get(application.get_absolute_url())
    assert "interview-panel-heading" not in response.text


# --- HR staff ---------------------------------------------------------------------------------


def test_hr_adds_an_interview_time_in_london_time(client_as, org_a, staff_a, vacancy):
    day = timezone.localdate() + timedelta(days=10)
    response = client_as(staff_a).post(
        _manage("slot_create", org_a, pk=vacancy.pk),
        {
            "date": day.isoformat(),
            "start_time": "09:30",
            "end_time": "10:15",
            "location": "Room 4",
            "video_link": "",
            "capacity": "1",
            "notes": "Bring photo ID.",
        },
    )
    assert response.status_code == 302
    slot = InterviewSlot.objects.get()
    local = slot.starts_at.astimezone(LONDON)
    assert (local.date(), local.hour, local.minute) == (day, 9, 30)
    assert slot.ends_at - slot.starts_at == timedelta(minutes=45)
    assert slot.created_by == staff_a


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start_time": "11:00", "end_time": "10:00"}, "end_time", "must be after the start"),
        ({"date": "2001-01-01"}, "start_time", "must be in the future"),
        ({"location": "", "video_link": ""}, None, "Enter where it takes place, or a video link"),
        ({"capacity": "0"}, "capacity", "must be 1 or more"),
        ({"start_time": "25:99"}, "start_time", "Enter the start time as hours and minutes"),
        ({"video_link": "not a link", "location": ""}, "video_link", "Enter the video link"),
    ],
)
def test_adding_a_time_says_what_is_wrong(client_as, org_a, staff_a, vacancy, data, field, message):
    day = timezone.localdate() + timedelta(days=10)
    posted = {
        "date": day.isoformat(),
        "start_time": "09:30",
        "end_time": "10:00",
        "location": "Room 4",
        "capacity": "1",
        **data,
    }
    response = client_as(staff_a).post(_manage("slot_create", org_a, pk=vacancy.pk), posted)
    assert response.status_code == 200
    assert message in response.text
    assert "There is a problem" in response.text
    if field:
        assert field in response.context["form"].errors
    assert not InterviewSlot.objects.exists()


def test_hr_adds_a_day_of_interviews_at_once(client_as, org_a, staff_a, vacancy):
    day = timezone.localdate() + timedelta(days=7)
    response = client_as(staff_a).post(
        _manage("slot_create_day", org_a, pk=vacancy.pk),
        {
            "date": day.isoformat(),
            "first_start": "09:00",
            "count": "6",
            "minutes": "30",
            "gap_minutes": "15",
            "location": "",
            "video_link": "https://teams.microsoft.com/l/meetup-join/abc",
            "capacity": "1",
        },
    )
    assert response.status_code == 302
    starts = [
        slot.starts_at.astimezone(LONDON).strftime("%H:%M")
        for slot in InterviewSlot.objects.order_by("starts_at")
    ]
    assert starts == ["09:00", "09:45", "10:30", "11:15", "12:00", "12:45"]
    assert all(s.video_link for s in InterviewSlot.objects.all())


def test_a_day_of_interviews_must_finish_that_day(client_as, org_a, staff_a, vacancy):
    day = timezone.localdate() + timedelta(days=7)
    response = client_as(staff_a).post(
        _manage("slot_create_day", org_a, pk=vacancy.pk),
        {
            "date": day.isoformat(),
            "first_start": "22:00",
            "count": "6",
            "minutes": "60",
            "gap_minutes": "0",
            "location": "Room 1",
            "capacity": "1",
        },
    )
    assert response.status_code == 200
    assert "must finish on the same day" in response.text
    assert not InterviewSlot.objects.exists()


def test_slots_of_a_series_keep_their_length_across_the_clock_change():
    times = services.series_times(
        day=date(2026, 3, 29), first_start=time(0, 30), count=3, minutes=30, gap_minutes=0
    )
    assert [(e.astimezone(UTC) - s.astimezone(UTC)) for s, e in times] == [
        timedelta(minutes=30)
    ] * 3
    assert [s.astimezone(LONDON).strftime("%H:%M") for s, _ in times] == [
        "00:30",
        "02:00",  # 01:00 GMT is 02:00 BST
        "02:30",
    ]


def test_hr_sees_who_booked_each_time(client_as, org_a, staff_a, vacancy, invited):
    slot = make_slot(vacancy)
    services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    response = client_as(staff_a).get(_manage("slots", org_a, pk=vacancy.pk))
    assert "Amira Khan" in response.text
    assert "1 of 1" in response.text
    detail = client_as(staff_a).get(_manage("slot_detail", org_a, slot_id=slot.pk))
    assert "Amira Khan" in detail.text


@pytest.mark.parametrize("how_many", [1, 8])
def test_the_interview_times_page_runs_a_fixed_number_of_queries(
    client_as, org_a, staff_a, vacancy, how_many, django_assert_max_num_queries
):
    for n in range(how_many):
        slot = make_slot(vacancy, days=2 + n % 3, hour=8 + n, capacity=2)
        make_slot(vacancy, days=-1 - n, hour=8 + n)
        for application in ApplicationFactory.create_batch(2, vacancy=vacancy, stage="interview"):
            InterviewBooking.objects.create(application=application, slot=slot)
    client = client_as(staff_a)
    # Session, user, memberships, two-factor, vacancy, slots, bookings; the first request
    # also saves the acting organisation in the session (3).
    with django_assert_max_num_queries(10):
        response = client.get(_manage("slots", org_a, pk=vacancy.pk))
    assert response.status_code == 200
    assert response.text.count("2 of 2") == how_many


def test_hr_books_a_time_for_the_candidate_from_their_application(
    client_as, org_a, staff_a, vacancy, invited, django_capture_on_commit_callbacks
):
    slot = make_slot(vacancy)
    client = client_as(staff_a)
    page = client.get(
        reverse(
            "vacancies:application_detail",
            kwargs={"org_slug": org_a.slug, "application_id": invited.pk},
        )
    )
    book_url = _manage("book", org_a, application_id=invited.pk)
    assert book_url in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url, {"slot": slot.pk})
    assert response.status_code == 302
    booking = InterviewBooking.objects.get(application=invited)
    assert booking.booked_by == staff_a
    to_candidate = next(m for m in mail.outbox if m.to == [invited.email])
    assert "has booked your interview" in to_candidate.body


def test_hr_cancels_a_booking_and_the_candidate_can_choose_again(
    client_as, org_a, staff_a, vacancy, invited, django_capture_on_commit_callbacks
):
    services.interview_book(application=invited, slot=make_slot(vacancy), actor=invited.candidate)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(staff_a).post(
            _manage("booking_cancel", org_a, application_id=invited.pk),
            {"reason": "The panel is unwell."},
        )
    assert response.status_code == 302
    assert not InterviewBooking.objects.exists()
    to_candidate = next(m for m in mail.outbox if m.to == [invited.email])
    assert "The panel is unwell." in to_candidate.body
    assert "choose another interview time" in to_candidate.body.lower()


def test_a_time_with_bookings_is_removed_only_by_moving_them_first(
    client_as, org_a, staff_a, vacancy, invited, django_capture_on_commit_callbacks
):
    slot, other = make_slot(vacancy, hour=10), make_slot(vacancy, hour=14)
    services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    with pytest.raises(ValidationError):
        services.interview_slot_delete(slot=slot, actor=staff_a)
    client = client_as(staff_a)
    url = _manage("slot_delete", org_a, slot_id=slot.pk)
    response = client.post(url, {})
    assert response.status_code == 200
    assert "Choose the time to move the booked candidates to" in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"move_to": other.pk})
    assert response.status_code == 302
    assert not InterviewSlot.objects.filter(pk=slot.pk).exists()
    assert InterviewBooking.objects.get(application=invited).slot == other
    to_candidate = next(m for m in mail.outbox if m.to == [invited.email])
    assert "moved" in to_candidate.subject


def test_an_empty_time_is_removed(client_as, org_a, staff_a, vacancy):
    slot = make_slot(vacancy)
    response = client_as(staff_a).post(_manage("slot_delete", org_a, slot_id=slot.pk))
    assert response.status_code == 302
    assert not InterviewSlot.objects.exists()
    assert AuditEvent.objects.filter(action="interview_slot.deleted").exists()


@pytest.mark.parametrize(
    ("name", "method", "argument"),
    [
        ("slots", "get", "vacancy"),
        ("slot_create", "post", "vacancy"),
        ("slot_detail", "get", "slot"),
        ("slot_delete", "post", "slot"),
        ("book", "post", "application"),
        ("booking_cancel", "post", "application"),
    ],
)
def test_organisation_b_cannot_reach_a_interviews_through_its_own_address(
    client_as, org_b, member_b, vacancy, invited, name, method, argument
):
    slot = make_slot(vacancy)
    services.interview_book(application=invited, slot=slot, actor=invited.candidate)
    kwargs = {
        "vacancy": {"pk": vacancy.pk},
        "slot": {"slot_id": slot.pk},
        "application": {"application_id": invited.pk},
    }[argument]
    client = client_as(member_b)
    response = getattr(client, method)(_manage(name, org_b, **kwargs), {"slot": slot.pk})
    assert response.status_code == 404
    assert InterviewSlot.objects.count() == 1
    assert InterviewBooking.objects.get().slot == slot


def test_a_finished_vacancy_takes_no_new_times(vacancy, staff_a):
    vacancy.status = "filled"
    vacancy.save()
    starts_at = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError):
        services.interview_slot_create(
            vacancy=vacancy,
            actor=staff_a,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=30),
            location="Room 1",
        )


# --- Demo data -------------------------------------------------------------------------------


def test_the_demo_has_applications_at_every_stage_and_runs_twice_safely(db):
    from hub.demo import seed_demo as seed_hub
    from talent.demo import seed_demo as seed_talent
    from talent.demo_pipeline import seed_demo as seed_pipeline

    seed_hub()
    counts = seed_talent()  # the vacancies, then the pipeline on them
    assert counts["applications"] >= 14
    assert counts["interview_slots"] > 0
    assert counts["trial_shifts"] > 0
    stages = set(Application.objects.exclude(stage="draft").values_list("stage", flat=True))
    assert stages == {s for s in Application.Stage.values if s != "draft"}
    casey = Application.objects.get(
        candidate__email="candidate@example.org", vacancy__reference="LTH-HCA-0412"
    )
    assert casey.stage == "interview"
    assert not InterviewBooking.objects.filter(application=casey).exists()
    assert InterviewBooking.objects.count() == counts["interview_bookings"] >= 2
    again = seed_pipeline()
    assert set(again.values()) == {0}
