"""Campaigns' report tables, registered with `hub.report_tables` for the dashboards, the
exports and the monthly city impact report: campaign reach, equity of reach by
neighbourhood deprivation decile, campaigns side by side, and last month's reach.

Equity of reach (city only) counts applications, not people: the postcode sector belongs to
an application (talent's, which campaigns may read; kept when the application is
anonymised), and a person applying twice may have moved. The decile is counted in the
same query as talent's equality monitoring answers (`talent.selectors.equity`). The
breakdown shows 1 to 4 as "<5" (`hub.small_numbers`), already in the table, so no file or
chart carries the exact figure.

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
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from campaigns.models import Campaign, Engagement, EventBooking, PostcodeSector
from campaigns.selectors.funnel import (
    NO_RATE,
    FunnelCounts,
    campaign_reports,
    campaigns_compared,
    courses_cohorts,
    funnel_for_campaigns,
    funnel_stages,
    funnels_by_decile,
    funnels_by_neighbourhood,
    outcome_rows,
    shown_rate,
)
from hub.impact_report import FIGURE_HEADERS, last_month, month_bounds
from hub.models import Organisation
from hub.report_tables import CITY, EQUITY_OF_REACH, ORGANISATION, Table, report_table
from hub.small_numbers import SUPPRESSION_NOTE, suppressed
from talent.selectors.equity import equity_counts, equity_question

NOT_KNOWN = "Not known"
# Where people choose tables to export.
CAMPAIGNS = "Community campaigns"
EQUITY = EQUITY_OF_REACH
DECILE_QUESTION = "imd_decile"

# --- Campaign reach ------------------------------------------------------------------------

FUNNEL_HEADERS = ["Engaged", "Attended an event", "Applied", "Outcomes"]


def _funnel_cells(counts: FunnelCounts) -> list[int]:
    return [counts.engaged, counts.attended, counts.applied, counts.outcomes]


@report_table("organisation.campaign_reach", "Campaign reach", ORGANISATION, area=CAMPAIGNS)
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


@report_table("city.campaign_reach", "Campaign reach", CITY, area=CAMPAIGNS)
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
        PostcodeSector.objects.filter(sector=OuterRef("postcode_sector")).values(
            "neighbourhood__imd_decile"
        )[:1],
        output_field=IntegerField(),
    )
    return sent.values(answer=Coalesce(Cast(decile, CharField()), Value("")))


# Counted with the equality monitoring answers, in the same query.
equity_question(DECILE_QUESTION, _by_decile)


@report_table(
    "city.hires_by_imd_decile", "Applications and hires by deprivation decile", CITY, area=EQUITY
)
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


COMPARED_TABLE_KEY = "organisation.campaigns_compared"


@report_table(COMPARED_TABLE_KEY, "Campaigns side by side", ORGANISATION, area=CAMPAIGNS)
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


# --- Each campaign's funnel page, for export ----------------------------------------------
#
# The tables of the funnel page, one row per campaign and line, for every campaign the
# organisation leads or is a partner in (every campaign for the city). Each is one
# aggregate query over all the campaigns, plus one for the campaigns themselves. Counts
# in the breakdowns, cohorts and retention carry "<5" as on the page, and a rate worked
# out from a small number is a dash.


def _campaigns_of(organisation) -> list[Campaign]:
    """The organisation's campaigns (all for the city), newest first. One query."""
    campaigns = (
        Campaign.objects.all()
        if organisation is None
        else Campaign.objects.visible_to_organisation(organisation.pk)
    )
    return list(campaigns.order_by("-starts_on", "name"))


def _funnel_goals(organisation) -> Table:
    campaigns = _campaigns_of(organisation)
    reports = campaign_reports(campaign.pk for campaign in campaigns)
    rows = []
    for campaign in campaigns:
        for stage in funnel_stages(reports[campaign.pk].counts, campaign):
            rows.append(
                [
                    campaign.name,
                    stage.label,
                    stage.people,
                    shown_rate(stage.people, stage.engaged),
                    NO_RATE if stage.previous is None else shown_rate(stage.people, stage.previous),
                    "None set" if stage.goal is None else stage.goal,
                    shown_rate(stage.people, stage.goal),
                ]
            )
    return Table(
        headers=[
            "Campaign",
            "Stage",
            "People",
            "% of engaged",
            "% of the stage before",
            "Goal",
            "% of goal",
        ],
        rows=rows,
    )


def _outcomes_and_referrals(organisation) -> Table:
    campaigns = _campaigns_of(organisation)
    reports = campaign_reports(campaign.pk for campaign in campaigns)
    rows = []
    for campaign in campaigns:
        counts = reports[campaign.pk].counts
        lines = [
            *outcome_rows(counts),
            ("Referred for one-to-one support", counts.referred_for_support),
            ("Referred to a partner programme", counts.referred_to_programme),
            *((f"Referred to {label.lower()}", people) for label, people in counts.programmes),
        ]
        rows += [
            [campaign.name, label, people, shown_rate(people, counts.engaged)]
            for label, people in lines
        ]
    return Table(headers=["Campaign", "Outcome or referral", "People", "% of engaged"], rows=rows)


