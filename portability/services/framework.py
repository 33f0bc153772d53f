"""Writes for the framework: an organisation signs a version of the terms (naming a lead
and a deputy), changes those contacts, and withdraws. Withdrawing keeps the row, so the
history of who signed what and when they left stays; signing again later adds a new row.
Each runs in one transaction, checks its rules, saves and writes the audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hub.access import Capability, can
from hub.models import Membership, Organisation, User
from hub.services import audit_record
from portability.models import FrameworkVersion, Signatory

MAX_REASON_LENGTH = Signatory._meta.get_field("withdrawal_reason").max_length


def _ensure_may_sign(actor: User, organisation: Organisation) -> None:
    membership = Membership.objects.filter(user=actor, organisation=organisation).first()
    if not can(membership, Capability.SIGN_FRAMEWORK):
        raise PermissionDenied("Only an admin of the organisation can sign or withdraw.")


def _check_contacts(organisation: Organisation, lead: User, deputy: User) -> None:
    if lead.pk == deputy.pk:
        raise ValidationError(
            {"deputy": "Choose a different person as deputy: the lead and deputy cover each other"}
        )
    members = set(
        Membership.objects.filter(
            organisation=organisation, user_id__in=[lead.pk, deputy.pk]
        ).values_list("user_id", flat=True)
    )
    if lead.pk not in members:
        raise ValidationError({"lead": "Choose a lead from your organisation's members"})
    if deputy.pk not in members:
        raise ValidationError({"deputy": "Choose a deputy from your organisation's members"})


def _current_locked(organisation: Organisation) -> Signatory | None:
    return Signatory.objects.current().select_for_update().filter(organisation=organisation).first()


@transaction.atomic
def framework_sign(
    *,
    organisation: Organisation,
    version: FrameworkVersion,
    lead: User,
    deputy: User,
    actor: User,
) -> Signatory:
    """Sign `version` for the organisation. Refused when it is already a signatory, when
    the version is not published, or when lead and deputy are not two of its members."""
    _ensure_may_sign(actor, organisation)
    # Lock the organisation row so two admins signing at once make one signature.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if _current_locked(organisation) is not None:
        raise ValidationError("Your organisation has already signed the framework")
    if version.published_at is None:
        raise ValidationError("That version of the framework has not been published")
    _check_contacts(organisation, lead, deputy)
    try:
        with transaction.atomic():
            signatory = Signatory.objects.create(
                organisation=organisation,
                version=version,
                signed_by=actor,
                signed_at=timezone.now(),
                lead=lead,
                deputy=deputy,
            )
    except IntegrityError as error:
        raise ValidationError("Your organisation has already signed the framework") from error
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=signatory,
        action="portability.framework_signed",
        summary=f"Signed the Staff Portability Framework, version {version.number}",
        data={"version": version.number, "lead": lead.pk, "deputy": deputy.pk},
    )
    return signatory


@transaction.atomic
def framework_contacts_update(
    *, organisation: Organisation, lead: User, deputy: User, actor: User
) -> Signatory:
    """Name a new lead and deputy on the organisation's current signature."""
    _ensure_may_sign(actor, organisation)
    signatory = _current_locked(organisation)
    if signatory is None:
        raise ValidationError("Your organisation has not signed the framework")
    _check_contacts(organisation, lead, deputy)
    before = {"lead": signatory.lead_id, "deputy": signatory.deputy_id}
    signatory.lead, signatory.deputy = lead, deputy
    signatory.save(update_fields=["lead", "deputy", "updated_at"])
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=signatory,
        action="portability.framework_contacts_changed",
        summary="Changed the framework lead and deputy",
        data={"before": before, "after": {"lead": lead.pk, "deputy": deputy.pk}},
    )
    return signatory


@transaction.atomic
def framework_withdraw(*, organisation: Organisation, reason: str, actor: User) -> Signatory:
    """Withdraw the organisation's signature. The row stays, marked withdrawn."""
    _ensure_may_sign(actor, organisation)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why your organisation is withdrawing"})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": f"The reason must be {MAX_REASON_LENGTH} characters or fewer"}
        )
    signatory = _current_locked(organisation)
    if signatory is None:
        raise ValidationError("Your organisation has not signed the framework")
    signatory.withdrawn_at = timezone.now()
    signatory.withdrawn_by = actor
    signatory.withdrawal_reason = reason
    signatory.save(
        update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason", "updated_at"]
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=signatory,
        action="portability.framework_withdrawn",
        summary="Withdrew from the Staff Portability Framework",
        data={"version": signatory.version.number, "reason": reason},
    )
    return signatory


@transaction.atomic
def framework_version_publish(*, version: FrameworkVersion, actor: User) -> FrameworkVersion:
    """Publish a version of the terms (hub admins, from the Django admin): it becomes
    what new signatories accept. A published version's text never changes."""
    if not actor.is_staff:
        raise PermissionDenied("Only hub admins publish versions of the framework.")
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.published_at is not None:
        raise ValidationError(f"Version {version.number} is already published")
    if not version.terms.strip():
        raise ValidationError(f"Version {version.number} has no terms to publish")
    version.published_at = timezone.now()
    version.save(update_fields=["published_at", "updated_at"])
    audit_record(
        actor=actor,
        obj=version,
        action="portability.framework_version_published",
        summary=f"Published version {version.number} of the Staff Portability Framework",
        data={"version": version.number, "raiser_may_activate": version.raiser_may_activate},
    )
    return version
