"""The shared talent pool for partners' HR staff, under /manage/<org_slug>/talent-pool/
(namespace "pool"): search, profiles (every view audited) and invitations to apply."""

from django.urls import path

from talent.views import pool

urlpatterns = [
    path("", pool.search, name="search"),
    path("<int:profile_id>/", pool.profile, name="profile"),
    path("<int:profile_id>/invite/", pool.invite, name="invite"),
]
