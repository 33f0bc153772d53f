"""Trial shifts: HR staff publish them on vacancies that offer them, a signed-in candidate
asks for one from the job's page (no application needed), HR confirms (never beyond the
shift's places) or declines with a reason, the candidate may cancel, and everyone hears
by email, with an .ics attachment when the shift is confirmed."""

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from hub.models import AuditEvent
from talent.ics import LONDON
from talent.models import CandidateProfile, TrialShiftRequest, TrialShiftSlot
from talent.services import interviews as services
from tests.factories import UserFactory, VacancyFactory

Status = TrialShiftRequest.Status


@pytest.fixture
def vacancy(org_a, admin_a):
    return VacancyFactory(
        organisation=org_a, title="Care worker", trial_shift_available=True, contact=admin_a
    )


def make_trial_slot(vacancy, *, days=4, hour=8, hours=4, capacity=1, **fields):
    day = timezone.localdate() + timedelta(days=days)
    starts_at = datetime.combine(day, time(hour, 0), tzinfo=LONDON)
    fields.setdefault("location", "Ward J12, St James's University Hospital, Beckett Street")
    return TrialShiftSlot.objects.create(
        vacancy=vacancy,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        capacity=capacity,
        **fields,
    )


def ask(slot, candidate=None, **fields):
    return services.trial_shift_request_create(
        slot=slot, candidate=candidate or UserFactory(), phone="07700 900123", **fields
    )


def _public(vacancy):
    return reverse("bookings:trial_shifts", kwargs={"pk": vacancy.pk})


def _manage(name, org, **kwargs):
    return reverse(f"interviews:{name}", kwargs={"org_slug": org.slug, **kwargs})


# --- Publishing -------------------------------------------------------------------------------


def test_hr_publishes_a_trial_shift_on_a_vacancy_that_offers_them(
    client_as, org_a, staff_a, vacancy
):
    day = timezone.localdate() + timedelta(days=5)
    response = client_as(staff_a).post(
        _manage("trial_slot_create", org_a, pk=vacancy.pk),
        {
            "date": day.strftime("%d/%m/%Y"),
            "start_time": "07:30",
            "end_time": "12:30",
            "location": "Wortley Beck Care Home, Lower Wortley Road",
            "capacity": "2",
            "notes": "Wear comfortable shoes.",
        },
    )
    assert response.status_code == 302
    slot = TrialShiftSlot.objects.get()
    assert slot.starts_at.astimezone(LONDON).strftime("%H:%M") == "07:30"
    assert slot.capacity == 2


def test_a_trial_shift_needs_a_place(client_as, org_a, staff_a, vacancy):
    day = timezone.localdate() + timedelta(days=5)
    response = client_as(staff_a).post(
        _manage("trial_slot_create", org_a, pk=vacancy.pk),
        {"date": day.isoformat(), "start_time": "07:30", "end_time": "12:30", "capacity": "1"},
    )
    assert response.status_code == 200
    assert "Enter where it takes place" in response.text
    assert not TrialShiftSlot.objects.exists()


def test_vacancies_without_trial_shifts_take_none(client_as, org_a, staff_a):
    vacancy = VacancyFactory(organisation=org_a, trial_shift_available=False)
    page = client_as(staff_a).get(_manage("trial_slot_create", org_a, pk=vacancy.pk))
    assert "does not offer trial shifts" in page.text
    starts_at = timezone.now() + timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        services.trial_shift_slot_create(
            vacancy=vacancy,
            actor=staff_a,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=4),
            location="Ward 1",
        )
    assert error.value.code == "no_trial_shifts"


# --- Asking for one ---------------------------------------------------------------------------


def test_the_job_page_links_to_its_trial_shifts(client, vacancy):
    response = client.get(vacancy.get_absolute_url())
    assert "Book a trial shift" in response.text
    assert _public(vacancy) in response.text


def test_jobs_without_trial_shifts_do_not_offer_them(client, org_a):
    vacancy = VacancyFactory(organisation=org_a, trial_shift_available=False)
    assert "Book a trial shift" not in client.get(vacancy.get_absolute_url()).text
    assert client.get(_public(vacancy)).status_code == 404


