from django.apps import AppConfig


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = "Hub: partners and people"

    def ready(self):
        # Registers what the hub holds about a person with hub.data_rights.
        from hub import personal_data  # noqa: F401
