from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "Talent: jobs, applications and mobility"

    def ready(self):
        # Registers talent's report tables with hub.report_tables.
        from talent import reports  # noqa: F401
