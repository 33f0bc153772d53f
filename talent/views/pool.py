"""HR staff's pages of the shared talent pool, under /manage/<org_slug>/talent-pool/
(namespace "pool"): the search, a profile and the invitation to apply.

The pool belongs to every partner, so any organisation's HR staff (SEARCH_TALENT_POOL)
search all of it; only profiles whose consent stands are ever found or opened. Search
results show no names; opening a profile shows the name (never the email address or
phone number: contact goes through invitations) and writes an audit row each time,
with the organisation the viewer acts for.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hub.access import Capability, organisation_view
from hub.forms import add_service_errors, posted_data
from talent.forms.pool import PoolInvitationForm, PoolSearchForm
from talent.selectors import pool as selectors
from talent.services import pool as services

SEARCH = Capability.SEARCH_TALENT_POOL
PROFILES_PER_PAGE = 20


@never_cache
@require_GET
@organisation_view(SEARCH)
def search(request):
    form = PoolSearchForm(request.GET)
    searched = form.is_valid()
    context = {"form": form, "searched": searched}
    if searched:
        filters = form.filters()
        paginator = Paginator(selectors.pool_search(**filters), PROFILES_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        params = {key: value for key, value in request.GET.items() if key != "page" and value}

        def link(number):
            return f"?{urlencode(params | {'page': number})}"

        context |= {
            "page": page,
            "filtered": bool(params),
            "previous_url": link(page.previous_page_number()) if page.has_previous() else "",
            "next_url": link(page.next_page_number()) if page.has_next() else "",
        }
    return render(request, "talent/pool/search.html", context)


@never_cache
@require_GET
@organisation_view(SEARCH)
def profile(request, profile_id):
    found = selectors.pool_profile_for_staff(profile_id)
    services.pool_profile_view_record(
        profile=found, actor=request.user, organisation=request.organisation
    )
    context = {
        "profile": found,
        "invitations": list(selectors.invitations_from(found, request.organisation)),
    }
    return render(request, "talent/pool/profile.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(SEARCH)
def invite(request, profile_id):
    found = selectors.pool_profile_for_staff(profile_id)
    vacancies = selectors.vacancies_to_invite_to(request.membership, found)
    form = PoolInvitationForm(posted_data(request), vacancies=vacancies)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.pool_invitation_send(
                profile=found,
                vacancy=form.cleaned_data["vacancy"],
                membership=request.membership,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Invitation to apply for {invitation.vacancy.title} sent. They can see it in "
                "their account and we have emailed them.",
            )
            return redirect("pool:profile", org_slug=request.organisation.slug, profile_id=found.pk)
    context = {"profile": found, "form": form, "has_vacancies": vacancies.exists()}
    return render(request, "talent/pool/invite.html", context)
