"""Writes for campaign events: staff create, change and cancel them and mark who came;
residents sign up on the public page (no account), join the waiting list when it is full,
and cancel through the link in their email.

Places are never over-booked: every write that books, frees or adds places locks the
event's row (SELECT ... FOR UPDATE) and counts its bookings inside that lock. A freed
place goes at once to the first person on the waiting list, in the same transaction.

Emails go through `campaigns.emails`, which sends each only to an address whose owner's
consent to be contacted stands; they are written to the outbox in the transaction and
leave once it commits. The links in them are signed tokens (`booking_token`,
`contact_token`): whoever holds the email can manage the booking without an account,
and nobody can guess another person's link.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from campaigns import emails
from campaigns.models import (
    Campaign,
    ContactConsent,
    Engagement,
    Event,
    EventBooking,
    Resident,
    TrackingLink,
)
from campaigns.services.residents import resident_engage
from hub.models import Membership, User
from hub.services import audit_record
from talent.ics import LONDON
from talent.services.interviews import london_day_bounds

Status = EventBooking.Status

MAX_CAPACITY = 1000
# The longest event: a six-week employability course, with room to spare.
MAX_EVENT_LENGTH = timedelta(weeks=13)
MAX_CANCEL_REASON = 500
EDITABLE_FIELDS = (
    "kind",
    "title",
    "description",
    "starts_at",
    "ends_at",
    "venue_name",
    "address",
    "postcode",
    "online_url",
    "capacity",
)

BOOKING_SALT = "campaigns.event-booking"
CONTACT_SALT = "campaigns.contact-preferences"

# What staff mark for each person booked (see `attendance_record`).
ATTENDED, ABSENT, COMPLETED = "attended", "absent", "completed"
ATTENDANCE_MARKS = {ATTENDED: (True, False), ABSENT: (False, False), COMPLETED: (True, True)}


# --- Links in emails ---------------------------------------------------------------------


def booking_token(booking: EventBooking) -> str:
    return signing.Signer(salt=BOOKING_SALT).sign(str(booking.pk))


def booking_for_token(token: str) -> EventBooking:
    """The booking a link names, or 404 for a link that was altered or made up."""
    try:
        booking_id = signing.Signer(salt=BOOKING_SALT).unsign(token)
        return EventBooking.objects.select_related(
            "resident", "event__campaign", "event__organisation"
        ).get(pk=booking_id)
    except (signing.BadSignature, ValidationError, EventBooking.DoesNotExist):
        raise Http404("No such booking") from None


def contact_token(resident: Resident) -> str:
    return signing.Signer(salt=CONTACT_SALT).sign(str(resident.pk))


def resident_for_contact_token(token: str) -> Resident:
    """The resident a contact-preferences link names, or 404 for an altered link."""
    try:
        resident_id = signing.Signer(salt=CONTACT_SALT).unsign(token)
        return Resident.objects.get(pk=resident_id)
    except (signing.BadSignature, ValidationError, Resident.DoesNotExist):
        raise Http404("No such person") from None


# --- Staff: events ------------------------------------------------------------------------


def event_errors(
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    venue_name: str,
    online_url: str,
    capacity: int | None,
    booked: int = 0,
    check_start: bool = True,
    now: datetime | None = None,
) -> dict[str, str]:
    """What is wrong with an event's time, place and capacity, by field. `booked` is
    how many places are taken already; `check_start` is off when an existing event keeps
    its start time (a past event may still have its description corrected)."""
    now = now or timezone.now()
    errors = {}
    if starts_at is None:
        errors["starts_at"] = "Enter when the event starts"
    elif check_start and starts_at <= now:
        errors["starts_at"] = "The event must start in the future"
    if ends_at is None:
        errors["ends_at"] = "Enter when the event ends"
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = "The event must end after it starts"
    elif starts_at is not None and ends_at - starts_at > MAX_EVENT_LENGTH:
        errors["ends_at"] = "The event must end within 13 weeks of its start"
    if not (venue_name or "").strip() and not (online_url or "").strip():
        errors["venue_name"] = "Enter the name of the venue, or an online joining link"
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        errors["capacity"] = f"The number of places must be between 1 and {MAX_CAPACITY}"
    elif capacity < booked:
        errors["capacity"] = (
            f"{booked} places are already booked: the number of places cannot be fewer"
        )
    return errors


def _clean_fields(fields: dict) -> dict:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of an event: {', '.join(sorted(unknown))}")
    if fields.get("kind") not in Event.Kind.values:
        raise ValidationError({"kind": "Choose the type of event"})
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": "Enter the event's title"})
    for name in ("title", "description", "venue_name", "address", "postcode", "online_url"):
        fields[name] = (fields.get(name) or "").strip()
    fields["postcode"] = fields["postcode"].upper()
    return fields


def _booked(event: Event) -> int:
    return event.bookings.filter(status=Status.BOOKED).count()


def _locked(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("campaign", "organisation")
        .get(pk=event.pk)
    )


@transaction.atomic
def event_create(*, campaign: Campaign, membership: Membership, actor: User, **fields) -> Event:
    """An event of the campaign, run by the member's organisation."""
    fields = _clean_fields(fields)
    errors = event_errors(
        starts_at=fields.get("starts_at"),
        ends_at=fields.get("ends_at"),
        venue_name=fields["venue_name"],
        online_url=fields["online_url"],
        capacity=fields.get("capacity"),
    )
    if errors:
        raise ValidationError(errors)
    event = Event.objects.create(campaign=campaign, organisation=membership.organisation, **fields)
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=event,
        action="event.created",
        summary=f"Added the event {event.title} to {campaign.name}",
        data={"campaign_id": str(campaign.pk), "kind": event.kind, "capacity": event.capacity},
    )
    return event


