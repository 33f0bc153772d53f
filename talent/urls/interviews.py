"""HR staff's pages for interviews and trial shifts, under /manage/<org_slug>/ (namespace
"interviews"): interview times per vacancy and who booked them, booking a candidate in
from their application, trial shifts per vacancy and the requests for them."""

from django.urls import path

from talent.views import interviews

urlpatterns = [
    # Interview times of a vacancy.
    path("vacancies/<int:pk>/interviews/", interviews.slot_list, name="slots"),
    path("vacancies/<int:pk>/interviews/new/", interviews.slot_create, name="slot_create"),
    path(
        "vacancies/<int:pk>/interviews/new-day/",
        interviews.slot_create_day,
        name="slot_create_day",
    ),
    path("interviews/<int:slot_id>/", interviews.slot_detail, name="slot_detail"),
    path("interviews/<int:slot_id>/delete/", interviews.slot_delete, name="slot_delete"),
    # One application's interview, booked by HR for the candidate.
    path("applications/<uuid:application_id>/interview/", interviews.book, name="book"),
    path(
        "applications/<uuid:application_id>/interview/cancel/",
        interviews.booking_cancel,
        name="booking_cancel",
    ),
    # Trial shifts of a vacancy, and the requests for them.
    path("vacancies/<int:pk>/trial-shifts/", interviews.trial_slot_list, name="trial_slots"),
    path(
        "vacancies/<int:pk>/trial-shifts/new/",
        interviews.trial_slot_create,
        name="trial_slot_create",
    ),
    path(
        "trial-shifts/times/<int:trial_slot_id>/delete/",
        interviews.trial_slot_delete,
        name="trial_slot_delete",
    ),
    path("trial-shifts/", interviews.trial_request_list, name="trial_requests"),
    path(
        "trial-shifts/<uuid:trial_request_id>/",
        interviews.trial_request_detail,
        name="trial_request",
    ),
    path(
        "trial-shifts/<uuid:trial_request_id>/confirm/",
        interviews.trial_request_confirm,
        name="trial_request_confirm",
    ),
    path(
        "trial-shifts/<uuid:trial_request_id>/decline/",
        interviews.trial_request_decline,
        name="trial_request_decline",
    ),
]
