"""Portability's URLs: each organisation's pages under /manage/<org_slug>/portability/,
and the hub admins' (activating mobilisations, reports) under /portability/."""

from django.urls import include, path

ORGANISATION = "manage/<slug:org_slug>/portability/"

urlpatterns = [
    path(ORGANISATION, include(("portability.urls.framework", "framework"))),
    path(ORGANISATION, include(("portability.urls.mobilisations", "mobilisations"))),
    path(ORGANISATION, include(("portability.urls.deployments", "deployments"))),
    path(ORGANISATION, include(("portability.urls.requests", "requests"))),
    path(ORGANISATION, include(("portability.urls.reports", "portability_reports"))),
    path("portability/", include(("portability.urls.hub", "portability_hub"))),
]
