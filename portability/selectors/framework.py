"""Reads for the framework: its current terms, who has signed, and each organisation's
history of signing and withdrawing."""

from django.db.models import QuerySet

from hub.models import Membership, Organisation
from portability.models import FrameworkVersion, Signatory


def current_version() -> FrameworkVersion | None:
    """The newest published version of the terms: what new signatories accept."""
    return FrameworkVersion.objects.filter(published_at__isnull=False).order_by("-number").first()


def is_signatory(organisation: Organisation) -> bool:
    """Whether the organisation is a current (not withdrawn) signatory."""
    return Signatory.objects.current().filter(organisation=organisation).exists()


def current_signatories() -> QuerySet[Signatory]:
    """Every current signature, with organisation, version, lead and deputy loaded."""
    return (
        Signatory.objects.current()
        .select_related("organisation", "version", "lead", "deputy")
        .order_by("organisation__name")
    )


def signature_for(organisation: Organisation) -> Signatory | None:
    """The organisation's current signature, or None."""
    return (
        Signatory.objects.current()
        .filter(organisation=organisation)
        .select_related("version", "lead", "deputy", "signed_by")
        .first()
    )


def signature_history(organisation: Organisation) -> QuerySet[Signatory]:
    """Every signature the organisation made, current and withdrawn, newest first."""
    return (
        Signatory.objects.filter(organisation=organisation)
        .select_related("version", "lead", "deputy", "signed_by", "withdrawn_by")
        .order_by("-signed_at")
    )


def contact_choices(organisation: Organisation) -> QuerySet[Membership]:
    """The organisation's members who may be named lead or deputy."""
    return (
        Membership.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("user")
        .order_by("user__name", "user__email")
    )
