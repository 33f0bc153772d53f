"""Panels of the offers part on the HR and candidate application pages:
`{% hr_offers_panel application %}` (the offer, its checks and buttons for the next step,
and the application's time to hire) and `{% candidate_offers_panel application %}` (where
the candidate's offer stands, without the checks' outcomes or details)."""

from django import template

from talent.models import Application
from talent.selectors.offers import offer_progress
from talent.selectors.time_to_hire import STATUS_LABELS, application_time_to_hire

register = template.Library()

Stage = Application.Stage
CANDIDATE_SEES_OFFER = {Stage.OFFER, Stage.PRE_EMPLOYMENT, Stage.HIRED}


def _render(context, name: str, values: dict) -> str:
    panel = context.template.engine.get_template(f"talent/offers/{name}")
    with context.push(values):
        return panel.render(context)


@register.simple_tag(takes_context=True)
def hr_offers_panel(context, application):
    if application.stage == Stage.DRAFT:
        return ""
    progress = offer_progress(application)
    times = application_time_to_hire(application)
    return _render(
        context,
        "_hr_panel.html",
        {
            "application": application,
            "progress": progress,
            "times": times,
            "status_label": STATUS_LABELS.get(times["status"], ""),
            "org_slug": application.vacancy.organisation.slug,
        },
    )


@register.simple_tag(takes_context=True)
def candidate_offers_panel(context, application):
    if application.stage not in CANDIDATE_SEES_OFFER:
        return ""
    progress = offer_progress(application)
    if progress.offer is None:
        return ""
    return _render(
        context,
        "_candidate_panel.html",
        {
            "application": application,
            "progress": progress,
            "organisation": application.vacancy.organisation,
        },
    )
