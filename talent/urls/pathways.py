"""Career pathways, public, under /careers/ (namespace "pathways")."""

from django.urls import path

from talent.views import pathways

urlpatterns = [
    path("", pathways.pathway_list, name="pathway_list"),
    path("<slug:slug>/", pathways.pathway, name="pathway"),
]
