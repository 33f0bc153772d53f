"""The framework's reports, every figure computed in SQL (grouped aggregates with
conditional counts and sums; medians with PostgreSQL's `percentile_cont`), in three
queries whatever the number of rows (each a UNION ALL of its groupings).

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

from django.db.models import (
    Avg,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast, ExtractYear

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

NO_ID = Cast(Value(None), IntegerField())

# The groupings of deployments and of requests: {key: (the id each row keeps, as
# (name, expression), or None; its label; what rows are ordered by before the label)}.
# A year's label is the year.
DEPLOYMENT_GROUPS = {
    "by_year": (None, ExtractYear("starts_on"), NO_ID),
    "by_host": (("host_id", F("host_id")), F("host__name"), NO_ID),
    "by_home": (("home_id", F("home_id")), F("home__name"), NO_ID),
    "by_staff_group": (
        ("staff_group_id", F("offer__request__staff_group_id")),
        F("offer__request__staff_group__name"),
        F("offer__request__staff_group__position"),
    ),
}
REQUEST_GROUPS = {
    "by_year": (None, ExtractYear("created_at"), NO_ID),
    "by_staff_group": (
        ("staff_group_id", F("staff_group_id")),
        F("staff_group__name"),
        F("staff_group__position"),
    ),
}


def _mobilisations_per_year(mobilisations: QuerySet[Mobilisation]) -> list[dict]:
    """[{year, raised, activated, stood_down}], oldest year first: one grouped count per
    event, each in the year of its own timestamp, the three in one query."""
    counts = [
        mobilisations.filter(**{f"{field}__isnull": False})
        .values(event=Value(event), year=ExtractYear(field))
        .annotate(count=Count("pk"))
        .order_by()
        for event, field in MOBILISATION_EVENTS.items()
    ]
    years: dict[int, dict] = {}
    for row in counts[0].union(*counts[1:], all=True):
        years.setdefault(row["year"], dict.fromkeys(MOBILISATION_EVENTS, 0))[row["event"]] = row[
            "count"
        ]
    return [{"year": year, **years[year]} for year in sorted(years)]


def _total_and_groups(queryset: QuerySet, groups: dict, figures: dict) -> dict:
    """{"total": figures, key: [rows]} for each of `groups`, in one query: a UNION ALL of
    the total and one grouped query per key, each row tagged with its key; rows in each
    group ordered as the grouping says, then by label and id."""

    def part(key, group_id, label, position):
        return (
            queryset.values(
                part=Value(key),
                group_id=group_id,
                label=Cast(label, TextField()),
                position=position,
            )
            .annotate(**figures)
            .order_by()
        )

    total = part("total", NO_ID, Value(None), NO_ID)
    grouped = [
        part(key, identifier[1] if identifier else NO_ID, label, position)
        for key, (identifier, label, position) in groups.items()
    ]
    rows = total.union(*grouped, all=True).order_by("part", "position", "label", "group_id")
    # Grouped by its constant columns, the total has no row when nothing matches.
    report = {"total": queryset.none().aggregate(**figures)} | {key: [] for key in groups}
    for row in rows:
        key, group_id, label = row.pop("part"), row.pop("group_id"), row.pop("label")
        del row["position"]
        if key == "total":
            report["total"] = row
            continue
        identifier = groups[key][0]
        if identifier is None:
            report[key].append({"label": int(label), **row})
        else:
            report[key].append({identifier[0]: group_id, "label": label, **row})
    return report


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
    return _total_and_groups(deployed, DEPLOYMENT_GROUPS, _deployment_figures())


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
    return _total_and_groups(staff_requests, REQUEST_GROUPS, _fill_figures())


def _report(mobilisations, deployments, staff_requests) -> dict:
    return {
        "mobilisations": _mobilisations_per_year(mobilisations),
        "deployments": _deployments_report(deployments),
        "requests": _requests_report(staff_requests),
    }


def framework_report() -> dict:
    """The whole framework's figures, for hub admins: one query each for mobilisations,
    deployments and requests."""
    return _report(Mobilisation.objects.all(), Deployment.objects.all(), StaffRequest.objects.all())


def organisation_report(organisation: Organisation) -> dict:
    """The same figures for one organisation: the mobilisations and requests it raised,
    and the deployments where it is home or host."""
    return _report(
        Mobilisation.objects.filter(organisation=organisation),
        Deployment.objects.filter(Q(home=organisation) | Q(host=organisation)),
        StaffRequest.objects.filter(mobilisation__organisation=organisation),
    )
