"""City-wide mobility reports for hub admins, under /mobility/reports/ (namespace
"mobility_hub"): every organisation's secondments, the talent pool, and invitations from
the pool per organisation. Only hub admins may look (`hub.access.hub_admin_view`): anyone
else signed in is told the page does not exist, and anonymous visitors are sent to sign in."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hub.access import hub_admin_view
from talent.selectors import mobility_reports as selectors


@never_cache
@require_GET
@hub_admin_view
def reports(request):
    return render(request, "talent/mobility/hub_reports.html", {"report": selectors.city_report()})
