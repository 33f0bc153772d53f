"""Talent's URLs: the candidate's (applying, their area, alert unsubscribes, interview
booking and trial shifts) come before the public job pages so `/jobs/<id>/apply/` is not
read as a vacancy slug. HR staff's pages live under /manage/<org_slug>/."""

from django.urls import include, path

ORGANISATION = "manage/<slug:org_slug>/"

urlpatterns = [
    path("", include(("talent.urls.candidate", "candidate"))),
    path("", include(("talent.urls.pool_candidate", "pool_candidate"))),
    path("careers/", include(("talent.urls.pathways", "pathways"))),
    path("me/secondments/", include(("talent.urls.my_secondments", "my_secondments"))),
    path("me/", include(("talent.urls.data_rights", "data_rights"))),
    path("", include(("talent.urls.bookings", "bookings"))),
    path("jobs/", include(("talent.urls.jobs", "jobs"))),
    path(ORGANISATION, include(("talent.urls.manage", "vacancies"))),
    path(ORGANISATION, include(("talent.urls.pipeline", "pipeline"))),
    path(ORGANISATION, include(("talent.urls.interviews", "interviews"))),
    path(ORGANISATION, include(("talent.urls.offers", "offers"))),
    path(ORGANISATION + "secondments/", include(("talent.urls.secondments", "secondments"))),
    path(ORGANISATION + "rotations/", include(("talent.urls.rotations", "rotations"))),
    path(ORGANISATION + "talent-pool/", include(("talent.urls.pool", "pool"))),
    path(ORGANISATION + "mobility/", include(("talent.urls.mobility_reports", "mobility_reports"))),
    path("mobility/", include(("talent.urls.mobility_hub", "mobility_hub"))),
]