@transaction.atomic
def event_update(*, event: Event, membership: Membership, actor: User, **fields) -> Event:
    """Change an event. Its places may not drop below those booked; more places go to the
    waiting list at once. A new start time means reminders go out again for the new day."""
    event = _locked(event)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError("This event is cancelled: it can no longer be changed.")
    fields = _clean_fields(fields)
    errors = event_errors(
        starts_at=fields.get("starts_at"),
        ends_at=fields.get("ends_at"),
        venue_name=fields["venue_name"],
        online_url=fields["online_url"],
        capacity=fields.get("capacity"),
        booked=_booked(event),
        check_start=fields.get("starts_at") != event.starts_at,
    )
    if errors:
        raise ValidationError(errors)
    changed = [name for name in EDITABLE_FIELDS if getattr(event, name) != fields[name]]
    if not changed:
        return event
    moved = "starts_at" in changed
    for name in changed:
        setattr(event, name, fields[name])
    event.save(update_fields=[*changed, "updated_at"])
    if moved:
        event.bookings.update(reminded_at=None)
    promoted = _fill_places(event)
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=event,
        action="event.changed",
        summary=f"Changed the event {event.title}",
        data={"fields": changed, "promoted": len(promoted)},
    )
    return event


@transaction.atomic
def event_cancel(*, event: Event, membership: Membership, actor: User, reason: str) -> Event:
    """Cancel the event and email everyone booked or waiting (who agreed to be
    contacted) to say so, and why. Their bookings are kept as the record of who came
    forward."""
    event = _locked(event)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError("This event is already cancelled.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Enter why the event is cancelled"})
    if len(reason) > MAX_CANCEL_REASON:
        raise ValidationError(
            {"reason": f"The reason must be {MAX_CANCEL_REASON} characters or fewer"}
        )
    event.status = Event.Status.CANCELLED
    event.cancelled_at = timezone.now()
    event.save(update_fields=["status", "cancelled_at", "updated_at"])
    told = 0
    for booking in event.bookings.filter(status__in=[Status.BOOKED, Status.WAITING]).select_related(
        "resident"
    ):
        booking.event = event
        told += emails.email_event_cancelled(booking=booking, reason=reason) is not None
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=event,
        action="event.cancelled",
        summary=f"Cancelled the event {event.title}",
        data={"reason": reason, "emailed": told},
    )
    return event


def attendance_open(event: Event, now: datetime | None = None) -> bool:
    """Attendance is marked from the day of the event (London time), never for a
    cancelled one."""
    today = timezone.localtime(now or timezone.now(), LONDON).date()
    return (
        event.status == Event.Status.SCHEDULED
        and timezone.localtime(event.starts_at, LONDON).date() <= today
    )


