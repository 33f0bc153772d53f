"""A signatory's framework reports, under /manage/<org_slug>/portability/ (namespace
"portability_reports"). The hub admins' page is in portability/urls/hub.py."""

from django.urls import path

from portability.views import reports

urlpatterns = [
    path("reports/", reports.organisation_reports, name="reports"),
]