def test_signed_out_visitors_see_the_shifts_and_are_asked_to_sign_in(client, vacancy):
    make_trial_slot(vacancy)
    response = client.get(_public(vacancy))
    assert response.status_code == 200
    assert "8am to midday" in response.text
    assert "Sign in" in response.text
    response = client.post(_public(vacancy), {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_candidate_asks_for_a_trial_shift_without_applying(
    client_as, vacancy, admin_a, django_capture_on_commit_callbacks
):
    slot = make_trial_slot(vacancy)
    candidate = UserFactory()
    CandidateProfile.objects.create(user=candidate, phone="0113 496 0001")
    client = client_as(candidate)
    page = client.get(_public(vacancy))
    assert page.context["form"]["phone"].value() == "0113 496 0001"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _public(vacancy),
            {"slot": slot.pk, "phone": "07700 900123", "message": "I use a wheelchair."},
        )
    assert response.status_code == 302
    assert response.url == reverse("bookings:my_trial_shifts")
    trial_request = TrialShiftRequest.objects.get()
    assert (trial_request.candidate, trial_request.status) == (candidate, Status.REQUESTED)
    assert trial_request.message == "I use a wheelchair."
    [to_contact] = mail.outbox
    assert to_contact.to == [admin_a.email]
    assert "Trial shift request" in to_contact.subject
    mine = client.get(reverse("bookings:my_trial_shifts"))
    assert "Waiting for" in mine.text


def test_the_request_form_says_what_is_missing(client_as, vacancy):
    make_trial_slot(vacancy)
    response = client_as(UserFactory()).post(_public(vacancy), {"phone": "abc"})
    assert response.status_code == 200
    assert "Choose a trial shift" in response.text
    assert "Enter a phone number, like" in response.text
    assert not TrialShiftRequest.objects.exists()


def test_unverified_email_addresses_cannot_ask(client_as, vacancy):
    slot = make_trial_slot(vacancy)
    client = client_as(UserFactory(verified_email=False))
    response = client.post(_public(vacancy), {"slot": slot.pk, "phone": "07700 900123"})
    assert response.status_code == 200
    assert "Confirm your email address first" in response.text
    assert not TrialShiftRequest.objects.exists()


def test_one_request_per_shift_and_person(vacancy):
    slot, candidate = make_trial_slot(vacancy), UserFactory()
    ask(slot, candidate)
    with pytest.raises(ValidationError) as error:
        ask(slot, candidate)
    assert error.value.error_dict["slot"][0].code == "duplicate"
    assert TrialShiftRequest.objects.count() == 1


def test_past_or_full_shifts_cannot_be_asked_for(vacancy, staff_a):
    with pytest.raises(ValidationError):
        ask(make_trial_slot(vacancy, days=-1))
    full = make_trial_slot(vacancy, capacity=1)
    services.trial_shift_request_confirm(trial_request=ask(full), actor=staff_a)
    with pytest.raises(ValidationError) as error:
        ask(full)
    assert error.value.error_dict["slot"][0].code == "full"


def test_closed_jobs_take_no_requests(client_as, vacancy):
    slot = make_trial_slot(vacancy)
    vacancy.status = "closed"
    vacancy.save()
    response = client_as(UserFactory()).get(_public(vacancy))
    assert "no longer taking requests" in response.text
    with pytest.raises(ValidationError):
        ask(slot)


# --- Confirming and declining -----------------------------------------------------------------


def test_hr_confirms_and_both_sides_get_the_ics(
    client_as, org_a, staff_a, admin_a, vacancy, django_capture_on_commit_callbacks
):
    slot = make_trial_slot(vacancy)
    trial_request = ask(slot)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(staff_a).post(
            _manage("trial_request_confirm", org_a, trial_request_id=trial_request.pk)
        )
    assert response.status_code == 302
    trial_request.refresh_from_db()
    assert (trial_request.status, trial_request.decided_by) == (Status.CONFIRMED, staff_a)
    to_candidate = next(m for m in mail.outbox if m.to == [trial_request.candidate.email])
    to_contact = next(m for m in mail.outbox if m.to == [admin_a.email])
    assert "confirmed" in to_candidate.subject
    for message in (to_candidate, to_contact):
        [(filename, content, mimetype)] = message.attachments
        assert (filename, mimetype) == ("trial-shift.ics", "text/calendar")
        event = Calendar.from_ical(content).events[0]
        assert slot.starts_at == event.start
        assert event["location"] == slot.location
    assert AuditEvent.objects.filter(action="trial_shift.confirmed").exists()


def test_confirming_never_goes_beyond_the_places(vacancy, staff_a):
    slot = make_trial_slot(vacancy, capacity=1)
    first, second = ask(slot), ask(slot)
    services.trial_shift_request_confirm(trial_request=first, actor=staff_a)
    with pytest.raises(ValidationError) as error:
        services.trial_shift_request_confirm(trial_request=second, actor=staff_a)
    assert error.value.code == "full"
    second.refresh_from_db()
    assert second.status == Status.REQUESTED


def test_without_a_contact_the_person_confirming_gets_the_ics(
    vacancy, staff_a, django_capture_on_commit_callbacks
):
    vacancy.contact = None
    vacancy.save()
    trial_request = ask(make_trial_slot(vacancy))
    with django_capture_on_commit_callbacks(execute=True):
        services.trial_shift_request_confirm(trial_request=trial_request, actor=staff_a)
    assert any(m.to == [staff_a.email] and m.attachments for m in mail.outbox)


def test_hr_declines_with_a_reason_and_the_candidate_is_told(
    client_as, org_a, staff_a, vacancy, django_capture_on_commit_callbacks
):
    trial_request = ask(make_trial_slot(vacancy))
    url = _manage("trial_request_decline", org_a, trial_request_id=trial_request.pk)
    client = client_as(staff_a)
    response = client.post(url, {"reason": ""})
    assert "Enter a reason for the candidate" in response.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "The ward is closed for refurbishment that week."})
    assert response.status_code == 302
    trial_request.refresh_from_db()
    assert trial_request.status == Status.DECLINED
    [to_candidate] = [m for m in mail.outbox if m.to == [trial_request.candidate.email]]
    assert "closed for refurbishment" in to_candidate.body
    assert to_candidate.attachments == []


