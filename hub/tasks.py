"""Celery tasks of the hub: thin wrappers that take ids and call services."""

from celery import shared_task
from django.conf import settings

from hub import outbox, services


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
