from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Each app's demo builds on the ones before it (talent's vacancies need hub's partners).
DEMO_APPS = ("hub", "talent", "portability", "campaigns")


class Command(BaseCommand):
    help = (
        "Create the demo partnership, a demo person for every role and each app's demo "
        "records (idempotent: a second run keeps what is there)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with DEBUG off. Demo people have a published password.",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to create demo people with a published password while DEBUG is "
                "off. Pass --allow-production if this really is a demo site."
            )
        for label in DEMO_APPS:
            module = f"{apps.get_app_config(label).name}.demo"
            if find_spec(module) is None:
                continue
            created = import_module(module).seed_demo()
            counts = ", ".join(f"{count} {what}" for what, count in created.items())
            self.stdout.write(f"Demo data for {label}: {counts} created (existing ones kept).")
