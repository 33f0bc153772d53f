"""Celery tasks of campaigns: thin wrappers that call a service. The beat schedule in
hub/schedules.py runs them."""

from celery import shared_task

from campaigns.services import events


@shared_task(acks_late=True, soft_time_limit=10 * 60, time_limit=15 * 60)
def send_event_reminders() -> int:
    """Email residents booked on an event tomorrow (once each: every booking is marked as
    it is emailed, so a retried or doubled run sends nothing twice)."""
    return events.event_reminders_send()


@shared_task(acks_late=True, soft_time_limit=30 * 60, time_limit=40 * 60)
def anonymise_residents_without_consent() -> int:
    """Anonymise residents without standing consent past their retention period
    (campaigns.services.retention); idempotent, and audited with the count."""
    from campaigns.services import retention

    return retention.residents_anonymise()
