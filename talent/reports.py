"""Talent's report tables, registered with `hub.report_tables` for the dashboards, the
exports and the monthly city impact report: open vacancies, applications by stage, by
source and per month, time to hire, secondments, equality monitoring, the time-to-hire
and mobility tables of the pages built before the dashboards, and last month's figures.

Dashboard figures are counted in SQL: conditional aggregates over applications, grouped
counts, UNION ALL of grouped counts, and PostgreSQL's `percentile_cont` for medians.
Python only lays out the rows a query returned or walks fixed lists (the stages, the
twelve months). The queries several tables read are `@shared`, so a dashboard counts
them once.

The equality monitoring breakdown (city only) counts applications, not people: the
answers belong to an application, and a person applying twice may have answered
differently. It shows 1 to 4 as "<5" (`hub.small_numbers`), already in the table, so no
file or chart carries the exact figure.

The tables of the older pages only reshape what talent.selectors.time_to_hire and
mobility_reports already counted into headers and rows, so a file holds the figures the
page shows: medians and averages to one decimal place, rates as whole percentages.

Imported from TalentConfig.ready(), once every app's models are loaded.
"""

import datetime

from django.db.models import Count, F, Q, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hub import exchange_tables
from hub.impact_report import FIGURE_HEADERS, last_month, month_bounds
from hub.models import Organisation
from hub.report_tables import (
    ALL_PARTNERS,
    CITY,
    EQUITY_OF_REACH,
    ORGANISATION,
    Table,
    report_table,
    shared,
)
from hub.small_numbers import SUPPRESSION_NOTE, suppressed
from talent.models import Application, SecondmentAgreement, StageChange, Vacancy
from talent.selectors import mobility_reports, time_to_hire
from talent.selectors.equity import MONITORING_QUESTIONS, equity_counts
from talent.selectors.time_to_hire import STATUS_LABELS, Median, closing_to_unconditional

# Where people choose tables to export.
RECRUITMENT = "Recruitment"
MOBILITY = "Secondments and the talent pool"
EQUITY = EQUITY_OF_REACH

Stage = Application.Stage
Source = Application.Source

NOT_GIVEN = "Not given"
NOT_ANSWERED = "Not answered"

# Stages an application can be in once it is sent, in the pipeline's order.
SENT_STAGES = [stage for stage in Stage if stage != Stage.DRAFT]
HIRED = Stage.HIRED


def _days(value) -> float | None:
    return None if value is None else round(value, 1)


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
        # The time-to-hire report's expression, so the median is the same figure as the
        # "Time to hire" page's.
        "median_days": Median(closing_to_unconditional(prefix), filter=sent),
        "offers": Count(f"{prefix}offer__unconditional_at", filter=sent),
    }


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
    return [label, _days(totals["median_days"]), totals["offers"]]


TIME_TO_HIRE_HEADERS = [
    "Organisation",
    "Median days from closing date to unconditional offer",
    "Unconditional offers",
]


@shared
def _organisation_applications(organisation: Organisation) -> dict:
    return Application.objects.filter(vacancy__organisation=organisation).aggregate(
        **_application_aggregates()
    )


@shared
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


@report_table("organisation.open_vacancies", "Open vacancies", ORGANISATION, area=RECRUITMENT)
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


@report_table("city.open_vacancies", "Open vacancies by organisation", CITY, area=RECRUITMENT)
def city_open_vacancies(_=None) -> Table:
    return Table(
        headers=["Organisation", "Open vacancies", "Applications to them"],
        rows=[
            [row["label"], row["open_vacancies"], row["open_applications"]]
            for row in _partners()[0]
        ],
    )


# --- Applications by stage, by source, time to hire ---------------------------------------


@report_table(
    "organisation.applications_by_stage", "Applications by stage", ORGANISATION, area=RECRUITMENT
)
def organisation_applications_by_stage(organisation: Organisation) -> Table:
    return _stage_table(_organisation_applications(organisation))


@report_table(
    "organisation.applications_by_source", "Applications by source", ORGANISATION, area=RECRUITMENT
)
def organisation_applications_by_source(organisation: Organisation) -> Table:
    return _source_table(_organisation_applications(organisation))


@report_table("organisation.time_to_hire", "Median time to hire", ORGANISATION, area=RECRUITMENT)
def organisation_time_to_hire(organisation: Organisation) -> Table:
    totals = _organisation_applications(organisation)
    return Table(TIME_TO_HIRE_HEADERS, [_time_to_hire_row(organisation.name, totals)])


