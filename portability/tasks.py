"""Celery tasks of portability: thin wrappers that call a service. Celery beat runs them
on the schedules in hub/schedules.py."""

from celery import shared_task

from portability.services import deployments


@shared_task(acks_late=True, soft_time_limit=10 * 60, time_limit=15 * 60)
def send_deployment_end_reminders() -> int:
    """Email both organisations' leads and deputies when an active deployment ends within
    three days (once per deployment and end date)."""
    return deployments.deployment_end_reminders_send()
