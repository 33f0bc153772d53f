"""Celery tasks of the hub: thin wrappers that take ids and call services."""

from celery import shared_task
from django.conf import settings

from hub import export_services, outbox, services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(outbox.DeliveryFailed,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=settings.OUTBOX_MAX_ATTEMPTS,
    soft_time_limit=60,
    time_limit=90,
)
def outbox_deliver(email_id: str) -> bool:
    return outbox.outbox_deliver(email_id)


@shared_task
def outbox_resend_unsent() -> int:
    """Re-enqueue emails whose task was lost; delivery itself is idempotent."""
    ids = outbox.outbox_unsent_ids()
    for email_id in ids:
        outbox.outbox_publish(email_id)
    return len(ids)


@shared_task
def invitations_purge_expired() -> int:
    return services.invitations_purge_expired()


@shared_task(acks_late=True, soft_time_limit=10 * 60, time_limit=15 * 60)
def send_city_impact_report() -> int:
    """Email last month's city figures to the hub admins, once per month."""
    from hub.impact_report import city_impact_report_send

    return city_impact_report_send()


@shared_task(
    acks_late=True, reject_on_worker_lost=True, soft_time_limit=15 * 60, time_limit=16 * 60
)
def build_report_export(export_id: str) -> bool:
    """Write a large report export; progress, failure and the email are the service's."""
    return export_services.report_export_build(export_id)


@shared_task
def purge_expired_exports() -> int:
    """Nightly: delete expired export files (rows kept) and re-enqueue lost builds."""
    return export_services.report_exports_purge_expired()