@report_table(
    "city.applications_by_stage", "Applications by stage and organisation", CITY, area=RECRUITMENT
)
def city_applications_by_stage(_=None) -> Table:
    partners, totals = _partners()

    def row(label, figures):
        return [label, *(figures[f"stage_{stage}"] for stage in SENT_STAGES), figures["sent"]]

    return Table(
        headers=["Organisation", *(stage.label for stage in SENT_STAGES), "All sent"],
        rows=[*(row(p["label"], p) for p in partners), row(ALL_PARTNERS, totals)],
    )


@report_table("city.applications_by_source", "Applications by source", CITY, area=RECRUITMENT)
def city_applications_by_source(_=None) -> Table:
    return _source_table(_partners()[1])


@report_table("city.time_to_hire", "Median time to hire by organisation", CITY, area=RECRUITMENT)
def city_time_to_hire(_=None) -> Table:
    partners, totals = _partners()
    return Table(
        TIME_TO_HIRE_HEADERS,
        [
            *(_time_to_hire_row(p["label"], p) for p in partners),
            _time_to_hire_row(ALL_PARTNERS, totals),
        ],
    )


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


@report_table(
    "organisation.applications_per_month", "Applications per month", ORGANISATION, area=RECRUITMENT
)
def organisation_applications_per_month(organisation: Organisation) -> Table:
    return _per_month(Application.objects.filter(vacancy__organisation=organisation))


@report_table("city.applications_per_month", "Applications per month", CITY, area=RECRUITMENT)
def city_applications_per_month(_=None) -> Table:
    return _per_month(Application.objects.all())


# --- Secondments ---------------------------------------------------------------------------

SECONDMENT_STATUSES = list(SecondmentAgreement.Status)
exchange_tables.register("secondment", SecondmentAgreement)


@report_table("organisation.secondments", "Secondments in and out", ORGANISATION, area=MOBILITY)
def organisation_secondments(organisation: Organisation) -> Table:
    return exchange_tables.organisation_table(organisation, "secondment", SECONDMENT_STATUSES)


@report_table("city.secondments", "Secondments by status", CITY, area=MOBILITY)
def city_secondments(_=None) -> Table:
    return exchange_tables.city_table("secondment", SECONDMENT_STATUSES, "Agreements")


# --- Equality monitoring (city) ------------------------------------------------------------


@report_table(
    "city.applications_by_equality_monitoring",
    "Applications and hires by equality monitoring answer",
    CITY,
    area=EQUITY,
)
def city_applications_by_equality_monitoring(_=None) -> Table:
    counts = equity_counts()

    def cells(key) -> list:
        found = counts.get(key, {"applications": 0, "hires": 0})
        return [suppressed(found["applications"]), suppressed(found["hires"])]

    rows = []
    for field, (question, choices) in MONITORING_QUESTIONS.items():
        rows += [[question, choice.label, *cells((field, choice.value))] for choice in choices]
        rows.append([question, NOT_ANSWERED, *cells((field, ""))])
    return Table(
        headers=["Question", "Answer", "Applications", "Hires"],
        rows=rows,
        notes=[SUPPRESSION_NOTE],
    )


# --- Time to hire (the time-to-hire page's tables) -----------------------------------------


@report_table(
    "organisation.tth_by_stage", "Time to hire: days in each stage", ORGANISATION, area=RECRUITMENT
)
def time_to_hire_by_stage(organisation) -> Table:
    report = time_to_hire.organisation_time_to_hire(organisation)
    closing = report["closing_to_unconditional"]
    rows = [
        [row["label"], row["target"], _days(row["median"]), _days(row["average"]), row["count"]]
        for row in report["stages"]
    ]
    rows.append(
        [
            "Closing date to unconditional offer",
            closing["target"],
            _days(closing["median"]),
            _days(closing["average"]),
            closing["count"],
        ]
    )
    return Table(
        headers=["Stage", "Target (days)", "Median days", "Average days", "Applications"],
        rows=rows,
    )


@report_table(
    "organisation.tth_by_vacancy", "Time to hire by vacancy", ORGANISATION, area=RECRUITMENT
)
def time_to_hire_by_vacancy(organisation) -> Table:
    report = time_to_hire.organisation_time_to_hire(organisation)
    return Table(
        headers=[
            "Vacancy",
            "Reference",
            "Closing date",
            "Applications",
            "Median days, closing date to unconditional offer",
            "Unconditional offers",
            *STATUS_LABELS.values(),
        ],
        rows=[
            [
                row["vacancy"].title,
                row["vacancy"].reference,
                row["vacancy"].closing_date,
                row["applications"],
                _days(row["closing_to_unconditional"]["median"]),
                row["closing_to_unconditional"]["count"],
                *(row["statuses"][status] for status in STATUS_LABELS),
            ]
            for row in report["vacancies"]
        ],
    )


