"""Tables of people exchanged between partners, by status: talent's secondment agreements
and portability's deployments both have a `home` organisation (whose person goes), a
`host` (who takes them) and a `status`, and their dashboard tables have the same shape.

Each app registers its model under a kind (`register("secondment", SecondmentAgreement)`)
from its reports module; `counts` counts every registered kind in one UNION ALL query,
`@shared` so a dashboard runs it once for all its exchange tables.
"""

from django.db.models import Count, Model, Q, Value

from hub.models import Organisation
from hub.report_tables import Table, shared

EMPTY = {"out": 0, "in": 0, "all": 0}

# {kind: model}, in the order registered.
MODELS: dict[str, type[Model]] = {}


def register(kind: str, model: type[Model]) -> None:
    """Count `model` (with `home`, `host` and `status` fields) under `kind`."""
    MODELS[kind] = model


@shared
def counts(organisation: Organisation | None) -> dict[tuple[str, str], dict]:
    """{(kind, status): {"out": n, "in": n, "all": n}}: every registered kind by status,
    with the organisation as home (out) and as host (in), or all of them for the city
    (None). One UNION ALL query."""

    def counted(kind, model):
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

    first, *others = (counted(kind, model) for kind, model in MODELS.items())
    return {
        (row["kind"], row["status"]): {"out": row["out"], "in": row["into"], "all": row["every"]}
        for row in first.union(*others, all=True)
    }


def organisation_table(organisation: Organisation, kind: str, statuses) -> Table:
    """Each status with the organisation's people out with partners and partners' in."""
    found = counts(organisation)
    return Table(
        headers=["Status", "Out: your people with other partners", "In: partners' people with you"],
        rows=[
            [status.label, row["out"], row["in"]]
            for status in statuses
            for row in [found.get((kind, status.value), EMPTY)]
        ],
    )


def city_table(kind: str, statuses, noun: str) -> Table:
    """Each status with the number across the city, under the heading `noun`."""
    found = counts(None)
    return Table(
        headers=["Status", noun],
        rows=[[status.label, found.get((kind, status.value), EMPTY)["all"]] for status in statuses],
    )
