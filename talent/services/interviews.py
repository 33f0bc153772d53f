"""Writes for interviews and trial shifts.

Interviews: HR staff publish interview slots on a vacancy; a candidate whose application
is at the interview stage books one (or HR books it for them); rebooking moves the one
booking an application has. A slot never holds more interviews than its capacity, even
when two people take its last place at the same moment: the slot's row is locked
(SELECT ... FOR UPDATE) and its bookings counted inside that lock.

Trial shifts: HR staff publish trial-shift slots on vacancies that offer them; a
signed-in candidate asks for one (no application needed); HR confirms (never beyond the
slot's capacity, under the same lock) or declines with a reason; the candidate may cancel.

Reminders go out the day before (Europe/London calendar day), once.

Every write runs in a transaction, checks its rules (a ValidationError says what is
wrong), saves, writes the audit row and writes its emails (with .ics attachments) to the
outbox, which sends them once the transaction commits.
"""

from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from hub.access import Capability, can
from hub.models import Membership, User
from hub.services import audit_record
from talent import emails
from talent.ics import LONDON
from talent.models import (
    Application,
    InterviewBooking,
    InterviewSlot,
    TrialShiftRequest,
    TrialShiftSlot,
    Vacancy,
)

Stage = Application.Stage
TrialStatus = TrialShiftRequest.Status

MAX_CAPACITY = 50
MAX_SLOTS_AT_ONCE = 40
MAX_INTERVIEW_LENGTH = timedelta(hours=8)
MAX_TRIAL_SHIFT_LENGTH = timedelta(hours=13)
MAX_DECLINE_REASON = TrialShiftRequest._meta.get_field("decline_reason").max_length
MAX_MESSAGE = 1000

# A booking keeps its place unless its application has left the running.
ACTIVE_BOOKING = ~Q(application__stage__in=[Stage.REJECTED, Stage.WITHDRAWN])
# Requests that still count: waiting for an answer, or confirmed.
OPEN_REQUEST_STATUSES = (TrialStatus.REQUESTED, TrialStatus.CONFIRMED)
# Vacancies on which new slots may be published.
SLOT_VACANCY_STATUSES = frozenset(
    {
        Vacancy.Status.DRAFT,
        Vacancy.Status.AWAITING_APPROVAL,
        Vacancy.Status.PUBLISHED,
        Vacancy.Status.CLOSED,
    }
)


# --- Shared checks ----------------------------------------------------------------------------


def london_datetime(day: date, at: time) -> datetime:
    """A wall-clock time in Europe/London as an aware datetime."""
    return datetime.combine(day, at).replace(tzinfo=LONDON)


def london_day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first instant of `day` in Europe/London and of the day after (23, 24 or 25
    hours later)."""
    return london_datetime(day, time.min), london_datetime(day + timedelta(days=1), time.min)


def _invalid(field: str, message: str, code: str) -> ValidationError:
    """A ValidationError on one field that keeps its code."""
    return ValidationError({field: ValidationError(message, code=code)})


def _member(vacancy: Vacancy, actor: User) -> Membership | None:
    if actor is None or not actor.is_authenticated:
        return None
    return Membership.objects.filter(
        user=actor, organisation_id=vacancy.organisation_id, organisation__active=True
    ).first()


def _ensure_staff(vacancy: Vacancy, actor: User) -> None:
    """Only HR staff of the vacancy's organisation manage its interviews and trial shifts."""
    if not can(_member(vacancy, actor), Capability.MANAGE_APPLICATIONS):
        raise ValidationError(
            "Only HR staff of the vacancy's organisation can do this.", code="not_staff"
        )


def _contact(vacancy: Vacancy) -> User | None:
    """The vacancy's contact, while an active member of its organisation."""
    contact = vacancy.contact
    if contact is None or not contact.is_active:
        return None
    if not Membership.objects.filter(
        user=contact, organisation_id=vacancy.organisation_id
    ).exists():
        return None
    return contact


