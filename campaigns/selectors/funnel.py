"""A campaign's funnel, counted in SQL from its records: people engaged, people who
attended one of its events, people who applied, and people with an outcome (a job,
training, employability support or volunteering); their referrals; the same figures by
neighbourhood and by deprivation decile; employability-course cohorts; and retention of
people who started a job. One aggregate query per table shown, whatever the rows.

Figures are counts of people: each engagement is one resident's journey in one campaign
(unique), so counting engagements counts people. Hiding small numbers is the template's
job (`campaigns.templatetags.campaign_figures`), so these stay exact for tests and exports.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
)
from django.db.models.functions import Upper
from django.utils import timezone

from campaigns.models import (
    Campaign,
    Engagement,
    Event,
    EventBooking,
    Neighbourhood,
    TrackingLink,
)
from hub.small_numbers import is_small
from talent.models import Application

Outcome = Engagement.Outcome
Programme = Engagement.Programme

# Retention is asked at these many months after the first day of the job.
RETENTION_MONTHS = (3, 6, 12)


def attended_subquery():
    """Whether the engagement's resident attended any event of the same campaign."""
    return EventBooking.objects.filter(
        resident=OuterRef("resident"), event__campaign=OuterRef("campaign"), attended=True
    )


# A person applied when staff recorded it or their linked application was sent.
APPLIED = Q(applied_on__isnull=False)
# A linked application that ended in a hire is a job even before anyone records it.
# Asked as "among the hired applications", which PostgreSQL hashes once, rather than
# through a join that reads every application for every journey.
HIRED = Q(application_id__in=Application.objects.filter(stage=Application.Stage.HIRED).values("pk"))
# An outcome is recorded by staff, or is a hire of their linked application.
OUTCOME = ~Q(outcome="") | HIRED
STARTED_JOB = Q(outcome=Outcome.STARTED_JOB) | (Q(outcome="") & HIRED)
REFERRED_FOR_SUPPORT = Q(referred_for_support_on__isnull=False)
REFERRED_TO_PROGRAMME = ~Q(programme="")


@dataclass(frozen=True)
class FunnelCounts:
    engaged: int = 0
    attended: int = 0
    applied: int = 0
    outcomes: int = 0
    started_job: int = 0
    started_training: int = 0
    employability_support: int = 0
    volunteering: int = 0
    referred_for_support: int = 0
    referred_to_programme: int = 0
    # (label, people) for each partner programme, in the order of Engagement.Programme.
    programmes: tuple = ()


def _programme_key(value: str) -> str:
    return f"programme_{value}"


# The figure counted from the join with the people who attended (see `_funnel_rows`).
ATTENDED = "attended"


def _figures() -> dict:
    """Each funnel figure's condition on a journey (None: every journey), for
    `_funnel_rows`; "attended" is answered by its join."""
    return {
        "engaged": None,
        ATTENDED: None,
        "applied": APPLIED,
        "outcomes": OUTCOME,
        "started_job": STARTED_JOB,
        "started_training": Q(outcome=Outcome.STARTED_TRAINING),
        "employability_support": Q(outcome=Outcome.EMPLOYABILITY_SUPPORT),
        "volunteering": Q(outcome=Outcome.VOLUNTEERING),
        "referred_for_support": REFERRED_FOR_SUPPORT,
        "referred_to_programme": REFERRED_TO_PROGRAMME,
        **{_programme_key(value): Q(programme=value) for value in Programme.values},
    }


