"""A campaign's tracking links and their QR codes, under
/manage/<org_slug>/campaigns/<campaign_id>/links/ (namespace "campaign_reports").

Every view resolves the organisation through `organisation_view` (404 for outsiders, 403
without MANAGE_CAMPAIGNS) and fetches the campaign and link through
`campaigns.selectors.campaigns`, so another organisation's campaign is 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.forms.links import LinkForm
from campaigns.selectors.campaigns import campaign_for, link_for
from campaigns.selectors.funnel import links_with_applications
from campaigns.services import links as services
from hub.access import Capability, organisation_view
from hub.forms import add_service_errors, posted_data

MANAGE = Capability.MANAGE_CAMPAIGNS


@never_cache
@require_http_methods(["GET", "POST"])
@organisation_view(MANAGE)
def link_list(request, campaign_id):
    """The campaign's links with their visits and the applications that carry their code,
    and a form to make another."""
    campaign = campaign_for(request.membership, campaign_id)
    form = LinkForm(posted_data(request), campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.link_create(
                campaign=campaign,
                actor=request.user,
                organisation=request.organisation,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Link made for {link.label}. Its code is {link.code}: print it under the QR code.",
            )
            return redirect(
                "campaign_reports:link_list",
                org_slug=request.organisation.slug,
                campaign_id=campaign.pk,
            )
    links = [(link, services.link_public_url(link)) for link in links_with_applications(campaign)]
    context = {"campaign": campaign, "links": links, "form": form}
    return render(request, "campaigns/links/link_list.html", context)


@require_GET
@organisation_view(MANAGE)
def link_qr(request, campaign_id, link_id):
    """The link's QR code as an SVG file to download and print."""
    campaign = campaign_for(request.membership, campaign_id)
    link = link_for(campaign, link_id)
    filename = f"qr-code-{link.code.lower()}.svg"
    return HttpResponse(
        services.link_qr_svg(link),
        content_type="image/svg+xml",
        headers={
            "Content-Disposition": content_disposition_header(
                as_attachment=True, filename=filename
            ),
        },
    )
