"""Every report table the portal can show and export, by key.

A report selector registers the function that builds one of its tables; the dashboards
render them and the exports (CSV and Excel, built by Celery for large ones) write them,
so a figure on screen and in a file always come from the same query.

    @report_table("organisation.applications_by_stage", "Applications by stage", ORGANISATION)
    def applications_by_stage(organisation): -> Table(headers=[...], rows=[[...], ...])

Scope ORGANISATION functions take the organisation whose figures they are; scope CITY
functions take None and are for hub admins only.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ORGANISATION = "organisation"
CITY = "city"


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


REGISTRY: dict[str, RegisteredTable] = {}


def report_table(key: str, title: str, scope: str):
    """Register `build` as the report table `key` (unique across the portal)."""
    if scope not in (ORGANISATION, CITY):
        raise ValueError(f"Unknown scope {scope!r}")

    def decorator(build: Callable) -> Callable:
        if key in REGISTRY:
            raise ValueError(f"Report table {key!r} is registered twice")
        REGISTRY[key] = RegisteredTable(key=key, title=title, scope=scope, build=build)
        return build

    return decorator


def tables_for(scope: str) -> list[RegisteredTable]:
    return sorted(
        (table for table in REGISTRY.values() if table.scope == scope), key=lambda t: t.title
    )
