"""Placeholder: the bookings helper fills this module."""

urlpatterns = []
