"""The organisation dashboard and the city dashboard: their report tables, and the
cached figures the pages show.

Every block of a dashboard is a report table registered with `hub.report_tables`
(`organisation.*` for one partner's staff, `city.*` for hub admins), so the page, its
chart and an exported file come from the same query. Figures are counted in SQL:
conditional aggregates over applications, grouped counts, UNION ALL of grouped counts,
and PostgreSQL's `percentile_cont` for medians. Python only lays out the rows a query
returned or walks fixed lists (the stages, the twelve months, the ten deciles).

A dashboard builds its tables together (`organisation_figures`, `city_figures`), sharing
the queries its blocks have in common, so a page runs a fixed, small number of queries
whatever the number of records: six for an organisation, six for the city. The result
is cached for `CACHE_SECONDS` per organisation (and once for the city), with the time
it was counted, because people open the dashboard often and the figures move slowly.
The cache is Django's local-memory cache of each web process, not the portal's default
cache in PostgreSQL: reading and writing that costs up to six queries a page (more than
the figures themselves), while a figure counted twice by two processes costs little.

Equity of reach (city only) counts applications, not people: the postcode and the
equality monitoring answers belong to an application, and a person applying twice may
have moved or answered differently. Those breakdowns show 1 to 4 as "<5"
(`hub.small_numbers`), already in the table, so no file or chart carries the exact figure.

This module reads the apps built on the hub (talent, portability, campaigns), through
their models and selectors, because the dashboards are where their figures meet.
"""

import datetime
from dataclasses import dataclass

from django.core.cache.backends.locmem import LocMemCache
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
from django.db.models.functions import Cast, Coalesce, Left, Length, TruncMonth
from django.utils import timezone

from campaigns.models import Campaign, PostcodeSector
from campaigns.selectors.funnel import FunnelCounts, funnel_for_campaigns
from hub.models import Organisation
from hub.report_tables import CITY, ORGANISATION, Table, report_table
from hub.small_numbers import suppressed
from portability.models import Deployment
from talent.models import Application, EqualityMonitoring, SecondmentAgreement, Vacancy

# The closing date → unconditional offer expression of the time-to-hire report, reused so
# the dashboard's median is the same figure as the "Time to hire" page's.
from talent.selectors.time_to_hire import Median, _closing_to_unconditional

Stage = Application.Stage
Source = Application.Source

CACHE_SECONDS = 5 * 60
NOT_GIVEN = "Not given"
NOT_KNOWN = "Not known"
NOT_ANSWERED = "Not answered"
ALL_PARTNERS = "All partners"
SUPPRESSION_NOTE = 'Counts of 1 to 4 are shown as "<5" so that no one can be identified.'

# Stages an application can be in once it is sent, in the pipeline's order.
SENT_STAGES = [stage for stage in Stage if stage != Stage.DRAFT]
SENT = ~Q(stage=Stage.DRAFT)
HIRED = Stage.HIRED

# The equality monitoring questions reported, in the order of the form.
MONITORING_QUESTIONS = {
    "age_band": ("Age", EqualityMonitoring.AgeBand),
    "sex": ("Sex", EqualityMonitoring.Sex),
    "gender_same_as_birth": (
        "Gender identity the same as the sex registered at birth",
        EqualityMonitoring.YesNo,
    ),
    "ethnic_group": ("Ethnic group", EqualityMonitoring.EthnicGroup),
    "disability": ("Disability", EqualityMonitoring.YesNo),
    "religion": ("Religion or belief", EqualityMonitoring.Religion),
    "sexual_orientation": ("Sexual orientation", EqualityMonitoring.SexualOrientation),
}
DECILE_QUESTION = "imd_decile"


# The dashboards' own cache (see above); at most a few hundred partners, and the city.
figures_cache = LocMemCache(
    "hub-dashboards", {"TIMEOUT": CACHE_SECONDS, "OPTIONS": {"MAX_ENTRIES": 1000}}
)


def cache_key(organisation: Organisation | None) -> str:
    """One cache entry per organisation's dashboard, and one for the city's."""
    return f"dashboard:organisation:{organisation.pk}" if organisation else "dashboard:city"


