"""The candidate's pages: applying for a job, their applications, profile and job alerts,
and the unsubscribe link of a job alert email (which works signed out)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from hub.forms import add_service_errors
from hub.uploads import private_file_response
from talent.attribution import CAMPAIGN_SESSION_KEY
from talent.forms.applying import (
    ApplicationForm,
    CandidateProfileForm,
    SavedSearchForm,
    WithdrawForm,
)
from talent.models import Application, SavedSearch
from talent.selectors import applications as selectors
from talent.selectors.search import search_query_string
from talent.services import alerts as alert_services
from talent.services import applications as services


def _search_path(query: str = "") -> str:
    try:
        path = reverse("jobs:search")
    except NoReverseMatch:  # the public search is not mounted
        path = "/jobs/"
    return f"{path}?{query}" if query else path


# --- Applying -----------------------------------------------------------------------------


def _initial_for_new_application(user, campaign_code: str) -> dict:
    profile = selectors.candidate_profile(user)
    return {
        "full_name": user.name,
        "phone": profile.phone,
        "address": profile.address,
        "postcode": profile.postcode,
        "right_to_work": profile.right_to_work,
        "source": Application.Source.CAMPAIGN if campaign_code else "",
    }


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    vacancy = selectors.vacancy_to_apply_for(pk)
    application = selectors.candidate_application_for_vacancy(user=request.user, vacancy=vacancy)
    if application is not None and not application.is_draft:
        messages.info(request, f"You have already applied for {vacancy.title}.")
        return redirect(application)
    context = {"vacancy": vacancy, "application": application, "search_path": _search_path()}
    if not vacancy.is_live:
        return render(request, "talent/candidate/apply_closed.html", context)
    if not selectors.email_is_verified(request.user):
        return render(request, "talent/candidate/apply_verify_email.html", context, status=403)

    campaign_code = request.session.get(CAMPAIGN_SESSION_KEY, "")
    questions = vacancy.questions.all()
    if request.method == "POST":
        saving_draft = request.POST.get("action") == "save"
        form = ApplicationForm(
            request.POST, request.FILES, questions=questions, saving_draft=saving_draft
        )
        if form.is_valid():
            try:
                application = application or services.application_start(
                    vacancy=vacancy, candidate=request.user, campaign_code=campaign_code
                )
                write = services.application_save if saving_draft else services.application_submit
                application = write(
                    application=application,
                    actor=request.user,
                    details=form.details(),
                    answers=form.answers(),
                    cv=form.cleaned_data.get("cv"),
                    monitoring=form.monitoring(),
                    campaign_code=campaign_code,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if saving_draft:
                    closing = date_format(vacancy.closing_date, "j F Y")
                    messages.success(
                        request,
                        f"Your application for {vacancy.title} was saved. You can finish it "
                        f"until the closing date, {closing}.",
                    )
                    return redirect("candidate:applications")
                messages.success(
                    request,
                    f"Your application for {vacancy.title} was sent. We have emailed a "
                    f"confirmation to {request.user.email}.",
                )
                return redirect(application)
        # Browsers never fill a file input in again: say so when a chosen CV was dropped.
        context["cv_dropped"] = bool(request.FILES.get("cv")) and "cv" not in form.errors
    else:
        initial = (
            ApplicationForm.initial_from(application)
            if application is not None
            else _initial_for_new_application(request.user, campaign_code)
        )
        form = ApplicationForm(initial=initial, questions=questions)
    context["form"] = form
    return render(request, "talent/candidate/apply.html", context)


# --- The candidate's applications -----------------------------------------------------------


@login_required
def applications(request):
    context = {
        "applications": selectors.candidate_applications(request.user),
        "search_path": _search_path(),
    }
    return render(request, "talent/candidate/applications.html", context)


@login_required
def application_detail(request, application_id):
    application = selectors.candidate_application(request.user, application_id)
    return render(request, "talent/candidate/application_detail.html", {"application": application})


@never_cache
@login_required
def application_cv(request, application_id):
    """The candidate's own CV, as a download under a safe name, never cached."""
    application = selectors.candidate_application(request.user, application_id)
    return private_file_response(application.cv, application.cv_filename, fallback="cv")


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, application_id):
    application = selectors.candidate_application(request.user, application_id)
    if application.is_draft or not application.is_open:
        messages.info(request, "This application cannot be withdrawn.")
        return redirect(application)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(
                application=application,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"You have withdrawn your application for {application.vacancy.title}."
            )
        return redirect(application)
    context = {"application": application, "form": form}
    return render(request, "talent/candidate/application_withdraw.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def application_delete(request, application_id):
    application = selectors.candidate_application(request.user, application_id)
    if not application.is_draft:
        messages.info(request, "A sent application cannot be deleted. You can withdraw it.")
        return redirect(application)
    if request.method == "POST":
        services.application_draft_delete(application=application, actor=request.user)
        messages.success(
            request, f"Your draft application for {application.vacancy.title} was deleted."
        )
        return redirect("candidate:applications")
    return render(request, "talent/candidate/application_delete.html", {"application": application})


# --- Profile ------------------------------------------------------------------------------


@login_required
def profile(request):
    user = request.user
    saved = selectors.candidate_profile(user)
    form = CandidateProfileForm(
        request.POST or None,
        initial={
            "full_name": user.name,
            "phone": saved.phone,
            "address": saved.address,
            "postcode": saved.postcode,
            "right_to_work": saved.right_to_work,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.candidate_profile_update(
            user=user,
            actor=user,
            name=data["full_name"],
            phone=data["phone"],
            address=data["address"],
            postcode=data["postcode"],
            right_to_work=data["right_to_work"],
        )
        messages.success(request, "Your profile was saved. Your next applications start with it.")
        return redirect("candidate:profile")
    return render(request, "talent/candidate/profile.html", {"form": form})


# --- Job alerts -------------------------------------------------------------------------------


@login_required
def alerts(request):
    context = {
        "saved_searches": selectors.candidate_saved_searches(request.user),
        "max_saved_searches": alert_services.MAX_SAVED_SEARCHES,
        "search_path": _search_path(),
    }
    return render(request, "talent/candidate/alerts.html", context)


def alert_create(request):
    """Save the search on the search page as a job alert (POST from its form)."""
    if request.method != "POST":
        return redirect("candidate:alerts")
    form = SavedSearchForm(request.POST)
    # Only the search's own parameters, encoded: safe to put in a redirect.
    query = search_query_string(form.data.get("query", ""))
    if not request.user.is_authenticated:
        messages.info(request, "Sign in or create an account to get job alerts.")
        return redirect_to_login(_search_path(query))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_search_path(query))
    try:
        saved_search = alert_services.saved_search_create(
            user=request.user,
            query=form.cleaned_data["query"],
            name=form.cleaned_data["name"] or None,
            frequency=form.cleaned_data["frequency"] or SavedSearch.Frequency.DAILY,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("candidate:alerts")
    when = (
        "each morning"
        if saved_search.frequency == SavedSearch.Frequency.DAILY
        else "once a week, on Mondays"
    )
    messages.success(
        request,
        f"Job alert saved: {saved_search.name}. We will email you {when} when new jobs match.",
    )
    return redirect("candidate:alerts")


@require_POST
@login_required
def alert_delete(request, saved_search_id):
    saved_search = selectors.candidate_saved_search(request.user, saved_search_id)
    alert_services.saved_search_delete(saved_search=saved_search, actor=request.user)
    messages.success(request, f"The job alert {saved_search.name} was deleted.")
    return redirect("candidate:alerts")


@csrf_exempt  # the token in the URL is the secret; mail clients post one-click (RFC 8058)
@never_cache
@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token):
    saved_search = selectors.saved_search_for_token(token)
    if request.method == "POST":
        saved_search = alert_services.saved_search_unsubscribe(token=token)
    context = {"saved_search": saved_search, "search_path": _search_path(saved_search.query)}
    if saved_search.active:
        return render(request, "talent/candidate/alert_unsubscribe.html", context)
    return render(request, "talent/candidate/alert_unsubscribed.html", context)