def _funnel_rows(
    campaign_ids, figures: dict, *, group_by: dict | None = None, union: str = "", order_by=()
) -> list[dict]:
    """One row per campaign (and per `group_by` value: {name: expression on a journey})
    with the count of journeys meeting each of `figures` ({name: condition}); the rows
    of `union` (SQL and parameters, its columns in the same order) added; ordered by
    `order_by` (SQL of the output columns). One query.

    Whether someone attended an event of the campaign is a LEFT JOIN of the journeys
    with the distinct (campaign, resident) pairs of attended bookings, hashed once:
    a correlated EXISTS per journey probed the bookings a million times for the city
    (docs/performance.md). The journeys' own conditions are flags computed in a
    subquery, so the ORM writes them and the counts stay the ones the tests check."""
    campaign_ids = list(campaign_ids)
    if not campaign_ids:
        return []
    group_by = group_by or {}
    flags = {name: condition for name, condition in figures.items() if condition is not None}
    journeys = (
        Engagement.objects.filter(campaign_id__in=campaign_ids)
        .order_by()
        .values(
            "campaign_id",
            "resident_id",
            **group_by,
            **{
                f"is_{name}": ExpressionWrapper(condition, output_field=BooleanField())
                for name, condition in flags.items()
            },
        )
    )
    attended = (
        EventBooking.objects.filter(attended=True, event__campaign_id__in=campaign_ids)
        .order_by()
        .values(attended_campaign=F("event__campaign_id"), attended_resident=F("resident_id"))
        .distinct()
    )
    journeys_sql, journeys_params = journeys.query.sql_with_params()
    attended_sql, attended_params = attended.query.sql_with_params()
    quote = connection.ops.quote_name
    keys = ", ".join(quote(name) for name in ["campaign_id", *group_by])
    counts = []
    for name, condition in figures.items():
        if name == ATTENDED:
            counts.append(f"count(attended.attended_resident) AS {quote(name)}")
        elif condition is None:
            counts.append(f"count(*) AS {quote(name)}")
        else:
            counts.append(f"count(*) FILTER (WHERE {quote(f'is_{name}')}) AS {quote(name)}")
    union_sql, union_params = union or ("", [])
    sql = (
        f"SELECT {keys}, {', '.join(counts)} FROM ({journeys_sql}) AS journey "
        f"LEFT JOIN ({attended_sql}) AS attended "
        "ON attended.attended_campaign = journey.campaign_id "
        "AND attended.attended_resident = journey.resident_id "
        f"GROUP BY {keys}"
    )
    if union_sql:
        sql = f"({sql}) UNION ALL ({union_sql})"
    if order_by:
        sql += f" ORDER BY {', '.join(order_by)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*journeys_params, *attended_params, *union_params])
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _counts(row: dict | None) -> FunnelCounts:
    if row is None:
        return FunnelCounts(
            programmes=tuple((label, 0) for label in Programme.labels),
        )
    return FunnelCounts(
        engaged=row["engaged"],
        attended=row["attended"],
        applied=row["applied"],
        outcomes=row["outcomes"],
        started_job=row["started_job"],
        started_training=row["started_training"],
        employability_support=row["employability_support"],
        volunteering=row["volunteering"],
        referred_for_support=row["referred_for_support"],
        referred_to_programme=row["referred_to_programme"],
        programmes=tuple((label, row[_programme_key(value)]) for value, label in Programme.choices),
    )


def funnel_for_campaigns(campaign_ids) -> dict:
    """{campaign id: FunnelCounts} for the campaigns named, in one query. A campaign
    with no one engaged yet is left out (callers default to `FunnelCounts()`)."""
    rows = _funnel_rows(campaign_ids, _figures())
    return {row["campaign_id"]: _counts(row) for row in rows}


def campaign_funnel(campaign: Campaign) -> FunnelCounts:
    """The campaign's totals, zero when no one is engaged yet. One query."""
    return campaign_report(campaign).counts


# --- Rates -----------------------------------------------------------------------------------


def rate(part: int | None, whole: int | None) -> Decimal | None:
    """`part` as a percentage of `whole` to one decimal place (half up, as people
    round by hand); None when there is no whole to divide by."""
    if not whole or part is None:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# A rate that cannot be worked out, or may not be shown.
NO_RATE = "–"