def slot_errors(
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    location: str = "",
    video_link: str = "",
    capacity: int | None = 1,
    max_length: timedelta = MAX_INTERVIEW_LENGTH,
    now: datetime | None = None,
) -> dict[str, str]:
    """What is wrong with a slot's time, place and capacity, by field."""
    now = now or timezone.now()
    errors = {}
    if starts_at is None:
        errors["starts_at"] = "Enter a start time"
    elif starts_at <= now:
        errors["starts_at"] = "The start time must be in the future"
    if ends_at is None:
        errors["ends_at"] = "Enter an end time"
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "The end time must be after the start time"
    elif starts_at is not None and ends_at.astimezone(UTC) - starts_at.astimezone(UTC) > max_length:
        hours = int(max_length.total_seconds() // 3600)
        errors["ends_at"] = f"The end time must be within {hours} hours of the start time"
    if not (location or "").strip() and not (video_link or "").strip():
        errors["location"] = "Enter where it takes place, or a video link"
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = f"The number of places must be between 1 and {MAX_CAPACITY}"
    return errors


def _slot_fields(
    *, starts_at, ends_at, location="", video_link="", capacity=1, notes="", max_length
) -> dict:
    errors = slot_errors(
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        video_link=video_link,
        capacity=capacity,
        max_length=max_length,
    )
    if errors:
        raise ValidationError(errors)
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": (location or "").strip()[:300],
        "video_link": (video_link or "").strip(),
        "capacity": capacity,
        "notes": (notes or "").strip()[:500],
    }


def _ensure_open_vacancy(vacancy: Vacancy) -> None:
    if vacancy.status not in SLOT_VACANCY_STATUSES:
        raise ValidationError(
            f"This vacancy is {vacancy.get_status_display().lower()}, so no new times can be "
            "added to it.",
            code="vacancy_finished",
        )


def series_times(
    *, day: date, first_start: time, count: int, minutes: int, gap_minutes: int = 0
) -> list[tuple[datetime, datetime]]:
    """`count` back-to-back slots of `minutes`, with `gap_minutes` between them, from
    `first_start` on `day` (London time)."""
    start = london_datetime(day, first_start)
    length, step = timedelta(minutes=minutes), timedelta(minutes=minutes + gap_minutes)
    # Step in UTC so a clock change does not stretch or shrink a slot.
    start_utc = start.astimezone(UTC)
    return [
        (
            (start_utc + n * step).astimezone(LONDON),
            (start_utc + n * step + length).astimezone(LONDON),
        )
        for n in range(count)
    ]


def _when(slot) -> str:
    local = timezone.localtime(slot.starts_at, LONDON)
    return f"{date_format(local, 'l j F Y')} at {local:%H:%M}"


# --- Interview slots --------------------------------------------------------------------------


@transaction.atomic
def interview_slot_create(
    *,
    vacancy: Vacancy,
    actor: User,
    starts_at: datetime,
    ends_at: datetime,
    location: str = "",
    video_link: str = "",
    capacity: int = 1,
    notes: str = "",
) -> InterviewSlot:
    """Publish one interview time on the vacancy."""
    _ensure_staff(vacancy, actor)
    _ensure_open_vacancy(vacancy)
    slot = InterviewSlot.objects.create(
        vacancy=vacancy,
        created_by=actor,
        **_slot_fields(
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            video_link=video_link,
            capacity=capacity,
            notes=notes,
            max_length=MAX_INTERVIEW_LENGTH,
        ),
    )
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=slot,
        action="interview_slot.created",
        summary=f"Added an interview time for {vacancy.title}: {_when(slot)}",
    )
    return slot


