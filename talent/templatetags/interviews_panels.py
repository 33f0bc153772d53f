"""Placeholder: the interviews helper replaces this module. Panels of the interviews part on the
HR and candidate application pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def hr_interviews_panel(context, application):
    return ""


@register.simple_tag(takes_context=True)
def candidate_interviews_panel(context, application):
    return ""
