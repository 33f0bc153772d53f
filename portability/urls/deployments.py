"""Deployments, their checks and the organisation's check acceptance, under
/manage/<org_slug>/portability/ (namespace "deployments")."""

from django.urls import path

from portability.views import deployments as views

DEPLOYMENT = "deployments/<uuid:deployment_id>/"

urlpatterns = [
    path("deployments/", views.deployment_list, name="deployment_list"),
    path(DEPLOYMENT, views.deployment_detail, name="deployment_detail"),
    path(f"{DEPLOYMENT}checks/", views.deployment_checks, name="deployment_checks"),
    path(f"{DEPLOYMENT}start/", views.deployment_start, name="deployment_start"),
    path(f"{DEPLOYMENT}return/", views.deployment_return, name="deployment_return"),
    path("check-acceptance/", views.check_acceptance, name="check_acceptance"),
    path(
        "check-acceptance/<slug:provider_slug>/",
        views.check_acceptance_edit,
        name="check_acceptance_edit",
    ),
]
