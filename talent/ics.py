"""iCalendar files (RFC 5545) for interviews and trial shifts: attached to their emails and
offered as "Add to calendar" downloads.

Times are written in Europe/London with a TZID and a compact VTIMEZONE (the UK rule:
BST from the last Sunday of March, GMT from the last Sunday of October), so a calendar
anywhere shows the right local time. Each event's UID is stable for what it describes
(one application's interview, one trial-shift request), so a changed time replaces the
event already in the candidate's calendar instead of adding a second one; SEQUENCE grows
with every change, and a cancellation is sent as METHOD:CANCEL with the same UID.
"""

from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

LONDON = ZoneInfo("Europe/London")
PRODID = "-//Workforce Hub//Interviews and trial shifts//EN"
MIMETYPE = "text/calendar"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    organiser_name: str
    organiser_email: str
    location: str = ""
    url: str = ""
    sequence: int = 0
    cancelled: bool = False


def _uid_domain() -> str:
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host or "workforcehub.example"


def _london_timezone() -> Timezone:
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", timezone.timedelta(hours=0))
    summer.add("tzoffsetto", timezone.timedelta(hours=1))
    summer.add("dtstart", datetime(1970, 3, 29, 1, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", timezone.timedelta(hours=1))
    winter.add("tzoffsetto", timezone.timedelta(hours=0))
    winter.add("dtstart", datetime(1970, 10, 25, 2, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def calendar_text(event: CalendarEvent) -> str:
    """One event as the text of an .ics file (CRLF line ends, folded lines)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if event.cancelled else "PUBLISH")
    calendar.add_component(_london_timezone())

    vevent = Event()
    vevent.add("uid", f"{event.uid}@{_uid_domain()}")
    vevent.add("dtstamp", timezone.now().astimezone(ZoneInfo("UTC")))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstart", event.starts_at.astimezone(LONDON))
    vevent.add("dtend", event.ends_at.astimezone(LONDON))
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    organiser = vCalAddress(f"mailto:{event.organiser_email}")
    organiser.params["cn"] = event.organiser_name
    vevent.add("organizer", organiser)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    calendar.add_component(vevent)
    return calendar.to_ical().decode()


def attachment(text: str, filename: str) -> dict:
    """The outbox's attachment for an .ics file."""
    return {"filename": filename, "content": text, "mimetype": MIMETYPE}


# --- What interviews and trial shifts put in a calendar ---------------------------------------


def _organiser(vacancy) -> tuple[str, str]:
    """The organisation as organiser: its name, at the vacancy contact's address (or the
    portal's own sender address when the vacancy names nobody)."""
    contact = vacancy.contact
    if contact is not None and contact.is_active and contact.email:
        email = contact.email
    else:
        email = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@workforcehub.example"
    return vacancy.organisation.name, email


def _place(slot) -> str:
    """LOCATION: the place, else the video link."""
    return slot.location or slot.video_link


def _sequence(obj) -> int:
    """Grows with every change of the booking or request (seconds since it was made)."""
    if obj.created_at is None or obj.updated_at is None:
        return 0
    return max(0, int((obj.updated_at - obj.created_at).total_seconds()))


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def interview_event(booking, *, cancelled: bool = False) -> CalendarEvent:
    """The event of an application's interview (`booking.slot` and `booking.application`
    with its vacancy and organisation)."""
    slot, application = booking.slot, booking.application
    vacancy = application.vacancy
    name, email = _organiser(vacancy)
    description = _lines(
        f"Interview for {vacancy.title} at {name}.",
        f"Where: {slot.location}" if slot.location else "",
        f"Video link: {slot.video_link}" if slot.video_link else "",
        slot.notes,
        "Check or change your interview: "
        f"{settings.SITE_URL}{application_interview_path(application)}",
    )
    return CalendarEvent(
        uid=f"interview-{application.pk}",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=f"Interview: {vacancy.title}, {name}",
        description=description,
        location=_place(slot),
        url=slot.video_link or "",
        organiser_name=name,
        organiser_email=email,
        sequence=_sequence(booking),
        cancelled=cancelled,
    )


def trial_shift_event(trial_request, *, cancelled: bool = False) -> CalendarEvent:
    """The event of a confirmed trial shift (`trial_request.slot.vacancy.organisation`)."""
    slot = trial_request.slot
    vacancy = slot.vacancy
    name, email = _organiser(vacancy)
    description = _lines(
        f"Trial shift for {vacancy.title} at {name}: a chance to see if the job fits you.",
        f"Where: {slot.location}" if slot.location else "",
        f"Video link: {slot.video_link}" if slot.video_link else "",
        slot.notes,
        f"Your trial shifts: {settings.SITE_URL}{trial_shifts_path()}",
    )
    return CalendarEvent(
        uid=f"trial-shift-{trial_request.pk}",
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=f"Trial shift: {vacancy.title}, {name}",
        description=description,
        location=_place(slot),
        url=slot.video_link or "",
        organiser_name=name,
        organiser_email=email,
        sequence=_sequence(trial_request),
        cancelled=cancelled,
    )


def application_interview_path(application) -> str:
    from django.urls import reverse

    return reverse("bookings:interview", kwargs={"application_id": application.pk})


def trial_shifts_path() -> str:
    from django.urls import reverse

    return reverse("bookings:my_trial_shifts")


def interview_ics(booking, *, cancelled: bool = False) -> str:
    return calendar_text(interview_event(booking, cancelled=cancelled))


def trial_shift_ics(trial_request, *, cancelled: bool = False) -> str:
    return calendar_text(trial_shift_event(trial_request, cancelled=cancelled))


# --- Times in words ---------------------------------------------------------------------------


def clock_text(moment: datetime) -> str:
    """9am, 10:30am, midday, 2:15pm (London time), as the NHS writes times."""
    local = moment.astimezone(LONDON)
    if local.hour == 12 and local.minute == 0:
        return "midday"
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


def when_text(starts_at: datetime, ends_at: datetime | None = None) -> str:
    """'Tuesday 10 March 2026, 10am to 10:30am' (London time)."""
    local = starts_at.astimezone(LONDON)
    text = f"{local:%A} {local.day} {local:%B %Y}, {clock_text(starts_at)}"
    if ends_at is not None:
        text += f" to {clock_text(ends_at)}"
    return text
