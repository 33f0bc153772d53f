"""Campaigns' report tables, registered with `hub.report_tables` for the dashboards, the
exports and the monthly city impact report: campaign reach, equity of reach by
neighbourhood deprivation decile, campaigns side by side, and last month's reach.

Equity of reach (city only) counts applications, not people: the postcode belongs to an
application (talent's, which campaigns may read), and a person applying twice may have
moved. The decile is counted in the same query as talent's equality monitoring answers
(`talent.selectors.equity`). The breakdown shows 1 to 4 as "<5" (`hub.small_numbers`),
already in the table, so no file or chart carries the exact figure.

Imported from CampaignsConfig.ready(), once every app's models are loaded.
"""

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Left, Length
from django.utils import timezone

from campaigns.models import Campaign, Engagement, EventBooking, PostcodeSector
from campaigns.selectors.funnel import FunnelCounts, campaigns_compared, funnel_for_campaigns
from hub.impact_report import FIGURE_HEADERS, last_month, month_bounds
from hub.models import Organisation
from hub.report_tables import CITY, ORGANISATION, Table, report_table
from hub.small_numbers import SUPPRESSION_NOTE, suppressed
from talent.selectors.equity import equity_counts, equity_question

NOT_KNOWN = "Not known"
DECILE_QUESTION = "imd_decile"

# --- Campaign reach ------------------------------------------------------------------------

FUNNEL_HEADERS = ["Engaged", "Attended an event", "Applied", "Outcomes"]


def _funnel_cells(counts: FunnelCounts) -> list[int]:
    return [counts.engaged, counts.attended, counts.applied, counts.outcomes]


@report_table("organisation.campaign_reach", "Campaign reach", ORGANISATION)
def organisation_campaign_reach(organisation: Organisation) -> Table:
    """The campaigns the organisation leads or is a partner in, newest first, each with
    its funnel. Two queries: the campaigns, and one aggregate of their funnels."""
    campaigns = list(
        Campaign.objects.visible_to_organisation(organisation.pk)
        .annotate(
            role=Case(
                When(lead_organisation=organisation, then=Value("Lead")),
                default=Value("Partner"),
            )
        )
        .values("pk", "name", "role")
        .order_by("-starts_on", "name")
    )
    funnels = funnel_for_campaigns(campaign["pk"] for campaign in campaigns)
    return Table(
        headers=["Campaign", "Your organisation", *FUNNEL_HEADERS],
        rows=[
            [c["name"], c["role"], *_funnel_cells(funnels.get(c["pk"], FunnelCounts()))]
            for c in campaigns
        ],
    )


@report_table("city.campaign_reach", "Campaign reach", CITY)
def city_campaign_reach(_=None) -> Table:
    campaigns = list(
        Campaign.objects.values("pk", "name", lead=F("lead_organisation__name")).order_by(
            "-starts_on", "name"
        )
    )
    funnels = funnel_for_campaigns(campaign["pk"] for campaign in campaigns)
    return Table(
        headers=["Campaign", "Lead organisation", *FUNNEL_HEADERS],
        rows=[
            [c["name"], c["lead"], *_funnel_cells(funnels.get(c["pk"], FunnelCounts()))]
            for c in campaigns
        ],
    )


# --- Equity of reach (city) ----------------------------------------------------------------


def _sector():
    """The postcode sector of an application's (normalised) postcode: "LS12 3AB" →
    "LS12 3", its last two letters dropped; blank stays blank."""
    return Left("postcode", Length("postcode") - 2)


def _decile_label(decile: int) -> str:
    if decile == 1:
        return "1 (most deprived)"
    if decile == 10:
        return "10 (least deprived)"
    return str(decile)


def _by_decile(sent):
    """The deprivation decile of the neighbourhood of each application's postcode sector,
    as text; blank when the sector is in no neighbourhood or there is no postcode."""
    decile = Subquery(
        PostcodeSector.objects.filter(sector=OuterRef("sector")).values(
            "neighbourhood__imd_decile"
        )[:1],
        output_field=IntegerField(),
    )
    return sent.annotate(sector=_sector()).values(
        answer=Coalesce(Cast(decile, CharField()), Value(""))
    )


# Counted with the equality monitoring answers, in the same query.
equity_question(DECILE_QUESTION, _by_decile)


@report_table("city.hires_by_imd_decile", "Applications and hires by deprivation decile", CITY)
def city_hires_by_imd_decile(_=None) -> Table:
    counts = equity_counts()

    def cells(answer: str) -> list:
        found = counts.get((DECILE_QUESTION, answer), {"applications": 0, "hires": 0})
        return [suppressed(found["applications"]), suppressed(found["hires"])]

    rows = [[_decile_label(decile), *cells(str(decile))] for decile in range(1, 11)]
    return Table(
        headers=["Neighbourhood deprivation decile", "Applications", "Hires"],
        rows=[*rows, [NOT_KNOWN, *cells("")]],
        notes=[SUPPRESSION_NOTE],
    )


# --- Campaigns side by side (the comparison page's table) ----------------------------------


@report_table("organisation.campaigns_compared", "Campaigns side by side", ORGANISATION)
def organisation_campaigns_compared(organisation) -> Table:
    """The campaigns the organisation leads or is a partner in, with their totals."""
    campaigns = Campaign.objects.visible_to_organisation(organisation.pk)
    return Table(
        headers=[
            "Campaign",
            "Lead organisation",
            "Starts",
            "Ends",
            "Engaged",
            "Attended an event",
            "Applied",
            "Outcomes",
            "Started a job",
        ],
        rows=[
            [
                row.campaign.name,
                row.campaign.lead_organisation.name,
                row.campaign.starts_on,
                row.campaign.ends_on,
                row.counts.engaged,
                row.counts.attended,
                row.counts.applied,
                row.counts.outcomes,
                row.counts.started_job,
            ]
            for row in campaigns_compared(campaigns)
        ],
    )


# --- Last month's figures (the monthly city impact report) ---------------------------------


@report_table(
    "city.last_month_campaigns",
    "Last month: residents engaged and event attendances",
    CITY,
    exportable=False,
)
def city_last_month(_=None, *, first=None, after=None) -> Table:
    """Residents engaged and attendances at events from `first` up to (not including)
    `after`, last month by default: one aggregate query per model."""
    if first is None or after is None:
        first, after = last_month(timezone.localdate())
    start, end = month_bounds(first, after)
    figures = Engagement.objects.aggregate(
        residents_engaged=Count(
            "resident_id", distinct=True, filter=Q(engaged_on__gte=first, engaged_on__lt=after)
        )
    )
    figures |= EventBooking.objects.aggregate(
        event_attendances=Count(
            "pk",
            filter=Q(attended=True, event__starts_at__gte=start, event__starts_at__lt=end),
        )
    )
    return Table(FIGURE_HEADERS, [[name, count] for name, count in figures.items()])
