"""Tracking links, QR codes and the funnel reports, under /manage/<org_slug>/campaigns/
(namespace "campaign_reports")."""

from django.urls import path

from campaigns.views import links, reports

urlpatterns = [
    path("<uuid:campaign_id>/links/", links.link_list, name="link_list"),
    path("<uuid:campaign_id>/links/<int:link_id>/qr.svg", links.link_qr, name="link_qr"),
    path("<uuid:campaign_id>/funnel/", reports.funnel, name="funnel"),
    path("compare/", reports.compare, name="compare"),
]
