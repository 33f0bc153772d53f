from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hub.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo partnership and a demo person for every role (idempotent)."

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
        created = seed_demo()
        self.stdout.write(
            f"Demo data ready: {created['organisations']} organisations and "
            f"{created['people']} people created (existing ones kept)."
        )