@transaction.atomic
def interview_slots_create_series(
    *,
    vacancy: Vacancy,
    actor: User,
    day: date,
    first_start: time,
    count: int,
    minutes: int,
    gap_minutes: int = 0,
    location: str = "",
    video_link: str = "",
    capacity: int = 1,
    notes: str = "",
) -> list[InterviewSlot]:
    """Publish a day of interviews at once: `count` slots of `minutes` each."""
    _ensure_staff(vacancy, actor)
    _ensure_open_vacancy(vacancy)
    if not 1 <= count <= MAX_SLOTS_AT_ONCE:
        raise ValidationError(
            {"count": f"The number of interviews must be between 1 and {MAX_SLOTS_AT_ONCE}"}
        )
    if not 5 <= minutes <= MAX_INTERVIEW_LENGTH.total_seconds() // 60:
        raise ValidationError({"minutes": "Each interview must last between 5 minutes and 8 hours"})
    if not 0 <= gap_minutes <= 240:
        raise ValidationError({"gap_minutes": "The break must be between 0 and 240 minutes"})
    times = series_times(
        day=day, first_start=first_start, count=count, minutes=minutes, gap_minutes=gap_minutes
    )
    if times[-1][1].date() != day:
        raise ValidationError(
            {"count": "The last interview must finish on the same day. Add fewer interviews."}
        )
    slots = [
        InterviewSlot(
            vacancy=vacancy,
            created_by=actor,
            **_slot_fields(
                starts_at=starts_at,
                ends_at=ends_at,
                location=location,
                video_link=video_link,
                capacity=capacity,
                notes=notes,
                max_length=MAX_INTERVIEW_LENGTH,
            ),
        )
        for starts_at, ends_at in times
    ]
    slots = InterviewSlot.objects.bulk_create(slots)
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=vacancy,
        action="interview_slot.created",
        summary=f"Added {len(slots)} interview times for {vacancy.title} on "
        f"{date_format(day, 'l j F Y')}",
        data={"slots": [slot.pk for slot in slots]},
    )
    return slots


def _lock_slots(model, *pks) -> dict:
    """Lock slot rows in a fixed order (so two lockers never wait on each other)."""
    rows = (
        model.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation", "vacancy__contact")
        .filter(pk__in=[pk for pk in pks if pk is not None])
        .order_by("pk")
    )
    return {row.pk: row for row in rows}


def _booked_count(slot: InterviewSlot, *, excluding_application=None) -> int:
    bookings = InterviewBooking.objects.filter(ACTIVE_BOOKING, slot=slot)
    if excluding_application is not None:
        bookings = bookings.exclude(application=excluding_application)
    return bookings.count()


@transaction.atomic
def interview_slot_delete(
    *, slot: InterviewSlot, actor: User, move_bookings_to: InterviewSlot | None = None
) -> None:
    """Take an interview time away. Refused while candidates are booked into it, unless
    `move_bookings_to` names another future time of the vacancy with room for them all:
    they are moved there (and told) first."""
    locked = _lock_slots(InterviewSlot, slot.pk, move_bookings_to and move_bookings_to.pk)
    slot = locked.get(slot.pk)
    if slot is None:
        return  # already gone
    vacancy = slot.vacancy
    _ensure_staff(vacancy, actor)
    bookings = list(
        InterviewBooking.objects.filter(ACTIVE_BOOKING, slot=slot).select_related(
            "application__vacancy__organisation", "application__vacancy__contact"
        )
    )
    if bookings and move_bookings_to is None:
        raise ValidationError(
            "Candidates are booked into this time. Move them to another time first.",
            code="has_bookings",
        )
    if bookings:
        target = locked.get(move_bookings_to.pk)
        if target is None or target.vacancy_id != vacancy.pk or target.pk == slot.pk:
            raise _invalid(
                "move_to", "Choose another interview time for this vacancy", "wrong_slot"
            )
        if target.starts_at <= timezone.now():
            raise _invalid("move_to", "Choose a time that has not started yet", "past_slot")
        if _booked_count(target) + len(bookings) > target.capacity:
            raise ValidationError(
                {"move_to": "That time does not have room for everyone. Choose another time."},
                code="full",
            )
        for booking in bookings:
            _move_booking(booking, target, actor=actor, staff=True)
    # Bookings of applications no longer in the running go with the slot.
    InterviewBooking.objects.filter(slot=slot).delete()
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=slot,
        action="interview_slot.deleted",
        summary=f"Removed the interview time {_when(slot)} for {vacancy.title}"
        + (f", moving {len(bookings)} candidates" if bookings else ""),
    )
    slot.delete()


# --- Interview bookings -----------------------------------------------------------------------


def _is_owner(application: Application, actor: User) -> bool:
    return application.candidate_id is not None and application.candidate_id == actor.pk


def _move_booking(booking: InterviewBooking, target: InterviewSlot, *, actor, staff: bool):
    booking.slot = target
    booking.booked_by = actor
    booking.reminder_sent_at = None
    booking.save(update_fields=["slot", "booked_by", "reminder_sent_at", "updated_at"])
    _booking_emails(booking, moved=True, by_staff=staff)
    return booking


