from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = "Community recruitment campaigns"

    def ready(self):
        """Hear of applications sent and hires made, to attribute them to campaigns
        (talent sends these without knowing campaigns exist), and register campaigns'
        report tables with hub.report_tables and what it holds about a person with
        hub.data_rights."""
        from campaigns import personal_data, reports  # noqa: F401
        from campaigns.services import attribution
        from talent.signals import application_hired, application_submitted

        application_submitted.connect(
            attribution.on_application_submitted, dispatch_uid="campaigns.attribute_application"
        )
        application_hired.connect(
            attribution.on_application_hired, dispatch_uid="campaigns.record_hire"
        )
