"""The funnel of a campaign and campaigns side by side, under
/manage/<org_slug>/campaigns/ (namespace "campaign_reports").

Every figure comes from `campaigns.selectors.funnel`, counted in SQL: each page runs a
fixed, small number of queries whatever the number of residents. Small numbers in the
breakdown tables are hidden by `campaigns.templatetags.campaign_figures`.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaigns.forms.reports import CompareFilterForm
from campaigns.reports import COMPARED_TABLE_KEY, FUNNEL_PAGE_TABLE_KEYS
from campaigns.selectors import funnel as selectors
from campaigns.selectors.campaigns import campaign_for, campaigns_for
from hub.access import Capability, organisation_view
from hub.export_services import exports_url

MANAGE = Capability.MANAGE_CAMPAIGNS


@never_cache
@require_GET
@organisation_view(MANAGE)
def funnel(request, campaign_id):
    campaign = campaign_for(request.membership, campaign_id)
    report = selectors.campaign_report(campaign)
    counts = report.counts
    context = {
        "campaign": campaign,
        "counts": counts,
        "stages": selectors.funnel_stages(counts, campaign),
        "outcomes": selectors.outcome_rows(counts),
        "by_neighbourhood": selectors.funnel_by_neighbourhood(campaign),
        "by_decile": selectors.funnel_by_decile(campaign),
        "cohorts": selectors.course_cohorts(campaign),
        "retention": report.retention,
        "export_url": exports_url(request.organisation, FUNNEL_PAGE_TABLE_KEYS),
    }
    return render(request, "campaigns/reports/funnel.html", context)


@never_cache
@require_GET
@organisation_view(MANAGE)
def compare(request):
    campaigns = campaigns_for(request.membership)
    form = CompareFilterForm(request.GET or None, years=selectors.campaign_years(campaigns))
    context = {
        "form": form,
        "compared": selectors.campaigns_compared(campaigns, year=form.chosen_year()),
        "export_url": exports_url(request.organisation, [COMPARED_TABLE_KEY]),
    }
    return render(request, "campaigns/reports/compare.html", context)