@dataclass(frozen=True)
class Figures:
    """A dashboard's tables by key, and when they were counted."""

    tables: dict[str, Table]
    computed_at: datetime.datetime


def cached_figures(organisation: Organisation | None) -> Figures:
    """The dashboard's figures from the cache, or counted now and kept for
    `CACHE_SECONDS`: the organisation's, or the city's for None."""
    key = cache_key(organisation)
    figures = figures_cache.get(key)
    if figures is None:
        tables = organisation_figures(organisation) if organisation else city_figures()
        figures = Figures(tables=tables, computed_at=timezone.now())
        figures_cache.set(key, figures, CACHE_SECONDS)
    return figures


# --- Applications: stages, sources, time to hire ------------------------------------------


def _application_aggregates(prefix: str = "") -> dict:
    """Counts per stage and per source, and the median days from closing date to
    unconditional offer, for sent applications reached through `prefix` (blank from
    Application, "vacancies__applications__" from Organisation)."""
    counted = prefix.removesuffix("__") or "pk"
    sent = ~Q(**{f"{prefix}stage": Stage.DRAFT}) & Q(**{f"{prefix}stage__isnull": False})
    return {
        "sent": Count(counted, filter=sent),
        **{
            f"stage_{stage}": Count(counted, filter=Q(**{f"{prefix}stage": stage}))
            for stage in SENT_STAGES
        },
        **{
            f"source_{source}": Count(counted, filter=sent & Q(**{f"{prefix}source": source}))
            for source in [*Source.values, ""]
        },
        "median_days": Median(_closing_to_unconditional(prefix), filter=sent),
        "offers": Count(f"{prefix}offer__unconditional_at", filter=sent),
    }


def _median(value) -> float | None:
    return None if value is None else round(value, 1)


def _stage_table(totals: dict) -> Table:
    return Table(
        headers=["Stage", "Applications"],
        rows=[[stage.label, totals[f"stage_{stage}"]] for stage in SENT_STAGES],
    )


def _source_table(totals: dict) -> Table:
    rows = [[source.label, totals[f"source_{source}"]] for source in Source]
    return Table(
        headers=["Where the candidate heard of the job", "Applications"],
        rows=[*rows, [NOT_GIVEN, totals["source_"]]],
    )


def _time_to_hire_row(label: str, totals: dict) -> list:
    return [label, _median(totals["median_days"]), totals["offers"]]


TIME_TO_HIRE_HEADERS = [
    "Organisation",
    "Median days from closing date to unconditional offer",
    "Unconditional offers",
]


def _organisation_applications(organisation: Organisation) -> dict:
    return Application.objects.filter(vacancy__organisation=organisation).aggregate(
        **_application_aggregates()
    )


def _partners() -> tuple[list[dict], dict]:
    """Every active partner, by name, with its open vacancies, the applications to them,
    its applications per stage and by source and its time to hire; and the same for all
    of them together. One query: the figures grouped by partner, UNION ALL the same
    figures over every partner (grouped by nothing), which comes last."""
    today = timezone.localdate()
    is_open = Q(vacancies__status=Vacancy.Status.PUBLISHED, vacancies__closing_date__gte=today)
    figures = {
        "open_vacancies": Count("vacancies", filter=is_open, distinct=True),
        "open_applications": Count(
            "vacancies__applications",
            filter=is_open & ~Q(vacancies__applications__stage=Stage.DRAFT),
        ),
        **_application_aggregates("vacancies__applications__"),
    }
    partners = Organisation.objects.filter(active=True)
    each = partners.values(label=F("name")).annotate(is_total=Value(False), **figures).order_by()
    together = (
        partners.values(label=Value(ALL_PARTNERS))
        .annotate(is_total=Value(True), **figures)
        .order_by()
    )
    rows = list(each.union(together, all=True).order_by("is_total", "label"))
    return rows[:-1], rows[-1]


# --- Open vacancies -----------------------------------------------------------------------


