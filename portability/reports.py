"""The Staff Portability Framework's report tables, registered with `hub.report_tables`
for the dashboards, the exports and the monthly city impact report: deployments in and
out by status, the framework report page's tables, and last month's deployments started.

The framework tables only reshape what portability.selectors.reports already counted in
SQL into headers and rows, so a file holds the figures the page shows: medians and
averages to one decimal place, counts exact.

Imported from PortabilityConfig.ready(), once every app's models are loaded.
"""

from django.db.models import Count, Q
from django.utils import timezone

from hub import exchange_tables
from hub.impact_report import FIGURE_HEADERS, last_month, month_bounds
from hub.models import Organisation
from hub.report_tables import CITY, ORGANISATION, Table, report_table
from portability.models import Deployment
from portability.selectors import reports as portability_reports

# Where people choose tables to export.
PORTABILITY = "Staff Portability Framework"

# The groupings of the framework's deployments: (key suffix, title, first column, report key).
_DEPLOYMENT_GROUPS = (
    ("by_year", "by year", "Year", "by_year"),
    ("by_host", "by host organisation", "Host organisation", "by_host"),
    ("by_home", "by home organisation", "Home organisation", "by_home"),
    ("by_staff_group", "by staff group", "Staff group", "by_staff_group"),
)
_REQUEST_GROUPS = (
    ("by_year", "by year requested", "Year", "by_year"),
    ("by_staff_group", "by staff group", "Staff group", "by_staff_group"),
)


def _days(value):
    return None if value is None else round(value, 1)


# --- Deployments in and out (the dashboards) -----------------------------------------------

DEPLOYMENT_STATUSES = list(Deployment.Status)
exchange_tables.register("deployment", Deployment)


@report_table(
    "organisation.deployments", "Portability deployments in and out", ORGANISATION, area=PORTABILITY
)
def organisation_deployments(organisation: Organisation) -> Table:
    return exchange_tables.organisation_table(organisation, "deployment", DEPLOYMENT_STATUSES)


@report_table("city.deployments", "Portability deployments by status", CITY, area=PORTABILITY)
def city_deployments(_=None) -> Table:
    return exchange_tables.city_table("deployment", DEPLOYMENT_STATUSES, "Deployments")


# --- The framework report (the portability report pages' tables) ---------------------------


def _portability_report(organisation):
    if organisation is None:
        return portability_reports.framework_report()
    return portability_reports.organisation_report(organisation)


def _mobilisations(organisation) -> Table:
    rows = _portability_report(organisation)["mobilisations"]
    return Table(
        headers=["Year", "Raised", "Activated", "Stood down"],
        rows=[[row["year"], row["raised"], row["activated"], row["stood_down"]] for row in rows],
    )


def _deployments(group: str, heading: str):
    def build(organisation) -> Table:
        rows = _portability_report(organisation)["deployments"][group]
        return Table(
            headers=[
                heading,
                "Staff deployed",
                "Returned",
                "Days worked (returned)",
                "Active now",
                "Planned days (active)",
            ],
            rows=[
                [
                    row["label"],
                    row["deployed"],
                    row["returned"],
                    row["days_worked"],
                    row["active"],
                    row["planned_days"],
                ]
                for row in rows
            ],
        )

    return build


def _requests(group: str, heading: str):
    def build(organisation) -> Table:
        rows = _portability_report(organisation)["requests"][group]
        return Table(
            headers=[
                heading,
                "Requests",
                "People needed",
                "Filled",
                "Median days to fill",
                "Average days to fill",
                "Still open",
                "Cancelled",
            ],
            rows=[
                [
                    row["label"],
                    row["requests"],
                    row["people"],
                    row["filled"],
                    _days(row["median_days"]),
                    _days(row["average_days"]),
                    row["open"],
                    row["cancelled"],
                ]
                for row in rows
            ],
        )

    return build


# The tables of an organisation's framework report page, for its "download" link.
ORGANISATION_PAGE_TABLE_KEYS = [
    f"{ORGANISATION}.portability_mobilisations",
    *(f"{ORGANISATION}.portability_deployments_{group[0]}" for group in _DEPLOYMENT_GROUPS),
    *(f"{ORGANISATION}.portability_requests_{group[0]}" for group in _REQUEST_GROUPS),
]

for _scope, _where in ((ORGANISATION, ""), (CITY, " (all partners)")):
    report_table(
        f"{_scope}.portability_mobilisations",
        f"Mobilisations per year{_where}",
        _scope,
        area=PORTABILITY,
    )(_mobilisations)
    for _suffix, _title, _heading, _group in _DEPLOYMENT_GROUPS:
        report_table(
            f"{_scope}.portability_deployments_{_suffix}",
            f"Staff deployed {_title}{_where}",
            _scope,
            area=PORTABILITY,
        )(_deployments(_group, _heading))
    for _suffix, _title, _heading, _group in _REQUEST_GROUPS:
        report_table(
            f"{_scope}.portability_requests_{_suffix}",
            f"Requests for staff {_title}{_where}",
            _scope,
            area=PORTABILITY,
        )(_requests(_group, _heading))


# --- Last month's figures (the monthly city impact report) ---------------------------------


@report_table(
    "city.last_month_portability",
    "Last month: deployments started",
    CITY,
    exportable=False,
    area=PORTABILITY,
)
def city_last_month(_=None, *, first=None, after=None) -> Table:
    """Deployments started from `first` up to (not including) `after`, last month by
    default: one aggregate query."""
    if first is None or after is None:
        first, after = last_month(timezone.localdate())
    start, end = month_bounds(first, after)
    figures = Deployment.objects.aggregate(
        deployments_started=Count("pk", filter=Q(started_at__gte=start, started_at__lt=end))
    )
    return Table(FIGURE_HEADERS, [[name, count] for name, count in figures.items()])
