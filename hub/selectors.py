"""Reads for partners and people, with their related rows already joined."""

from django.db.models import Count, Q, QuerySet

from hub.access import scoped
from hub.models import Invitation, Membership, Organisation


def organisations_public() -> QuerySet[Organisation]:
    """The partners shown on public pages."""
    return Organisation.objects.active().order_by("kind", "name")


def organisation_summary(membership: Membership) -> dict:
    """Head counts for the organisation's overview, in one query."""
    return Membership.objects.filter(organisation_id=membership.organisation_id).aggregate(
        members=Count("pk"),
        admins=Count("pk", filter=Q(role=Membership.Role.ADMIN)),
        staff=Count("pk", filter=Q(role=Membership.Role.STAFF)),
        outreach=Count("pk", filter=Q(role=Membership.Role.OUTREACH)),
    )


def organisation_members(membership: Membership) -> QuerySet[Membership]:
    return scoped(Membership.objects.select_related("user"), membership).order_by(
        "role", "user__name", "user__email"
    )


def organisation_pending_invitations(membership: Membership) -> QuerySet[Invitation]:
    return scoped(Invitation.objects.open().select_related("invited_by"), membership)
