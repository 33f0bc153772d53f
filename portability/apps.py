from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "portability"
    verbose_name = "Staff Portability Framework"

    def ready(self):
        # Registers the framework's report tables with hub.report_tables, and what it
        # holds about a person with hub.data_rights.
        from portability import personal_data, reports  # noqa: F401