@transaction.atomic
def attendance_record(*, event: Event, marks: dict, membership: Membership, actor: User) -> int:
    """Record who came (and, for an employability course, who completed it): `marks`
    maps booking ids to ATTENDED, ABSENT or COMPLETED. All of it or none: a mark for
    someone no longer booked refuses the lot. Returns how many marks changed."""
    if not marks:
        raise ValidationError("Choose whether each person attended.")
    if not attendance_open(event):
        if event.status == Event.Status.CANCELLED:
            raise ValidationError("This event was cancelled: there is no attendance to mark.")
        raise ValidationError("You can mark attendance from the day of the event.")
    if any(mark not in ATTENDANCE_MARKS for mark in marks.values()):
        raise ValidationError("Choose attended or did not attend for each person.")
    if COMPLETED in marks.values() and event.kind != Event.Kind.EMPLOYABILITY_COURSE:
        raise ValidationError("Only an employability course can be completed.")
    marks = {str(booking_id): mark for booking_id, mark in marks.items()}
    bookings = list(
        EventBooking.objects.select_for_update()
        .filter(event=event, status=Status.BOOKED, pk__in=list(marks))
        .select_related("resident")
    )
    if len(bookings) != len(marks):
        raise ValidationError(
            "Someone's booking changed while you were marking attendance. Check the list "
            "and mark it again."
        )
    now = timezone.now()
    changed = []
    for booking in bookings:
        attended, completed = ATTENDANCE_MARKS[marks[str(booking.pk)]]
        if (booking.attended, booking.completed_course) == (attended, completed):
            continue
        booking.attended, booking.completed_course = attended, completed
        booking.attendance_marked_at, booking.attendance_marked_by = now, actor
        booking.updated_at = now
        changed.append(booking)
    EventBooking.objects.bulk_update(
        changed,
        [
            "attended",
            "completed_course",
            "attendance_marked_at",
            "attendance_marked_by",
            "updated_at",
        ],
    )
    if changed:
        audit_record(
            actor=actor,
            organisation=membership.organisation,
            obj=event,
            action="event.attendance_marked",
            summary=f"Marked attendance at {event.title}",
            data={
                "attended": sum(1 for b in changed if b.attended),
                "did_not_attend": sum(1 for b in changed if not b.attended),
                "completed_course": sum(1 for b in changed if b.completed_course),
            },
        )
    return len(changed)


def event_bookings_record_staff_view(
    *, event: Event, actor: User, membership: Membership, shown: int
) -> None:
    """A list of the names of the people booked is personal data: its views are audited."""
    audit_record(
        actor=actor,
        organisation=membership.organisation,
        obj=event,
        action="event.bookings_viewed",
        summary=f"Viewed the bookings of {event.title}",
        data={"shown": shown},
    )


# --- The public: signing up and cancelling ---------------------------------------------------


def sign_up_refusal(event: Event, now: datetime | None = None) -> str:
    """Why nobody can sign up for the event now, or "" when they can."""
    if event.status == Event.Status.CANCELLED:
        return "This event has been cancelled, so you cannot sign up for it."
    if event.starts_at <= (now or timezone.now()):
        return "This event has already started, so you cannot sign up for it any more."
    return ""


@dataclass(frozen=True)
class SignUp:
    booking: EventBooking
    # False when the person already had a place (or a place in the queue) and nothing changed.
    is_new: bool


@transaction.atomic
def event_sign_up(
    *,
    event: Event,
    name: str,
    email: str,
    consent: bool,
    phone: str = "",
    postcode: str = "",
    tracking_link: TrackingLink | None = None,
) -> SignUp:
    """Sign a resident up: recorded as engaged online by the campaign, with their
    consent, then booked, or put on the waiting list when every place is taken. The same
    person (the same email address in the campaign) signing up again keeps the one
    booking they have: a cancelled one is taken up again, an active one is emailed again.
    """
    event = _locked(event)
    refusal = sign_up_refusal(event)
    if refusal:
        raise ValidationError(refusal)
    errors = {}
    if not consent:
        errors["consent"] = "Tick the box to agree to be contacted about this event"
    if not (email or "").strip():
        errors["email"] = "Enter your email address, so we can send you your booking"
    if errors:
        raise ValidationError(errors)
    engagement = resident_engage(
        campaign=event.campaign,
        name=name,
        email=email,
        phone=phone,
        postcode=postcode,
        channel=Engagement.Channel.ONLINE,
        captured_by=ContactConsent.CapturedBy.EVENT_SIGN_UP,
        consent=True,
        organisation=event.organisation,
        tracking_link=tracking_link,
    )
    resident = engagement.resident
    now = timezone.now()
    status = Status.BOOKED if _booked(event) < event.capacity else Status.WAITING
    booking = (
        EventBooking.objects.select_for_update().filter(event=event, resident=resident).first()
    )
    is_new = booking is None or booking.status == Status.CANCELLED
    if booking is None:
        booking = EventBooking.objects.create(
            event=event,
            resident=resident,
            status=status,
            waiting_since=now if status == Status.WAITING else None,
        )
    elif booking.status == Status.CANCELLED:
        booking.status = status
        booking.waiting_since = now if status == Status.WAITING else None
        booking.cancelled_at = booking.promoted_at = None
        booking.save(
            update_fields=["status", "waiting_since", "cancelled_at", "promoted_at", "updated_at"]
        )
    booking.event, booking.resident = event, resident
    if is_new:
        audit_record(
            actor=None,
            organisation=event.organisation,
            obj=booking,
            action="event.signed_up",
            summary=f"A resident signed up for {event.title}",
            data={"status": booking.status},
        )
    emails.email_booking_confirmed(booking=booking, again=not is_new)
    return SignUp(booking=booking, is_new=is_new)


