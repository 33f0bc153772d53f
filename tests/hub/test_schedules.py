"""Beat schedules live in the database: installed from hub/schedules.py, each naming a real
task, and never overwritten once a hub admin has changed them."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.module_loading import import_string
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery_app import app as celery_app
from hub.schedules import SCHEDULES, TIME_ZONE, install_schedules

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
    retention = tasks["hub-apply-retention"]
    assert (retention.task, retention.crontab.hour, retention.crontab.minute) == (
        "hub.tasks.apply_retention",
        "2",
        "30",
    )
    assert str(retention.crontab.timezone) == TIME_ZONE
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
    retention = PeriodicTask.objects.get(name="hub-apply-retention")
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


def test_the_readme_lists_every_schedule():
    text = README.read_text()
    section = text.split("## Scheduled work", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", section, re.MULTILINE))
    assert listed >= {schedule.name for schedule in SCHEDULES}
    assert not listed - {schedule.name for schedule in SCHEDULES}
