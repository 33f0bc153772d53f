"""Reads for rotation schemes: which schemes an organisation sees, and who is where.

An organisation sees the schemes it leads and those it hosts a placement of; anyone else
gets 404, as `hub.access` answers for organisation-owned records. Only the lead changes
a scheme: its edit pages fetch through `scheme_led_by`, which answers a partner hosting a
placement 403 with the reason (it sees the scheme), as campaigns answer their partners.

A host partner sees the whole timetable of the scheme, everyone's name, employer and
dates: the names are work data of a scheme the partners run together, and a ward needs
to know who arrives next. Email addresses are for the lead alone.

Where each participant is now and next is schedule arithmetic, done in Python by
`participant_timetable` and `where_now` over the scheme's placements and participants,
fetched with one query each. A scheme has a handful of placements and a few dozen
participants, and the answer is a walk through each person's dates from their start,
not a count or sum over many rows, which is what SQL is for here.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hub.models import Membership
from talent.models import RotationParticipant, RotationPlacement, RotationScheme

Status = RotationParticipant.Status


def schemes_for(membership: Membership) -> QuerySet[RotationScheme]:
    """The schemes the member's organisation leads or hosts a placement of."""
    organisation_id = membership.organisation_id
    hosts = RotationPlacement.objects.filter(scheme=OuterRef("pk"), organisation_id=organisation_id)
    return RotationScheme.objects.filter(Q(lead_id=organisation_id) | Exists(hosts))


def scheme_list(membership: Membership) -> QuerySet[RotationScheme]:
    """The schemes of `schemes_for`, by name, each with its lead, staff group,
    `placements_count` and `on_scheme_count` (participants on the scheme now), in one
    query."""
    return (
        schemes_for(membership)
        .select_related("lead", "staff_group")
        .annotate(
            placements_count=Count("placements", distinct=True),
            on_scheme_count=Count(
                "participants", filter=Q(participants__status=Status.ON_SCHEME), distinct=True
            ),
        )
        .order_by("name", "pk")
    )


def scheme_for(membership: Membership, scheme_id) -> RotationScheme:
    """A scheme the organisation leads or hosts a placement of, or 404."""
    return get_object_or_404(
        schemes_for(membership).select_related("lead", "staff_group"), pk=scheme_id
    )


def scheme_led_by(membership: Membership, scheme_id) -> RotationScheme:
    """A scheme the organisation leads, for the pages that change it: 404 for outsiders,
    403 for a partner hosting a placement, which sees the scheme but does not change it."""
    scheme = scheme_for(membership, scheme_id)
    if scheme.lead_id != membership.organisation_id:
        raise PermissionDenied(
            f"Only the lead organisation, {scheme.lead.name}, can change this scheme. "
            "Ask them to make the change."
        )
    return scheme


def scheme_placements(scheme: RotationScheme) -> list[RotationPlacement]:
    """The scheme's placements in order, organisation loaded."""
    return list(scheme.placements.select_related("organisation").order_by("position"))


def participant_for(scheme: RotationScheme, participant_id) -> RotationParticipant:
    """A participant of a scheme already fetched for the member, or 404."""
    return get_object_or_404(
        RotationParticipant.objects.select_related("employer"), scheme=scheme, pk=participant_id
    )


# --- Who is where ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stint:
    """A participant's time at one placement, from `starts_on` to `ends_on`, both days
    included."""

    placement: RotationPlacement
    starts_on: datetime.date
    ends_on: datetime.date


class Where(StrEnum):
    NOT_STARTED = "not_started"
    ON_PLACEMENT = "on_placement"
    COMPLETED = "completed"
    LEFT = "left"


@dataclass(frozen=True)
class WhereNow:
    """Where a participant is on a day: the placement they are at (`now`) and the one
    after it (`next`; before they start, their first). `finishes_on` is the last day of
    their last placement."""

    state: Where
    now: Stint | None = None
    next: Stint | None = None
    finishes_on: datetime.date | None = None