def _booking_emails(booking: InterviewBooking, *, moved: bool, by_staff: bool) -> None:
    application = booking.application
    emails.email_interview_booked(booking=booking, moved=moved, by_staff=by_staff)
    contact = _contact(application.vacancy)
    if contact is not None:
        emails.email_interview_contact(
            booking=booking, recipient=contact, event="moved" if moved else "booked"
        )


@transaction.atomic
def interview_book(
    *, application: Application, slot: InterviewSlot, actor: User
) -> InterviewBooking:
    """Book the application's interview into `slot`, or move its booking there. The
    candidate books their own; HR staff of the vacancy's organisation may book for them.
    Only applications at the interview stage, only future times of the same vacancy, and
    never more interviews than the time has places."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("vacancy__organisation", "vacancy__contact", "candidate")
        .get(pk=application.pk)
    )
    vacancy = application.vacancy
    by_staff = not _is_owner(application, actor)
    if by_staff:
        _ensure_staff(vacancy, actor)
    if application.stage != Stage.INTERVIEW:
        raise ValidationError(
            "Only applications at the interview stage can book an interview.", code="stage"
        )
    locked = _lock_slots(InterviewSlot, slot.pk).get(slot.pk)
    if locked is None or locked.vacancy_id != application.vacancy_id:
        raise _invalid("slot", "Choose one of the interview times for this job", "wrong_vacancy")
    if locked.starts_at <= timezone.now():
        raise _invalid("slot", "That interview time has passed. Choose another time.", "past")
    booking = (
        InterviewBooking.objects.select_for_update()
        .filter(application=application)
        .select_related("slot")
        .first()
    )
    if booking is not None and booking.slot_id == locked.pk:
        return booking  # already booked there: nothing changes, nobody is emailed again
    if _booked_count(locked, excluding_application=application) >= locked.capacity:
        raise _invalid("slot", "That interview time is now full. Choose another time.", "full")
    moved = booking is not None
    if moved:
        booking.slot = locked
        booking.booked_by = actor
        booking.reminder_sent_at = None
        booking.save(update_fields=["slot", "booked_by", "reminder_sent_at", "updated_at"])
    else:
        try:
            with transaction.atomic():
                booking = InterviewBooking.objects.create(
                    application=application, slot=locked, booked_by=actor
                )
        except IntegrityError:  # booked in another request a moment ago
            raise ValidationError(
                "This application already has an interview booked. Refresh the page.",
                code="already_booked",
            ) from None
    booking.slot, booking.application = locked, application
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=application,
        action="interview.moved" if moved else "interview.booked",
        summary=f"{'Moved' if moved else 'Booked'} the interview for {vacancy.title} "
        f"to {_when(locked)}" + (" for the candidate" if by_staff else ""),
        data={"slot": locked.pk},
    )
    _booking_emails(booking, moved=moved, by_staff=by_staff)
    return booking


@transaction.atomic
def interview_release(*, application: Application, actor: User | None) -> None:
    """A rejected or withdrawn application gives up its future interview: the booking
    goes, and the candidate's and the contact's calendars lose the event (by its UID)."""
    booking = (
        InterviewBooking.objects.select_for_update(of=("self",))
        .select_related(
            "slot",
            "application__vacancy__organisation",
            "application__vacancy__contact",
            "application__candidate",
        )
        .filter(application=application, slot__starts_at__gt=timezone.now())
        .first()
    )
    if booking is None:
        return
    vacancy = booking.application.vacancy
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=booking.application,
        action="interview.released",
        summary=f"Released the interview of {_when(booking.slot)} for {vacancy.title}",
        data={"slot": booking.slot_id},
    )
    by_staff = actor is None or not _is_owner(booking.application, actor)
    emails.email_interview_cancelled(booking=booking, by_staff=by_staff)
    contact = _contact(vacancy)
    if contact is not None:
        emails.email_interview_contact(booking=booking, recipient=contact, event="cancelled")
    booking.delete()


@transaction.atomic
def interview_cancel_booking(
    *, booking: InterviewBooking, actor: User, reason: str = ""
) -> Application:
    """Cancel an interview booking: by the candidate (they can choose another time while
    invited) or by HR staff (the candidate is told, with the reason). The calendar event
    is cancelled by its UID."""
    booking = (
        InterviewBooking.objects.select_for_update(of=("self",))
        .select_related(
            "slot",
            "application__vacancy__organisation",
            "application__vacancy__contact",
            "application__candidate",
        )
        .filter(pk=booking.pk)
        .first()
    )
    if booking is None:
        raise ValidationError("This interview booking has already been cancelled.", code="gone")
    application = booking.application
    vacancy = application.vacancy
    by_staff = not _is_owner(application, actor)
    if by_staff:
        _ensure_staff(vacancy, actor)
    if booking.slot.starts_at <= timezone.now():
        raise ValidationError("This interview has already started or taken place.", code="past")
    reason = (reason or "").strip()[:500]
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=application,
        action="interview.cancelled",
        summary=f"Cancelled the interview of {_when(booking.slot)} for {vacancy.title}",
        data={"slot": booking.slot_id, "reason": reason},
    )
    emails.email_interview_cancelled(booking=booking, by_staff=by_staff, reason=reason)
    contact = _contact(vacancy)
    if contact is not None:  # their calendar loses the event too
        emails.email_interview_contact(booking=booking, recipient=contact, event="cancelled")
    booking.delete()
    return application


# --- Trial shifts -----------------------------------------------------------------------------


def _ensure_trial_shifts(vacancy: Vacancy) -> None:
    if not vacancy.trial_shift_available:
        raise ValidationError(
            "This vacancy does not offer trial shifts. Edit the vacancy to offer them first.",
            code="no_trial_shifts",
        )


@transaction.atomic
def trial_shift_slot_create(
    *,
    vacancy: Vacancy,
    actor: User,
    starts_at: datetime,
    ends_at: datetime,
    location: str,
    capacity: int = 1,
    notes: str = "",
) -> TrialShiftSlot:
    """Publish a trial shift on a vacancy that offers them; it takes place in person."""
    _ensure_staff(vacancy, actor)
    _ensure_open_vacancy(vacancy)
    _ensure_trial_shifts(vacancy)
    if not (location or "").strip():
        raise ValidationError({"location": "Enter where the trial shift takes place"})
    slot = TrialShiftSlot.objects.create(
        vacancy=vacancy,
        created_by=actor,
        **_slot_fields(
            starts_at=starts_at,
            ends_at=ends_at,
            location=location,
            capacity=capacity,
            notes=notes,
            max_length=MAX_TRIAL_SHIFT_LENGTH,
        ),
    )
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=slot,
        action="trial_shift_slot.created",
        summary=f"Added a trial shift for {vacancy.title}: {_when(slot)}",
    )
    return slot


@transaction.atomic
def trial_shift_slot_delete(*, slot: TrialShiftSlot, actor: User) -> None:
    """Take a trial shift away; refused while a request for it waits for an answer or is
    confirmed (decline them first, so every candidate is told). Declined and cancelled
    requests go with it."""
    slot = _lock_slots(TrialShiftSlot, slot.pk).get(slot.pk)
    if slot is None:
        return
    vacancy = slot.vacancy
    _ensure_staff(vacancy, actor)
    if TrialShiftRequest.objects.filter(slot=slot, status__in=OPEN_REQUEST_STATUSES).exists():
        raise ValidationError(
            "Candidates have asked for this trial shift. Decline their requests first, so "
            "they are told.",
            code="has_requests",
        )
    TrialShiftRequest.objects.filter(slot=slot).delete()
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=slot,
        action="trial_shift_slot.deleted",
        summary=f"Removed the trial shift {_when(slot)} for {vacancy.title}",
    )
    slot.delete()


def _confirmed_count(slot: TrialShiftSlot, *, excluding=None) -> int:
    requests = TrialShiftRequest.objects.filter(slot=slot, status=TrialStatus.CONFIRMED)
    if excluding is not None:
        requests = requests.exclude(pk=excluding.pk)
    return requests.count()


@transaction.atomic
def trial_shift_request_create(
    *, slot: TrialShiftSlot, candidate: User, phone: str = "", message: str = ""
) -> TrialShiftRequest:
    """A signed-in candidate asks for a trial shift on a live vacancy. One request per
    shift and person; a request they cancelled may be made again."""
    slot = _lock_slots(TrialShiftSlot, slot.pk).get(slot.pk)
    if slot is None:
        raise _invalid("slot", "Choose one of the trial shifts", "gone")
    vacancy = slot.vacancy
    if not vacancy.is_live or not vacancy.trial_shift_available:
        raise ValidationError(
            "This job is no longer taking requests for trial shifts.", code="closed"
        )
    if slot.starts_at <= timezone.now():
        raise _invalid("slot", "That trial shift has started. Choose another.", "past")
    if _confirmed_count(slot) >= slot.capacity:
        raise _invalid("slot", "That trial shift is full. Choose another.", "full")
    phone, message = (phone or "").strip()[:30], (message or "").strip()[:MAX_MESSAGE]
    existing = TrialShiftRequest.objects.select_for_update().filter(slot=slot, candidate=candidate)
    trial_request = existing.first()
    if trial_request is not None and trial_request.status != TrialStatus.CANCELLED:
        raise _invalid("slot", "You have already asked for this trial shift", "duplicate")
    if trial_request is not None:
        trial_request.status = TrialStatus.REQUESTED
        trial_request.phone, trial_request.message = phone, message
        trial_request.decided_by, trial_request.decided_at = None, None
        trial_request.decline_reason = ""
        trial_request.reminder_sent_at = None
        trial_request.save()
    else:
        try:
            with transaction.atomic():
                trial_request = TrialShiftRequest.objects.create(
                    slot=slot, candidate=candidate, phone=phone, message=message
                )
        except IntegrityError:
            raise _invalid(
                "slot", "You have already asked for this trial shift", "duplicate"
            ) from None
    trial_request.slot = slot
    audit_record(
        actor=candidate,
        organisation=vacancy.organisation,
        obj=trial_request,
        action="trial_shift.requested",
        summary=f"Asked for a trial shift for {vacancy.title} on {_when(slot)}",
    )
    contact = _contact(vacancy)
    if contact is not None:
        emails.email_trial_shift_contact(
            trial_request=trial_request, recipient=contact, event="requested"
        )
    return trial_request


def _lock_request(trial_request: TrialShiftRequest) -> TrialShiftRequest:
    return (
        TrialShiftRequest.objects.select_for_update(of=("self",))
        .select_related("slot__vacancy__organisation", "slot__vacancy__contact", "candidate")
        .get(pk=trial_request.pk)
    )


@transaction.atomic
def trial_shift_request_confirm(
    *, trial_request: TrialShiftRequest, actor: User
) -> TrialShiftRequest:
    """HR confirms a waiting request, never beyond the shift's places. The candidate and
    the vacancy's contact (or, with none, the person confirming) get the .ics."""
    # The slot first, then the request: the same order as every other writer.
    slot = _lock_slots(TrialShiftSlot, trial_request.slot_id)[trial_request.slot_id]
    trial_request = _lock_request(trial_request)
    vacancy = slot.vacancy
    _ensure_staff(vacancy, actor)
    if trial_request.status != TrialStatus.REQUESTED:
        raise ValidationError(
            f"This request is {trial_request.get_status_display().lower()}, so it cannot be "
            "confirmed.",
            code="status",
        )
    if slot.starts_at <= timezone.now():
        raise ValidationError("This trial shift has already started.", code="past")
    if _confirmed_count(slot) >= slot.capacity:
        raise ValidationError(
            "This trial shift is full. Decline the request, or add another trial shift.",
            code="full",
        )
    trial_request.status = TrialStatus.CONFIRMED
    trial_request.decided_by = actor
    trial_request.decided_at = timezone.now()
    trial_request.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    trial_request.slot = slot
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=trial_request,
        action="trial_shift.confirmed",
        summary=f"Confirmed a trial shift for {vacancy.title} on {_when(slot)}",
    )
    emails.email_trial_shift_confirmed(trial_request=trial_request)
    emails.email_trial_shift_contact(
        trial_request=trial_request, recipient=_contact(vacancy) or actor, event="confirmed"
    )
    return trial_request


