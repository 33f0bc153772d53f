"""The organisation's framework pages, under /manage/<org_slug>/portability/
(namespace "framework")."""

from django.urls import path

from portability.views import framework

urlpatterns = [
    path("", framework.overview, name="overview"),
    path("sign/", framework.sign, name="sign"),
    path("contacts/", framework.contacts, name="contacts"),
    path("withdraw/", framework.withdraw, name="withdraw"),
]
