"""Rotation schemes, under /manage/<org_slug>/rotations/ (namespace "rotations"): the
lead organisation runs a scheme; every partner with a placement in it sees who is where."""

from django.urls import path

from talent.views import rotations

urlpatterns = [
    path("", rotations.scheme_list, name="scheme_list"),
    path("new/", rotations.scheme_create, name="scheme_create"),
    path("<uuid:scheme_id>/", rotations.scheme_detail, name="scheme_detail"),
    path("<uuid:scheme_id>/edit/", rotations.scheme_edit, name="scheme_edit"),
    path("<uuid:scheme_id>/placements/", rotations.placements, name="placements"),
    path("<uuid:scheme_id>/participants/new/", rotations.participant_add, name="participant_add"),
    path(
        "<uuid:scheme_id>/participants/<uuid:participant_id>/",
        rotations.participant_edit,
        name="participant_edit",
    ),
]
