"""Panels of the pipeline on the HR and candidate application pages, and the one way
those pages show who an applicant is (`applicant_display`, which honours anonymised
shortlisting)."""

from django import template
from django.template.loader import render_to_string
from django.utils.formats import date_format

from talent.forms.pipeline import EssentialCriteriaForm, MoveForm, NoteForm
from talent.models import FairRoute
from talent.selectors import pipeline as selectors
from talent.services.pipeline import pipeline_targets

register = template.Library()

# What the candidate should know of their stage, in plain words: (heading, text).
CANDIDATE_STAGE_WORDS = {
    "submitted": (
        "We have your application",
        "{organisation} will look at every application after the closing date, {closing}, "
        "and will contact you about what happens next.",
    ),
    "screening": (
        "Your application is being reviewed",
        "{organisation} is reading your application against what the job needs. They will "
        "contact you when they have decided.",
    ),
    "shortlisted": (
        "You have been shortlisted",
        "Your application met what the job needs. {organisation} will invite you to an "
        "interview soon, usually by email.",
    ),
    "interview": (
        "You are invited to an interview",
        "{organisation} would like to meet you. Check your email for the invitation and "
        "choose an interview time.",
    ),
    "offer": (
        "You have been offered the job",
        "The offer depends on pre-employment checks. {organisation} will tell you what they "
        "need from you.",
    ),
    "pre_employment": (
        "Your pre-employment checks are under way",
        "{organisation} is checking things like your identity, right to work and "
        "references. They will confirm your offer when the checks are done.",
    ),
    "hired": (
        "You have the job",
        "Congratulations. {organisation} will be in touch about your first day.",
    ),
    "rejected": (
        "Your application was not successful this time",
        "Thank you for applying. Please do not let this put you off: there are many jobs in "
        "health and care, and you can apply for others.",
    ),
    "withdrawn": (
        "This application was withdrawn",
        "It is no longer being considered. You can still apply for other jobs.",
    ),
}


@register.simple_tag
def applicant_display(application):
    """`{% applicant_display application as applicant %}`: the name and contact details
    staff may see, or an anonymised reference and nothing else."""
    return selectors.applicant_display(application)


@register.simple_tag(takes_context=True)
def hr_pipeline_panel(context, application):
    request = context["request"]
    flags = selectors.application_flags(application)
    targets = pipeline_targets(application.stage)
    context_data = {
        "application": application,
        "flags": flags,
        "route_label": FairRoute(application.fair_route).label if application.fair_route else "",
        "targets": targets,
        "move_form": context.get("pipeline_move_form") or MoveForm(prefix="move", targets=targets),
        "criteria_form": context.get("pipeline_criteria_form")
        or EssentialCriteriaForm(
            prefix="criteria", initial=EssentialCriteriaForm.initial_for(application)
        ),
        "note_form": context.get("pipeline_note_form") or NoteForm(prefix="note"),
        "notes": list(selectors.application_notes(application)),
        "org_slug": request.organisation.slug,
    }
    return render_to_string("talent/pipeline/_hr_panel.html", context_data, request=request)


@register.simple_tag(takes_context=True)
def candidate_pipeline_panel(context, application):
    words = CANDIDATE_STAGE_WORDS.get(application.stage)
    if words is None:
        return ""
    vacancy = application.vacancy
    heading, text = words
    text = text.format(
        organisation=vacancy.organisation.name,
        closing=date_format(vacancy.closing_date, "j F Y"),
    )
    return render_to_string(
        "talent/pipeline/_candidate_panel.html",
        {"application": application, "heading": heading, "text": text},
        request=context.get("request"),
    )


@register.filter
def guaranteed_routes(vacancy) -> list[str]:
    """The names of the routes the vacancy guarantees an interview to, in lower case."""
    labels = dict(FairRoute.choices)
    return [
        labels[route][0].lower() + labels[route][1:]
        for route in vacancy.guaranteed_interview_routes or []
        if route in labels
    ]
