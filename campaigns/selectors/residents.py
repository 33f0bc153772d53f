"""Reads of a campaign's residents for its lead and partners: the list with each
person's furthest stage, one journey, what an outreach worker recorded today, and the
imports of paper sheets. The campaign is always one already fetched through
`campaigns.selectors.campaigns.campaign_for`, so tenancy is settled before these run."""

import datetime

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from campaigns.models import (
    Campaign,
    ContactConsent,
    Engagement,
    EventBooking,
    Neighbourhood,
    Resident,
    ResidentImport,
)
from campaigns.selectors.funnel import APPLIED, OUTCOME, attended_subquery
from hub.models import Membership, User


class Stage(models.TextChoices):
    """How far a resident has gone in a campaign, furthest last."""

    ENGAGED = "engaged", "Engaged"
    ATTENDED = "attended", "Attended an event"
    REFERRED = "referred", "Referred"
    APPLIED = "applied", "Applied"
    OUTCOME = "outcome", "Outcome"


REFERRED = Q(referred_for_support_on__isnull=False) | Q(programme_referred_on__isnull=False)


def _standing_consent():
    return ContactConsent.objects.filter(resident=OuterRef("resident"), withdrawn_at=None)


def campaign_residents(
    campaign: Campaign,
    *,
    query: str = "",
    stage: str = "",
    neighbourhood: Neighbourhood | None = None,
) -> QuerySet[Engagement]:
    """The campaign's journeys, newest first, each with `has_attended`, `has_consent`
    and `stage` (the furthest reached) worked out in SQL; narrowed by a search of name,
    email or postcode, by stage and by neighbourhood."""
    engagements = (
        Engagement.objects.filter(campaign=campaign)
        .select_related("resident__neighbourhood")
        .annotate(
            has_attended=Exists(attended_subquery()),
            has_consent=Exists(_standing_consent()),
        )
        .annotate(
            stage=Case(
                When(OUTCOME, then=Value(Stage.OUTCOME)),
                When(APPLIED, then=Value(Stage.APPLIED)),
                When(REFERRED, then=Value(Stage.REFERRED)),
                When(has_attended=True, then=Value(Stage.ATTENDED)),
                default=Value(Stage.ENGAGED),
                output_field=models.CharField(),
            )
        )
        .order_by("-engaged_on", "-created_at")
    )
    query = " ".join((query or "").split())
    if query:
        matches = (
            Q(resident__name__icontains=query)
            | Q(resident__email__icontains=query)
            | Q(resident__postcode__icontains=query)
        )
        compact = query.replace(" ", "")
        if len(compact) >= 5:  # a whole postcode typed without its space: "ls123ab"
            matches |= Q(resident__postcode__iexact=f"{compact[:-3]} {compact[-3:]}")
        engagements = engagements.filter(matches)
    if stage:
        engagements = engagements.filter(stage=stage)
    if neighbourhood is not None:
        engagements = engagements.filter(resident__neighbourhood=neighbourhood)
    return engagements


def resident_neighbourhoods(campaign: Campaign) -> QuerySet[Neighbourhood]:
    """The neighbourhoods to filter a campaign's residents by: those it aims at and any
    other its residents live in."""
    return Neighbourhood.objects.filter(
        Q(campaigns=campaign) | Q(residents__engagements__campaign=campaign)
    ).distinct()


def journey_for(campaign: Campaign, engagement_id) -> Engagement:
    """One resident's journey in the campaign, with what the journey page shows."""
    engagement = get_object_or_404(
        Engagement.objects.select_related(
            "resident__neighbourhood",
            "application__vacancy__organisation",
            "organisation",
            "recorded_by",
            "tracking_link",
        ),
        campaign=campaign,
        pk=engagement_id,
    )
    engagement.campaign = campaign
    return engagement


def resident_consents(resident: Resident) -> QuerySet[ContactConsent]:
    """Every consent the resident gave, standing or withdrawn, newest first."""
    return resident.consents.select_related("recorded_by").order_by("-given_at")


def journey_bookings(engagement: Engagement) -> QuerySet[EventBooking]:
    """The resident's bookings at this campaign's events (not other campaigns')."""
    return (
        EventBooking.objects.filter(
            resident_id=engagement.resident_id, event__campaign_id=engagement.campaign_id
        )
        .select_related("event")
        .order_by("event__starts_at")
    )


def recorded_today(campaign: Campaign, user: User, *, limit: int = 5) -> list[Engagement]:
    """The last people this worker recorded in the campaign today, for reassurance that
    each one went in."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return list(
        Engagement.objects.filter(campaign=campaign, recorded_by=user, created_at__gte=start)
        .select_related("resident")
        .annotate(has_consent=Exists(_standing_consent()))
        .order_by("-created_at")[:limit]
    )


def campaign_imports(membership: Membership, campaign: Campaign, *, limit: int = 10):
    """This organisation's latest imports of paper sheets for the campaign."""
    return ResidentImport.objects.filter(
        campaign=campaign, organisation=membership.organisation_id
    ).order_by("-created_at")[:limit]
