"""Running a campaign's events, under /manage/<org_slug>/campaigns/ (namespace
"campaign_events")."""

from django.urls import path

from campaigns.views import events

urlpatterns = [
    path("<uuid:campaign_id>/events/new/", events.event_create, name="event_create"),
    path("events/<uuid:event_id>/", events.event_detail, name="event_detail"),
    path("events/<uuid:event_id>/edit/", events.event_edit, name="event_edit"),
    path("events/<uuid:event_id>/cancel/", events.event_cancel, name="event_cancel"),
    path("events/<uuid:event_id>/attendance/", events.attendance, name="attendance"),
]
