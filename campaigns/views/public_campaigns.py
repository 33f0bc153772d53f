"""A campaign's public page, and the tracking links from posters: no account needed
(namespace "campaign_public").

Following a link remembers its code in the visitor's session under talent's key, so the
application they send afterwards carries it and is attributed to the campaign. A code
that does not exist gets a friendly "not found" page offering to type it again.
"""

from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaigns.forms.links import CodeEntryForm
from campaigns.models import Campaign, TrackingLink
from campaigns.selectors.events import public_events
from campaigns.services.links import link_destination_url, link_follow
from talent.attribution import CAMPAIGN_SESSION_KEY
from talent.models import Vacancy

# Codes longer than any real one are cut short when shown back to the visitor.
SHOWN_CODE_LENGTH = 40


@require_GET
def campaign(request, slug):
    """Who the campaign is for, where, its events open for sign-up (with places left),
    the jobs it recruits for that are open now, and how to get involved. Five queries,
    whatever the rows."""
    found = get_object_or_404(
        Campaign.objects.public().select_related("lead_organisation"), slug=slug
    )
    vacancies = (
        Vacancy.objects.published()
        .filter(campaigns=found)
        .select_related("organisation")
        .order_by("closing_date", "title")
    )
    context = {
        "campaign": found,
        "neighbourhoods": list(found.neighbourhoods.all()),
        "events": list(public_events(campaign=found)),
        "vacancies": list(vacancies),
        "partners": list(found.partner_organisations.order_by("name")),
    }
    return render(request, "campaigns/public/campaign.html", context)


@require_GET
def code_entry(request):
    """ "Enter the code from the poster": a known code goes on to its link."""
    form = CodeEntryForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if TrackingLink.objects.filter(code__iexact=code).exists():
            return redirect("campaign_public:link", code=code)
        form.add_error(
            "code",
            "We could not find that code. Check it against the poster: it has letters, "
            "numbers and hyphens, like ARMLEY-7KQ2M",
        )
    return render(request, "campaigns/public/code_entry.html", {"form": form})


@never_cache
@require_GET
def link(request, code):
    """Count the visit, remember the code for an application, and go where the link goes."""
    followed = link_follow(code=code)
    if followed is None:
        form = CodeEntryForm(initial={"code": code[:SHOWN_CODE_LENGTH]})
        context = {"form": form, "code": code[:SHOWN_CODE_LENGTH]}
        return render(request, "campaigns/public/link_not_found.html", context, status=404)
    request.session[CAMPAIGN_SESSION_KEY] = followed.code
    return redirect(link_destination_url(followed))