def booking_can_be_cancelled(booking: EventBooking, now: datetime | None = None) -> bool:
    return (
        booking.status != Status.CANCELLED
        and booking.event.status == Event.Status.SCHEDULED
        and booking.event.starts_at > (now or timezone.now())
    )


@transaction.atomic
def booking_cancel(*, booking: EventBooking) -> EventBooking:
    """The resident gives up their place (or leaves the waiting list). A place freed
    goes at once to the first person waiting, who is emailed that it is theirs."""
    event = _locked(booking.event)
    booking = EventBooking.objects.select_for_update().select_related("resident").get(pk=booking.pk)
    booking.event = event
    if booking.status == Status.CANCELLED:
        raise ValidationError("This booking is already cancelled.")
    if not booking_can_be_cancelled(booking):
        raise ValidationError(
            "This event has been cancelled or has started: the booking stays as it is."
        )
    was_booked = booking.status == Status.BOOKED
    booking.status = Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    promoted = _fill_places(event) if was_booked else []
    audit_record(
        actor=None,
        organisation=event.organisation,
        obj=booking,
        action="event.booking_cancelled",
        summary=f"A resident cancelled their booking for {event.title}",
        data={"was_booked": was_booked, "promoted": [str(b.pk) for b in promoted]},
    )
    return booking


def _fill_places(event: Event) -> list[EventBooking]:
    """Give the free places of a locked, scheduled, future event to the people waiting,
    first come first served, and email each that the place is theirs."""
    if event.status != Event.Status.SCHEDULED or event.starts_at <= timezone.now():
        return []
    free = event.capacity - _booked(event)
    if free <= 0:
        return []
    waiting = list(
        EventBooking.objects.select_for_update(of=("self",))
        .filter(event=event, status=Status.WAITING)
        .select_related("resident")
        .order_by("waiting_since", "created_at")[:free]
    )
    now = timezone.now()
    for booking in waiting:
        booking.status = Status.BOOKED
        booking.promoted_at = now
        booking.save(update_fields=["status", "promoted_at", "updated_at"])
        booking.event = event
        emails.email_place_offered(booking=booking)
    return waiting


# --- Reminders -------------------------------------------------------------------------------


def event_reminders_send(*, now: datetime | None = None) -> int:
    """Email everyone booked on a scheduled event starting tomorrow (the Europe/London
    calendar day), once: each booking is marked as reminded in the same transaction as
    its email, and rows another run holds are skipped. People who have not agreed to be
    contacted are neither emailed nor marked, so nothing is recorded as sent to them."""
    now = now or timezone.now()
    start, end = london_day_bounds(timezone.localtime(now, LONDON).date() + timedelta(days=1))
    with transaction.atomic():
        bookings = list(
            EventBooking.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(
                status=Status.BOOKED,
                reminded_at__isnull=True,
                event__status=Event.Status.SCHEDULED,
                event__starts_at__gte=start,
                event__starts_at__lt=end,
                resident__in=Resident.objects.with_consent(),
            )
            .select_related("resident", "event__campaign", "event__organisation")
        )
        reminded = [b.pk for b in bookings if emails.email_event_reminder(booking=b) is not None]
        EventBooking.objects.filter(pk__in=reminded).update(reminded_at=now)
    return len(reminded)
