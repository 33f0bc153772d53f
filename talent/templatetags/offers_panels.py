"""Placeholder: the offers helper replaces this module. Panels of the offers part on the
HR and candidate application pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def hr_offers_panel(context, application):
    return ""


@register.simple_tag(takes_context=True)
def candidate_offers_panel(context, application):
    return ""
