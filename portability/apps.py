from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "portability"
    verbose_name = "Staff Portability Framework"

    def ready(self):
        # Registers the framework's report tables with hub.report_tables.
        from portability import reports  # noqa: F401
