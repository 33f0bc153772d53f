from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Hub: partners and people"

    def ready(self):
        # Registers the report tables with hub.report_tables: the dashboards' blocks, and
        # the tables of the pages built before the dashboards, so they can be exported.
        from hub import dashboards, report_tables_existing  # noqa: F401