def participant_timetable(
    placements: Sequence[RotationPlacement], *, starts_on: datetime.date, first_position: int
) -> list[Stint]:
    """Every placement once, in the scheme's order, starting at the one at
    `first_position` and wrapping round to those before it, each for its weeks, from
    `starts_on`. Cohorts start at different placements so none is crowded. A first
    position no placement has any more starts them at the first."""
    ordered = sorted(placements, key=lambda placement: placement.position)
    start = next(
        (i for i, placement in enumerate(ordered) if placement.position == first_position), 0
    )
    stints = []
    day = starts_on
    for placement in ordered[start:] + ordered[:start]:
        after = day + datetime.timedelta(weeks=placement.weeks)
        stints.append(Stint(placement, day, after - datetime.timedelta(days=1)))
        day = after
    return stints


def where_now(
    participant: RotationParticipant,
    placements: Sequence[RotationPlacement],
    *,
    today: datetime.date,
) -> WhereNow:
    """Where `participant` is on `today`, from their start date, first placement and the
    weeks of each: not started yet (next is their first placement), at a placement (and
    the next one, none after their last), completed (marked so, or past the end of their
    last placement), or left the scheme."""
    if participant.status == Status.LEFT:
        return WhereNow(Where.LEFT)
    stints = participant_timetable(
        placements, starts_on=participant.starts_on, first_position=participant.first_position
    )
    if not stints:
        return WhereNow(Where.NOT_STARTED)
    finishes_on = stints[-1].ends_on
    if participant.status == Status.COMPLETED or today > finishes_on:
        return WhereNow(Where.COMPLETED, finishes_on=finishes_on)
    if today < participant.starts_on:
        return WhereNow(Where.NOT_STARTED, next=stints[0], finishes_on=finishes_on)
    index = next(i for i, stint in enumerate(stints) if stint.starts_on <= today <= stint.ends_on)
    following = stints[index + 1] if index + 1 < len(stints) else None
    return WhereNow(Where.ON_PLACEMENT, stints[index], following, finishes_on)


@dataclass(frozen=True)
class ParticipantRow:
    participant: RotationParticipant
    where: WhereNow


@dataclass
class PlacementRow:
    """Who is at a placement now (with the day they leave it) and who comes next (with
    the day they arrive), soonest first."""

    placement: RotationPlacement
    now: list[tuple[RotationParticipant, Stint]] = field(default_factory=list)
    coming: list[tuple[RotationParticipant, Stint]] = field(default_factory=list)


@dataclass(frozen=True)
class SchemeTimetable:
    placements: list[RotationPlacement]
    participants: list[ParticipantRow]
    by_placement: list[PlacementRow]
    today: datetime.date


def scheme_timetable(
    scheme: RotationScheme, *, today: datetime.date | None = None
) -> SchemeTimetable:
    """Who is where on `today` (default: today), by participant and by placement, in
    two queries: the placements and the participants."""
    today = today or timezone.localdate()
    placements = scheme_placements(scheme)
    participants = list(
        scheme.participants.select_related("employer").order_by("starts_on", "name", "pk")
    )
    rows = [
        ParticipantRow(participant, where_now(participant, placements, today=today))
        for participant in participants
    ]
    by_placement = {placement.pk: PlacementRow(placement) for placement in placements}
    for row in rows:
        if row.where.now:
            by_placement[row.where.now.placement.pk].now.append((row.participant, row.where.now))
        if row.where.next:
            by_placement[row.where.next.placement.pk].coming.append(
                (row.participant, row.where.next)
            )
    for placement_row in by_placement.values():
        placement_row.now.sort(key=lambda pair: (pair[1].ends_on, pair[0].name))
        placement_row.coming.sort(key=lambda pair: (pair[1].starts_on, pair[0].name))
    return SchemeTimetable(placements, rows, list(by_placement.values()), today)
