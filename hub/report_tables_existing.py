"""The report tables of the pages that existed before the dashboards, registered so they
can be exported: time to hire, mobility, the Staff Portability Framework and campaigns.

Each function only reshapes what the app's own report selector already counted in SQL
(talent.selectors.time_to_hire and mobility_reports, portability.selectors.reports,
campaigns.selectors.funnel) into headers and rows, so a file holds the figures the page
shows. Figures are shown as those pages show them: medians and averages to one decimal
place, rates as whole percentages, counts exact (none of these tables breaks people down
by where they live or who they are).

Imported from HubConfig.ready(), once every app's models are loaded.
"""

from campaigns.models import Campaign
from campaigns.selectors.funnel import campaigns_compared as compared
from hub.report_tables import CITY, ORGANISATION, Table, report_table
from portability.selectors import reports as portability_reports
from talent.selectors import mobility_reports
from talent.selectors.time_to_hire import STATUS_LABELS, organisation_time_to_hire

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


# --- Time to hire -----------------------------------------------------------------------


@report_table("organisation.tth_by_stage", "Time to hire: days in each stage", ORGANISATION)
def time_to_hire_by_stage(organisation) -> Table:

    report = organisation_time_to_hire(organisation)
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


@report_table("organisation.tth_by_vacancy", "Time to hire by vacancy", ORGANISATION)
def time_to_hire_by_vacancy(organisation) -> Table:

    report = organisation_time_to_hire(organisation)
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


# --- Mobility ---------------------------------------------------------------------------

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


@report_table("organisation.mobility_secondments", "Secondments out and in", ORGANISATION)
def organisation_secondments(organisation) -> Table:

    rows = mobility_reports.organisation_report(organisation)["secondments"]
    return Table(
        headers=["Organisation", *_SECONDMENT_HEADERS],
        rows=[[row["name"], *_secondment_row(row)] for row in rows],
    )


@report_table(
    "organisation.mobility_invitations", "Talent pool invitations by vacancy", ORGANISATION
)
def organisation_pool_invitations(organisation) -> Table:

    invitations = mobility_reports.organisation_report(organisation)["invitations"]
    rows = [
        [row["label"], row["reference"], *_invitation_row(row)] for row in invitations["by_vacancy"]
    ]
    rows.append(["All vacancies", "", *_invitation_row(invitations["total"])])
    return Table(headers=["Vacancy", "Reference", *_INVITATION_HEADERS], rows=rows)


@report_table("city.mobility_secondments", "Secondments by organisation", CITY)
def city_secondments(_organisation=None) -> Table:

    rows = mobility_reports.city_report()["secondments"]["by_organisation"]
    return Table(
        headers=["Organisation", *_SECONDMENT_HEADERS],
        rows=[[row["name"], *_secondment_row(row)] for row in rows],
    )


@report_table("city.mobility_invitations", "Talent pool invitations by organisation", CITY)
def city_pool_invitations(_organisation=None) -> Table:

    invitations = mobility_reports.city_report()["invitations"]
    rows = [[row["label"], *_invitation_row(row)] for row in invitations["by_organisation"]]
    rows.append(["All organisations", *_invitation_row(invitations["total"])])
    return Table(headers=["Organisation", *_INVITATION_HEADERS], rows=rows)


@report_table("city.mobility_pool", "The talent pool", CITY)
def city_pool(_organisation=None) -> Table:

    pool = mobility_reports.city_report()["pool"]
    return Table(
        headers=["In the pool now", "Joined after an unsuccessful application", "Left the pool"],
        rows=[[pool["in_pool"], pool["after_rejection"], pool["left"]]],
    )


# --- Staff Portability Framework -----------------------------------------------------------


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


for _scope, _where in ((ORGANISATION, ""), (CITY, " (all partners)")):
    report_table(f"{_scope}.portability_mobilisations", f"Mobilisations per year{_where}", _scope)(
        _mobilisations
    )
    for _suffix, _title, _heading, _group in _DEPLOYMENT_GROUPS:
        report_table(
            f"{_scope}.portability_deployments_{_suffix}",
            f"Staff deployed {_title}{_where}",
            _scope,
        )(_deployments(_group, _heading))
    for _suffix, _title, _heading, _group in _REQUEST_GROUPS:
        report_table(
            f"{_scope}.portability_requests_{_suffix}",
            f"Requests for staff {_title}{_where}",
            _scope,
        )(_requests(_group, _heading))


# --- Campaigns ------------------------------------------------------------------------------


@report_table("organisation.campaigns_compared", "Campaigns side by side", ORGANISATION)
def campaigns_compared(organisation) -> Table:
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
            for row in compared(campaigns)
        ],
    )