def test_declining_a_confirmed_shift_takes_it_out_of_the_calendar(
    vacancy, staff_a, django_capture_on_commit_callbacks
):
    trial_request = ask(make_trial_slot(vacancy))
    services.trial_shift_request_confirm(trial_request=trial_request, actor=staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.trial_shift_request_decline(
            trial_request=trial_request, actor=staff_a, reason="Staff shortage"
        )
    [message] = [m for m in mail.outbox if "cancelled" in m.subject]
    assert "METHOD:CANCEL" in message.attachments[0][1]


def test_a_declined_request_cannot_be_confirmed(vacancy, staff_a):
    trial_request = ask(make_trial_slot(vacancy))
    services.trial_shift_request_decline(trial_request=trial_request, actor=staff_a, reason="No")
    with pytest.raises(ValidationError):
        services.trial_shift_request_confirm(trial_request=trial_request, actor=staff_a)


# --- Cancelling -------------------------------------------------------------------------------


def test_the_candidate_cancels_and_the_contact_is_told(
    client_as, vacancy, staff_a, admin_a, django_capture_on_commit_callbacks
):
    trial_request = ask(make_trial_slot(vacancy))
    services.trial_shift_request_confirm(trial_request=trial_request, actor=staff_a)
    client = client_as(trial_request.candidate)
    url = reverse("bookings:trial_shift_cancel", kwargs={"request_id": trial_request.pk})
    assert "Cancel your trial shift" in client.get(url).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    trial_request.refresh_from_db()
    assert trial_request.status == Status.CANCELLED
    [to_contact] = mail.outbox
    assert to_contact.to == [admin_a.email]
    assert "cancelled by the candidate" in to_contact.subject
    assert "METHOD:CANCEL" in to_contact.attachments[0][1]


def test_a_cancelled_request_may_be_made_again(vacancy):
    slot = make_trial_slot(vacancy)
    trial_request = ask(slot)
    services.trial_shift_request_cancel(trial_request=trial_request, actor=trial_request.candidate)
    again = ask(slot, trial_request.candidate)
    assert again.pk == trial_request.pk
    assert again.status == Status.REQUESTED


def test_another_person_gets_404_for_a_candidates_request(client_as, vacancy, staff_a):
    trial_request = ask(make_trial_slot(vacancy))
    services.trial_shift_request_confirm(trial_request=trial_request, actor=staff_a)
    client = client_as(UserFactory())
    for name in ("trial_shift_cancel", "trial_shift_ics"):
        url = reverse(f"bookings:{name}", kwargs={"request_id": trial_request.pk})
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("bookings:trial_shift_cancel", kwargs={"request_id": trial_request.pk})
        ).status_code
        == 404
    )
    trial_request.refresh_from_db()
    assert trial_request.status == Status.CONFIRMED


