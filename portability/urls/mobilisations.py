"""A signatory's mobilisation pages, under /manage/<org_slug>/portability/
(namespace "mobilisations")."""

from django.urls import path

from portability.views import mobilisations

urlpatterns = [
    path("mobilisations/", mobilisations.mobilisation_list, name="list"),
    path("mobilisations/new/", mobilisations.mobilisation_create, name="create"),
    path(
        "mobilisations/<uuid:mobilisation_id>/",
        mobilisations.mobilisation_detail,
        name="detail",
    ),
    path(
        "mobilisations/<uuid:mobilisation_id>/activate/",
        mobilisations.mobilisation_activate,
        name="activate",
    ),
    path(
        "mobilisations/<uuid:mobilisation_id>/stand-down/",
        mobilisations.mobilisation_stand_down,
        name="stand_down",
    ),
]
