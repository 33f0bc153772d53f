from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "Talent: jobs, applications and mobility"

    def ready(self):
        # Registers talent's report tables with hub.report_tables, and what it holds about
        # a person with hub.data_rights.
        from talent import personal_data, reports  # noqa: F401
