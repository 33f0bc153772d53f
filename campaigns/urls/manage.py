"""Campaigns, residents, quick capture and imports, under /manage/<org_slug>/campaigns/
(namespace "campaigns")."""

from django.urls import path

from campaigns.views import campaigns, imports, residents

urlpatterns = [
    path("", campaigns.campaign_list, name="campaign_list"),
    path("new/", campaigns.campaign_create, name="campaign_create"),
    path("<uuid:campaign_id>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<uuid:campaign_id>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("<uuid:campaign_id>/capture/", residents.capture, name="capture"),
    path("<uuid:campaign_id>/residents/", residents.resident_list, name="resident_list"),
    path(
        "<uuid:campaign_id>/residents/<uuid:engagement_id>/",
        residents.journey,
        name="journey",
    ),
    path(
        "<uuid:campaign_id>/residents/<uuid:engagement_id>/consent/withdraw/",
        residents.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<uuid:campaign_id>/import/", imports.import_upload, name="import_upload"),
    path(
        "<uuid:campaign_id>/import/<uuid:import_id>/",
        imports.import_review,
        name="import_review",
    ),
]
