"""Placeholder: the interviews helper fills this module."""

urlpatterns = []
