"""The portal's periodic jobs, with when and why, and how they reach the database.

Celery beat runs with django-celery-beat's DatabaseScheduler, so the schedules are rows
(PeriodicTask with a CrontabSchedule or IntervalSchedule) that hub admins edit in the
Django admin. `install_schedules()` (`manage.py install_schedules`, run by `make run`
and the Docker `migrate` service after migrating) creates each job below only when no
task of that name exists: a time or an "enabled" box an admin changed survives every
later install and restart. A job added here reaches existing databases at the next
install. A job removed here is deleted by the next install only when its task is one the
portal retired (`RETIRED_TASKS`); any other is left for an admin to delete.

Cron times are in Europe/London, so 07:00 stays 07:00 across the clock changes.
"""

import json
from dataclasses import dataclass, field

from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

TIME_ZONE = "Europe/London"


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    description: str
    # Cron fields ("minute", "hour", "day_of_week", "day_of_month"), or None with `every_minutes`.
    cron: dict | None = None
    every_minutes: int | None = None
    args: tuple = field(default_factory=tuple)


SCHEDULES = (
    Schedule(
        "outbox-resend-unsent",
        "hub.tasks.outbox_resend_unsent",
        "Send outbox emails whose task was lost (broker down, worker died).",
        every_minutes=5,
    ),
    Schedule(
        "invitations-purge-expired",
        "hub.tasks.invitations_purge_expired",
        "Drop expired, never-used invitations so tokens do not linger.",
        cron={"hour": "3", "minute": "10"},
    ),
    Schedule(
        "hub-purge-expired-exports",
        "hub.tasks.purge_expired_exports",
        "Delete expired report export files (the rows stay) and re-enqueue lost builds.",
        cron={"hour": "3", "minute": "40"},
    ),
    Schedule(
        "talent-job-alerts-daily",
        "talent.tasks.send_job_alerts",
        "Daily job alerts get the vacancies published since their last email.",
        cron={"hour": "7", "minute": "0"},
        args=("daily",),
    ),
    Schedule(
        "talent-job-alerts-weekly",
        "talent.tasks.send_job_alerts",
        "Weekly job alerts get the vacancies published since their last email.",
        cron={"hour": "7", "minute": "0", "day_of_week": "mon"},
        args=("weekly",),
    ),
    Schedule(
        "talent-application-digests",
        "talent.tasks.send_application_digests",
        "Vacancy contacts who chose a digest hear of the day's new applications.",
        cron={"hour": "8", "minute": "0"},
    ),
    Schedule(
        "talent-weekly-vacancy-digests",
        "talent.tasks.send_weekly_vacancy_digests",
        "Each organisation's vacancy contacts get a summary of their open vacancies: "
        "this week's applications by stage and those overdue against time to hire.",
        cron={"hour": "8", "minute": "0", "day_of_week": "mon"},
    ),
    Schedule(
        "talent-interview-and-trial-shift-reminders",
        "talent.tasks.send_interview_and_trial_shift_reminders",
        "Candidates hear of their interview or confirmed trial shift tomorrow.",
        cron={"hour": "9", "minute": "0"},
    ),
    Schedule(
        "campaigns-event-reminders",
        "campaigns.tasks.send_event_reminders",
        "Residents booked on a campaign event tomorrow get a reminder.",
        cron={"hour": "9", "minute": "0"},
    ),
    Schedule(
        "talent-secondment-end-reminders",
        "talent.tasks.send_secondment_end_reminders",
        "Secondments ending within four weeks: the person and both organisations hear "
        "once, in time to plan the return or agree an extension.",
        cron={"hour": "8", "minute": "30"},
    ),
    Schedule(
        "portability-deployment-end-reminders",
        "portability.tasks.send_deployment_end_reminders",
        "Deployments ending within three days: the home and host organisations' leads "
        "and deputies hear once, to arrange the return.",
        cron={"hour": "8", "minute": "45"},
    ),
    Schedule(
        "talent-close-vacancies-past-closing-date",
        "talent.tasks.close_vacancies_past_closing_date",
        "Published vacancies whose closing date has passed are closed (and audited).",
        cron={"hour": "0", "minute": "10"},
    ),
    Schedule(
        "hub-city-impact-report",
        "hub.tasks.send_city_impact_report",
        "Hub admins get last month's figures: vacancies published, applications, hires, "
        "secondments, deployments and campaign reach.",
        cron={"hour": "7", "minute": "30", "day_of_month": "1"},
    ),
    # Retention, nightly while nobody is working: each app anonymises its own people's
    # personal data once the period in settings is over, keeping every report figure.
    # Ten minutes apart, so the two normally run one after the other, not together.
    Schedule(
        "talent-anonymise-unsuccessful-applications",
        "talent.tasks.anonymise_unsuccessful_applications",
        "Anonymise rejected and withdrawn applications "
        "RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS after their vacancy closed, keeping the "
        "report figures.",
        cron={"hour": "2", "minute": "30"},
    ),
    Schedule(
        "campaigns-anonymise-residents-without-consent",
        "campaigns.tasks.anonymise_residents_without_consent",
        "Anonymise campaign residents without consent to be contacted "
        "RETENTION_RESIDENT_WITHOUT_CONSENT_MONTHS after their last engagement, keeping "
        "the report figures.",
        cron={"hour": "2", "minute": "40"},
    ),
)

# Tasks the portal once scheduled and has since retired (renamed, split or dropped). The
# next install deletes a job that runs one of these and is no longer in SCHEDULES: its
# task no longer exists, so beat would only fail it every night. Only names listed here
# are ever deleted, so admins' own jobs, which run tasks that exist, are never touched.
RETIRED_TASKS = frozenset(
    {
        # Split in two: talent-anonymise-unsuccessful-applications and
        # campaigns-anonymise-residents-without-consent.
        "hub.tasks.apply_retention",
    }
)


def _schedule_fields(schedule: Schedule) -> dict:
    if schedule.every_minutes:
        interval, _ = IntervalSchedule.objects.get_or_create(
            every=schedule.every_minutes, period=IntervalSchedule.MINUTES
        )
        return {"interval": interval}
    cron = {"minute": "0", "hour": "*", "day_of_week": "*", "day_of_month": "*", **schedule.cron}
    crontab, _ = CrontabSchedule.objects.get_or_create(
        **cron, month_of_year="*", timezone=TIME_ZONE
    )
    return {"crontab": crontab}


@transaction.atomic
def retired_schedules_remove() -> list[str]:
    """Delete the periodic tasks that run a retired task and are no longer in SCHEDULES.
    Returns the names deleted."""
    retired = PeriodicTask.objects.filter(task__in=RETIRED_TASKS).exclude(
        name__in=[s.name for s in SCHEDULES]
    )
    names = sorted(retired.values_list("name", flat=True))
    retired.delete()
    return names


@transaction.atomic
def install_schedules() -> list[str]:
    """Create the periodic tasks that do not exist yet, by name; never change one that
    does. Returns the names created."""
    existing = set(
        PeriodicTask.objects.filter(name__in=[s.name for s in SCHEDULES]).values_list(
            "name", flat=True
        )
    )
    created = []
    for schedule in SCHEDULES:
        if schedule.name in existing:
            continue
        PeriodicTask.objects.create(
            name=schedule.name,
            task=schedule.task,
            description=schedule.description,
            args=json.dumps(list(schedule.args)),
            **_schedule_fields(schedule),
        )
        created.append(schedule.name)
    return created
