"""The monthly city impact report: on the 1st, every hub admin gets last calendar month's
figures across all partners: vacancies published, applications sent, hires, secondments
and portability deployments started, and campaign reach (people engaged, event
attendances). Each figure is one SQL aggregate over the month's half-open range in the
portal's time zone.

Sent once per month: the run writes an audit event for the month, and a run that finds
one (a retry, or a second beat) sends nothing.
"""

import datetime
import zlib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.models import Engagement, EventBooking
from hub.models import AuditEvent, User
from hub.outbox import outbox_send_template
from hub.services import audit_record
from portability.models import Deployment
from talent.models import Application, SecondmentAgreement, StageChange, Vacancy

SENT_ACTION = "city_impact_report.sent"


def last_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day of the month before `today`'s, first day of `today`'s month)."""
    end = today.replace(day=1)
    return (end - datetime.timedelta(days=1)).replace(day=1), end


def _bounds(first: datetime.date, after: datetime.date) -> tuple:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.datetime.combine(first, datetime.time(), zone),
        datetime.datetime.combine(after, datetime.time(), zone),
    )


def city_impact_figures(first: datetime.date, after: datetime.date) -> dict:
    """The month's figures, from `first` up to (not including) `after`: one aggregate
    query per table."""
    start, end = _bounds(first, after)
    figures = Vacancy.objects.aggregate(
        vacancies_published=Count("pk", filter=Q(published_at__gte=start, published_at__lt=end))
    )
    figures |= Application.objects.aggregate(
        applications=Count("pk", filter=Q(submitted_at__gte=start, submitted_at__lt=end))
    )
    figures |= StageChange.objects.aggregate(
        hires=Count(
            "application_id",
            distinct=True,
            filter=Q(to_stage=Application.Stage.HIRED, created_at__gte=start, created_at__lt=end),
        )
    )
    figures |= SecondmentAgreement.objects.aggregate(
        secondments_started=Count("pk", filter=Q(activated_at__gte=start, activated_at__lt=end))
    )
    figures |= Deployment.objects.aggregate(
        deployments_started=Count("pk", filter=Q(started_at__gte=start, started_at__lt=end))
    )
    figures |= Engagement.objects.aggregate(
        residents_engaged=Count(
            "resident_id", distinct=True, filter=Q(engaged_on__gte=first, engaged_on__lt=after)
        )
    )
    figures |= EventBooking.objects.aggregate(
        event_attendances=Count(
            "pk",
            filter=Q(attended=True, event__starts_at__gte=start, event__starts_at__lt=end),
        )
    )
    return figures


@transaction.atomic
def city_impact_report_send(*, today: datetime.date | None = None) -> int:
    """Email last month's figures to every active hub admin, once per month. Returns the
    number of emails written to the outbox."""
    today = today or timezone.localdate()
    first, after = last_month(today)
    month = first.strftime("%Y-%m")
    # One run at a time: a second waits here until the first has committed its audit row.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(SENT_ACTION.encode())])
    if AuditEvent.objects.filter(action=SENT_ACTION, data__month=month).exists():
        return 0
    figures = city_impact_figures(first, after)
    recipients = list(User.objects.filter(is_staff=True, is_active=True).order_by("email"))
    for recipient in recipients:
        outbox_send_template(
            template="city_impact_report",
            to=recipient.email,
            context={
                "recipient": recipient,
                "month": date_format(first, "F Y"),
                "figures": figures,
            },
        )
    audit_record(
        actor=None,
        action=SENT_ACTION,
        summary=f"Sent the city impact report for {date_format(first, 'F Y')}",
        data={"month": month, "recipients": len(recipients), **figures},
    )
    return len(recipients)