# --- Mobility (the mobility report pages' tables) ------------------------------------------

_SECONDMENT_HEADERS = [
    "Its people seconded out: active",
    "Its people seconded out: completed",
    "Secondees it hosts: active",
    "Secondees it hosted: completed",
]
_INVITATION_HEADERS = ["Invitations sent", "Applied", "Applied (%)", "Hired", "Hired (%)"]


def _secondment_row(row) -> list:
    return [row["out_active"], row["out_completed"], row["in_active"], row["in_completed"]]


def _invitation_row(row) -> list:
    return [row["sent"], row["applied"], row["applied_rate"], row["hired"], row["hired_rate"]]


# The tables of an organisation's mobility report page, for its "download" link.
MOBILITY_PAGE_TABLE_KEYS = [
    "organisation.mobility_secondments",
    "organisation.mobility_invitations",
]


@report_table(
    "organisation.mobility_secondments", "Secondments out and in", ORGANISATION, area=MOBILITY
)
def organisation_mobility_secondments(organisation) -> Table:
    rows = mobility_reports.organisation_report(organisation)["secondments"]
    return Table(
        headers=["Organisation", *_SECONDMENT_HEADERS],
        rows=[[row["name"], *_secondment_row(row)] for row in rows],
    )


@report_table(
    "organisation.mobility_invitations",
    "Talent pool invitations by vacancy",
    ORGANISATION,
    area=MOBILITY,
)
def organisation_pool_invitations(organisation) -> Table:
    invitations = mobility_reports.organisation_report(organisation)["invitations"]
    rows = [
        [row["label"], row["reference"], *_invitation_row(row)] for row in invitations["by_vacancy"]
    ]
    rows.append(["All vacancies", "", *_invitation_row(invitations["total"])])
    return Table(headers=["Vacancy", "Reference", *_INVITATION_HEADERS], rows=rows)


@report_table("city.mobility_secondments", "Secondments by organisation", CITY, area=MOBILITY)
def city_mobility_secondments(_organisation=None) -> Table:
    rows = mobility_reports.city_report()["secondments"]["by_organisation"]
    return Table(
        headers=["Organisation", *_SECONDMENT_HEADERS],
        rows=[[row["name"], *_secondment_row(row)] for row in rows],
    )


@report_table(
    "city.mobility_invitations", "Talent pool invitations by organisation", CITY, area=MOBILITY
)
def city_pool_invitations(_organisation=None) -> Table:
    invitations = mobility_reports.city_report()["invitations"]
    rows = [[row["label"], *_invitation_row(row)] for row in invitations["by_organisation"]]
    rows.append(["All organisations", *_invitation_row(invitations["total"])])
    return Table(headers=["Organisation", *_INVITATION_HEADERS], rows=rows)


@report_table("city.mobility_pool", "The talent pool", CITY, area=MOBILITY)
def city_pool(_organisation=None) -> Table:
    pool = mobility_reports.city_report()["pool"]
    return Table(
        headers=["In the pool now", "Joined after an unsuccessful application", "Left the pool"],
        rows=[[pool["in_pool"], pool["after_rejection"], pool["left"]]],
    )


# --- Last month's figures (the monthly city impact report) ---------------------------------


@report_table(
    "city.last_month_talent",
    "Last month: vacancies, applications, hires and secondments",
    CITY,
    exportable=False,
    area=RECRUITMENT,
)
def city_last_month(_=None, *, first=None, after=None) -> Table:
    """Vacancies published, applications sent, applications hired and secondments started
    from `first` up to (not including) `after`, last month by default: one aggregate
    query per model."""
    if first is None or after is None:
        first, after = last_month(timezone.localdate())
    start, end = month_bounds(first, after)
    figures = Vacancy.objects.aggregate(
        vacancies_published=Count("pk", filter=Q(published_at__gte=start, published_at__lt=end))
    )
    figures |= Application.objects.aggregate(
        applications=Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end))
    )
    figures |= StageChange.objects.aggregate(
        hires=Count(
            "application_id",
            distinct=True,
            filter=Q(to_stage=HIRED, created_at__gte=start, created_at__lt=end),
        )
    )
    figures |= SecondmentAgreement.objects.aggregate(
        secondments_started=Count("pk", filter=Q(activated_at__gte=start, activated_at__lt=end))
    )
    return Table(FIGURE_HEADERS, [[name, count] for name, count in figures.items()])
