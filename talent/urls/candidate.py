"""The candidate's pages, mounted at the site root: applying (`jobs/<id>/apply/`), their
own area under `me/`, and the unsubscribe link of job alert emails."""

from django.urls import path

from talent.views import candidate

urlpatterns = [
    path("jobs/<int:pk>/apply/", candidate.apply, name="apply"),
    path(
        "jobs/alerts/unsubscribe/<str:token>/",
        candidate.alert_unsubscribe,
        name="alert_unsubscribe",
    ),
    path("me/applications/", candidate.applications, name="applications"),
    path(
        "me/applications/<uuid:application_id>/",
        candidate.application_detail,
        name="application",
    ),
    path(
        "me/applications/<uuid:application_id>/cv/",
        candidate.application_cv,
        name="application_cv",
    ),
    path(
        "me/applications/<uuid:application_id>/withdraw/",
        candidate.application_withdraw,
        name="application_withdraw",
    ),
    path(
        "me/applications/<uuid:application_id>/delete/",
        candidate.application_delete,
        name="application_delete",
    ),
    path("me/profile/", candidate.profile, name="profile"),
    path("me/alerts/", candidate.alerts, name="alerts"),
    path("me/alerts/new/", candidate.alert_create, name="alert_create"),
    path(
        "me/alerts/<uuid:saved_search_id>/delete/",
        candidate.alert_delete,
        name="alert_delete",
    ),
]
