"""A signatory's mobilisation pages: its own mobilisations and every active one, raising
a new one, the detail page, and (for its admins) activating its own when the framework
allows, and standing it down. Non-signatories get the clear not-a-signatory page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.access import Capability, can
from hub.forms import add_service_errors, posted_data
from portability.forms.mobilisations import MobilisationForm, NoteForm
from portability.models import Mobilisation
from portability.selectors import mobilisations as selectors
from portability.selectors.requests import mobilisation_requests
from portability.services import mobilisations as services
from portability.views.framework import signatory_view

Status = Mobilisation.Status


def _detail(request, mobilisation):
    return redirect(
        reverse(
            "mobilisations:detail",
            kwargs={"org_slug": request.organisation.slug, "mobilisation_id": mobilisation.pk},
        )
    )


@require_GET
@signatory_view(Capability.MANAGE_PORTABILITY)
def mobilisation_list(request):
    return render(
        request,
        "portability/mobilisations/list.html",
        {
            "own": list(selectors.own_mobilisations(request.organisation)),
            "active": list(
                selectors.active_mobilisations().exclude(organisation=request.organisation)
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@signatory_view(Capability.MANAGE_PORTABILITY)
def mobilisation_create(request):
    form = MobilisationForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            mobilisation = services.mobilisation_raise(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                "You raised a mobilisation. A hub admin will activate it; then every "
                "signatory's lead and deputy are told by email."
                if not services.raiser_may_activate()
                else "You raised a mobilisation. An admin of your organisation can now "
                "activate it; then every signatory's lead and deputy are told by email.",
            )
            return _detail(request, mobilisation)
    return render(request, "portability/mobilisations/form.html", {"form": form})


@require_GET
@signatory_view(Capability.MANAGE_PORTABILITY)
def mobilisation_detail(request, mobilisation_id):
    mobilisation = selectors.mobilisation_for(request.organisation, mobilisation_id)
    own = mobilisation.organisation_id == request.organisation.id
    is_admin = can(request.membership, Capability.SIGN_FRAMEWORK)
    return render(
        request,
        "portability/mobilisations/detail.html",
        {
            "mobilisation": mobilisation,
            "own": own,
            "staff_requests": mobilisation_requests(mobilisation),
            "may_activate": own
            and is_admin
            and mobilisation.status == Status.RAISED
            and services.raiser_may_activate(),
            "may_stand_down": own
            and is_admin
            and mobilisation.status in (Status.RAISED, Status.ACTIVE),
        },
    )


@require_POST
@signatory_view(Capability.SIGN_FRAMEWORK)
def mobilisation_activate(request, mobilisation_id):
    mobilisation = selectors.mobilisation_for(request.organisation, mobilisation_id)
    if mobilisation.organisation_id != request.organisation.id:
        raise PermissionDenied("Only the raising organisation can activate its mobilisation.")
    try:
        services.mobilisation_activate(mobilisation=mobilisation, actor=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(
            request,
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else "A hub admin activates mobilisations under this version of the framework.",
        )
    else:
        messages.success(
            request,
            "The mobilisation is active. Every signatory's lead and deputy have been told "
            "by email.",
        )
    return _detail(request, mobilisation)


@require_http_methods(["GET", "POST"])
@never_cache
@signatory_view(Capability.SIGN_FRAMEWORK)
def mobilisation_stand_down(request, mobilisation_id):
    mobilisation = selectors.mobilisation_for(request.organisation, mobilisation_id)
    if mobilisation.organisation_id != request.organisation.id:
        raise PermissionDenied("Only the raising organisation can stand its mobilisation down.")
    form = NoteForm(
        posted_data(request),
        label="Why is the mobilisation being stood down?",
        required_message="Enter why the mobilisation is being stood down",
    )
    allowed = mobilisation.status in (Status.RAISED, Status.ACTIVE)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            services.mobilisation_stand_down(
                mobilisation=mobilisation, actor=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The mobilisation has been stood down.")
            return _detail(request, mobilisation)
    return render(
        request,
        "portability/mobilisations/stand_down.html",
        {"mobilisation": mobilisation, "form": form, "allowed": allowed, "hub": False},
    )
