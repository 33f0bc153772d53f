"""Reads for staff requests and offers: the live board every signatory sees, with its
counts worked out in SQL, and each side's view of the offers."""

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Value
from django.db.models.functions import Greatest
from django.shortcuts import get_object_or_404

from hub.access import get_for_membership
from hub.models import Membership
from portability.models import Mobilisation, StaffOffer, StaffRequest


def _with_counts(queryset: QuerySet[StaffRequest]) -> QuerySet[StaffRequest]:
    """Offered (waiting) and accepted counts, and the places still outstanding, in the
    same query as the requests."""
    return queryset.annotate(
        offered_count=Count("offers", filter=Q(offers__status=StaffOffer.Status.OFFERED)),
        accepted_count=Count("offers", filter=Q(offers__status=StaffOffer.Status.ACCEPTED)),
    ).annotate(outstanding_count=Greatest(F("number_needed") - F("accepted_count"), Value(0)))


def board_requests(*, staff_group=None, registration: str | None = None) -> QuerySet[StaffRequest]:
    """Every open request of every active mobilisation, soonest first, counts included.
    `registration` is a RegistrationBody value, or "none" for requests that need none."""
    queryset = StaffRequest.objects.filter(
        status=StaffRequest.Status.OPEN, mobilisation__status=Mobilisation.Status.ACTIVE
    )
    if staff_group is not None:
        queryset = queryset.filter(staff_group=staff_group)
    if registration == "none":
        queryset = queryset.filter(registration_needed="")
    elif registration:
        queryset = queryset.filter(registration_needed=registration)
    return (
        _with_counts(queryset)
        .select_related("mobilisation__organisation", "staff_group")
        .order_by("starts_on", "created_at")
    )


def active_mobilisation_for_host(membership: Membership, mobilisation_id) -> Mobilisation:
    """The acting organisation's own mobilisation, or 404."""
    return get_for_membership(
        Mobilisation.objects.select_related("organisation"), membership, pk=mobilisation_id
    )


def hosted_request(membership: Membership, staff_request_id) -> StaffRequest:
    """One of the acting organisation's own requests, counts included, or 404."""
    return get_for_membership(
        _with_counts(StaffRequest.objects.select_related("mobilisation", "staff_group")),
        membership,
        field="mobilisation__organisation",
        pk=staff_request_id,
    )


def mobilisation_requests(mobilisation: Mobilisation) -> QuerySet[StaffRequest]:
    """A mobilisation's requests, every status, counts included."""
    return _with_counts(mobilisation.requests.select_related("staff_group")).order_by(
        "starts_on", "created_at"
    )


def board_request(staff_request_id) -> StaffRequest:
    """A request on the board (open, in an active mobilisation), for a signatory to
    offer staff to, or 404."""
    return get_object_or_404(board_requests(), pk=staff_request_id)


def request_offers(staff_request: StaffRequest) -> QuerySet[StaffOffer]:
    """Every offer for a request, for its host: waiting ones first."""
    return (
        staff_request.offers.select_related("organisation", "agreement_recorded_by")
        .annotate(
            waiting=ExpressionWrapper(
                Q(status=StaffOffer.Status.OFFERED), output_field=BooleanField()
            )
        )
        .order_by("-waiting", "created_at")
    )


def offers_made(membership: Membership) -> QuerySet[StaffOffer]:
    """The offers the acting organisation made, newest first."""
    return (
        StaffOffer.objects.filter(organisation=membership.organisation_id)
        .select_related("request__mobilisation__organisation", "request__staff_group")
        .order_by("-created_at")
    )


def offers_received(membership: Membership) -> QuerySet[StaffOffer]:
    """Offers for the acting organisation's requests still waiting for its answer."""
    return (
        StaffOffer.objects.filter(
            request__mobilisation__organisation=membership.organisation_id,
            status=StaffOffer.Status.OFFERED,
        )
        .select_related("organisation", "request__mobilisation")
        .order_by("created_at")
    )


def offer_made(membership: Membership, offer_id) -> StaffOffer:
    """One of the acting organisation's own offers, or 404."""
    return get_for_membership(
        StaffOffer.objects.select_related("request__mobilisation__organisation"),
        membership,
        pk=offer_id,
    )


def offer_received(membership: Membership, offer_id) -> StaffOffer:
    """An offer for one of the acting organisation's requests, or 404."""
    return get_for_membership(
        StaffOffer.objects.select_related("organisation", "request__mobilisation"),
        membership,
        field="request__mobilisation__organisation",
        pk=offer_id,
    )