@report_table("organisation.open_vacancies", "Open vacancies", ORGANISATION)
def organisation_open_vacancies(organisation: Organisation) -> Table:
    """The organisation's live vacancies, closing soonest first, with the applications
    sent to each."""
    vacancies = (
        Vacancy.objects.published()
        .filter(organisation=organisation)
        .values("title", "reference", "closing_date")
        .annotate(applications=Count("applications", filter=~Q(applications__stage=Stage.DRAFT)))
        .order_by("closing_date", "title")
    )
    return Table(
        headers=["Vacancy", "Reference", "Closing date", "Applications"],
        rows=[
            [row["title"], row["reference"], row["closing_date"], row["applications"]]
            for row in vacancies
        ],
    )


def _city_open_vacancies_table(partners: list[dict]) -> Table:
    return Table(
        headers=["Organisation", "Open vacancies", "Applications to them"],
        rows=[[row["label"], row["open_vacancies"], row["open_applications"]] for row in partners],
    )


@report_table("city.open_vacancies", "Open vacancies by organisation", CITY)
def city_open_vacancies(_=None) -> Table:
    return _city_open_vacancies_table(_partners()[0])


# --- Applications by stage, by source, time to hire ---------------------------------------


@report_table("organisation.applications_by_stage", "Applications by stage", ORGANISATION)
def organisation_applications_by_stage(organisation: Organisation) -> Table:
    return _stage_table(_organisation_applications(organisation))


@report_table("organisation.applications_by_source", "Applications by source", ORGANISATION)
def organisation_applications_by_source(organisation: Organisation) -> Table:
    return _source_table(_organisation_applications(organisation))


@report_table("organisation.time_to_hire", "Median time to hire", ORGANISATION)
def organisation_time_to_hire(organisation: Organisation) -> Table:
    totals = _organisation_applications(organisation)
    return Table(TIME_TO_HIRE_HEADERS, [_time_to_hire_row(organisation.name, totals)])


def _city_stage_table(partners: list[dict], totals: dict) -> Table:
    def row(label, figures):
        return [label, *(figures[f"stage_{stage}"] for stage in SENT_STAGES), figures["sent"]]

    return Table(
        headers=["Organisation", *(stage.label for stage in SENT_STAGES), "All sent"],
        rows=[*(row(p["label"], p) for p in partners), row(ALL_PARTNERS, totals)],
    )


def _city_time_to_hire_table(partners: list[dict], totals: dict) -> Table:
    return Table(
        TIME_TO_HIRE_HEADERS,
        [
            *(_time_to_hire_row(p["label"], p) for p in partners),
            _time_to_hire_row(ALL_PARTNERS, totals),
        ],
    )


@report_table("city.applications_by_stage", "Applications by stage and organisation", CITY)
def city_applications_by_stage(_=None) -> Table:
    return _city_stage_table(*_partners())


@report_table("city.applications_by_source", "Applications by source", CITY)
def city_applications_by_source(_=None) -> Table:
    return _source_table(_partners()[1])


@report_table("city.time_to_hire", "Median time to hire by organisation", CITY)
def city_time_to_hire(_=None) -> Table:
    return _city_time_to_hire_table(*_partners())


# --- Applications per month ----------------------------------------------------------------


