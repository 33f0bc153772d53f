"""What a campaign's overview page shows besides its funnel: who runs it, where, what it
recruits for, its poster code, and its next events. The campaign is one already fetched
through `campaigns.selectors.campaigns.campaign_for`."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject

from campaigns.models import Campaign, Event, Neighbourhood, TrackingLink
from hub.models import Organisation
from talent.models import Vacancy

UPCOMING_EVENTS_SHOWN = 10


def campaign_overview(campaign: Campaign) -> dict:
    """Partners, neighbourhoods, staff groups, linked vacancies and the first code, each
    as a list in one query, however many there are."""
    here = OuterRef("pk")
    staff_groups = Campaign.target_staff_groups.through.objects.filter(campaign=here)
    return (
        Campaign.objects.filter(pk=campaign.pk)
        .annotate(
            partners=ArraySubquery(
                Organisation.objects.filter(partner_campaigns=here).order_by("name").values("name")
            ),
            places=ArraySubquery(
                Neighbourhood.objects.filter(campaigns=here)
                .order_by("name")
                .values(json=JSONObject(name="name", decile="imd_decile"))
            ),
            staff_groups=ArraySubquery(
                staff_groups.order_by("staffgroup__position").values("staffgroup__name")
            ),
            linked_vacancies=ArraySubquery(
                Vacancy.objects.filter(campaigns=here)
                .order_by("organisation__name", "title")
                .values(json=JSONObject(title="title", organisation="organisation__name"))
            ),
            code=Subquery(
                TrackingLink.objects.filter(campaign=here, event=None)
                .order_by("created_at")
                .values("code")[:1]
            ),
        )
        .values("partners", "places", "staff_groups", "linked_vacancies", "code")
        .get()
    )


def upcoming_events(campaign: Campaign) -> list[Event]:
    """The campaign's next scheduled events, soonest first."""
    return list(
        Event.objects.filter(campaign=campaign)
        .upcoming()
        .select_related("organisation")
        .order_by("starts_at")[:UPCOMING_EVENTS_SHOWN]
    )
