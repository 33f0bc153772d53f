"""Placeholder: the pipeline helper fills this module."""

urlpatterns = []
