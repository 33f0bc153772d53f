"""The candidate's side of the talent pool, under /me/ (namespace "pool_candidate"):
joining with consent, changing the profile, leaving, and invitations to apply."""

from django.urls import path

from talent.views import pool_candidate

urlpatterns = [
    path("me/talent-pool/", pool_candidate.profile, name="profile"),
    path("me/talent-pool/leave/", pool_candidate.leave, name="leave"),
    path("me/invitations/", pool_candidate.invitations, name="invitations"),
    path(
        "me/invitations/<uuid:invitation_id>/decline/",
        pool_candidate.invitation_decline,
        name="invitation_decline",
    ),
]
