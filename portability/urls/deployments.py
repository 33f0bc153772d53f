"""Placeholder: the deployments helper fills this module."""

urlpatterns = []
