"""A person's data rights, under /me/ (namespace "data_rights"): downloading everything
the portal holds about them, and erasing their account."""

from django.urls import path

from talent.views import data_rights

urlpatterns = [
    path("data/", data_rights.data_export, name="export"),
    path("erase/", data_rights.account_erase, name="erase"),
]
