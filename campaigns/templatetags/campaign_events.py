"""Campaign events in words on the pages: `{{ event|event_when }}`, `{{ event|event_place }}`
and `{{ event|places_left }}` (for events carrying `booked_count`)."""

from django import template

from campaigns import ics

register = template.Library()


@register.filter
def event_when(event) -> str:
    return ics.event_when(event)


@register.filter
def event_place(event) -> str:
    return ics.event_place(event)


@register.filter
def places_left(event) -> int:
    return max(0, event.capacity - event.booked_count)
