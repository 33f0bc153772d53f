"""Mobility reports of one organisation, under /manage/<org_slug>/mobility/reports/
(namespace "mobility_reports", Capability.VIEW_REPORTS): its secondments as home and as
host, the shared talent pool, and its invitations from the pool, then applications,
then hires. Figures come from `talent.selectors.mobility_reports`, in SQL."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hub.access import Capability, organisation_view
from hub.export_services import exports_url
from talent.reports import MOBILITY_PAGE_TABLE_KEYS
from talent.selectors import mobility_reports as selectors


@never_cache
@require_GET
@organisation_view(Capability.VIEW_REPORTS)
def reports(request):
    return render(
        request,
        "talent/mobility/organisation_reports.html",
        {
            "report": selectors.organisation_report(request.organisation),
            "export_url": exports_url(request.organisation, MOBILITY_PAGE_TABLE_KEYS),
        },
    )
