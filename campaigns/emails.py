"""Every email campaigns send to residents, each a named function going through the outbox.

A campaign email goes only to `contact_email(resident)`: nobody whose consent to be
contacted does not stand is ever emailed, and each function then returns None. Every one
carries the resident's contact-preferences link in its footer and as `List-Unsubscribe`
(with RFC 8058 one-click), so withdrawing consent is always one click away.
"""

from django.conf import settings
from django.urls import reverse

from campaigns.ics import event_ics, event_place, event_when
from campaigns.services.residents import contact_email
from hub.outbox import outbox_send_template
from talent.ics import attachment

ICS_FILENAME = "event.ics"


def _send(*, template: str, booking, with_ics: bool = False, **context):
    """Email the booking's resident, if they may be contacted; None when not."""
    from campaigns.services.events import booking_token, contact_token

    resident, event = booking.resident, booking.event
    to = contact_email(resident)
    if to is None:
        return None
    contact_path = reverse(
        "campaign_public:contact_preferences", kwargs={"token": contact_token(resident)}
    )
    return outbox_send_template(
        template=template,
        to=to,
        context={
            "resident": resident,
            "booking": booking,
            "event": event,
            "campaign": event.campaign,
            "organisation": event.organisation,
            "when": event_when(event),
            "place": event_place(event),
            "event_path": event.get_absolute_url(),
            "booking_path": reverse(
                "campaign_public:booking", kwargs={"token": booking_token(booking)}
            ),
            "contact_path": contact_path,
            **context,
        },
        headers={
            "List-Unsubscribe": f"<{settings.SITE_URL}{contact_path}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        attachments=[attachment(event_ics(event), ICS_FILENAME)] if with_ics else None,
    )


def email_booking_confirmed(*, booking, again: bool = False):
    """To the resident who signed up: their place, with the .ics, or their place in the
    waiting list. `again` when they signed up a second time and nothing changed."""
    from campaigns.selectors.events import waiting_position

    booked = booking.status == booking.Status.BOOKED
    return _send(
        template="campaign_event_booked" if booked else "campaign_event_waiting",
        booking=booking,
        with_ics=booked,
        again=again,
        position=0 if booked else waiting_position(booking),
    )


def email_place_offered(*, booking):
    """To the resident moved off the waiting list: a place is theirs, with the .ics."""
    return _send(template="campaign_event_place_offered", booking=booking, with_ics=True)


def email_event_reminder(*, booking):
    """To each resident booked, the day before the event."""
    return _send(template="campaign_event_reminder", booking=booking, with_ics=True)


def email_event_cancelled(*, booking, reason: str):
    """To each resident booked or waiting: the event is cancelled, and why (the .ics
    takes it out of the calendars of those who had a place)."""
    return _send(
        template="campaign_event_cancelled",
        booking=booking,
        with_ics=booking.status == booking.Status.BOOKED,
        reason=reason,
        was_waiting=booking.status == booking.Status.WAITING,
    )