def shown_rate(part, whole, *, suppress: bool = False) -> Decimal | str:
    """The rate as a page or a file shows it: `NO_RATE` when there is nothing to divide
    by, or when suppressing small numbers and either count is 1 to 4."""
    if suppress and (is_small(part) or is_small(whole)):
        return NO_RATE
    value = rate(part, whole)
    return NO_RATE if value is None else value


@dataclass(frozen=True)
class Stage:
    """One row of the published table: the people at a stage, the campaign's goal for
    it, and the people engaged and at the stage before, which its rates are of (the
    template works them out with `campaign_figures.rate`)."""

    label: str
    people: int
    engaged: int
    previous: int | None
    goal: int | None = None


def funnel_stages(counts: FunnelCounts, campaign: Campaign) -> list[Stage]:
    """Engaged, attended an event, applied and outcomes, in the partnership's shape, with
    the campaign's goals."""

    def goal(name: str) -> int | None:
        return getattr(campaign, f"goal_{name}")

    engaged = counts.engaged
    return [
        Stage("Engaged", engaged, engaged, None, goal=goal("engaged")),
        Stage("Attended an event", counts.attended, engaged, engaged, goal("attended")),
        Stage("Applied for a job", counts.applied, engaged, counts.attended, goal("applied")),
        Stage(
            "Secured a role, went on to training or took up employability support",
            counts.outcomes,
            engaged,
            counts.applied,
            goal("outcomes"),
        ),
    ]


def outcome_rows(counts: FunnelCounts) -> list[tuple[str, int]]:
    return [
        (Outcome.STARTED_JOB.label, counts.started_job),
        (Outcome.STARTED_TRAINING.label, counts.started_training),
        (Outcome.EMPLOYABILITY_SUPPORT.label, counts.employability_support),
        (Outcome.VOLUNTEERING.label, counts.volunteering),
    ]


# --- Breakdowns ------------------------------------------------------------------------------

NOT_KNOWN = "Not known"


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    counts: FunnelCounts
    decile: int | None = None


def funnels_by_neighbourhood(campaign_ids) -> dict:
    """{campaign id: [BreakdownRow]}, the funnel per neighbourhood the residents live in:
    each campaign's own neighbourhoods first (even with no one engaged, so a gap in reach
    shows), then any other neighbourhood its residents came from, then those whose
    neighbourhood is not known. One query whatever the campaigns: the aggregate per
    campaign and neighbourhood, and the campaigns' own neighbourhoods with zeros, as a
    UNION ALL."""
    campaign_ids = list(campaign_ids)
    if not campaign_ids:
        return {}
    figures = _figures()
    targets = (
        Neighbourhood.objects.filter(campaigns__in=campaign_ids)
        .order_by()
        .values_list("campaigns", "pk", "name", "imd_decile")
    )
    targets_sql, targets_params = targets.query.sql_with_params()
    zeros = ", ".join("0" for _ in figures)
    rows = _funnel_rows(
        campaign_ids,
        figures,
        group_by={
            "place_id": F("resident__neighbourhood_id"),
            "place": F("resident__neighbourhood__name"),
            "decile": F("resident__neighbourhood__imd_decile"),
        },
        union=(f"SELECT target.*, {zeros} FROM ({targets_sql}) AS target", targets_params),
        order_by=['"place"'],
    )
    grouped: dict = {campaign_id: [] for campaign_id in campaign_ids}
    for row in rows:
        # A counted row has at least one journey; the campaign's own places have none.
        row["is_target"] = row["engaged"] == 0
        grouped[row["campaign_id"]].append(row)
    return {campaign_id: _neighbourhood_rows(rows) for campaign_id, rows in grouped.items()}


def _neighbourhood_rows(rows: list[dict]) -> list[BreakdownRow]:
    """One campaign's rows of `funnels_by_neighbourhood`, in the order it gives."""
    counted = {row["place_id"]: row for row in rows if not row["is_target"]}
    target_ids = {row["place_id"] for row in rows if row["is_target"]}
    result = [
        BreakdownRow(row["place"], _counts(counted.get(row["place_id"], row)), row["decile"])
        for row in rows
        if row["is_target"]
    ]
    result += [
        BreakdownRow(row["place"], _counts(row), row["decile"])
        for row in rows
        if not row["is_target"] and row["place_id"] not in target_ids | {None}
    ]
    if None in counted:
        result.append(BreakdownRow(NOT_KNOWN, _counts(counted[None])))
    return result


