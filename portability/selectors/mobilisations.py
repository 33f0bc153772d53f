"""Reads for mobilisations. An organisation sees all of its own; every signatory sees
the ones that are active or were stood down (the framework's shared record); a hub admin
sees them all."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from hub.models import Organisation
from portability.models import Mobilisation

Status = Mobilisation.Status
SHARED_STATUSES = (Status.ACTIVE, Status.STOOD_DOWN)


def _base() -> QuerySet[Mobilisation]:
    return Mobilisation.objects.select_related(
        "organisation", "raised_by", "activated_by", "stood_down_by"
    )


def own_mobilisations(organisation: Organisation) -> QuerySet[Mobilisation]:
    return _base().filter(organisation=organisation).order_by("-created_at")


def active_mobilisations() -> QuerySet[Mobilisation]:
    """Every active mobilisation, the most urgent and soonest first."""
    return (
        _base()
        .filter(status=Status.ACTIVE)
        .annotate(
            urgency_rank=Case(
                When(urgency=Mobilisation.Urgency.CRITICAL, then=Value(0)),
                When(urgency=Mobilisation.Urgency.HIGH, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency_rank", "starts_on", "-activated_at")
    )


def visible_to(organisation: Organisation) -> QuerySet[Mobilisation]:
    return _base().filter(Q(organisation=organisation) | Q(status__in=SHARED_STATUSES))


def mobilisation_for(organisation: Organisation, mobilisation_id) -> Mobilisation:
    """One mobilisation the organisation may see, or 404."""
    return get_object_or_404(visible_to(organisation), pk=mobilisation_id)


def hub_mobilisations(status: str | None = None) -> QuerySet[Mobilisation]:
    """Every mobilisation, those waiting for activation first."""
    queryset = _base().annotate(
        status_rank=Case(
            When(status=Status.RAISED, then=Value(0)),
            When(status=Status.ACTIVE, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status_rank", "-created_at")


def hub_mobilisation(mobilisation_id) -> Mobilisation:
    return get_object_or_404(_base(), pk=mobilisation_id)
