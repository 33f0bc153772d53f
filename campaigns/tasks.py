"""Celery tasks of campaigns: thin wrappers that call a service. The beat schedule in
hub/schedules.py runs them."""

from celery import shared_task

from campaigns.services import events


@shared_task(acks_late=True, soft_time_limit=10 * 60, time_limit=15 * 60)
def send_event_reminders() -> int:
    """Email residents booked on an event tomorrow (once each: every booking is marked as
    it is emailed, so a retried or doubled run sends nothing twice)."""
    return events.event_reminders_send()
