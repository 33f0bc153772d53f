"""Every report table the portal can show and export, by key.

A report selector registers the function that builds one of its tables; the dashboards
render them and the exports (CSV and Excel, built by Celery for large ones) write them,
so a figure on screen and in a file always come from the same query.

    @report_table("organisation.applications_by_stage", "Applications by stage", ORGANISATION,
                  area="Recruitment")
    def applications_by_stage(organisation): -> Table(headers=[...], rows=[[...], ...])

Scope ORGANISATION functions take the organisation whose figures they are; scope CITY
functions take None and are for hub admins only. The area ("Recruitment", "Community
campaigns"...) groups the tables where people choose what to export.

Each app registers its own tables in its `reports` module (talent/reports.py,
portability/reports.py, campaigns/reports.py), imported from its AppConfig.ready(); the
hub names them only by key, so it never imports the apps built on it.

Tables that share a query (a dashboard's blocks counted from one aggregate) mark the
query `@shared`: inside `built_together()` it runs once for its arguments, elsewhere (an
export building one table) it simply runs.
"""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

ORGANISATION = "organisation"
CITY = "city"
# The area of the city's tables that count applicants and hires by neighbourhood deprivation
# and by equality monitoring answer (registered by talent and campaigns alike).
EQUITY_OF_REACH = "Equity of reach"
# The label of a table's total row over every partner (charts leave it out).
ALL_PARTNERS = "All partners"


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list]
    # Row counts under 5 already shown as "<5" where a person could be identified.
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RegisteredTable:
    key: str
    title: str
    scope: str
    build: Callable
    area: str
    # False for tables only the portal itself reads (the monthly email's figures).
    exportable: bool = True


REGISTRY: dict[str, RegisteredTable] = {}


def report_table(key: str, title: str, scope: str, *, area: str, exportable: bool = True):
    """Register `build` as the report table `key` (unique across the portal)."""
    if scope not in (ORGANISATION, CITY):
        raise ValueError(f"Unknown scope {scope!r}")

    def decorator(build: Callable) -> Callable:
        if key in REGISTRY:
            raise ValueError(f"Report table {key!r} is registered twice")
        REGISTRY[key] = RegisteredTable(
            key=key, title=title, scope=scope, build=build, area=area, exportable=exportable
        )
        return build

    return decorator


def tables_for(scope: str) -> list[RegisteredTable]:
    """The exportable tables of the scope, by area and then title."""
    return sorted(
        (table for table in REGISTRY.values() if table.scope == scope and table.exportable),
        key=lambda t: (t.area, t.title),
    )


def tables_by_area(scope: str) -> list[tuple[str, list[RegisteredTable]]]:
    """The exportable tables of the scope grouped by area, areas and titles in order."""
    areas: dict[str, list[RegisteredTable]] = {}
    for table in tables_for(scope):
        areas.setdefault(table.area, []).append(table)
    return list(areas.items())


# Results of `@shared` queries while tables are built together; None outside.
_built_together: ContextVar[dict | None] = ContextVar("report_tables_built_together", default=None)


@contextmanager
def built_together() -> Iterator[None]:
    """Build several tables in this block: each `@shared` query runs once per arguments."""
    token = _built_together.set({})
    try:
        yield
    finally:
        _built_together.reset(token)


def shared(query: Callable) -> Callable:
    """Mark a query several tables read, so `built_together()` runs it once."""

    @functools.wraps(query)
    def wrapper(*args):
        results = _built_together.get()
        if results is None:
            return query(*args)
        key = (query, *args)
        if key not in results:
            results[key] = query(*args)
        return results[key]

    return wrapper
