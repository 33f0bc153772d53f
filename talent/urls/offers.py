"""Placeholder: the offers helper fills this module."""

urlpatterns = []
