"""The framework's reports, every figure computed in SQL (grouped aggregates with
conditional counts and sums; medians with PostgreSQL's `percentile_cont`), in a fixed
number of queries whatever the number of rows.

- Mobilisations per year: raised (by the year it was raised), activated (by the year of
  activation) and stood down (by the year it was stood down).
- Staff deployed and days shared: a deployment counts as staff deployed once it is active
  or returned, in the year of its start date. Days shared are the days worked of returned
  deployments; the planned days of active ones (start to end date, both counted) are shown
  apart. Per year, by host, by home organisation and by the request's staff group.
- Time from request to filled: the days from a staff request being made to its last place
  being filled, median and average, per year the request was made and per staff group;
  requests never filled are counted apart (still open, or cancelled).

For one organisation (`organisation_report`) the same figures are narrowed to its own
mobilisations and requests (those it raised, as host) and to deployments where it is home
or host.
"""

from django.db.models import Avg, Count, F, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractYear

from hub.models import Organisation
from portability.models import Deployment, Mobilisation, StaffRequest
from talent.selectors.time_to_hire import DateDifference, Days, Median

DEPLOYED = (Deployment.Status.ACTIVE, Deployment.Status.RETURNED)

# Each mobilisation figure: the timestamp whose year it is counted in.
MOBILISATION_EVENTS = {
    "raised": "created_at",
    "activated": "activated_at",
    "stood_down": "stood_down_at",
}

# The deployment groupings: {key: (fields and expressions grouped by, the order)}; each
# row's `label` is the year or the name it is grouped by.
DEPLOYMENT_GROUPS = {
    "by_year": ((), {"label": ExtractYear("starts_on")}, ("label",)),
    "by_host": (("host_id",), {"label": F("host__name")}, ("label", "host_id")),
    "by_home": (("home_id",), {"label": F("home__name")}, ("label", "home_id")),
    "by_staff_group": (
        (),
        {
            "staff_group_id": F("offer__request__staff_group_id"),
            "label": F("offer__request__staff_group__name"),
        },
        ("offer__request__staff_group__position", "label"),
    ),
}


def _mobilisations_per_year(mobilisations: QuerySet[Mobilisation]) -> list[dict]:
    """[{year, raised, activated, stood_down}], oldest year first: one grouped count per
    event, each in the year of its own timestamp."""
    years: dict[int, dict] = {}
    for event, field in MOBILISATION_EVENTS.items():
        counts = (
            mobilisations.filter(**{f"{field}__isnull": False})
            .annotate(year=ExtractYear(field))
            .values("year")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in counts:
            years.setdefault(row["year"], dict.fromkeys(MOBILISATION_EVENTS, 0))[event] = row[
                "count"
            ]
    return [{"year": year, **years[year]} for year in sorted(years)]


def _deployment_figures() -> dict:
    returned = Q(status=Deployment.Status.RETURNED)
    active = Q(status=Deployment.Status.ACTIVE)
    planned_days = DateDifference(F("ends_on"), F("starts_on")) + Value(1)
    return {
        "deployed": Count("pk"),
        "returned": Count("pk", filter=returned),
        "days_worked": Sum("days_worked", filter=returned, default=0),
        "active": Count("pk", filter=active),
        "planned_days": Sum(planned_days, filter=active, default=0),
    }


def _deployments_report(deployments: QuerySet[Deployment]) -> dict:
    deployed = deployments.filter(status__in=DEPLOYED)
    report = {"total": deployed.aggregate(**_deployment_figures())}
    for key, (fields, expressions, order) in DEPLOYMENT_GROUPS.items():
        report[key] = list(
            deployed.values(*fields, **expressions)
            .annotate(**_deployment_figures())
            .order_by(*order)
        )
    return report


def _fill_figures() -> dict:
    filled = Q(filled_at__isnull=False)
    never_filled = Q(filled_at__isnull=True)
    days_to_fill = Days(F("filled_at") - F("created_at"))
    return {
        "requests": Count("pk"),
        "people": Sum("number_needed", default=0),
        "filled": Count("pk", filter=filled),
        "median_days": Median(days_to_fill, filter=filled),
        "average_days": Avg(days_to_fill, filter=filled),
        "open": Count("pk", filter=never_filled & Q(status=StaffRequest.Status.OPEN)),
        "cancelled": Count("pk", filter=never_filled & Q(status=StaffRequest.Status.CANCELLED)),
    }


def _requests_report(staff_requests: QuerySet[StaffRequest]) -> dict:
    return {
        "total": staff_requests.aggregate(**_fill_figures()),
        "by_year": list(
            staff_requests.values(label=ExtractYear("created_at"))
            .annotate(**_fill_figures())
            .order_by("label")
        ),
        "by_staff_group": list(
            staff_requests.values("staff_group_id", label=F("staff_group__name"))
            .annotate(**_fill_figures())
            .order_by("staff_group__position", "label")
        ),
    }


def _report(mobilisations, deployments, staff_requests) -> dict:
    return {
        "mobilisations": _mobilisations_per_year(mobilisations),
        "deployments": _deployments_report(deployments),
        "requests": _requests_report(staff_requests),
    }


def framework_report() -> dict:
    """The whole framework's figures, for hub admins: 3 queries for mobilisations, 5 for
    deployments, 3 for requests."""
    return _report(Mobilisation.objects.all(), Deployment.objects.all(), StaffRequest.objects.all())


def organisation_report(organisation: Organisation) -> dict:
    """The same figures for one organisation: the mobilisations and requests it raised,
    and the deployments where it is home or host."""
    return _report(
        Mobilisation.objects.filter(organisation=organisation),
        Deployment.objects.filter(Q(home=organisation) | Q(host=organisation)),
        StaffRequest.objects.filter(mobilisation__organisation=organisation),
    )