def funnel_by_neighbourhood(campaign: Campaign) -> list[BreakdownRow]:
    """One campaign's funnel per neighbourhood (see `funnels_by_neighbourhood`)."""
    return funnels_by_neighbourhood([campaign.pk])[campaign.pk]


def funnels_by_decile(campaign_ids) -> dict:
    """{campaign id: [BreakdownRow]}, the funnel per IMD decile of the residents'
    neighbourhoods, most deprived first, then "Not known" for residents with no
    neighbourhood. One aggregate query whatever the campaigns."""
    campaign_ids = list(campaign_ids)
    rows = _funnel_rows(
        campaign_ids,
        _figures(),
        group_by={"decile": F("resident__neighbourhood__imd_decile")},
        order_by=['"campaign_id"', '"decile" ASC NULLS LAST'],
    )
    grouped: dict = {campaign_id: [] for campaign_id in campaign_ids}
    for row in rows:
        label = f"Decile {row['decile']}" if row["decile"] is not None else NOT_KNOWN
        grouped[row["campaign_id"]].append(BreakdownRow(label, _counts(row), row["decile"]))
    return grouped


def funnel_by_decile(campaign: Campaign) -> list[BreakdownRow]:
    """One campaign's funnel per deprivation decile (see `funnels_by_decile`)."""
    return funnels_by_decile([campaign.pk])[campaign.pk]


# --- Employability-course cohorts -----------------------------------------------------------


@dataclass(frozen=True)
class Cohort:
    event_id: object
    campaign_id: object
    title: str
    starts_at: datetime.datetime
    started: int
    completed: int
    into_work: int


def courses_cohorts(campaign_ids) -> list[Cohort]:
    """Each employability course of the campaigns, by date: people who started it
    (attended), who completed it, and how many of its starters' journeys ended in a job.
    One query whatever the campaigns."""
    in_work = Engagement.objects.filter(
        STARTED_JOB, campaign=OuterRef("event__campaign"), resident=OuterRef("resident")
    )
    rows = (
        EventBooking.objects.filter(
            event__campaign_id__in=list(campaign_ids), event__kind=Event.Kind.EMPLOYABILITY_COURSE
        )
        .annotate(in_work=Exists(in_work))
        .values("event_id", "event__campaign_id", "event__title", "event__starts_at")
        .annotate(
            started=Count("pk", filter=Q(attended=True)),
            completed=Count("pk", filter=Q(attended=True, completed_course=True)),
            into_work=Count("pk", filter=Q(attended=True, in_work=True)),
        )
        .order_by("event__starts_at", "event_id")
    )
    return [
        Cohort(
            event_id=row["event_id"],
            campaign_id=row["event__campaign_id"],
            title=row["event__title"],
            starts_at=row["event__starts_at"],
            started=row["started"],
            completed=row["completed"],
            into_work=row["into_work"],
        )
        for row in rows
    ]


def course_cohorts(campaign: Campaign) -> list[Cohort]:
    """One campaign's employability-course cohorts (see `courses_cohorts`)."""
    return courses_cohorts([campaign.pk])


# --- Retention --------------------------------------------------------------------------------


class PlusMonths(Func):
    """A date column plus a whole number of calendar months, in PostgreSQL (the 31st
    plus one month is the last day of the shorter month, as `add_months` below)."""

    output_field = DateField()

    def __init__(self, expression, months: int):
        super().__init__(expression, months=int(months))

    template = "(%(expressions)s + interval '%(months)s months')::date"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by `months` calendar months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - datetime.timedelta(days=1)).day
    return datetime.date(year, month, min(day.day, last_day))


