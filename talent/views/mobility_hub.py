"""City-wide mobility reports for hub admins, under /mobility/reports/ (namespace
"mobility_hub"): every organisation's secondments, the talent pool, and invitations from
the pool per organisation. Only hub admins (`user.is_staff`) may look; anyone else
signed in is told the page does not exist, and anonymous visitors are sent to sign in."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from talent.selectors import mobility_reports as selectors


def hub_admins_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise Http404("No such page")
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@require_GET
@hub_admins_only
def reports(request):
    return render(request, "talent/mobility/hub_reports.html", {"report": selectors.city_report()})
