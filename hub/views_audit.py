"""The audit log: an organisation's at /manage/<org_slug>/audit/ for its members with
Capability.VIEW_AUDIT_LOG (its admins), and every organisation's at /audit/ for hub
admins (`is_staff`; anyone else signed in is told the page does not exist). Newest
first, a page at a time, filtered by the kind of event, the person and the dates.
Reading the log is not itself written to it."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hub import filters_audit
from hub.access import Capability, hub_admin_view, organisation_view

EVENTS_PER_PAGE = 50


def _page_url(request, number: int) -> str:
    params = request.GET.copy()
    params["page"] = number
    return f"?{params.urlencode()}"


def _render(request, filters, template: str):
    page = Paginator(filters.qs, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    filtered = any(request.GET.get(name) for name in filters.form.fields)
    context = {
        "filters": filters.form,
        "filtered": filtered,
        "page": page,
        "previous_url": _page_url(request, page.number - 1) if page.has_previous() else "",
        "next_url": _page_url(request, page.number + 1) if page.has_next() else "",
    }
    return render(request, template, context)


@never_cache
@require_GET
@organisation_view(Capability.VIEW_AUDIT_LOG)
def audit_log(request):
    filters = filters_audit.organisation_audit_events(request.organisation, request.GET)
    return _render(request, filters, "hub/audit/organisation.html")


@never_cache
@require_GET
@hub_admin_view
def city_audit_log(request):
    filters = filters_audit.city_audit_events(request.GET)
    return _render(request, filters, "hub/audit/city.html")
