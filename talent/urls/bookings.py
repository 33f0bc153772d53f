"""The candidate's interview and trial-shift pages, mounted at the site root (namespace
"bookings"): choosing an interview time for an application, its calendar file, and
requesting trial shifts on a vacancy."""

from django.urls import path

from talent.views import bookings

urlpatterns = [
    path(
        "me/applications/<uuid:application_id>/interview/",
        bookings.interview,
        name="interview",
    ),
    path(
        "me/applications/<uuid:application_id>/interview/calendar.ics",
        bookings.interview_ics,
        name="interview_ics",
    ),
    path(
        "me/applications/<uuid:application_id>/interview/cancel/",
        bookings.interview_cancel,
        name="interview_cancel",
    ),
    path("jobs/<int:pk>/trial-shifts/", bookings.trial_shifts, name="trial_shifts"),
    path("me/trial-shifts/", bookings.my_trial_shifts, name="my_trial_shifts"),
    path(
        "me/trial-shifts/<uuid:request_id>/calendar.ics",
        bookings.trial_shift_ics,
        name="trial_shift_ics",
    ),
    path(
        "me/trial-shifts/<uuid:request_id>/cancel/",
        bookings.trial_shift_cancel,
        name="trial_shift_cancel",
    ),
]
