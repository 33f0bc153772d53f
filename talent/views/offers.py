"""HR staff's pages from the interview to the start date (the conditional offer, each
pre-employment check, the unconditional offer, the start date), the time-to-hire report
and the organisation's targets. Each view resolves the organisation through
`organisation_view` (404 for outsiders, 403 without the capability), fetches the
application through the selector, which narrows to that organisation in SQL, and calls
one service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.access import Capability, organisation_view
from hub.forms import add_service_errors, posted_data
from hub.services import audit_record_view
from talent.forms.offers import CheckForm, ConditionalOfferForm, HiringTargetsForm, StartDateForm
from talent.models import PreEmploymentCheck
from talent.selectors import time_to_hire as time_to_hire_selectors
from talent.selectors.offers import application_for_offer, offer_progress
from talent.services import offers as services


def _application_page(request, application):
    url = reverse(
        "vacancies:application_detail",
        kwargs={"org_slug": request.organisation.slug, "application_id": application.pk},
    )
    return redirect(f"{url}#offer")


def _name(application) -> str:
    if application.anonymised_at:
        return "The applicant"
    return application.full_name or "The applicant"


def _load(request, application_id):
    application = application_for_offer(request.membership, application_id)
    return application, offer_progress(application)


def _render(request, template, application, progress, **context):
    audit_record_view(
        actor=request.user,
        organisation=request.organisation,
        obj=application,
        action="offer.viewed",
        summary=f"Viewed the offer and checks of an applicant for {application.vacancy.title}",
        data={"page": template.removesuffix(".html")},
    )
    return render(
        request,
        f"talent/offers/{template}",
        {"application": application, "progress": progress, **context},
    )


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.MANAGE_APPLICATIONS)
def offer_conditional(request, application_id):
    application, progress = _load(request, application_id)
    form = ConditionalOfferForm(posted_data(request))
    if request.method == "POST" and progress.can_make_offer and form.is_valid():
        try:
            services.offer_make_conditional(
                application=application,
                actor=request.user,
                membership=request.membership,
                terms=form.cleaned_data["terms"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"You made a conditional offer. {_name(application)} has been sent it by "
                "email, with what happens next.",
            )
            return _application_page(request, application)
    return _render(request, "offer_conditional.html", application, progress, form=form)


@require_POST
@organisation_view(Capability.MANAGE_APPLICATIONS)
def checks_start(request, application_id):
    application, _ = _load(request, application_id)
    try:
        services.checks_start(
            application=application, actor=request.user, membership=request.membership
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The pre-employment checks have started.")
    return _application_page(request, application)


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.MANAGE_APPLICATIONS)
def check_record(request, application_id, kind):
    if kind not in PreEmploymentCheck.Kind.values:
        raise Http404("No such check")
    application, progress = _load(request, application_id)
    row = next(row for row in progress.checks if row.kind == kind)
    initial = {}
    if row.check is not None:
        initial = {
            "outcome": row.check.outcome,
            "checked_on": row.check.checked_on,
            "detail": row.check.detail,
        }
    form = CheckForm(posted_data(request), initial=initial)
    if request.method == "POST" and progress.checks_open and form.is_valid():
        try:
            check = services.check_record(
                application=application,
                actor=request.user,
                membership=request.membership,
                kind=kind,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{row.label} check recorded: {check.get_outcome_display().lower()}.",
            )
            return _application_page(request, application)
    return _render(request, "check_record.html", application, progress, form=form, row=row)


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.MANAGE_APPLICATIONS)
def offer_unconditional(request, application_id):
    application, progress = _load(request, application_id)
    problems = []
    if request.method == "POST":
        try:
            services.offer_make_unconditional(
                application=application, actor=request.user, membership=request.membership
            )
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request,
                f"The offer is unconditional. {_name(application)} has been told by email. "
                "Record the start date when you have agreed it.",
            )
            return _application_page(request, application)
    return _render(request, "offer_unconditional.html", application, progress, problems=problems)


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.MANAGE_APPLICATIONS)
def application_hire(request, application_id):
    application, progress = _load(request, application_id)
    initial = {"start_date": progress.offer.start_date} if progress.offer else {}
    form = StartDateForm(posted_data(request), initial=initial)
    allowed = progress.can_hire or progress.can_change_start_date
    if request.method == "POST" and allowed and form.is_valid():
        start_date = form.cleaned_data["start_date"]
        try:
            services.application_hire(
                application=application,
                actor=request.user,
                membership=request.membership,
                start_date=start_date,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            starts = date_format(start_date, "j F Y")
            messages.success(
                request,
                f"{_name(application)} starts on {starts}. They have been told by email.",
            )
            return _application_page(request, application)
    return _render(request, "hire.html", application, progress, form=form, allowed=allowed)


@require_GET
@organisation_view(Capability.VIEW_REPORTS)
def time_to_hire(request):
    report = time_to_hire_selectors.organisation_time_to_hire(request.organisation)
    return render(request, "talent/offers/time_to_hire.html", {"report": report})


@require_http_methods(["GET", "POST"])
@organisation_view(Capability.EDIT_ORGANISATION)
def hiring_targets(request):
    targets = time_to_hire_selectors.hiring_targets(request.organisation)
    form = HiringTargetsForm(
        posted_data(request),
        initial={name: getattr(targets, name) for name in services.TARGET_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hiring_targets_update(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The time-to-hire targets were saved.")
            return redirect("offers:time_to_hire", org_slug=request.organisation.slug)
    return render(request, "talent/offers/hiring_targets.html", {"form": form, "targets": targets})
