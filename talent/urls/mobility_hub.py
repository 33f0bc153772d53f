"""City-wide mobility reports for hub admins, under /mobility/ (namespace
"mobility_hub")."""

from django.urls import path

from talent.views import mobility_hub

urlpatterns = [
    path("reports/", mobility_hub.reports, name="reports"),
]
