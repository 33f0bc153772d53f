"""Talent's URLs: the candidate's (applying, their area, alert unsubscribes) come before
the public job pages so `/jobs/<id>/apply/` is not read as a vacancy slug."""

from django.urls import include, path

urlpatterns = [
    path("", include(("talent.urls.candidate", "candidate"))),
    path("jobs/", include(("talent.urls.jobs", "jobs"))),
    path("manage/<slug:org_slug>/", include(("talent.urls.manage", "vacancies"))),
]
