"""Staff requests, the live board and offers of named staff, under
/manage/<org_slug>/portability/ (namespace "requests").

Every view resolves the organisation through `organisation_view` (404 for outsiders, 403
for members without MANAGE_PORTABILITY) and fetches requests and offers through selectors
that narrow to the acting organisation in SQL: the host's own requests and the offers for
them, the home organisation's own offers. Organisations that have not signed the framework
(or withdrew) get a page saying so, and no data.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hub.access import Capability, organisation_view
from hub.forms import add_service_errors, posted_data
from portability.forms.requests import (
    BoardFilterForm,
    CancelRequestForm,
    DeclineOfferForm,
    StaffOfferForm,
    StaffRequestForm,
)
from portability.models import Mobilisation, StaffOffer, StaffRequest
from portability.selectors import requests as selectors
from portability.selectors.framework import is_signatory
from portability.services import requests as services

MANAGE = Capability.MANAGE_PORTABILITY


def _not_signatory(request):
    return render(request, "portability/requests/not_signatory.html")


def _to_hosted_request(request, staff_request_id):
    return redirect(
        "requests:hosted_request",
        org_slug=request.organisation.slug,
        staff_request_id=staff_request_id,
    )


@never_cache
@require_GET
@organisation_view(MANAGE)
def board(request):
    if not is_signatory(request.organisation):
        return _not_signatory(request)
    form = BoardFilterForm(request.GET or None)
    staff_requests = list(selectors.board_requests(**form.filters()))
    context = {
        "form": form,
        "staff_requests": staff_requests,
        "filtered": bool(request.GET),
        "totals": {
            key: sum(getattr(item, f"{key}_count") for item in staff_requests)
            for key in ("offered", "accepted", "outstanding")
        }
        | {"requested": sum(item.number_needed for item in staff_requests)},
    }
    return render(request, "portability/requests/board.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def request_create(request, mobilisation_id):
    mobilisation = selectors.active_mobilisation_for_host(request.membership, mobilisation_id)
    if not is_signatory(request.organisation):
        return _not_signatory(request)
    is_active = mobilisation.status == Mobilisation.Status.ACTIVE
    form = StaffRequestForm(
        posted_data(request),
        initial={"starts_on": mobilisation.starts_on, "ends_on": mobilisation.expected_end_on},
    )
    if request.method == "POST" and is_active and form.is_valid():
        try:
            staff_request = services.staff_request_create(
                mobilisation=mobilisation,
                actor=request.user,
                membership=request.membership,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Request added: {staff_request}. Every signatory can now see it on the board.",
            )
            return _to_hosted_request(request, staff_request.pk)
    context = {"mobilisation": mobilisation, "form": form, "is_active": is_active}
    return render(request, "portability/requests/request_form.html", context)


@never_cache
@require_GET
@organisation_view(MANAGE)
def hosted_request(request, staff_request_id):
    staff_request = selectors.hosted_request(request.membership, staff_request_id)
    context = {
        "staff_request": staff_request,
        "mobilisation": staff_request.mobilisation,
        "offers": selectors.request_offers(staff_request),
        "is_open": staff_request.status == StaffRequest.Status.OPEN,
    }
    return render(request, "portability/requests/hosted_request.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def request_cancel(request, staff_request_id):
    staff_request = selectors.hosted_request(request.membership, staff_request_id)
    form = CancelRequestForm(posted_data(request))
    is_cancelled = staff_request.status == StaffRequest.Status.CANCELLED
    if request.method == "POST" and not is_cancelled and form.is_valid():
        try:
            services.staff_request_cancel(
                staff_request=staff_request,
                actor=request.user,
                membership=request.membership,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The request for {staff_request} was cancelled.")
            return _to_hosted_request(request, staff_request.pk)
    context = {"staff_request": staff_request, "form": form, "is_cancelled": is_cancelled}
    return render(request, "portability/requests/request_cancel.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def offer_create(request, request_id):
    if not is_signatory(request.organisation):
        return _not_signatory(request)
    staff_request = selectors.board_request(request_id)
    is_own = staff_request.mobilisation.organisation_id == request.organisation.pk
    form = StaffOfferForm(posted_data(request), staff_request=staff_request)
    if request.method == "POST" and not is_own and form.is_valid():
        try:
            offer = services.staff_offer_create(
                staff_request=staff_request,
                actor=request.user,
                membership=request.membership,
                **form.offer_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"You offered {offer.staff_name}. "
                f"{staff_request.mobilisation.organisation} has been emailed to decide.",
            )
            return redirect("requests:offers", org_slug=request.organisation.slug)
    context = {"staff_request": staff_request, "form": form, "is_own": is_own}
    return render(request, "portability/requests/offer_form.html", context)


@never_cache
@require_GET
@organisation_view(MANAGE)
def offers(request):
    context = {
        "offers_made": selectors.offers_made(request.membership),
        "offers_received": selectors.offers_received(request.membership),
        "is_signatory": is_signatory(request.organisation),
    }
    return render(request, "portability/requests/offers.html", context)


@require_POST
@organisation_view(MANAGE)
def offer_withdraw(request, offer_id):
    offer = selectors.offer_made(request.membership, offer_id)
    try:
        services.staff_offer_withdraw(
            offer=offer, actor=request.user, membership=request.membership
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You withdrew the offer of {offer.staff_name}.")
    return redirect("requests:offers", org_slug=request.organisation.slug)


@require_POST
@organisation_view(MANAGE)
def offer_accept(request, received_offer_id):
    offer = selectors.offer_received(request.membership, received_offer_id)
    try:
        services.staff_offer_accept(offer=offer, actor=request.user, membership=request.membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"You accepted {offer.staff_name} from {offer.organisation}. The deployment is "
            "planned; their organisation records the pre-deployment checks next.",
        )
    return _to_hosted_request(request, offer.request_id)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def offer_decline(request, received_offer_id):
    offer = selectors.offer_received(request.membership, received_offer_id)
    is_waiting = offer.status == StaffOffer.Status.OFFERED
    form = DeclineOfferForm(posted_data(request))
    if request.method == "POST" and is_waiting and form.is_valid():
        try:
            services.staff_offer_decline(
                offer=offer,
                actor=request.user,
                membership=request.membership,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"You declined the offer of {offer.staff_name}.")
            return _to_hosted_request(request, offer.request_id)
    context = {"offer": offer, "form": form, "is_waiting": is_waiting}
    return render(request, "portability/requests/offer_decline.html", context)
