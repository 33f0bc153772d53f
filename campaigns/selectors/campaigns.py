"""Which campaigns, residents and events a member's organisation may see: those of the
campaigns it leads or is a partner in. Everything else is 404, as `hub.access` answers for
organisation-owned records. Every staff view of campaigns fetches through these."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from campaigns.models import Campaign, Engagement, Event, ResidentImport, TrackingLink
from hub.models import Membership


def campaigns_for(membership: Membership) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to_organisation(membership.organisation_id)


def campaign_for(membership: Membership, campaign_id) -> Campaign:
    return get_object_or_404(
        campaigns_for(membership).select_related("lead_organisation"), pk=campaign_id
    )


def is_lead(membership: Membership, campaign: Campaign) -> bool:
    return campaign.lead_organisation_id == membership.organisation_id


def engagement_for(campaign: Campaign, engagement_id) -> Engagement:
    """A journey in a campaign already fetched through `campaign_for`."""
    return get_object_or_404(
        Engagement.objects.select_related("resident", "resident__neighbourhood", "application"),
        campaign=campaign,
        pk=engagement_id,
    )


def event_for(membership: Membership, event_id) -> Event:
    return get_object_or_404(
        Event.objects.filter(campaign__in=campaigns_for(membership)).select_related(
            "campaign", "organisation"
        ),
        pk=event_id,
    )


def link_for(campaign: Campaign, link_id) -> TrackingLink:
    return get_object_or_404(TrackingLink.objects.filter(campaign=campaign), pk=link_id)


def resident_import_for(membership: Membership, campaign: Campaign, import_id) -> ResidentImport:
    """An import is seen only by the organisation that uploaded it."""
    return get_object_or_404(
        ResidentImport.objects.filter(campaign=campaign, organisation=membership.organisation_id),
        pk=import_id,
    )
