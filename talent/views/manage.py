"""HR staff's pages for their organisation's vacancies and the applications to them.

Every view resolves the organisation through `organisation_view` (404 for outsiders, 403
for members whose role lacks the capability) and fetches vacancies and applications
through the selectors, which narrow to that organisation in SQL.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.access import Capability, can, organisation_view
from hub.forms import add_service_errors, posted_data
from hub.uploads import private_file_response
from talent.forms.vacancies import ReturnToDraftForm, VacancyForm, VacancyListFilterForm
from talent.models import Application, Vacancy
from talent.selectors import vacancies as selectors
from talent.selectors.pipeline import identity_hidden
from talent.services import vacancies as services

Status = Vacancy.Status
VACANCIES_PER_PAGE = 25
APPLICATIONS_PER_PAGE = 50


def _problem(error: ValidationError) -> str:
    return " ".join(error.messages)


def _detail(request, vacancy):
    return redirect("vacancies:vacancy_detail", org_slug=request.organisation.slug, pk=vacancy.pk)


def _vacancy(request, pk) -> Vacancy:
    return selectors.vacancy_for_membership(request.membership, pk)


@require_GET
@organisation_view(Capability.MANAGE_VACANCIES)
def vacancy_list(request):
    filters = VacancyListFilterForm(request.GET)
    status, query = filters.values()
    counts = selectors.organisation_vacancy_counts(request.membership, query=query)
    paginator = Paginator(
        selectors.organisation_vacancies(request.membership, status=status, query=query),
        VACANCIES_PER_PAGE,
    )
    paginator.count = counts[status or "all"]  # counted already, in the aggregate above
    page = paginator.get_page(request.GET.get("page"))

    def link(**params):
        params = {key: value for key, value in params.items() if value}
        return f"?{urlencode(params)}" if params else request.path

    tabs = [
        {
            "label": label,
            "count": counts[value or "all"],
            "url": link(status=value, q=query),
            "current": value == status,
        }
        for value, label in [("", "All vacancies"), *Status.choices]
    ]
    context = {
        "status": status,
        "status_label": Status(status).label if status else "",
        "query": query,
        "tabs": tabs,
        "page": page,
        "previous_url": link(status=status, q=query, page=page.number - 1)
        if page.has_previous()
        else "",
        "next_url": link(status=status, q=query, page=page.number + 1) if page.has_next() else "",
    }
    return render(request, "talent/manage/vacancy_list.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(Capability.MANAGE_VACANCIES)
def vacancy_create(request):
    form = VacancyForm(
        posted_data(request),
        organisation=request.organisation,
        initial={"contact": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            vacancy = services.vacancy_create(
                organisation=request.organisation,
                actor=request.user,
                questions=form.cleaned_data["questions"],
                **form.vacancy_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{vacancy.title} was saved as a draft. Check it, then publish it."
            )
            return _detail(request, vacancy)
    return render(request, "talent/manage/vacancy_form.html", {"form": form, "vacancy": None})


@require_http_methods(["GET", "POST"])
@organisation_view(Capability.MANAGE_VACANCIES)
def vacancy_edit(request, pk):
    vacancy = _vacancy(request, pk)
    if vacancy.status not in services.EDITABLE:
        messages.error(
            request,
            f"You cannot edit this vacancy because it is {vacancy.get_status_display().lower()}. "
            "Copy it to make a new one.",
        )
        return _detail(request, vacancy)
    form = VacancyForm(posted_data(request), organisation=request.organisation, vacancy=vacancy)
    if request.method == "POST" and form.is_valid():
        try:
            services.vacancy_update(
                vacancy=vacancy,
                actor=request.user,
                questions=form.cleaned_data["questions"],
                **form.vacancy_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your changes were saved.")
            return _detail(request, vacancy)
    return render(request, "talent/manage/vacancy_form.html", {"form": form, "vacancy": vacancy})


def _actions(request, vacancy: Vacancy) -> dict:
    """Which buttons the vacancy's page offers this person."""
    approver = can(request.membership, Capability.APPROVE_VACANCIES)
    needs_approval = request.organisation.vacancies_need_approval and not approver
    status = vacancy.status
    return {
        "edit": status in services.EDITABLE,
        # Waiting for approval: an admin approves (which tells the author), and anyone
        # may publish only if the organisation stopped asking for approval meanwhile.
        "publish": status == Status.DRAFT
        or (status == Status.AWAITING_APPROVAL and not needs_approval and not approver),
        "publish_sends_for_approval": needs_approval,
        "approve": approver and status == Status.AWAITING_APPROVAL,
        "close": status == Status.PUBLISHED,
        "mark_filled": status in {Status.PUBLISHED, Status.CLOSED},
        "duplicate": True,
    }


@require_GET
@organisation_view(Capability.MANAGE_VACANCIES)
def vacancy_detail(request, pk):
    vacancy = _vacancy(request, pk)
    context = {
        "vacancy": vacancy,
        "actions": _actions(request, vacancy),
        "counts": selectors.vacancy_stage_counts(vacancy),
        "can_see_applications": can(request.membership, Capability.MANAGE_APPLICATIONS),
    }
    return render(request, "talent/manage/vacancy_detail.html", context)


