"""Placeholder: the mobilisations helper fills this module."""

urlpatterns = []