def test_the_candidate_downloads_a_confirmed_shift_only(client_as, vacancy, staff_a):
    trial_request = ask(make_trial_slot(vacancy))
    client = client_as(trial_request.candidate)
    url = reverse("bookings:trial_shift_ics", kwargs={"request_id": trial_request.pk})
    assert client.get(url).status_code == 404
    services.trial_shift_request_confirm(trial_request=trial_request, actor=staff_a)
    response = client.get(url)
    assert response.status_code == 200
    assert b"BEGIN:VEVENT" in response.content


# --- HR's lists -------------------------------------------------------------------------------


@pytest.mark.parametrize("how_many", [1, 6])
def test_the_requests_page_counts_by_status_in_a_fixed_number_of_queries(
    client_as, org_a, staff_a, vacancy, how_many, django_assert_max_num_queries
):
    for n in range(how_many):
        slot = make_trial_slot(vacancy, days=2 + n, capacity=3)
        services.trial_shift_request_confirm(trial_request=ask(slot), actor=staff_a)
        ask(slot)
    other_org_slot = make_trial_slot(VacancyFactory(trial_shift_available=True))
    ask(other_org_slot)
    client = client_as(staff_a)
    with django_assert_max_num_queries(10):
        response = client.get(_manage("trial_requests", org_a))
    assert response.status_code == 200
    assert f"All requests ({2 * how_many})" in response.text
    assert f"Confirmed ({how_many})" in response.text
    with django_assert_max_num_queries(10):
        response = client.get(_manage("trial_requests", org_a) + "?status=requested")
    assert len(response.context["page"].object_list) == how_many


@pytest.mark.parametrize("how_many", [1, 6])
def test_the_trial_shifts_page_runs_a_fixed_number_of_queries(
    client_as, org_a, staff_a, vacancy, how_many, django_assert_max_num_queries
):
    for n in range(how_many):
        slot = make_trial_slot(vacancy, days=2 + n, capacity=2)
        ask(slot)
        ask(slot)
    client = client_as(staff_a)
    with django_assert_max_num_queries(10):
        response = client.get(_manage("trial_slots", org_a, pk=vacancy.pk))
    assert response.text.count("0 of 2") == how_many


def test_viewing_a_request_is_audited(client_as, org_a, staff_a, vacancy):
    trial_request = ask(make_trial_slot(vacancy), message="Can I bring my support worker?")
    response = client_as(staff_a).get(
        _manage("trial_request", org_a, trial_request_id=trial_request.pk)
    )
    assert "Can I bring my support worker?" in response.text
    assert AuditEvent.objects.filter(action="trial_shift.viewed", actor=staff_a).exists()


def test_a_shift_with_open_requests_is_removed_only_after_declining_them(
    client_as, org_a, staff_a, vacancy
):
    slot = make_trial_slot(vacancy)
    trial_request = ask(slot)
    client = client_as(staff_a)
    url = _manage("trial_slot_delete", org_a, trial_slot_id=slot.pk)
    assert "Decline their requests first" in client.get(url).text
    client.post(url)
    assert TrialShiftSlot.objects.exists()
    services.trial_shift_request_decline(trial_request=trial_request, actor=staff_a, reason="No")
    assert client.post(url).status_code == 302
    assert not TrialShiftSlot.objects.exists()


@pytest.mark.parametrize(
    ("name", "method", "argument"),
    [
        ("trial_slots", "get", "vacancy"),
        ("trial_slot_create", "post", "vacancy"),
        ("trial_slot_delete", "post", "slot"),
        ("trial_request", "get", "request"),
        ("trial_request_confirm", "post", "request"),
        ("trial_request_decline", "post", "request"),
    ],
)
def test_organisation_b_cannot_reach_a_trial_shifts_through_its_own_address(
    client_as, org_b, member_b, vacancy, name, method, argument
):
    slot = make_trial_slot(vacancy)
    trial_request = ask(slot)
    kwargs = {
        "vacancy": {"pk": vacancy.pk},
        "slot": {"trial_slot_id": slot.pk},
        "request": {"trial_request_id": trial_request.pk},
    }[argument]
    client = client_as(member_b)
    response = getattr(client, method)(_manage(name, org_b, **kwargs), {"reason": "No"})
    assert response.status_code == 404
    trial_request.refresh_from_db()
    assert trial_request.status == Status.REQUESTED
    assert TrialShiftSlot.objects.count() == 1


def test_organisation_b_does_not_see_a_requests_in_its_list(client_as, org_b, member_b, vacancy):
    ask(make_trial_slot(vacancy))
    response = client_as(member_b).get(_manage("trial_requests", org_b))
    assert "All requests (0)" in response.text
