"""HR staff's pages from the interview to the start date, and time to hire, under
/manage/<org_slug>/ (namespace "offers")."""

from django.urls import path

from talent.views import offers

OFFER = "applications/<uuid:application_id>/offer/"

urlpatterns = [
    path(OFFER, offers.offer_conditional, name="offer_conditional"),
    path(f"{OFFER}checks/start/", offers.checks_start, name="checks_start"),
    path(f"{OFFER}checks/<slug:kind>/", offers.check_record, name="check_record"),
    path(f"{OFFER}unconditional/", offers.offer_unconditional, name="offer_unconditional"),
    path(f"{OFFER}start-date/", offers.application_hire, name="application_hire"),
    path("time-to-hire/", offers.time_to_hire, name="time_to_hire"),
    path("hiring-targets/", offers.hiring_targets, name="hiring_targets"),
]
