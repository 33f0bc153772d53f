"""Public campaign pages: no account needed (namespace "campaign_public")."""

from django.urls import path

from campaigns.views import public_campaigns, public_events

urlpatterns = [
    path("campaigns/<slug:slug>/", public_campaigns.campaign, name="campaign"),
    path("c/", public_campaigns.code_entry, name="code_entry"),
    path("c/<str:code>/", public_campaigns.link, name="link"),
    path("events/", public_events.event_list, name="event_list"),
    path("events/<uuid:event_id>/", public_events.event, name="event"),
    path("events/<uuid:event_id>/calendar.ics", public_events.event_ics, name="event_ics"),
    path("events/bookings/<str:token>/", public_events.booking, name="booking"),
    path(
        "contact-preferences/<str:token>/",
        public_events.contact_preferences,
        name="contact_preferences",
    ),
]