@dataclass(frozen=True)
class Retention:
    months: int
    # People who started a job at least this many months ago.
    eligible: int
    still_in_post: int


def _retention_figures(today: datetime.date) -> dict:
    """Of the people whose job began at least 3, 6 and 12 months before `today`, how
    many are still in post: no leaving date, or one after that milestone."""
    job = Q(outcome=Outcome.STARTED_JOB, outcome_on__isnull=False)
    figures = {}
    for months in RETENTION_MONTHS:
        eligible = job & Q(outcome_on__lte=add_months(today, -months))
        stayed = Q(left_on__isnull=True) | Q(left_on__gt=PlusMonths(F("outcome_on"), months))
        figures[f"eligible_{months}"] = eligible
        figures[f"stayed_{months}"] = eligible & stayed
    return figures


@dataclass(frozen=True)
class CampaignReport:
    counts: FunnelCounts
    retention: list[Retention]


def campaign_reports(campaign_ids, *, today: datetime.date | None = None) -> dict:
    """{campaign id: CampaignReport}: each campaign's totals and the retention of the
    people who started a job, in one query whatever the campaigns (both count the
    campaigns' journeys). A campaign with no one engaged has zeros."""
    campaign_ids = list(campaign_ids)
    figures = {**_figures(), **_retention_figures(today or timezone.localdate())}
    rows = {row["campaign_id"]: row for row in _funnel_rows(campaign_ids, figures)}
    return {campaign_id: _report(rows.get(campaign_id)) for campaign_id in campaign_ids}


def _report(row: dict | None) -> CampaignReport:
    return CampaignReport(
        counts=_counts(row),
        retention=[
            Retention(
                months,
                row[f"eligible_{months}"] if row else 0,
                row[f"stayed_{months}"] if row else 0,
            )
            for months in RETENTION_MONTHS
        ],
    )


def campaign_report(campaign: Campaign, *, today: datetime.date | None = None) -> CampaignReport:
    """One campaign's totals and retention (see `campaign_reports`). One query."""
    return campaign_reports([campaign.pk], today=today)[campaign.pk]


# --- Campaigns side by side ------------------------------------------------------------------


def campaign_years(campaigns) -> list[int]:
    """The years the campaigns run in, newest first, for a filter. One query."""
    span = campaigns.aggregate(first=Min("starts_on"), last=Max("ends_on"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


@dataclass(frozen=True)
class ComparedCampaign:
    campaign: Campaign
    counts: FunnelCounts = field(default_factory=FunnelCounts)


def campaigns_compared(campaigns, *, year: int | None = None) -> list[ComparedCampaign]:
    """The campaigns (a queryset the member may see), running in `year` when given, each
    with its funnel. Two queries."""
    if year is not None:
        campaigns = campaigns.filter(starts_on__year__lte=year, ends_on__year__gte=year)
    found = list(campaigns.select_related("lead_organisation").order_by("-starts_on", "name"))
    counts = funnel_for_campaigns(campaign.pk for campaign in found)
    return [
        ComparedCampaign(campaign, counts.get(campaign.pk, FunnelCounts())) for campaign in found
    ]


# --- Tracking links ---------------------------------------------------------------------------


def links_with_applications(campaign: Campaign) -> list[TrackingLink]:
    """The campaign's tracking links, each with `applications`: how many sent
    applications carry its code (whatever the case it was typed in). Two queries: the
    links, and one aggregate over applications."""
    links = list(TrackingLink.objects.filter(campaign=campaign).select_related("event", "vacancy"))
    counts = dict(
        Application.objects.filter(submitted_at__isnull=False)
        .annotate(code=Upper("campaign_code"))
        .filter(code__in={link.code.upper() for link in links})
        .values("code")
        .annotate(applications=Count("pk"))
        .order_by()
        .values_list("code", "applications")
    )
    for link in links:
        link.applications = counts.get(link.code.upper(), 0)
    return links
