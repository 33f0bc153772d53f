"""The monthly city impact report: on the 1st, every hub admin gets last calendar month's
figures across all partners: vacancies published, applications sent, hires, secondments
and portability deployments started, and campaign reach (people engaged, event
attendances).

Each figure is shown beside the month before's, as a pair of bars a person takes in at a
glance (HTML tables, which every mail program draws; the numbers are in the text).

The figures come from registered city tables (`hub.report_tables`), one per app, named
here by key: each app counts its own (talent/reports.py, portability/reports.py,
campaigns/reports.py), one SQL aggregate per model over the month's half-open range in
the portal's time zone. Each table's rows are [figure name, count]; the tables are not
exportable.

Sent once per month: the run writes an audit event for the month, and a run that finds
one (a retry, or a second beat) sends nothing.
"""

import datetime
import zlib
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format

from hub.models import AuditEvent, User
from hub.outbox import outbox_send_template
from hub.report_tables import REGISTRY
from hub.services import audit_record

SENT_ACTION = "city_impact_report.sent"

# The tables of last month's figures, built with `first` and `after` (see month_bounds).
FIGURE_TABLES = (
    "city.last_month_talent",
    "city.last_month_portability",
    "city.last_month_campaigns",
)
FIGURE_HEADERS = ["Figure", "Count"]
# What each figure is called in the email, in the order it is shown.
FIGURE_LABELS = {
    "vacancies_published": "Vacancies published",
    "applications": "Applications sent",
    "hires": "Hires",
    "secondments_started": "Secondments started",
    "deployments_started": "Portability deployments started",
    "residents_engaged": "Residents engaged by campaigns",
    "event_attendances": "Attendances at campaign events",
}


@dataclass(frozen=True)
class MonthFigure:
    """One figure of the month and of the month before, with the lengths of their bars
    (percent of the larger of the two, so each pair is drawn to its own scale)."""

    label: str
    count: int
    previous: int

    @property
    def bar_percent(self) -> int:
        return self._percent(self.count)

    @property
    def previous_bar_percent(self) -> int:
        return self._percent(self.previous)

    def _percent(self, value: int) -> int:
        largest = max(self.count, self.previous)
        return round(value * 100 / largest) if largest else 0


def last_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(first day of the month before `today`'s, first day of `today`'s month)."""
    end = today.replace(day=1)
    return (end - datetime.timedelta(days=1)).replace(day=1), end


def month_bounds(first: datetime.date, after: datetime.date) -> tuple:
    """The aware datetimes at the start of `first` and of `after` in the portal's zone."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.datetime.combine(first, datetime.time(), zone),
        datetime.datetime.combine(after, datetime.time(), zone),
    )


def month_figures(first: datetime.date, after: datetime.date) -> list[MonthFigure]:
    """The month's figures beside the month before's, in FIGURE_LABELS' order."""
    figures = city_impact_figures(first, after)
    before = city_impact_figures(last_month(first)[0], first)
    return [
        MonthFigure(label, figures.get(name, 0), before.get(name, 0))
        for name, label in FIGURE_LABELS.items()
    ]


def city_impact_figures(first: datetime.date, after: datetime.date) -> dict:
    """The month's figures, from `first` up to (not including) `after`, by name."""
    figures = {}
    for key in FIGURE_TABLES:
        figures |= dict(REGISTRY[key].build(None, first=first, after=after).rows)
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
    figures = month_figures(first, after)
    recipients = list(User.objects.filter(is_staff=True, is_active=True).order_by("email"))
    for recipient in recipients:
        outbox_send_template(
            template="city_impact_report",
            to=recipient.email,
            context={
                "recipient": recipient,
                "month": date_format(first, "F Y"),
                "previous_month": date_format(last_month(first)[0], "F"),
                "figures": figures,
            },
        )
    audit_record(
        actor=None,
        action=SENT_ACTION,
        summary=f"Sent the city impact report for {date_format(first, 'F Y')}",
        data={
            "month": month,
            "recipients": len(recipients),
            **{name: figure.count for name, figure in zip(FIGURE_LABELS, figures, strict=True)},
        },
    )
    return len(recipients)
