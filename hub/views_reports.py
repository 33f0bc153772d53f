"""The dashboards: an organisation's at /manage/<org_slug>/reports/ for its staff with
Capability.VIEW_REPORTS, and the city's at /reports/city/ for hub admins (`is_staff`);
anyone else signed in is told the city page does not exist, and anonymous visitors are
sent to sign in. Figures come from `hub.dashboards`, counted in SQL and cached for a few
minutes; each page says when they were counted."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hub import dashboards, export_services
from hub.access import Capability, hub_admin_view, organisation_view


def _context(figures: dashboards.Figures, organisation) -> dict:
    """The tables by their name within the scope ("applications_by_stage"), so a
    template can reach them, when they were counted, and where to export them."""
    return {
        "tables": {key.partition(".")[2]: table for key, table in figures.tables.items()},
        "computed_at": figures.computed_at,
        "cache_minutes": dashboards.CACHE_SECONDS // 60,
        "export_url": export_services.exports_url(organisation, list(figures.tables)),
    }


@never_cache
@require_GET
@organisation_view(Capability.VIEW_REPORTS)
def organisation_reports(request):
    figures = dashboards.cached_figures(request.organisation)
    context = _context(figures, request.organisation)
    return render(request, "hub/reports/organisation.html", context)


@never_cache
@require_GET
@hub_admin_view
def city_reports(request):
    context = _context(dashboards.cached_figures(None), None)
    return render(request, "hub/reports/city.html", context)
