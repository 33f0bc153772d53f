"""Hub admins' pages for mobilisations, outside any organisation: every mobilisation,
those waiting for activation first; activate, decline with a note, stand down. Only hub
admins may enter (`hub.access.hub_admin_view`): anyone else signed in gets 404,
anonymous visitors are sent to sign in."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.access import hub_admin_view
from hub.forms import add_service_errors, posted_data
from portability.forms.mobilisations import NoteForm
from portability.models import Mobilisation
from portability.selectors import mobilisations as selectors
from portability.services import mobilisations as services

Status = Mobilisation.Status


def _list(request):
    return redirect("portability_hub:mobilisations")


@require_GET
@hub_admin_view
def mobilisation_list(request):
    status = request.GET.get("status", "")
    if status not in Status.values:
        status = ""
    return render(
        request,
        "portability/mobilisations/hub_list.html",
        {
            "mobilisations": list(selectors.hub_mobilisations(status or None)),
            "status": status,
            "statuses": Status.choices,
        },
    )


@require_POST
@hub_admin_view
def mobilisation_activate(request, mobilisation_id):
    mobilisation = selectors.hub_mobilisation(mobilisation_id)
    try:
        services.mobilisation_activate(mobilisation=mobilisation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"The mobilisation for {mobilisation.service} at {mobilisation.organisation} is "
            "active. Every signatory's lead and deputy have been told by email.",
        )
    return _list(request)


def _note_page(request, mobilisation_id, *, action, allowed_statuses, template, text):
    """A page asking for a note, then calling `action` (decline or stand down)."""
    mobilisation = selectors.hub_mobilisation(mobilisation_id)
    form = NoteForm(posted_data(request), label=text["label"], required_message=text["required"])
    allowed = mobilisation.status in allowed_statuses
    if request.method == "POST" and allowed and form.is_valid():
        try:
            action(mobilisation=mobilisation, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, text["done"])
            return _list(request)
    return render(
        request,
        f"portability/mobilisations/{template}",
        {"mobilisation": mobilisation, "form": form, "allowed": allowed, "hub": True},
    )


@require_http_methods(["GET", "POST"])
@never_cache
@hub_admin_view
def mobilisation_decline(request, mobilisation_id):
    return _note_page(
        request,
        mobilisation_id,
        action=services.mobilisation_decline,
        allowed_statuses=(Status.RAISED,),
        template="hub_decline.html",
        text={
            "label": "Why is it not being activated?",
            "required": "Enter why the mobilisation is not being activated",
            "done": "The mobilisation was not activated. The raising organisation can see "
            "your note.",
        },
    )


@require_http_methods(["GET", "POST"])
@never_cache
@hub_admin_view
def mobilisation_stand_down(request, mobilisation_id):
    return _note_page(
        request,
        mobilisation_id,
        action=services.mobilisation_stand_down,
        allowed_statuses=(Status.RAISED, Status.ACTIVE),
        template="stand_down.html",
        text={
            "label": "Why is the mobilisation being stood down?",
            "required": "Enter why the mobilisation is being stood down",
            "done": "The mobilisation has been stood down.",
        },
    )