def _breakdown_cells(counts: FunnelCounts) -> list:
    engaged = counts.engaged
    return [
        suppressed(engaged),
        suppressed(counts.attended),
        shown_rate(counts.attended, engaged, suppress=True),
        suppressed(counts.applied),
        shown_rate(counts.applied, engaged, suppress=True),
        suppressed(counts.outcomes),
        shown_rate(counts.outcomes, engaged, suppress=True),
    ]


BREAKDOWN_HEADERS = [
    "Engaged",
    "Attended an event",
    "Attended, % of engaged",
    "Applied",
    "Applied, % of engaged",
    "Outcomes",
    "Outcomes, % of engaged",
]


def _by_neighbourhood(organisation) -> Table:
    campaigns = _campaigns_of(organisation)
    breakdowns = funnels_by_neighbourhood(campaign.pk for campaign in campaigns)
    return Table(
        headers=["Campaign", "Neighbourhood", "IMD decile", *BREAKDOWN_HEADERS],
        rows=[
            [
                campaign.name,
                row.label,
                NOT_KNOWN if row.decile is None else row.decile,
                *_breakdown_cells(row.counts),
            ]
            for campaign in campaigns
            for row in breakdowns[campaign.pk]
        ],
        notes=[SUPPRESSION_NOTE],
    )


def _by_decile(organisation) -> Table:
    campaigns = _campaigns_of(organisation)
    breakdowns = funnels_by_decile(campaign.pk for campaign in campaigns)
    return Table(
        headers=["Campaign", "IMD decile", *BREAKDOWN_HEADERS],
        rows=[
            [campaign.name, row.label, *_breakdown_cells(row.counts)]
            for campaign in campaigns
            for row in breakdowns[campaign.pk]
        ],
        notes=[SUPPRESSION_NOTE],
    )


def _cohorts(organisation) -> Table:
    campaigns = {campaign.pk: campaign for campaign in _campaigns_of(organisation)}
    return Table(
        headers=[
            "Campaign",
            "Course",
            "Starts",
            "Started",
            "Completed",
            "Completed, % of started",
            "Into work",
            "Into work, % of started",
        ],
        rows=[
            [
                campaigns[cohort.campaign_id].name,
                cohort.title,
                cohort.starts_at,
                suppressed(cohort.started),
                suppressed(cohort.completed),
                shown_rate(cohort.completed, cohort.started, suppress=True),
                suppressed(cohort.into_work),
                shown_rate(cohort.into_work, cohort.started, suppress=True),
            ]
            for cohort in courses_cohorts(campaigns)
        ],
        notes=[SUPPRESSION_NOTE],
    )


def _retention(organisation) -> Table:
    campaigns = _campaigns_of(organisation)
    reports = campaign_reports(campaign.pk for campaign in campaigns)
    return Table(
        headers=[
            "Campaign",
            "After (months)",
            "Started a job at least this long ago",
            "Still in post",
            "Still in post, %",
        ],
        rows=[
            [
                campaign.name,
                row.months,
                suppressed(row.eligible),
                suppressed(row.still_in_post),
                shown_rate(row.still_in_post, row.eligible, suppress=True),
            ]
            for campaign in campaigns
            for row in reports[campaign.pk].retention
        ],
        notes=[SUPPRESSION_NOTE],
    )


_FUNNEL_PAGE_TABLES = (
    ("campaign_funnel_goals", "Campaign funnels against their goals", _funnel_goals),
    ("campaign_outcomes", "Campaign outcomes and referrals", _outcomes_and_referrals),
    ("campaign_by_neighbourhood", "Campaign funnels by neighbourhood", _by_neighbourhood),
    ("campaign_by_decile", "Campaign funnels by deprivation decile", _by_decile),
    ("campaign_cohorts", "Employability-course cohorts", _cohorts),
    ("campaign_retention", "Still in post after starting a job", _retention),
)
# The keys of the funnel page's tables, for its "Export these tables" link.
FUNNEL_PAGE_TABLE_KEYS = [f"{ORGANISATION}.{suffix}" for suffix, _, _ in _FUNNEL_PAGE_TABLES]

for _scope in (ORGANISATION, CITY):
    for _suffix, _title, _build in _FUNNEL_PAGE_TABLES:
        report_table(f"{_scope}.{_suffix}", _title, _scope, area=CAMPAIGNS)(_build)


# --- Last month's figures (the monthly city impact report) ---------------------------------


@report_table(
    "city.last_month_campaigns",
    "Last month: residents engaged and event attendances",
    CITY,
    exportable=False,
    area=CAMPAIGNS,
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
