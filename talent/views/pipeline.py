"""HR staff's pipeline pages: a vacancy's applicants by stage with their flags, moving
many at once, the CSV export, the pipeline panel's forms on an application's page, and
the organisation's email templates.

Every view resolves the organisation through `organisation_view` (404 for outsiders, 403
for members whose role lacks the capability) and fetches through selectors that narrow
to that organisation in SQL."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.access import Capability, can, organisation_view
from hub.forms import add_service_errors, posted_data
from hub.services import audit_record
from talent.forms.pipeline import (
    BulkMoveForm,
    EmailTemplateForm,
    EssentialCriteriaForm,
    MoveForm,
    NoteForm,
)
from talent.models import Application, OrganisationEmailTemplate
from talent.selectors import pipeline as selectors
from talent.selectors import vacancies as vacancy_selectors
from talent.selectors.time_to_hire import STATUS_LABELS, application_statuses
from talent.services import pipeline as services
from talent.services import vacancies as vacancy_services

Stage = Application.Stage
APPLICATIONS_PER_PAGE = 100
TIME_STATUS_TAGS = {
    "on_track": "nhsuk-tag--green",
    "due": "nhsuk-tag--yellow",
    "overdue": "nhsuk-tag--red",
}


# --- The pipeline page ---------------------------------------------------------------------


def _stage_filter(request) -> str:
    stage = request.GET.get("stage", "")
    return stage if stage in {s.value for s in selectors.PIPELINE_STAGES} else ""


def _pipeline_url(request, vacancy, **params) -> str:
    url = reverse(
        "pipeline:vacancy_pipeline",
        kwargs={"org_slug": request.organisation.slug, "pk": vacancy.pk},
    )
    params = {key: value for key, value in params.items() if value}
    return f"{url}?{urlencode(params)}" if params else url


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.MANAGE_APPLICATIONS)
def vacancy_pipeline(request, pk):
    vacancy = selectors.pipeline_vacancy(request.membership, pk)
    stage = _stage_filter(request)
    form = BulkMoveForm(posted_data(request), vacancy=vacancy)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.applications_move_many(
                applications=form.cleaned_data["applications"],
                actor=request.user,
                membership=request.membership,
                **form.move_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            who = "1 applicant" if result.moved == 1 else f"{result.moved} applicants"
            messages.success(request, f"{who} moved to {result.to_stage_label}.")
            return redirect(_pipeline_url(request, vacancy, stage=stage))

    counts = selectors.pipeline_counts(vacancy)
    paginator = Paginator(
        selectors.pipeline_applications(vacancy, stage=stage), APPLICATIONS_PER_PAGE
    )
    paginator.count = counts[stage or "all"]  # counted already, in the aggregate above
    page = paginator.get_page(request.GET.get("page"))
    applications = list(page.object_list)
    statuses = application_statuses(applications, request.organisation) if applications else {}
    selected = {
        str(pk) for pk in (request.POST.getlist("applications") if request.method == "POST" else [])
    }
    rows = [
        {
            "application": application,
            "display": selectors.applicant_display(application, contact=False),
            "time_status": statuses.get(application.pk, ""),
            "time_status_label": STATUS_LABELS.get(statuses.get(application.pk, ""), ""),
            "time_status_tag": TIME_STATUS_TAGS.get(statuses.get(application.pk, ""), ""),
            "selected": str(application.pk) in selected,
        }
        for application in applications
    ]
    vacancy_services.applications_record_staff_list_view(
        vacancy=vacancy, actor=request.user, shown=len(rows)
    )
    tabs = [
        {
            "label": label,
            "count": counts[value or "all"],
            "url": _pipeline_url(request, vacancy, stage=value),
            "current": value == stage,
        }
        for value, label in [
            ("", "All applicants"),
            *[(s.value, s.label) for s in selectors.PIPELINE_STAGES],
        ]
    ]
    context = {
        "vacancy": vacancy,
        "stage": stage,
        "stage_label": Stage(stage).label if stage else "",
        "counts": counts,
        "tabs": tabs,
        "page": page,
        "rows": rows,
        "form": form,
        "action_url": _pipeline_url(request, vacancy, stage=stage),
        "previous_url": _pipeline_url(request, vacancy, stage=stage, page=page.number - 1)
        if page.has_previous()
        else "",
        "next_url": _pipeline_url(request, vacancy, stage=stage, page=page.number + 1)
        if page.has_next()
        else "",
        "can_edit_templates": can(request.membership, Capability.EDIT_ORGANISATION),
    }
    return render(request, "talent/pipeline/vacancy_pipeline.html", context)


@require_GET
@organisation_view(Capability.MANAGE_APPLICATIONS)
def vacancy_pipeline_csv(request, pk):
    vacancy = selectors.pipeline_vacancy(request.membership, pk)
    header, rows = selectors.pipeline_export_table(vacancy)
    filename = f"pipeline-{vacancy.pk}-{vacancy.slug[:40]}-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    audit_record(
        actor=request.user,
        organisation=request.organisation,
        obj=vacancy,
        action="application.exported",
        summary=f"Downloaded the pipeline of {vacancy.title} as CSV",
        data={"rows": len(rows)},
    )
    return response


# --- The pipeline panel of an application's page ---------------------------------------------


def _application_page(request, application_id, **forms):
    """The HR application page again, showing a panel form with its errors."""
    application = vacancy_selectors.application_for_membership(request.membership, application_id)
    vacancy_services.application_record_staff_view(application=application, actor=request.user)
    context = {
        "application": application,
        **{f"pipeline_{name}_form": form for name, form in forms.items()},
    }
    return render(request, "talent/manage/application_detail.html", context)


def _back_to(request, application):
    return redirect(
        "vacancies:application_detail",
        org_slug=request.organisation.slug,
        application_id=application.pk,
    )


@require_POST
@organisation_view(Capability.MANAGE_APPLICATIONS)
def application_move(request, application_id):
    application = selectors.pipeline_application(request.membership, application_id)
    form = MoveForm(
        request.POST, prefix="move", targets=services.pipeline_targets(application.stage)
    )
    if form.is_valid():
        try:
            services.application_move(
                application=application,
                actor=request.user,
                membership=request.membership,
                **form.move_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{selectors.applicant_display(application).name} moved to "
                f"{application.get_stage_display()}.",
            )
            return _back_to(request, application)
    return _application_page(request, application_id, move=form)


@require_POST
@organisation_view(Capability.MANAGE_APPLICATIONS)
def application_criteria(request, application_id):
    application = selectors.pipeline_application(request.membership, application_id)
    form = EssentialCriteriaForm(request.POST, prefix="criteria")
    if form.is_valid():
        services.application_set_essential_criteria(
            application=application, actor=request.user, meets=form.value()
        )
        messages.success(request, "Your judgement of the essential criteria was saved.")
        return _back_to(request, application)
    return _application_page(request, application_id, criteria=form)


@require_POST
@organisation_view(Capability.MANAGE_APPLICATIONS)
def application_note_add(request, application_id):
    application = selectors.pipeline_application(request.membership, application_id)
    form = NoteForm(request.POST, prefix="note")
    if form.is_valid():
        try:
            services.application_note_add(
                application=application, actor=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your note was added.")
            return _back_to(request, application)
    return _application_page(request, application_id, note=form)


# --- The organisation's email templates --------------------------------------------------------


def _kind(kind: str) -> str:
    if kind not in OrganisationEmailTemplate.Kind.values:
        raise Http404("No such email")
    return kind


@require_GET
@organisation_view(Capability.MANAGE_APPLICATIONS)
def email_templates(request):
    context = {
        "templates": selectors.organisation_email_templates(request.organisation),
        "can_edit": can(request.membership, Capability.EDIT_ORGANISATION),
    }
    return render(request, "talent/pipeline/email_templates.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(Capability.EDIT_ORGANISATION)
def email_template_edit(request, template_kind):
    kind = _kind(template_kind)
    template = selectors.organisation_email_template(request.organisation, kind)
    form = EmailTemplateForm(
        posted_data(request), kind=kind, initial=EmailTemplateForm.initial_from(template)
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        if request.POST.get("action") == "preview":
            values = services.email_template_example_values(kind, request.organisation)
            preview = {
                "subject": services.fill_placeholders(subject, values),
                "body": services.fill_placeholders(body, values),
            }
        else:
            try:
                services.email_template_save(
                    organisation=request.organisation,
                    kind=kind,
                    subject=subject,
                    body=body,
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"The “{template.get_kind_display()}” email was saved.")
                return redirect("pipeline:email_templates", org_slug=request.organisation.slug)
    context = {
        "template": template,
        "kind_label": OrganisationEmailTemplate.Kind(kind).label,
        "form": form,
        "preview": preview,
        "placeholders": services.PLACEHOLDERS[kind],
    }
    return render(request, "talent/pipeline/email_template_form.html", context)


@require_POST
@organisation_view(Capability.EDIT_ORGANISATION)
def email_template_reset(request, template_kind):
    kind = _kind(template_kind)
    services.email_template_reset(organisation=request.organisation, kind=kind, actor=request.user)
    label = OrganisationEmailTemplate.Kind(kind).label
    messages.success(request, f"The “{label}” email is back to the default wording.")
    return redirect("pipeline:email_templates", org_slug=request.organisation.slug)
