"""`manage.py install_schedules`: put the portal's periodic jobs (hub/schedules.py) in the
database for Celery beat, leaving any that exist, and so hub admins' edits, alone; and
delete the portal's jobs whose task it has retired (hub.schedules.RETIRED_TASKS)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from hub.schedules import SCHEDULES, install_schedules, retired_schedules_remove


class Command(BaseCommand):
    help = (
        "Create the portal's periodic tasks that do not exist yet, never changing existing "
        "ones, and delete those running a task the portal retired."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            removed = retired_schedules_remove()
            created = install_schedules()
        for name in removed:
            self.stdout.write(f"Removed {name} (its task is retired)")
        for name in created:
            self.stdout.write(f"Installed {name}")
        self.stdout.write(
            f"{len(created)} schedule(s) installed, {len(SCHEDULES) - len(created)} already "
            f"there, {len(removed)} retired one(s) removed."
        )
