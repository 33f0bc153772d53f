"""Rotation schemes, under /manage/<org_slug>/rotations/ (namespace "rotations").

Every view resolves the organisation through `organisation_view(MANAGE_MOBILITY)` (404
for outsiders, 403 for members without it) and fetches schemes through
`talent.selectors.rotations`: the list and a scheme's page show the schemes the
organisation leads or hosts a placement of; the pages that change a scheme (its details,
placements and participants) are the lead's alone: a host partner gets 403 there, with
the reason.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hub.access import Capability, organisation_view
from hub.forms import add_service_errors, posted_data
from hub.services import audit_record_view
from talent.forms.rotations import (
    ParticipantForm,
    PlacementFormSet,
    SchemeForm,
    placement_organisations,
)
from talent.selectors import rotations as selectors
from talent.services import rotations as services

MANAGE = Capability.MANAGE_MOBILITY


def _to_detail(request, scheme):
    return redirect(
        "rotations:scheme_detail", org_slug=request.organisation.slug, scheme_id=scheme.pk
    )


@require_GET
@organisation_view(MANAGE)
def scheme_list(request):
    schemes = selectors.scheme_list(request.membership)
    return render(request, "talent/rotations/scheme_list.html", {"schemes": schemes})


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def scheme_create(request):
    form = SchemeForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.rotation_scheme_create(
                organisation=request.organisation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{scheme.name} was created. Now add its placements.")
            return redirect(
                "rotations:placements", org_slug=request.organisation.slug, scheme_id=scheme.pk
            )
    return render(request, "talent/rotations/scheme_form.html", {"form": form, "scheme": None})


@never_cache
@require_GET
@organisation_view(MANAGE)
def scheme_detail(request, scheme_id):
    scheme = selectors.scheme_for(request.membership, scheme_id)
    context = {
        "scheme": scheme,
        "is_lead": scheme.lead_id == request.organisation.pk,
        "timetable": selectors.scheme_timetable(scheme),
    }
    return render(request, "talent/rotations/scheme_detail.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def scheme_edit(request, scheme_id):
    scheme = selectors.scheme_led_by(request.membership, scheme_id)
    form = SchemeForm(posted_data(request), initial=SchemeForm.initial_for(scheme))
    if request.method == "POST" and form.is_valid():
        try:
            services.rotation_scheme_update(scheme=scheme, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{scheme.name} was saved.")
            return _to_detail(request, scheme)
    return render(request, "talent/rotations/scheme_form.html", {"form": form, "scheme": scheme})


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def placements(request, scheme_id):
    scheme = selectors.scheme_led_by(request.membership, scheme_id)
    formset = PlacementFormSet(
        posted_data(request),
        prefix="placements",
        scheme=scheme,
        organisations=placement_organisations(scheme),
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.rotation_placements_save(
                scheme=scheme, plans=formset.plans(), actor=request.user
            )
        except ValidationError as error:
            formset.non_form_errors().extend(error.messages)
        else:
            messages.success(request, f"The placements of {scheme.name} were saved.")
            return _to_detail(request, scheme)
    return render(
        request, "talent/rotations/placements.html", {"scheme": scheme, "formset": formset}
    )


def _participant_page(request, scheme, participant=None):
    placements = selectors.scheme_placements(scheme)
    form = ParticipantForm(posted_data(request), placements=placements, participant=participant)
    if request.method == "POST" and placements and form.is_valid():
        try:
            if participant is None:
                participant = services.rotation_participant_add(
                    scheme=scheme, actor=request.user, **form.cleaned_data
                )
                done = f"{participant.name} was added to {scheme.name}."
            else:
                services.rotation_participant_update(
                    participant=participant, actor=request.user, **form.cleaned_data
                )
                done = f"{participant.name}'s details were saved."
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return _to_detail(request, scheme)
    if participant is not None:
        audit_record_view(
            actor=request.user,
            organisation=request.organisation,
            obj=participant,
            action="rotation.participant_viewed",
            summary=f"Viewed a participant's details on {scheme.name}",
        )
    context = {
        "scheme": scheme,
        "participant": participant,
        "form": form,
        "has_placements": bool(placements),
    }
    return render(request, "talent/rotations/participant_form.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def participant_add(request, scheme_id):
    return _participant_page(request, selectors.scheme_led_by(request.membership, scheme_id))


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def participant_edit(request, scheme_id, participant_id):
    scheme = selectors.scheme_led_by(request.membership, scheme_id)
    return _participant_page(request, scheme, selectors.participant_for(scheme, participant_id))
