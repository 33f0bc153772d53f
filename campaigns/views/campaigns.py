"""Campaigns for the organisations running them, under /manage/<org_slug>/campaigns/
(namespace "campaigns"): the list, creating one, its overview and changing it.

Every view resolves the organisation through `organisation_view` and fetches campaigns
through `campaigns.selectors.campaigns`, which narrows to those the organisation leads or
is a partner in: anyone else gets 404. Outreach workers (RECORD_OUTREACH only) see the
list, to reach quick capture; everything else needs MANAGE_CAMPAIGNS, and changing a
campaign is for its lead organisation alone (403 for partners, with the reason).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.forms.campaigns import CampaignForm
from campaigns.selectors import campaigns as selectors
from campaigns.selectors.funnel import FunnelCounts, funnel_for_campaigns
from campaigns.selectors.overview import campaign_overview, upcoming_events
from campaigns.services import campaigns as services
from hub.access import Capability, can, organisation_view
from hub.forms import add_service_errors, posted_data

MANAGE = Capability.MANAGE_CAMPAIGNS


def _to_detail(request, campaign):
    return redirect(
        "campaigns:campaign_detail", org_slug=request.organisation.slug, campaign_id=campaign.pk
    )


@require_GET
@organisation_view(Capability.RECORD_OUTREACH)
def campaign_list(request):
    may_manage = can(request.membership, MANAGE)
    campaigns = list(
        selectors.campaigns_for(request.membership)
        .select_related("lead_organisation")
        .order_by("-starts_on", "name")
    )
    counts = funnel_for_campaigns(campaign.pk for campaign in campaigns) if may_manage else {}
    for campaign in campaigns:
        campaign.funnel = counts.get(campaign.pk, FunnelCounts())
        campaign.is_lead = campaign.lead_organisation_id == request.organisation.pk
    context = {"campaigns": campaigns, "may_manage": may_manage}
    return render(request, "campaigns/manage/campaign_list.html", context)


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def campaign_create(request):
    form = CampaignForm(posted_data(request), organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                organisation=request.organisation, actor=request.user, **form.campaign_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            code = campaign.links.get().code
            messages.success(
                request, f"{campaign.name} was created. Its code for posters is {code}."
            )
            return _to_detail(request, campaign)
    return render(request, "campaigns/manage/campaign_form.html", {"form": form, "campaign": None})


@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def campaign_edit(request, campaign_id):
    campaign = selectors.campaign_for(request.membership, campaign_id)
    services.require_lead(request.membership, campaign)
    form = CampaignForm(posted_data(request), organisation=request.organisation, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_update(
                campaign=campaign,
                membership=request.membership,
                actor=request.user,
                **form.campaign_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{campaign.name} was saved.")
            return _to_detail(request, campaign)
    return render(
        request, "campaigns/manage/campaign_form.html", {"form": form, "campaign": campaign}
    )


def _goals(campaign, funnel: FunnelCounts) -> list[dict]:
    """Each funnel stage's count beside its goal, and how much of the goal is reached."""
    rows = []
    for stage, label in [
        ("engaged", "People engaged"),
        ("attended", "Attended an event"),
        ("applied", "Applied for a job"),
        ("outcomes", "Into a job, training or support"),
    ]:
        count, goal = getattr(funnel, stage), getattr(campaign, f"goal_{stage}")
        rows.append(
            {
                "label": label,
                "count": count,
                "goal": goal,
                "percent": round(100 * count / goal) if goal else None,
            }
        )
    return rows


@never_cache
@require_GET
@organisation_view(MANAGE)
def campaign_detail(request, campaign_id):
    campaign = selectors.campaign_for(request.membership, campaign_id)
    funnel = funnel_for_campaigns([campaign.pk]).get(campaign.pk, FunnelCounts())
    context = {
        "campaign": campaign,
        "overview": campaign_overview(campaign),
        "is_lead": selectors.is_lead(request.membership, campaign),
        "goals": _goals(campaign, funnel),
        "events": upcoming_events(campaign),
    }
    return render(request, "campaigns/manage/campaign_detail.html", context)
