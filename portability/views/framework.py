"""The organisation's framework page: the current terms, its signature (version, date,
lead and deputy) and history; signing, changing the contacts and withdrawing. Each view
resolves the organisation through `organisation_view` (404 for outsiders, 403 without
the capability) and calls one selector or service."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hub.access import Capability, can, organisation_view
from hub.forms import add_service_errors, posted_data
from portability.forms.framework import ContactsForm, SignForm, WithdrawForm
from portability.selectors import framework as selectors
from portability.services import framework as services


def _overview(request):
    return redirect(reverse("framework:overview", kwargs={"org_slug": request.organisation.slug}))


def not_signatory_page(request):
    """What a non-signatory sees on any page of the framework's work: the reason and the
    way to sign. 403: the organisation may not take part until it signs."""
    return render(
        request,
        "portability/framework/not_signatory.html",
        {
            "may_sign": can(request.membership, Capability.SIGN_FRAMEWORK),
            "history": selectors.signature_history(request.organisation)[:1],
        },
        status=403,
    )


def signatory_view(capability: Capability = Capability.MANAGE_PORTABILITY):
    """`organisation_view`, then the clear not-a-signatory page unless the organisation
    is a current signatory; sets `request.signatory`."""

    def decorator(view):
        @organisation_view(capability)
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            request.signatory = selectors.signature_for(request.organisation)
            if request.signatory is None:
                return not_signatory_page(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


@require_GET
@organisation_view(Capability.MANAGE_PORTABILITY)
def overview(request):
    history = list(selectors.signature_history(request.organisation))
    current = next((row for row in history if row.withdrawn_at is None), None)
    return render(
        request,
        "portability/framework/overview.html",
        {
            "version": selectors.current_version(),
            "signatory": current,
            "history": history,
            "may_sign": can(request.membership, Capability.SIGN_FRAMEWORK),
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@organisation_view(Capability.SIGN_FRAMEWORK)
def sign(request):
    version = selectors.current_version()
    signatory = selectors.signature_for(request.organisation)
    members = selectors.contact_choices(request.organisation)
    form = SignForm(posted_data(request), members=members)
    if request.method == "POST" and version and signatory is None and form.is_valid():
        try:
            services.framework_sign(
                organisation=request.organisation,
                version=version,
                lead=form.cleaned_data["lead"].user,
                deputy=form.cleaned_data["deputy"].user,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{request.organisation.name} has signed version {version.number} of the "
                "Staff Portability Framework.",
            )
            return _overview(request)
    return render(
        request,
        "portability/framework/sign.html",
        {"version": version, "signatory": signatory, "form": form},
    )


@require_http_methods(["GET", "POST"])
@never_cache
@signatory_view(Capability.SIGN_FRAMEWORK)
def contacts(request):
    signatory = request.signatory
    members = selectors.contact_choices(request.organisation)
    initial = {
        "lead": members.filter(user=signatory.lead_id).first(),
        "deputy": members.filter(user=signatory.deputy_id).first(),
    }
    form = ContactsForm(posted_data(request), members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_contacts_update(
                organisation=request.organisation,
                lead=form.cleaned_data["lead"].user,
                deputy=form.cleaned_data["deputy"].user,
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The framework lead and deputy have been changed.")
            return _overview(request)
    return render(
        request, "portability/framework/contacts.html", {"signatory": signatory, "form": form}
    )


@require_http_methods(["GET", "POST"])
@never_cache
@signatory_view(Capability.SIGN_FRAMEWORK)
def withdraw(request):
    form = WithdrawForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_withdraw(
                organisation=request.organisation,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{request.organisation.name} has withdrawn from the Staff Portability "
                "Framework. Its history stays on this page.",
            )
            return _overview(request)
    return render(
        request,
        "portability/framework/withdraw.html",
        {"signatory": request.signatory, "form": form},
    )
