"""Celery tasks of talent: thin wrappers that call a service. Each is idempotent (what it
emails is marked as emailed; a closed vacancy is not closed again; an anonymised
application is not chosen again), so a retried or doubled run sends or changes nothing
twice. Celery beat runs them on the schedules in hub/schedules.py."""

from celery import shared_task

from hub import outbox
from talent.services import alerts, applications


@shared_task(acks_late=True, soft_time_limit=15 * 60, time_limit=20 * 60)
def send_job_alerts(frequency: str) -> int:
    """Email every due job alert of this frequency ("daily" or "weekly")."""
    return alerts.job_alerts_send(frequency=frequency)


@shared_task(acks_late=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def deliver_job_alert_emails(email_ids: list[str]) -> int:
    """Send a batch of job alert emails from the outbox (one task for hundreds)."""
    return outbox.outbox_deliver_many(email_ids)


@shared_task(acks_late=True, soft_time_limit=10 * 60, time_limit=15 * 60)
def send_application_digests() -> int:
    """Email each vacancy contact who chose a daily digest their new applications."""
    return applications.application_digests_send()


@shared_task(acks_late=True, soft_time_limit=10 * 60, time_limit=15 * 60)
def send_interview_and_trial_shift_reminders() -> dict:
    """Email candidates whose interview or confirmed trial shift is tomorrow (once each)."""
    from talent.services import interviews

    return interviews.reminders_send()


@shared_task(acks_late=True, soft_time_limit=10 * 60, time_limit=15 * 60)
def send_secondment_end_reminders() -> int:
    """Email the person, both organisations' approvers and the host's contact when an
    active secondment ends within four weeks (once per end date)."""
    from talent.services import secondments

    return secondments.secondment_end_reminders_send()


@shared_task(acks_late=True, soft_time_limit=10 * 60, time_limit=15 * 60)
def close_vacancies_past_closing_date() -> int:
    """Close published vacancies whose closing date has passed (each audited)."""
    from talent.services import vacancies

    return vacancies.vacancies_close_past_closing_date()


@shared_task(acks_late=True, soft_time_limit=15 * 60, time_limit=20 * 60)
def send_weekly_vacancy_digests() -> int:
    """Email each vacancy contact the week's summary of their open vacancies (once a week)."""
    from talent.services import vacancies

    return vacancies.weekly_vacancy_digests_send()


@shared_task(acks_late=True, soft_time_limit=30 * 60, time_limit=40 * 60)
def anonymise_unsuccessful_applications() -> int:
    """Anonymise unsuccessful applications past their retention period
    (talent.services.retention); idempotent, and audited with the count."""
    from talent.services import retention

    return retention.applications_anonymise()
