"""`manage.py install_schedules`: put the portal's periodic jobs (hub/schedules.py) in the
database for Celery beat, leaving any that exist, and so hub admins' edits, alone."""

from django.core.management.base import BaseCommand

from hub.schedules import SCHEDULES, install_schedules


class Command(BaseCommand):
    help = "Create the portal's periodic tasks that do not exist yet; never change existing ones."

    def handle(self, *args, **options):
        created = install_schedules()
        for name in created:
            self.stdout.write(f"Installed {name}")
        self.stdout.write(
            f"{len(created)} schedule(s) installed, {len(SCHEDULES) - len(created)} already there."
        )