@transaction.atomic
def trial_shift_request_decline(
    *, trial_request: TrialShiftRequest, actor: User, reason: str
) -> TrialShiftRequest:
    """HR declines a waiting or confirmed request, saying why; the candidate is told (and
    a confirmed shift is taken out of their calendar)."""
    trial_request = _lock_request(trial_request)
    vacancy = trial_request.slot.vacancy
    _ensure_staff(vacancy, actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise _invalid("reason", "Enter a reason for the candidate", "required")
    if len(reason) > MAX_DECLINE_REASON:
        raise ValidationError(
            {"reason": f"The reason must be {MAX_DECLINE_REASON} characters or fewer"}
        )
    if trial_request.status not in OPEN_REQUEST_STATUSES:
        raise ValidationError(
            f"This request is {trial_request.get_status_display().lower()} already.",
            code="status",
        )
    was_confirmed = trial_request.status == TrialStatus.CONFIRMED
    trial_request.status = TrialStatus.DECLINED
    trial_request.decline_reason = reason
    trial_request.decided_by = actor
    trial_request.decided_at = timezone.now()
    trial_request.save(
        update_fields=["status", "decline_reason", "decided_by", "decided_at", "updated_at"]
    )
    audit_record(
        actor=actor,
        organisation=vacancy.organisation,
        obj=trial_request,
        action="trial_shift.declined",
        summary=f"Declined a trial shift request for {vacancy.title}",
        data={"reason": reason},
    )
    emails.email_trial_shift_declined(trial_request=trial_request, was_confirmed=was_confirmed)
    return trial_request


@transaction.atomic
def trial_shift_request_cancel(
    *, trial_request: TrialShiftRequest, actor: User
) -> TrialShiftRequest:
    """The candidate calls off their request (waiting or confirmed) before the shift; the
    vacancy's contact is told."""
    trial_request = _lock_request(trial_request)
    if trial_request.candidate_id != actor.pk:
        raise ValidationError("This is not your trial shift request.", code="not_owner")
    if trial_request.status not in OPEN_REQUEST_STATUSES:
        raise ValidationError(
            f"This request is {trial_request.get_status_display().lower()} already.",
            code="status",
        )
    slot = trial_request.slot
    if slot.starts_at <= timezone.now():
        raise ValidationError("This trial shift has already started.", code="past")
    was_confirmed = trial_request.status == TrialStatus.CONFIRMED
    trial_request.status = TrialStatus.CANCELLED
    trial_request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        organisation=slot.vacancy.organisation,
        obj=trial_request,
        action="trial_shift.cancelled",
        summary=f"Cancelled their trial shift request for {slot.vacancy.title}",
    )
    contact = _contact(slot.vacancy)
    if contact is not None:
        emails.email_trial_shift_contact(
            trial_request=trial_request,
            recipient=contact,
            event="cancelled",
            was_confirmed=was_confirmed,
        )
    return trial_request


