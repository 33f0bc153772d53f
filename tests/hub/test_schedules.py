"""Beat schedules live in the database: installed from hub/schedules.py, each naming a real
task, and never overwritten once a hub admin has changed them."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery_app import app as celery_app
from hub.schedules import (
    RETIRED_TASKS,
    SCHEDULES,
    TIME_ZONE,
    install_schedules,
    retired_schedules_remove,
)

README = Path(settings.BASE_DIR) / "README.md"


def test_every_schedule_names_a_task_registered_with_celery():
    for schedule in SCHEDULES:
        task = import_string(schedule.task)
        assert task.name == schedule.task
        assert schedule.task in celery_app.tasks, schedule.name


def test_beat_reads_the_database_and_the_settings_hold_no_schedule():
    assert celery_app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert not celery_app.conf.beat_schedule


@pytest.mark.django_db
def test_install_creates_every_schedule_in_london_time():
    call_command("install_schedules")

    tasks = {task.name: task for task in PeriodicTask.objects.select_related("crontab", "interval")}
    assert set(tasks) == {schedule.name for schedule in SCHEDULES}
    applications = tasks["talent-anonymise-unsuccessful-applications"]
    assert (applications.task, applications.crontab.hour, applications.crontab.minute) == (
        "talent.tasks.anonymise_unsuccessful_applications",
        "2",
        "30",
    )
    assert str(applications.crontab.timezone) == TIME_ZONE
    residents = tasks["campaigns-anonymise-residents-without-consent"]
    assert (residents.task, residents.crontab.hour, residents.crontab.minute) == (
        "campaigns.tasks.anonymise_residents_without_consent",
        "2",
        "40",
    )
    report = tasks["hub-city-impact-report"].crontab
    assert (report.day_of_month, report.hour, report.minute) == ("1", "7", "30")
    digest = tasks["talent-weekly-vacancy-digests"].crontab
    assert (digest.day_of_week, digest.hour, digest.minute) == ("mon", "8", "0")
    assert tasks["talent-close-vacancies-past-closing-date"].crontab.hour == "0"
    assert json.loads(tasks["talent-job-alerts-weekly"].args) == ["weekly"]
    outbox = tasks["outbox-resend-unsent"].interval
    assert (outbox.every, outbox.period) == (5, "minutes")


@pytest.mark.django_db(transaction=True)  # beat closes and reopens its connection
def test_a_second_install_and_beat_starting_keep_an_admins_edits():
    install_schedules()
    retention = PeriodicTask.objects.get(name="talent-anonymise-unsuccessful-applications")
    crontab = retention.crontab
    crontab.hour = "4"
    crontab.save()
    alerts = PeriodicTask.objects.get(name="talent-job-alerts-daily")
    alerts.enabled = False
    alerts.save()
    PeriodicTask.objects.get(name="campaigns-event-reminders").delete()

    assert install_schedules() == ["campaigns-event-reminders"]
    DatabaseScheduler(app=celery_app)  # what `celery beat` does as it starts

    retention.refresh_from_db()
    assert retention.crontab.hour == "4"
    assert PeriodicTask.objects.get(name="talent-job-alerts-daily").enabled is False
    assert PeriodicTask.objects.count() == len(SCHEDULES)


def test_retired_tasks_are_no_longer_scheduled_nor_registered():
    assert RETIRED_TASKS.isdisjoint(schedule.task for schedule in SCHEDULES)
    assert RETIRED_TASKS.isdisjoint(celery_app.tasks)


@pytest.mark.django_db
def test_install_removes_the_portals_jobs_whose_task_it_retired_and_nothing_else():
    """A database where the retention job was installed before it was split in two."""
    install_schedules()
    crontab = PeriodicTask.objects.get(name="invitations-purge-expired").crontab
    PeriodicTask.objects.create(
        name="hub-apply-retention", task="hub.tasks.apply_retention", crontab=crontab
    )
    # Admins' own jobs, running tasks that exist, and the one celery beat adds itself.
    PeriodicTask.objects.create(
        name="purge invitations again at night",
        task="hub.tasks.invitations_purge_expired",
        crontab=crontab,
    )
    PeriodicTask.objects.create(
        name="an admin's own job", task="hub.tasks.outbox_resend_unsent", crontab=crontab
    )
    PeriodicTask.objects.create(
        name="celery.backend_cleanup",
        task="celery.backend_cleanup",
        crontab=crontab,
    )
    out = StringIO()

    call_command("install_schedules", stdout=out)

    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert "hub-apply-retention" not in names
    assert names == {schedule.name for schedule in SCHEDULES} | {
        "purge invitations again at night",
        "an admin's own job",
        "celery.backend_cleanup",
    }
    assert "Removed hub-apply-retention" in out.getvalue()
    assert retired_schedules_remove() == []
    assert install_schedules() == []


def test_the_readme_lists_every_schedule():
    text = README.read_text()
    section = text.split("## Scheduled work", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.MULTILINE))
    assert listed >= {schedule.name for schedule in SCHEDULES}
    assert not listed - {schedule.name for schedule in SCHEDULES}
