"""Reads for campaign events: the public list and page (with places left counted in SQL),
and an event's bookings and waiting list for the staff running it.

Staff pages fetch the event itself through `campaigns.selectors.campaigns.event_for`, so
an organisation outside the campaign gets 404 before anything here runs."""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigns.models import Engagement, Event, EventBooking, TrackingLink

Status = EventBooking.Status


def _with_booked_count(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.annotate(booked_count=Count("bookings", filter=Q(bookings__status=Status.BOOKED)))


def public_events(*, kind: str = "", campaign=None) -> QuerySet[Event]:
    """Events of public campaigns still open for sign-up (scheduled, not yet started),
    soonest first, each with `booked_count`; of one campaign when given."""
    events = Event.objects.public().filter(
        status=Event.Status.SCHEDULED, starts_at__gt=timezone.now()
    )
    if campaign is not None:
        events = events.filter(campaign=campaign)
    if kind:
        events = events.filter(kind=kind)
    return _with_booked_count(events.select_related("campaign")).order_by("starts_at", "title")


def public_event(event_id) -> Event:
    """An event of a public campaign, whatever its state (the page says when it is
    cancelled or over), with `booked_count`; 404 for events of private campaigns."""
    return get_object_or_404(
        _with_booked_count(Event.objects.public().select_related("campaign", "organisation")),
        pk=event_id,
    )


def booking_counts(event: Event) -> dict[str, int]:
    """Places booked, people waiting, bookings cancelled and people marked as attended,
    in one query."""
    return EventBooking.objects.filter(event=event).aggregate(
        booked=Count("pk", filter=Q(status=Status.BOOKED)),
        waiting=Count("pk", filter=Q(status=Status.WAITING)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        attended=Count("pk", filter=Q(status=Status.BOOKED, attended=True)),
    )


def event_bookings(event: Event) -> dict[str, list[EventBooking]]:
    """Every booking of the event in one query, split by status: booked (by name),
    waiting (first come, first served) and cancelled. Each carries `engagement_id`, the
    resident's journey in the event's campaign, for a link to it."""
    journey = Engagement.objects.filter(
        campaign_id=event.campaign_id, resident_id=OuterRef("resident_id")
    ).values("pk")[:1]
    bookings = (
        EventBooking.objects.filter(event=event)
        .select_related("resident", "attendance_marked_by")
        .annotate(engagement_id=Subquery(journey))
        .order_by("waiting_since", "created_at")
    )
    split = {status: [] for status in Status.values}
    for booking in bookings:
        split[booking.status].append(booking)
    split[Status.BOOKED].sort(key=lambda booking: booking.resident.name.casefold())
    return {
        "booked": split[Status.BOOKED],
        "waiting": split[Status.WAITING],
        "cancelled": split[Status.CANCELLED],
    }


def waiting_position(booking: EventBooking) -> int:
    """1 for the first person on the waiting list; 0 when not waiting."""
    if booking.status != Status.WAITING:
        return 0
    ahead = EventBooking.objects.filter(event_id=booking.event_id, status=Status.WAITING).filter(
        Q(waiting_since__lt=booking.waiting_since)
        | Q(waiting_since=booking.waiting_since, created_at__lt=booking.created_at)
    )
    return ahead.count() + 1


def followed_link(event: Event, code: str) -> TrackingLink | None:
    """The campaign's tracking link the visitor followed (its code remembered in their
    session), so that signing up is attributed to the poster that brought them; None
    for no code or a code of another campaign."""
    if not code:
        return None
    return TrackingLink.objects.filter(campaign_id=event.campaign_id, code__iexact=code).first()
