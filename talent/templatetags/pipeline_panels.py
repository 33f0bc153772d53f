"""Placeholder: the pipeline helper replaces this module. Panels of the pipeline part on the
HR and candidate application pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def hr_pipeline_panel(context, application):
    return ""


@register.simple_tag(takes_context=True)
def candidate_pipeline_panel(context, application):
    return ""
