"""Writes for mobilisations: a signatory raises one when it has critical service need; a
hub admin activates or declines it (or the raising organisation's admin activates it,
when the current version of the framework allows); the raising organisation or a hub
admin stands it down at the end.

Raised -> active -> stood down; raised -> not activated (declined); a raised one may also
be stood down by its raiser before anyone acts on it. Anything else is refused. Each
function locks the row, checks, saves, writes the audit row, and (on activation) puts one
email per signatory's lead and deputy in the outbox, sent once the transaction commits.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from hub.access import Capability, can
from hub.models import Membership, Organisation, User
from hub.services import audit_record
from portability import emails
from portability.models import Mobilisation
from portability.selectors.framework import current_signatories, current_version, is_signatory

Status = Mobilisation.Status
MAX_NOTE_LENGTH = Mobilisation._meta.get_field("status_note").max_length
MAX_SERVICE_LENGTH = Mobilisation._meta.get_field("service").max_length


def _member(actor: User, organisation: Organisation) -> Membership | None:
    return Membership.objects.filter(user=actor, organisation=organisation).first()


def _lock(mobilisation: Mobilisation) -> Mobilisation:
    return (
        Mobilisation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=mobilisation.pk)
    )


def _clean_note(note: str, *, required: bool, what: str) -> str:
    note = (note or "").strip()
    if required and not note:
        raise ValidationError({"note": f"Enter {what}"})
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationError({"note": f"The note must be {MAX_NOTE_LENGTH} characters or fewer"})
    return note


def raiser_may_activate() -> bool:
    """Whether the current version of the framework lets the raising organisation
    activate its own mobilisations."""
    version = current_version()
    return bool(version and version.raiser_may_activate)


@transaction.atomic
def mobilisation_raise(
    *,
    organisation: Organisation,
    actor: User,
    service: str,
    reason: str,
    urgency: str,
    starts_on: datetime.date,
    expected_end_on: datetime.date,
) -> Mobilisation:
    membership = _member(actor, organisation)
    if not can(membership, Capability.MANAGE_PORTABILITY):
        raise PermissionDenied("Your role cannot raise a mobilisation.")
    if not is_signatory(organisation):
        raise ValidationError("Only signatories of the framework can raise a mobilisation")
    service, reason = (service or "").strip(), (reason or "").strip()
    errors = {}
    if not service:
        errors["service"] = "Enter the service that needs staff"
    if not reason:
        errors["reason"] = "Enter why the service needs staff"
    if urgency not in Mobilisation.Urgency.values:
        errors["urgency"] = "Select how urgent it is"
    if starts_on < timezone.localdate():
        errors["starts_on"] = "The start date must be today or in the future"
    if expected_end_on < starts_on:
        errors["expected_end_on"] = "The expected end date must be the same as or after the start"
    if errors:
        raise ValidationError(errors)
    mobilisation = Mobilisation.objects.create(
        organisation=organisation,
        raised_by=actor,
        service=service,
        reason=reason,
        urgency=urgency,
        starts_on=starts_on,
        expected_end_on=expected_end_on,
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=mobilisation,
        action="portability.mobilisation_raised",
        summary=f"Raised a mobilisation for {service}",
        data={"urgency": urgency, "starts_on": str(starts_on), "ends_on": str(expected_end_on)},
    )
    return mobilisation


def _ensure_may_activate(actor: User, mobilisation: Mobilisation) -> None:
    if actor.is_staff:
        return
    if can(_member(actor, mobilisation.organisation), Capability.SIGN_FRAMEWORK) and (
        raiser_may_activate()
    ):
        return
    raise PermissionDenied("Only a hub admin can activate this mobilisation.")


def _notify_signatories(mobilisation: Mobilisation) -> int:
    """One email to each current signatory's lead and to its deputy."""
    sent = 0
    for signatory in current_signatories():
        seen = set()
        for role, person in (("lead", signatory.lead), ("deputy", signatory.deputy)):
            if person.pk in seen or not person.is_active:
                continue
            seen.add(person.pk)
            emails.email_mobilisation_activated(
                mobilisation=mobilisation, recipient=person, signatory=signatory, role=role
            )
            sent += 1
    return sent


@transaction.atomic
def mobilisation_activate(*, mobilisation: Mobilisation, actor: User) -> Mobilisation:
    mobilisation = _lock(mobilisation)
    _ensure_may_activate(actor, mobilisation)
    if mobilisation.status != Status.RAISED:
        raise ValidationError(
            f"This mobilisation cannot be activated: it is {mobilisation.get_status_display()}"
        )
    if not is_signatory(mobilisation.organisation):
        raise ValidationError(
            "This mobilisation cannot be activated: its organisation is no longer a signatory"
        )
    mobilisation.status = Status.ACTIVE
    mobilisation.activated_at = timezone.now()
    mobilisation.activated_by = actor
    mobilisation.save(update_fields=["status", "activated_at", "activated_by", "updated_at"])
    sent = _notify_signatories(mobilisation)
    audit_record(
        actor=actor,
        organisation=mobilisation.organisation,
        obj=mobilisation,
        action="portability.mobilisation_activated",
        summary=f"Activated the mobilisation for {mobilisation.service}",
        data={"emails": sent, "by_hub_admin": actor.is_staff},
    )
    return mobilisation


@transaction.atomic
def mobilisation_decline(*, mobilisation: Mobilisation, actor: User, note: str) -> Mobilisation:
    if not actor.is_staff:
        raise PermissionDenied("Only a hub admin can decline a mobilisation.")
    note = _clean_note(note, required=True, what="why it is not being activated")
    mobilisation = _lock(mobilisation)
    if mobilisation.status != Status.RAISED:
        raise ValidationError(
            f"This mobilisation cannot be declined: it is {mobilisation.get_status_display()}"
        )
    mobilisation.status = Status.DECLINED
    mobilisation.status_note = note
    mobilisation.save(update_fields=["status", "status_note", "updated_at"])
    audit_record(
        actor=actor,
        organisation=mobilisation.organisation,
        obj=mobilisation,
        action="portability.mobilisation_declined",
        summary=f"Did not activate the mobilisation for {mobilisation.service}",
        data={"note": note},
    )
    return mobilisation


@transaction.atomic
def mobilisation_stand_down(*, mobilisation: Mobilisation, actor: User, note: str) -> Mobilisation:
    mobilisation = _lock(mobilisation)
    if not actor.is_staff and not can(
        _member(actor, mobilisation.organisation), Capability.SIGN_FRAMEWORK
    ):
        raise PermissionDenied(
            "Only an admin of the raising organisation or a hub admin can stand it down."
        )
    note = _clean_note(note, required=True, what="why the mobilisation is being stood down")
    if mobilisation.status not in (Status.RAISED, Status.ACTIVE):
        raise ValidationError(
            f"This mobilisation cannot be stood down: it is {mobilisation.get_status_display()}"
        )
    mobilisation.status = Status.STOOD_DOWN
    mobilisation.stood_down_at = timezone.now()
    mobilisation.stood_down_by = actor
    mobilisation.status_note = note
    mobilisation.save(
        update_fields=["status", "stood_down_at", "stood_down_by", "status_note", "updated_at"]
    )
    audit_record(
        actor=actor,
        organisation=mobilisation.organisation,
        obj=mobilisation,
        action="portability.mobilisation_stood_down",
        summary=f"Stood down the mobilisation for {mobilisation.service}",
        data={"note": note},
    )
    return mobilisation
