"""Hub admins' portability pages, under /portability/ (namespace "portability_hub")."""

from django.urls import path

from portability.views import hub, reports

urlpatterns = [
    path("reports/", reports.hub_reports, name="reports"),
    path("mobilisations/", hub.mobilisation_list, name="mobilisations"),
    path(
        "mobilisations/<uuid:mobilisation_id>/activate/",
        hub.mobilisation_activate,
        name="mobilisation_activate",
    ),
    path(
        "mobilisations/<uuid:mobilisation_id>/decline/",
        hub.mobilisation_decline,
        name="mobilisation_decline",
    ),
    path(
        "mobilisations/<uuid:mobilisation_id>/stand-down/",
        hub.mobilisation_stand_down,
        name="mobilisation_stand_down",
    ),
]
