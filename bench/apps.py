from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The city-scale data generator and the benchmark's own pages (see bench/README.md).

    It sits above every other app: it may import all of them, and none imports it."""

    name = "bench"
    verbose_name = "Benchmark"
