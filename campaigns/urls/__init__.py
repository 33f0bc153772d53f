"""Campaigns' URLs: each organisation's pages under /manage/<org_slug>/campaigns/, and the
public pages (campaigns, events, sign-up, tracking links, contact preferences)."""

from django.urls import include, path

ORGANISATION = "manage/<slug:org_slug>/campaigns/"

urlpatterns = [
    path(ORGANISATION, include(("campaigns.urls.manage", "campaigns"))),
    path(ORGANISATION, include(("campaigns.urls.events", "campaign_events"))),
    path(ORGANISATION, include(("campaigns.urls.reports", "campaign_reports"))),
    path("", include(("campaigns.urls.public", "campaign_public"))),
]
