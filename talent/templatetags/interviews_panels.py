"""Panels of the interviews part on the HR and candidate application pages, and the
`slot_when` filter ("Tuesday 10 March 2026, 10am to 10:30am") for slot times."""

from django import template
from django.utils import timezone

from talent.ics import when_text
from talent.models import Application
from talent.selectors import interviews as selectors

register = template.Library()


def _render(context, name: str, values: dict) -> str:
    """Render a panel inside the page's own context (no context processors run again)."""
    panel = context.template.engine.get_template(name)
    with context.push(values):
        return panel.render(context)


@register.filter
def slot_when(slot) -> str:
    """A slot's day and times in words, London time."""
    if slot is None:
        return ""
    return when_text(slot.starts_at, slot.ends_at)


@register.filter
def slot_start(slot) -> str:
    """A slot's day and start time in words, London time."""
    if slot is None:
        return ""
    return when_text(slot.starts_at)


@register.simple_tag(takes_context=True)
def hr_interviews_panel(context, application):
    """The application's interview: booked (with change and cancel), or a way to book one
    for the candidate while they are at the interview stage."""
    booking = selectors.application_interview(application)
    invited = application.stage == Application.Stage.INTERVIEW
    if booking is None and not invited:
        return ""
    return _render(
        context,
        "talent/interviews/_hr_panel.html",
        {
            "application": application,
            "booking": booking,
            "invited": invited,
            "is_past": booking is not None and booking.slot.starts_at <= timezone.now(),
            "org_slug": application.vacancy.organisation.slug,
        },
    )


@register.simple_tag(takes_context=True)
def candidate_interviews_panel(context, application):
    """The candidate's interview: the booked time with an "Add to calendar" file, or
    "Choose an interview time" when invited and not booked yet."""
    booking = selectors.application_interview(application)
    invited = application.stage == Application.Stage.INTERVIEW
    if booking is None and not invited:
        return ""
    if booking is not None and not invited and not application.is_open:
        return ""  # withdrawn or unsuccessful: the interview no longer matters
    return _render(
        context,
        "talent/bookings/_candidate_panel.html",
        {
            "application": application,
            "booking": booking,
            "invited": invited,
            "is_past": booking is not None and booking.slot.starts_at <= timezone.now(),
        },
    )
