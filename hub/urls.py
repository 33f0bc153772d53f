from django.urls import path

from hub import views, views_audit, views_exports, views_reports

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
    path(
        "manage/<slug:org_slug>/reports/",
        views_reports.organisation_reports,
        name="organisation_reports",
    ),
    path("reports/city/", views_reports.city_reports, name="city_reports"),
    path("manage/<slug:org_slug>/audit/", views_audit.audit_log, name="audit_log"),
    path("audit/", views_audit.city_audit_log, name="city_audit_log"),
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
    path("manage/<slug:org_slug>/exports/", views_exports.exports, name="exports"),
    path(
        "manage/<slug:org_slug>/exports/<uuid:export_id>/",
        views_exports.export_detail,
        name="export_detail",
    ),
    path(
        "manage/<slug:org_slug>/exports/<uuid:export_id>/status.json",
        views_exports.export_status,
        name="export_status",
    ),
    path(
        "manage/<slug:org_slug>/exports/<uuid:export_id>/download/",
        views_exports.export_download,
        name="export_download",
    ),
    path("reports/city/exports/", views_exports.city_exports, name="city_exports"),
    path(
        "reports/city/exports/<uuid:export_id>/",
        views_exports.city_export_detail,
        name="city_export_detail",
    ),
    path(
        "reports/city/exports/<uuid:export_id>/status.json",
        views_exports.city_export_status,
        name="city_export_status",
    ),
    path(
        "reports/city/exports/<uuid:export_id>/download/",
        views_exports.city_export_download,
        name="city_export_download",
    ),
]
