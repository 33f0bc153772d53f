"""Deployment pages: the organisation's people out and people with it, one deployment
(for its home and host only), the checks (the home's, and the host's local induction),
starting, the return and close-out, and which of other signatories' checks the
organisation accepts. Each view resolves the organisation through `organisation_view`
(404 for outsiders, 403 without the capability), fetches through a selector and calls one
service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hub.access import Capability, can, organisation_view
from hub.forms import add_service_errors, posted_data
from hub.services import audit_record_view
from portability.forms.deployments import (
    CheckAcceptanceForm,
    HomeChecksForm,
    HomeFeedbackForm,
    InductionForm,
    ReturnForm,
    StartForm,
)
from portability.models import CheckAcceptance, Deployment, Signatory
from portability.selectors import deployments as selectors
from portability.services import deployments as services

Status = Deployment.Status


def _detail(request, deployment):
    return redirect(
        reverse(
            "deployments:deployment_detail",
            kwargs={"org_slug": request.organisation.slug, "deployment_id": deployment.pk},
        )
    )


def _load(request, deployment_id):
    deployment = selectors.deployment_for(request.membership, deployment_id)
    is_home = deployment.home_id == request.organisation.pk
    return deployment, selectors.checks_of(deployment), is_home


def _record_view(request, deployment, page: str) -> None:
    """Each opening of a page showing the deployed person and their checks is audited."""
    audit_record_view(
        actor=request.user,
        organisation=request.organisation,
        obj=deployment,
        action="deployment.viewed",
        summary=f"Viewed a deployment ({deployment.offer.job_title}) and its checks",
        data={"page": page},
    )


def _context(deployment, checks, is_home, **extra):
    return {
        "deployment": deployment,
        "checks": checks,
        "is_home": is_home,
        "is_host": not is_home,
        "calendar_days": selectors.calendar_days(deployment),
        "needs_registration": services.registration_needed(deployment),
        "ready_to_start": services.ready_to_start(deployment, checks),
        **extra,
    }


@require_GET
@organisation_view(Capability.MANAGE_PORTABILITY)
def deployment_list(request):
    out = list(selectors.deployments_out(request.organisation))
    with_us = list(selectors.deployments_in(request.organisation))
    for deployment in (*out, *with_us):
        deployment.calendar_days = selectors.calendar_days(deployment)
    return render(
        request,
        "portability/deployments/deployment_list.html",
        {"out": out, "with_us": with_us},
    )


@require_GET
@never_cache
@organisation_view(Capability.MANAGE_PORTABILITY)
def deployment_detail(request, deployment_id):
    deployment, checks, is_home = _load(request, deployment_id)
    statuses = [] if is_home else selectors.check_statuses(deployment)
    _record_view(request, deployment, "detail")
    return render(
        request,
        "portability/deployments/deployment_detail.html",
        _context(
            deployment,
            checks,
            is_home,
            statuses=statuses,
            gaps=[status for status in statuses if status.is_gap],
        ),
    )


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.MANAGE_PORTABILITY)
def deployment_checks(request, deployment_id):
    """The home records its checks here; the host records the local induction."""
    deployment, checks, is_home = _load(request, deployment_id)
    if is_home:
        form_class, names = HomeChecksForm, services.HOME_FIELDS
    else:
        form_class, names = InductionForm, services.HOST_FIELDS
    form = form_class(posted_data(request), initial={name: getattr(checks, name) for name in names})
    open_ = deployment.status != Status.RETURNED
    if request.method == "POST" and open_ and form.is_valid():
        try:
            services.checks_record(
                deployment=deployment,
                actor=request.user,
                membership=request.membership,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if is_home and deployment.status == Status.CHECKS_COMPLETE:
                messages.success(request, "Checks saved. Every check is now recorded.")
            else:
                messages.success(request, "Checks saved.")
            return _detail(request, deployment)
    _record_view(request, deployment, "checks")
    return render(
        request,
        "portability/deployments/deployment_checks.html",
        _context(deployment, checks, is_home, form=form, open=open_),
    )


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.MANAGE_PORTABILITY)
def deployment_start(request, deployment_id):
    deployment, checks, is_home = _load(request, deployment_id)
    if is_home:
        raise PermissionDenied("Only the host starts a deployment.")
    form = StartForm(posted_data(request))
    startable = deployment.status in (Status.PLANNED, Status.CHECKS_COMPLETE)
    if request.method == "POST" and startable and form.is_valid():
        try:
            services.deployment_start(
                deployment=deployment,
                actor=request.user,
                membership=request.membership,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            form.add_error("override_reason", str(error))
        else:
            messages.success(
                request,
                f"{deployment.offer.staff_name}'s deployment has started. "
                f"{deployment.home.name} has been told by email.",
            )
            return _detail(request, deployment)
    _record_view(request, deployment, "start")
    return render(
        request,
        "portability/deployments/deployment_start.html",
        _context(
            deployment,
            checks,
            is_home,
            form=form,
            startable=startable,
            is_admin=can(request.membership, Capability.SIGN_FRAMEWORK),
        ),
    )


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.MANAGE_PORTABILITY)
def deployment_return(request, deployment_id):
    """The host records the return and close-out; then the home adds its feedback."""
    deployment, checks, is_home = _load(request, deployment_id)
    if is_home:
        form = HomeFeedbackForm(
            posted_data(request), initial={"feedback": deployment.home_feedback}
        )
        allowed = deployment.status == Status.RETURNED
    else:
        form = ReturnForm(posted_data(request))
        allowed = deployment.status == Status.ACTIVE
    if request.method == "POST" and allowed and form.is_valid():
        try:
            if is_home:
                services.deployment_home_feedback(
                    deployment=deployment,
                    actor=request.user,
                    membership=request.membership,
                    feedback=form.cleaned_data["feedback"],
                )
            else:
                services.deployment_return(
                    deployment=deployment,
                    actor=request.user,
                    membership=request.membership,
                    **form.cleaned_data,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "Your feedback is saved."
                if is_home
                else f"The return is recorded. {deployment.home.name} has been told by email.",
            )
            return _detail(request, deployment)
    _record_view(request, deployment, "return")
    return render(
        request,
        "portability/deployments/deployment_return.html",
        _context(deployment, checks, is_home, form=form, allowed=allowed),
    )


@require_GET
@organisation_view(Capability.MANAGE_PORTABILITY)
def check_acceptance(request):
    organisation = request.organisation
    signatories = list(selectors.other_signatories(organisation))
    by_provider = selectors.acceptances_by_provider(organisation)
    rows = [
        {
            "organisation": signature.organisation,
            "checks": [
                (label, by_provider.get(signature.organisation_id, {}).get(kind))
                for kind, label in CheckAcceptance.Check.choices
            ],
        }
        for signature in signatories
    ]
    return render(
        request,
        "portability/deployments/check_acceptance.html",
        {
            "rows": rows,
            "is_signatory": Signatory.objects.current().filter(organisation=organisation).exists(),
            "can_edit": can(request.membership, Capability.SIGN_FRAMEWORK),
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.SIGN_FRAMEWORK)
def check_acceptance_edit(request, provider_slug):
    organisation = request.organisation
    provider = selectors.provider_for(organisation, provider_slug)
    is_signatory = Signatory.objects.current().filter(organisation=organisation).exists()
    form = CheckAcceptanceForm(
        posted_data(request),
        initial=CheckAcceptanceForm.initial_from(selectors.acceptances_of(organisation, provider)),
    )
    if request.method == "POST" and is_signatory and form.is_valid():
        try:
            services.check_acceptance_set(
                organisation=organisation,
                provider=provider,
                actor=request.user,
                membership=request.membership,
                acceptances=form.acceptances(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved which of {provider.name}'s checks you accept.")
            return redirect(
                reverse("deployments:check_acceptance", kwargs={"org_slug": organisation.slug})
            )
    return render(
        request,
        "portability/deployments/check_acceptance_edit.html",
        {"provider": provider, "form": form, "is_signatory": is_signatory},
    )
