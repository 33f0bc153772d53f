"""The organisation dashboard and the city dashboard: the cached figures the pages show.

Every block of a dashboard is a report table registered with `hub.report_tables` by the
app whose figures it shows (talent/reports.py, portability/reports.py,
campaigns/reports.py), named here by key: `organisation.*` for one partner's staff,
`city.*` for hub admins. So the page, its chart and an exported file come from the same
query, and the hub never imports the apps built on it.

A dashboard builds its tables together (`built_together`), so the queries its blocks have
in common run once and a page runs a fixed, small number of queries whatever the number of
records. The result is cached for `CACHE_SECONDS` per organisation (and once for the
city), with the time it was counted, because people open the dashboard often and the
figures move slowly. The cache is Django's local-memory cache of each web process, not the
portal's default cache in PostgreSQL: reading and writing that costs up to six queries a
page (more than the figures themselves), while a figure counted twice by two processes
costs little.
"""

import datetime
from dataclasses import dataclass

from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from hub.models import Organisation
from hub.report_tables import REGISTRY, Table, built_together

CACHE_SECONDS = 5 * 60

# The blocks of each dashboard, by key (the templates reach them by the part after the dot).
ORGANISATION_TABLES = (
    "organisation.open_vacancies",
    "organisation.applications_by_stage",
    "organisation.applications_by_source",
    "organisation.time_to_hire",
    "organisation.applications_per_month",
    "organisation.secondments",
    "organisation.deployments",
    "organisation.campaign_reach",
)
CITY_TABLES = (
    "city.open_vacancies",
    "city.applications_by_stage",
    "city.applications_by_source",
    "city.time_to_hire",
    "city.applications_per_month",
    "city.secondments",
    "city.deployments",
    "city.campaign_reach",
    "city.hires_by_imd_decile",
    "city.applications_by_equality_monitoring",
)

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


def _build(keys, organisation: Organisation | None) -> dict[str, Table]:
    with built_together():
        return {key: REGISTRY[key].build(organisation) for key in keys}


def organisation_figures(organisation: Organisation) -> dict[str, Table]:
    """Every table of the organisation's dashboard, counted now."""
    return _build(ORGANISATION_TABLES, organisation)


def city_figures() -> dict[str, Table]:
    """Every table of the city's dashboard, counted now."""
    return _build(CITY_TABLES, None)
