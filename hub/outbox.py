"""The email outbox: the only way the portal sends email.

`outbox_enqueue` writes a row in the caller's transaction and schedules delivery after
commit, so an email exists exactly when the event that caused it does. Delivery locks the
row, sends, and marks it sent in one transaction, so a second run sends nothing. When the
broker is down the row waits, and the beat job `outbox_resend_unsent` picks it up.

One window remains: a worker that dies after the mail server accepted a message but before
the commit sends it again. Every attempt carries the same Message-ID, made from the row's
id, so the copy can be recognised for what it is (docs/reliability.md).
"""

import logging
from datetime import timedelta
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from hub.models import OutboundEmail

logger = logging.getLogger(__name__)

# Rows younger than this are left to the task enqueued when they were written.
RESEND_GRACE = timedelta(minutes=2)


class DeliveryFailed(Exception):
    """The mail server refused or could not be reached; the task retries later."""


def render_email(template: str, context: dict) -> tuple[str, str, str]:
    """Render emails/<template>_subject.txt, _body.txt and _body.html."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"emails/{template}_subject.txt", context)
    body_text = render_to_string(f"emails/{template}_body.txt", context)
    body_html = render_to_string(f"emails/{template}_body.html", context)
    return " ".join(subject.split()), body_text, body_html


def message_id(email: OutboundEmail) -> str:
    """The same Message-ID on every attempt to send one outbox row."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "workforcehub"
    return f"<outbox.{email.pk}@{domain}>"


def _outbox_row(
    *,
    kind: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    headers: dict | None = None,
    attachments: list[dict] | None = None,
) -> OutboundEmail:
    """An unsaved outbox row. `attachments` are small text files, each {"filename",
    "content", "mimetype"}."""
    return OutboundEmail(
        kind=kind,
        to=to,
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        headers=headers or {},
        attachments=attachments or [],
    )


def outbox_enqueue(**fields) -> OutboundEmail:
    """Write an email (the fields of `_outbox_row`) to the outbox and send it once the
    current transaction commits."""
    return _save_and_publish(_outbox_row(**fields))


def _save_and_publish(email: OutboundEmail) -> OutboundEmail:
    email.save()
    transaction.on_commit(partial(outbox_publish, email.pk), robust=True)
    return email


def outbox_send_template(**fields) -> OutboundEmail:
    """Render emails/<template>_* with the context (the fields of `outbox_build`), write
    it to the outbox and send it once the current transaction commits."""
    return _save_and_publish(outbox_build(**fields))


def outbox_publish(email_id) -> None:
    """Hand the email to Celery; never let a broker outage fail the request."""
    from hub.tasks import outbox_deliver

    try:
        outbox_deliver.apply_async(args=[str(email_id)], retry=False)
    except Exception:  # the broker is unreachable: the beat job will resend it
        logger.warning("Could not enqueue outbox email %s; it will be resent", email_id)


def _message(email: OutboundEmail, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={
            **email.headers,
            "Message-ID": message_id(email),
            "X-Workforce-Hub-Email": str(email.pk),
        },
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def outbox_deliver(email_id) -> bool:
    """Send one pending email. Returns True when this call sent it, False when there was
    nothing to do (already sent, given up, or being sent by another worker)."""
    failure = None
    with transaction.atomic():
        email = (
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk=email_id, status=OutboundEmail.Status.PENDING)
            .first()
        )
        if email is None:
            return False
        email.attempts += 1
        email.last_attempt_at = timezone.now()
        try:
            _message(email).send()
        except Exception as exc:  # SMTP, socket and backend errors alike
            failure = exc
            email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                email.status = OutboundEmail.Status.FAILED
            email.save(update_fields=["attempts", "last_attempt_at", "last_error", "status"])
        else:
            email.status = OutboundEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save()
            return True
    if email.status == OutboundEmail.Status.FAILED:
        logger.error("Gave up sending outbox email %s: %s", email_id, email.last_error)
        return False
    raise DeliveryFailed(email.last_error) from failure


def outbox_unsent_ids(*, older_than: timedelta = RESEND_GRACE) -> list:
    cutoff = timezone.now() - older_than
    return list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.PENDING, created_at__lte=cutoff
        ).values_list("pk", flat=True)[:1000]
    )


# --- Many at once (job alerts) --------------------------------------------------------------

# Emails locked, sent and marked in one transaction by `outbox_deliver_many`: a worker
# that dies mid-way sends at most this many again (each with its Message-ID, as above).
DELIVER_MANY_CHUNK = 100


def outbox_build(
    *,
    template: str,
    to: str,
    context: dict,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
) -> OutboundEmail:
    """An unsaved outbox row rendered from a template, for `outbox_enqueue_many`."""
    subject, body_text, body_html = render_email(template, context)
    return _outbox_row(
        kind=template,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=headers,
        attachments=attachments,
    )


def outbox_enqueue_many(emails: list[OutboundEmail], *, publish) -> list[OutboundEmail]:
    """Write many emails with one INSERT in the caller's transaction and, once it
    commits, hand their ids to `publish` (which enqueues a task calling
    `outbox_deliver_many`): one task for a batch instead of one per email. Rows that no
    task sends wait for `outbox_resend_unsent`, as with `outbox_enqueue`."""
    created = OutboundEmail.objects.bulk_create(emails)
    if created:
        transaction.on_commit(partial(publish, [email.pk for email in created]), robust=True)
    return created


def outbox_deliver_many(email_ids) -> int:
    """Send the pending emails among `email_ids` over one connection to the mail
    server, each as `outbox_deliver` does: locked, sent and marked sent in one
    transaction (a chunk of them at a time), so a second run sends nothing. An email
    that fails stays pending for the beat job's resend (or is given up after
    OUTBOX_MAX_ATTEMPTS); the others go on. Returns the number sent."""
    email_ids = list(email_ids)
    sent = 0
    with get_connection() as connection:
        for start in range(0, len(email_ids), DELIVER_MANY_CHUNK):
            chunk = email_ids[start : start + DELIVER_MANY_CHUNK]
            with transaction.atomic():
                emails = list(
                    OutboundEmail.objects.select_for_update(skip_locked=True).filter(
                        pk__in=chunk, status=OutboundEmail.Status.PENDING
                    )
                )
                sent_ids = []
                for email in emails:
                    try:
                        _message(email, connection).send()
                    except Exception as exc:  # SMTP, socket and backend errors alike
                        email.attempts += 1
                        email.last_attempt_at = timezone.now()
                        email.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                        if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                            email.status = OutboundEmail.Status.FAILED
                            logger.error("Gave up sending outbox email %s", email.pk)
                        email.save(
                            update_fields=["attempts", "last_attempt_at", "last_error", "status"]
                        )
                    else:
                        sent_ids.append(email.pk)
                # The sent ones in one UPDATE (a bulk_update of each row cost more than
                # sending them).
                now = timezone.now()
                OutboundEmail.objects.filter(pk__in=sent_ids).update(
                    status=OutboundEmail.Status.SENT,
                    attempts=F("attempts") + 1,
                    last_attempt_at=now,
                    sent_at=now,
                    last_error="",
                )
                sent += len(sent_ids)
    return sent
