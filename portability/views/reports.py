"""The framework's reports: every figure for hub admins at /portability/reports/, and the
same figures narrowed to one signatory at /manage/<org_slug>/portability/reports/
(Capability.VIEW_REPORTS; organisations that have not signed, or withdrew, get the
framework's "sign first" page). Figures come from one selector each, in SQL."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hub.access import Capability, hub_admin_view
from hub.export_services import exports_url
from portability.reports import ORGANISATION_PAGE_TABLE_KEYS
from portability.selectors import reports as selectors
from portability.views.framework import signatory_view


@never_cache
@require_GET
@hub_admin_view
def hub_reports(request):
    return render(request, "portability/reports/hub.html", {"report": selectors.framework_report()})


@never_cache
@require_GET
@signatory_view(Capability.VIEW_REPORTS)
def organisation_reports(request):
    return render(
        request,
        "portability/reports/organisation.html",
        {
            "report": selectors.organisation_report(request.organisation),
            "export_url": exports_url(request.organisation, ORGANISATION_PAGE_TABLE_KEYS),
        },
    )
