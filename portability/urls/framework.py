"""Placeholder: the framework helper fills this module."""

urlpatterns = []
