"""The portal's URLs plus the benchmark's baseline page, which exists only here: the
portal's own URLconf (config.urls) never has it."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("bench/baseline/", views.baseline, name="bench_baseline"),
    path("", include("config.urls")),
]
