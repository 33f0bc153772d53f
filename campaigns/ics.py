"""Campaign events in words and as iCalendar files, for the public pages, the staff pages
and the emails alike. The calendar itself is written by `talent.ics` (Europe/London times
with their VTIMEZONE, a stable UID, METHOD:CANCEL for a cancelled event)."""

from email.utils import parseaddr

from django.conf import settings

from talent.ics import LONDON, CalendarEvent, calendar_text, when_text


def event_when(event) -> str:
    """'Tuesday 10 March 2026, 10am to midday' (London time); an event over several days
    names both."""
    starts, ends = event.starts_at.astimezone(LONDON), event.ends_at.astimezone(LONDON)
    if starts.date() == ends.date():
        return when_text(event.starts_at, event.ends_at)
    return f"{when_text(event.starts_at)} to {when_text(event.ends_at)}"


def event_place(event) -> str:
    """The venue and its address on one line, or "Online"."""
    if not event.venue_name:
        return "Online"
    parts = [event.venue_name, *event.address.splitlines(), event.postcode]
    return ", ".join(part.strip() for part in parts if part.strip())


def event_ics(event) -> str:
    """The event (`event.campaign` and `event.organisation` loaded) as an .ics file. Its
    UID is the event's, so a changed time replaces it in a calendar; a cancelled event is
    written as a cancellation, which takes it out."""
    page = f"{settings.SITE_URL}{event.get_absolute_url()}"
    description = "\n".join(
        part
        for part in (
            f"{event.title}, part of {event.campaign.name}.",
            event.description,
            f"Online joining link: {event.online_url}" if event.online_url else "",
            f"Details and your booking: {page}",
        )
        if part
    )
    return calendar_text(
        CalendarEvent(
            uid=f"campaign-event-{event.pk}",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            summary=event.title,
            description=description,
            location=event_place(event) if event.venue_name else event.online_url,
            url=event.online_url or page,
            organiser_name=event.organisation.name,
            organiser_email=parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
            or "no-reply@workforcehub.example",
            sequence=max(0, int((event.updated_at - event.created_at).total_seconds())),
            cancelled=event.status == event.Status.CANCELLED,
        )
    )