def _months(today: datetime.date) -> list[datetime.date]:
    """The first days of the last twelve months, oldest first, this month last."""
    index = today.year * 12 + today.month - 1
    return [datetime.date(i // 12, i % 12 + 1, 1) for i in range(index - 11, index + 1)]


def _per_month(applications) -> Table:
    """Applications sent in each of the last twelve months (by the portal's time zone),
    months with none included. One grouped query."""
    months = _months(timezone.localdate())
    start = timezone.make_aware(datetime.datetime.combine(months[0], datetime.time()))
    counts = dict(
        applications.filter(submitted_at__gte=start)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(applications=Count("pk"))
        .order_by()
        .values_list("month", "applications")
    )
    by_month = {timezone.localtime(month).date(): n for month, n in counts.items()}
    return Table(
        headers=["Month", "Applications"],
        rows=[[month.strftime("%B %Y"), by_month.get(month, 0)] for month in months],
    )


@report_table("organisation.applications_per_month", "Applications per month", ORGANISATION)
def organisation_applications_per_month(organisation: Organisation) -> Table:
    return _per_month(Application.objects.filter(vacancy__organisation=organisation))


@report_table("city.applications_per_month", "Applications per month", CITY)
def city_applications_per_month(_=None) -> Table:
    return _per_month(Application.objects.all())


# --- Secondments and deployments -----------------------------------------------------------


def _exchanges(organisation: Organisation | None) -> dict:
    """{("secondment" | "deployment", status): {"out": n, "in": n, "all": n}}: secondment
    agreements and portability deployments by status, with the organisation as home
    (out) and as host (in), or all of them for the city. One UNION ALL query."""

    def counted(model, kind):
        rows = model.objects.all()
        if organisation is not None:
            rows = rows.filter(Q(home=organisation) | Q(host=organisation))
        return (
            rows.values("status")
            .annotate(
                kind=Value(kind),
                out=Count("pk", filter=Q(home=organisation)) if organisation else Count("pk"),
                into=Count("pk", filter=Q(host=organisation)) if organisation else Count("pk"),
                every=Count("pk"),
            )
            .order_by()
        )

    rows = counted(SecondmentAgreement, "secondment").union(
        counted(Deployment, "deployment"), all=True
    )
    return {
        (row["kind"], row["status"]): {"out": row["out"], "in": row["into"], "all": row["every"]}
        for row in rows
    }


EMPTY_EXCHANGE = {"out": 0, "in": 0, "all": 0}


def _organisation_exchange_table(exchanges: dict, kind: str, statuses) -> Table:
    return Table(
        headers=["Status", "Out: your people with other partners", "In: partners' people with you"],
        rows=[
            [status.label, counts["out"], counts["in"]]
            for status in statuses
            for counts in [exchanges.get((kind, status.value), EMPTY_EXCHANGE)]
        ],
    )


def _city_exchange_table(exchanges: dict, kind: str, statuses, noun: str) -> Table:
    return Table(
        headers=["Status", noun],
        rows=[
            [status.label, exchanges.get((kind, status.value), EMPTY_EXCHANGE)["all"]]
            for status in statuses
        ],
    )


SECONDMENT_STATUSES = list(SecondmentAgreement.Status)
DEPLOYMENT_STATUSES = list(Deployment.Status)


@report_table("organisation.secondments", "Secondments in and out", ORGANISATION)
def organisation_secondments(organisation: Organisation) -> Table:
    return _organisation_exchange_table(_exchanges(organisation), "secondment", SECONDMENT_STATUSES)


@report_table("organisation.deployments", "Portability deployments in and out", ORGANISATION)
def organisation_deployments(organisation: Organisation) -> Table:
    return _organisation_exchange_table(_exchanges(organisation), "deployment", DEPLOYMENT_STATUSES)


@report_table("city.secondments", "Secondments by status", CITY)
def city_secondments(_=None) -> Table:
    return _city_exchange_table(_exchanges(None), "secondment", SECONDMENT_STATUSES, "Agreements")


@report_table("city.deployments", "Portability deployments by status", CITY)
def city_deployments(_=None) -> Table:
    return _city_exchange_table(_exchanges(None), "deployment", DEPLOYMENT_STATUSES, "Deployments")


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


def _equity_counts() -> dict:
    """{(question, answer): {"applications": n, "hires": n}} for sent applications, by
    the deprivation decile of the applicant's neighbourhood (question "imd_decile", the
    decile as text, blank when the postcode's sector is in no neighbourhood) and by each
    equality monitoring answer (blank when not answered). One UNION ALL of grouped
    counts."""
    sent = Application.objects.filter(SENT)
    counts = {
        "applications": Count("pk"),
        "hires": Count("pk", filter=Q(stage=HIRED)),
    }
    decile = Subquery(
        PostcodeSector.objects.filter(sector=OuterRef("sector")).values(
            "neighbourhood__imd_decile"
        )[:1],
        output_field=IntegerField(),
    )
    by_decile = (
        sent.annotate(sector=_sector())
        .values(answer=Coalesce(Cast(decile, CharField()), Value("")))
        .annotate(question=Value(DECILE_QUESTION), **counts)
        .order_by()
    )
    by_answer = [
        sent.values(answer=Coalesce(F(f"monitoring__{field}"), Value("")))
        .annotate(question=Value(field), **counts)
        .order_by()
        for field in MONITORING_QUESTIONS
    ]
    rows = by_decile.union(*by_answer, all=True)
    return {
        (row["question"], row["answer"]): {
            "applications": row["applications"],
            "hires": row["hires"],
        }
        for row in rows
    }


EMPTY_EQUITY = {"applications": 0, "hires": 0}


def _equity_cells(counts: dict, key) -> list:
    found = counts.get(key, EMPTY_EQUITY)
    return [suppressed(found["applications"]), suppressed(found["hires"])]


def _decile_label(decile: int) -> str:
    if decile == 1:
        return "1 (most deprived)"
    if decile == 10:
        return "10 (least deprived)"
    return str(decile)


def _decile_table(counts: dict) -> Table:
    rows = [
        [_decile_label(decile), *_equity_cells(counts, (DECILE_QUESTION, str(decile)))]
        for decile in range(1, 11)
    ]
    return Table(
        headers=["Neighbourhood deprivation decile", "Applications", "Hires"],
        rows=[*rows, [NOT_KNOWN, *_equity_cells(counts, (DECILE_QUESTION, ""))]],
        notes=[SUPPRESSION_NOTE],
    )


def _monitoring_table(counts: dict) -> Table:
    rows = []
    for field, (question, choices) in MONITORING_QUESTIONS.items():
        rows += [
            [question, choice.label, *_equity_cells(counts, (field, choice.value))]
            for choice in choices
        ]
        rows.append([question, NOT_ANSWERED, *_equity_cells(counts, (field, ""))])
    return Table(
        headers=["Question", "Answer", "Applications", "Hires"],
        rows=rows,
        notes=[SUPPRESSION_NOTE],
    )


@report_table("city.hires_by_imd_decile", "Applications and hires by deprivation decile", CITY)
def city_hires_by_imd_decile(_=None) -> Table:
    return _decile_table(_equity_counts())


@report_table(
    "city.applications_by_equality_monitoring",
    "Applications and hires by equality monitoring answer",
    CITY,
)
def city_applications_by_equality_monitoring(_=None) -> Table:
    return _monitoring_table(_equity_counts())


# --- Whole dashboards ----------------------------------------------------------------------


def organisation_figures(organisation: Organisation) -> dict[str, Table]:
    """Every `organisation.*` table of the dashboard for the organisation, the
    application figures and the secondments and deployments each counted once for the
    tables that share them."""
    totals = _organisation_applications(organisation)
    exchanges = _exchanges(organisation)
    shared = {
        "organisation.applications_by_stage": _stage_table(totals),
        "organisation.applications_by_source": _source_table(totals),
        "organisation.time_to_hire": Table(
            TIME_TO_HIRE_HEADERS, [_time_to_hire_row(organisation.name, totals)]
        ),
        "organisation.secondments": _organisation_exchange_table(
            exchanges, "secondment", SECONDMENT_STATUSES
        ),
        "organisation.deployments": _organisation_exchange_table(
            exchanges, "deployment", DEPLOYMENT_STATUSES
        ),
    }
    return shared | {
        "organisation.open_vacancies": organisation_open_vacancies(organisation),
        "organisation.applications_per_month": organisation_applications_per_month(organisation),
        "organisation.campaign_reach": organisation_campaign_reach(organisation),
    }


def city_figures() -> dict[str, Table]:
    """Every `city.*` table of the dashboard, sharing queries the same way."""
    partners, totals = _partners()
    exchanges = _exchanges(None)
    equity = _equity_counts()
    return {
        "city.open_vacancies": _city_open_vacancies_table(partners),
        "city.applications_by_stage": _city_stage_table(partners, totals),
        "city.applications_by_source": _source_table(totals),
        "city.time_to_hire": _city_time_to_hire_table(partners, totals),
        "city.applications_per_month": city_applications_per_month(),
        "city.secondments": _city_exchange_table(
            exchanges, "secondment", SECONDMENT_STATUSES, "Agreements"
        ),
        "city.deployments": _city_exchange_table(
            exchanges, "deployment", DEPLOYMENT_STATUSES, "Deployments"
        ),
        "city.campaign_reach": city_campaign_reach(),
        "city.hires_by_imd_decile": _decile_table(equity),
        "city.applications_by_equality_monitoring": _monitoring_table(equity),
    }
