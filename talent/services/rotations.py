"""Writes for rotation schemes: the scheme, its placements in order, its participants.

The organisation that creates a scheme leads it and is the only one that changes it:
the views fetch the scheme through `talent.selectors.rotations.scheme_led_by` before
calling these. Partners host placements and see who is where; they change nothing.

Where participants are follows from their start, their first placement and the weeks
of each placement (`talent.selectors.rotations.where_now`), so changing the placements
re-plans everyone's timetable from their start. A participant's first placement follows
that placement when the order changes, and a placement someone on the scheme starts at
cannot be removed until they start elsewhere.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from hub.models import Organisation, User
from hub.services import audit_record
from talent.models import RotationParticipant, RotationPlacement, RotationScheme, StaffGroup

Status = RotationParticipant.Status
MIN_WEEKS = 1
MAX_WEEKS = 104  # two years: the longest rotations (foundation programmes) are shorter
MAX_PLACEMENTS = 30


def _clean_name(name: str, *, errors: dict, field: str, message: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        errors[field] = message
    return name


# --- Schemes ----------------------------------------------------------------------------------


@transaction.atomic
def rotation_scheme_create(
    *,
    organisation: Organisation,
    actor: User,
    name: str,
    description: str = "",
    staff_group: StaffGroup | None = None,
) -> RotationScheme:
    """Create a scheme led by `organisation`. Its placements are added next."""
    errors = {}
    name = _clean_name(name, errors=errors, field="name", message="Enter the scheme's name")
    if errors:
        raise ValidationError(errors)
    scheme = RotationScheme.objects.create(
        lead=organisation, name=name, description=description.strip(), staff_group=staff_group
    )
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=scheme,
        action="rotation.scheme_created",
        summary=f"Created the rotation scheme {scheme.name}",
    )
    return scheme


@transaction.atomic
def rotation_scheme_update(
    *,
    scheme: RotationScheme,
    actor: User,
    name: str,
    description: str = "",
    staff_group: StaffGroup | None = None,
) -> RotationScheme:
    errors = {}
    name = _clean_name(name, errors=errors, field="name", message="Enter the scheme's name")
    if errors:
        raise ValidationError(errors)
    scheme.name, scheme.description, scheme.staff_group = name, description.strip(), staff_group
    scheme.save(update_fields=["name", "description", "staff_group", "updated_at"])
    audit_record(
        actor=actor,
        organisation=scheme.lead,
        obj=scheme,
        action="rotation.scheme_changed",
        summary=f"Changed the rotation scheme {scheme.name}",
    )
    return scheme


# --- Placements -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementPlan:
    """One placement as it should be: `existing` is the placement it was (None for a new
    one), so participants starting there follow it to its new position."""

    organisation: Organisation
    service: str
    weeks: int
    existing: RotationPlacement | None = None


def placement_errors(plans: Sequence[PlacementPlan]) -> list[str]:
    """What is wrong with a list of placements, in plain words, placement by placement."""
    if not plans:
        return ["Add at least one placement"]
    if len(plans) > MAX_PLACEMENTS:
        return [f"A scheme can have at most {MAX_PLACEMENTS} placements"]
    errors = []
    for number, plan in enumerate(plans, start=1):
        if not " ".join(plan.service.split()):
            errors.append(f"Enter the ward, team or service of placement {number}")
        if not MIN_WEEKS <= plan.weeks <= MAX_WEEKS:
            errors.append(f"Placement {number} must last between {MIN_WEEKS} and {MAX_WEEKS} weeks")
        if not plan.organisation.active:
            errors.append(
                f"{plan.organisation.name} is no longer an active partner: choose another "
                f"organisation for placement {number}"
            )
    return errors


@transaction.atomic
def rotation_placements_save(
    *, scheme: RotationScheme, plans: Sequence[PlacementPlan], actor: User
) -> list[RotationPlacement]:
    """Replace the scheme's placements with `plans`, in that order. Refused, with the
    reasons, when there is none, a placement lasts under one week or over two years, is
    at an organisation no longer active, or is removed while someone on the scheme
    starts at it. Participants' first placements follow their placement's new position."""
    current = {placement.pk: placement for placement in scheme.placements.all()}
    errors = placement_errors(plans)
    if any(plan.existing and plan.existing.pk not in current for plan in plans):
        errors.append("A placement was changed by someone else: reload the page and try again")
    kept_positions = {plan.existing.position for plan in plans if plan.existing}
    removed = {p.position for p in current.values() if p.position not in kept_positions}
    stranded = scheme.participants.filter(status=Status.ON_SCHEME, first_position__in=removed)
    for participant in stranded.order_by("name"):
        placement = next(p for p in current.values() if p.position == participant.first_position)
        errors.append(
            f"{participant.name} starts at {placement.service}: change their first placement "
            "before removing it"
        )
    if errors:
        raise ValidationError(errors)

    new_positions = {
        plan.existing.position: number
        for number, plan in enumerate(plans, start=1)
        if plan.existing and plan.existing.position != number
    }
    if new_positions:
        scheme.participants.filter(first_position__in=new_positions).update(
            first_position=Case(
                *(When(first_position=old, then=Value(new)) for old, new in new_positions.items()),
                output_field=IntegerField(),
            )
        )
    # Replaced rather than renumbered in place: a swap would break the unique order of
    # positions half-way through. Nothing refers to a placement's row.
    scheme.placements.all().delete()
    placements = RotationPlacement.objects.bulk_create(
        RotationPlacement(
            scheme=scheme,
            position=number,
            organisation=plan.organisation,
            service=" ".join(plan.service.split()),
            weeks=plan.weeks,
        )
        for number, plan in enumerate(plans, start=1)
    )
    scheme.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        organisation=scheme.lead,
        obj=scheme,
        action="rotation.placements_changed",
        summary=f"Changed the placements of {scheme.name}",
        data={
            "placements": [
                {"organisation": p.organisation_id, "service": p.service, "weeks": p.weeks}
                for p in placements
            ]
        },
    )
    return placements


# --- Participants -----------------------------------------------------------------------------


def _participant_errors(
    *,
    scheme: RotationScheme,
    name: str,
    employer: Organisation,
    starts_on: datetime.date,
    first_position: int,
    status: str,
    left_on: datetime.date | None,
    current_employer_id: int | None = None,
) -> dict:
    errors = {}
    if not name:
        errors["name"] = "Enter the participant's name"
    if not employer.active and employer.pk != current_employer_id:
        errors["employer"] = f"{employer.name} is no longer an active partner"
    if not scheme.placements.filter(position=first_position).exists():
        errors["first_position"] = "Choose their first placement from the list"
    if status == Status.LEFT:
        if left_on is None:
            errors["left_on"] = "Enter the date they left the scheme"
        elif left_on < starts_on:
            errors["left_on"] = "The date they left must be on or after their start date"
        elif left_on > timezone.localdate():
            errors["left_on"] = "The date they left must be today or in the past"
    return errors


@transaction.atomic
def rotation_participant_add(
    *,
    scheme: RotationScheme,
    actor: User,
    name: str,
    employer: Organisation,
    starts_on: datetime.date,
    first_position: int,
    email: str = "",
    status: str = Status.ON_SCHEME,
    left_on: datetime.date | None = None,
) -> RotationParticipant:
    """Put someone on the scheme from `starts_on` at the placement at `first_position`."""
    name = " ".join((name or "").split())
    errors = _participant_errors(
        scheme=scheme,
        name=name,
        employer=employer,
        starts_on=starts_on,
        first_position=first_position,
        status=status,
        left_on=left_on,
    )
    if errors:
        raise ValidationError(errors)
    participant = RotationParticipant.objects.create(
        scheme=scheme,
        name=name,
        email=email.strip(),
        employer=employer,
        starts_on=starts_on,
        first_position=first_position,
        status=status,
        left_on=left_on if status == Status.LEFT else None,
    )
    audit_record(
        actor=actor,
        organisation=scheme.lead,
        obj=participant,
        action="rotation.participant_added",
        summary=f"Added a participant to {scheme.name}",
        data={"scheme": str(scheme.pk), "starts_on": starts_on.isoformat()},
    )
    return participant


@transaction.atomic
def rotation_participant_update(
    *,
    participant: RotationParticipant,
    actor: User,
    name: str,
    employer: Organisation,
    starts_on: datetime.date,
    first_position: int,
    email: str = "",
    status: str = Status.ON_SCHEME,
    left_on: datetime.date | None = None,
) -> RotationParticipant:
    """Change a participant: their details, their start and first placement, or their
    status (completed, or left on a date). A date left is kept only while they are
    marked as having left."""
    scheme = participant.scheme
    name = " ".join((name or "").split())
    errors = _participant_errors(
        scheme=scheme,
        name=name,
        employer=employer,
        starts_on=starts_on,
        first_position=first_position,
        status=status,
        left_on=left_on,
        current_employer_id=participant.employer_id,
    )
    if errors:
        raise ValidationError(errors)
    before = participant.status
    participant.name = name
    participant.email = email.strip()
    participant.employer = employer
    participant.starts_on = starts_on
    participant.first_position = first_position
    participant.status = status
    participant.left_on = left_on if status == Status.LEFT else None
    participant.save()
    audit_record(
        actor=actor,
        organisation=scheme.lead,
        obj=participant,
        action="rotation.participant_changed",
        summary=f"Changed a participant on {scheme.name}",
        data={"scheme": str(scheme.pk), "status_before": before, "status": status},
    )
    return participant