@require_POST
@organisation_view(Capability.MANAGE_VACANCIES)
def vacancy_publish(request, pk):
    vacancy = _vacancy(request, pk)
    try:
        services.vacancy_publish(vacancy=vacancy, actor=request.user, membership=request.membership)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            messages.error(request, f"Edit the vacancy before you publish it. {_problem(error)}")
        else:
            messages.error(request, _problem(error))
    else:
        if vacancy.status == Status.AWAITING_APPROVAL:
            messages.success(
                request,
                f"{vacancy.title} was sent for approval. The admins of "
                f"{request.organisation.name} have been told by email.",
            )
        else:
            messages.success(request, f"{vacancy.title} is published. Candidates can apply now.")
    return _detail(request, vacancy)


@require_POST
@organisation_view(Capability.APPROVE_VACANCIES)
def vacancy_approve(request, pk):
    vacancy = _vacancy(request, pk)
    try:
        services.vacancy_approve(vacancy=vacancy, actor=request.user)
    except ValidationError as error:
        messages.error(request, _problem(error))
    else:
        messages.success(request, f"{vacancy.title} is approved and published.")
    return _detail(request, vacancy)


@require_http_methods(["GET", "POST"])
@organisation_view(Capability.APPROVE_VACANCIES)
def vacancy_return_to_draft(request, pk):
    vacancy = _vacancy(request, pk)
    allowed = vacancy.status == Status.AWAITING_APPROVAL
    form = ReturnToDraftForm(posted_data(request))
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.vacancy_return_to_draft(
                vacancy=vacancy, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{vacancy.title} was returned to draft. Its author has been told why."
            )
            return _detail(request, vacancy)
    context = {"vacancy": vacancy, "form": form, "allowed": allowed}
    return render(request, "talent/manage/vacancy_return_to_draft.html", context)


def _confirm(request, pk, *, action, allowed_from, service, done, page):
    """A confirmation page (GET) and the move it confirms (POST)."""
    vacancy = _vacancy(request, pk)
    allowed = vacancy.status in allowed_from
    if request.method == "POST":
        try:
            service(vacancy=vacancy, actor=request.user)
        except ValidationError as error:
            messages.error(request, _problem(error))
        else:
            messages.success(request, done.format(title=vacancy.title))
        return _detail(request, vacancy)
    context = {
        "vacancy": vacancy,
        "allowed": allowed,
        "action": action,
        "counts": selectors.vacancy_stage_counts(vacancy),
    }
    return render(request, page, context)


@require_http_methods(["GET", "POST"])
@organisation_view(Capability.MANAGE_VACANCIES)
def vacancy_close(request, pk):
    return _confirm(
        request,
        pk,
        action="close",
        allowed_from={Status.PUBLISHED},
        service=services.vacancy_close,
        done="{title} is closed. It no longer takes applications.",
        page="talent/manage/vacancy_confirm_close.html",
    )


@require_http_methods(["GET", "POST"])
@organisation_view(Capability.MANAGE_VACANCIES)
def vacancy_mark_filled(request, pk):
    return _confirm(
        request,
        pk,
        action="mark_filled",
        allowed_from={Status.PUBLISHED, Status.CLOSED},
        service=services.vacancy_mark_filled,
        done="{title} is marked as filled.",
        page="talent/manage/vacancy_confirm_filled.html",
    )


@require_POST
@organisation_view(Capability.MANAGE_VACANCIES)
def vacancy_duplicate(request, pk):
    vacancy = _vacancy(request, pk)
    copy = services.vacancy_duplicate(vacancy=vacancy, actor=request.user)
    messages.success(request, f"A copy was saved as a draft: {copy.title}. Edit it, then publish.")
    return redirect("vacancies:vacancy_edit", org_slug=request.organisation.slug, pk=copy.pk)


@require_GET
@organisation_view(Capability.MANAGE_APPLICATIONS)
def vacancy_applications(request, pk):
    vacancy = _vacancy(request, pk)
    counts = selectors.vacancy_stage_counts(vacancy)
    paginator = Paginator(selectors.vacancy_applications(vacancy), APPLICATIONS_PER_PAGE)
    paginator.count = counts["all"]  # counted already, in the aggregate above
    page = paginator.get_page(request.GET.get("page"))
    services.applications_record_staff_list_view(
        vacancy=vacancy, actor=request.user, shown=len(page.object_list)
    )
    stages = [
        (label, counts[value])
        for value, label in Application.Stage.choices
        if value != Application.Stage.DRAFT
    ]
    context = {
        "vacancy": vacancy,
        "page": page,
        "counts": counts,
        "stages": stages,
        "previous_url": f"?page={page.number - 1}" if page.has_previous() else "",
        "next_url": f"?page={page.number + 1}" if page.has_next() else "",
    }
    return render(request, "talent/manage/vacancy_applications.html", context)


@require_GET
@never_cache
@organisation_view(Capability.MANAGE_APPLICATIONS)
def application_detail(request, application_id):
    application = selectors.application_page_for_membership(request.membership, application_id)
    services.application_record_staff_view(application=application, actor=request.user)
    return render(request, "talent/manage/application_detail.html", {"application": application})


@require_GET
@organisation_view(Capability.MANAGE_APPLICATIONS)
def application_cv(request, application_id):
    application = selectors.application_for_membership(request.membership, application_id)
    if identity_hidden(application):
        raise Http404("The CV is hidden until the applicant is shortlisted")
    response = private_file_response(application.cv, application.cv_filename, fallback="cv")
    services.application_cv_downloaded(application=application, actor=request.user)
    return response
