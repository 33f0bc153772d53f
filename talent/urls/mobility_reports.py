"""Mobility reports of one organisation, under /manage/<org_slug>/mobility/ (namespace
"mobility_reports")."""

from django.urls import path

from talent.views import mobility_reports

urlpatterns = [
    path("reports/", mobility_reports.reports, name="reports"),
]