# --- Reminders the day before -----------------------------------------------------------------


def _tomorrow(now: datetime) -> tuple[datetime, datetime]:
    return london_day_bounds(timezone.localtime(now, LONDON).date() + timedelta(days=1))


def reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """Email every candidate with an interview, or a confirmed trial shift, starting
    tomorrow (the Europe/London calendar day), once: each is marked as reminded in the
    same transaction as its email, and rows another run holds are skipped."""
    now = now or timezone.now()
    start, end = _tomorrow(now)
    sent = {"interviews": 0, "trial_shifts": 0}
    with transaction.atomic():
        bookings = list(
            InterviewBooking.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(
                slot__starts_at__gte=start,
                slot__starts_at__lt=end,
                reminder_sent_at__isnull=True,
                application__stage=Stage.INTERVIEW,
            )
            .select_related(
                "slot", "application__vacancy__organisation", "application__vacancy__contact"
            )
        )
        for booking in bookings:
            emails.email_interview_reminder(booking=booking)
        InterviewBooking.objects.filter(pk__in=[b.pk for b in bookings]).update(
            reminder_sent_at=now
        )
        sent["interviews"] = len(bookings)
    with transaction.atomic():
        requests = list(
            TrialShiftRequest.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(
                slot__starts_at__gte=start,
                slot__starts_at__lt=end,
                reminder_sent_at__isnull=True,
                status=TrialStatus.CONFIRMED,
            )
            .select_related("slot__vacancy__organisation", "slot__vacancy__contact", "candidate")
        )
        for trial_request in requests:
            emails.email_trial_shift_reminder(trial_request=trial_request)
        TrialShiftRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
            reminder_sent_at=now
        )
        sent["trial_shifts"] = len(requests)
    return sent
