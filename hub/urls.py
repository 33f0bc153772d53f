from django.urls import path

from hub import views

app_name = "hub"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("organisations/switch/", views.switch_organisation, name="switch_organisation"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("manage/<slug:org_slug>/", views.organisation_dashboard, name="organisation_dashboard"),
    path(
        "manage/<slug:org_slug>/profile/",
        views.organisation_profile,
        name="organisation_profile",
    ),
    path("manage/<slug:org_slug>/members/", views.members, name="members"),
    path(
        "manage/<slug:org_slug>/members/<uuid:membership_id>/role/",
        views.member_change_role,
        name="member_change_role",
    ),
    path(
        "manage/<slug:org_slug>/members/<uuid:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "manage/<slug:org_slug>/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
