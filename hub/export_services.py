"""Report exports: ask for one, build it, download it, and let it expire.

`report_export_request` checks the tables against the registry (hub.report_tables) and
builds them, which runs their aggregate queries and tells how many rows the file will
have. Up to EXPORT_INLINE_MAX_ROWS rows the file is written there and then, so most
exports download at once. Larger ones are saved as pending and `build_report_export` is
enqueued after commit; the task writes the file counting its rows (one UPDATE every
`hub.exports.PROGRESS_EVERY` rows, for the progress bar) and emails the requester a link.

When the broker is down the export waits as pending: opening its page after
RESEND_GRACE enqueues it again, and so does the nightly purge job, so no export is lost.
A build claims its row with one conditional UPDATE, so a task delivered twice builds once.
Files live in private storage under random names and are deleted once expired
(EXPORT_RETENTION_DAYS after they were ready); the row stays, as a record of what was
exported by whom.
"""

import io
import logging
import tempfile
import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from hub import exports
from hub.models import Organisation, OutboundEmail, ReportExport, User
from hub.outbox import RESEND_GRACE, outbox_send_template
from hub.report_tables import (
    CITY,
    ORGANISATION,
    REGISTRY,
    RegisteredTable,
    tables_by_area,
    tables_for,
)
from hub.services import audit_record

logger = logging.getLogger(__name__)

Status = ReportExport.Status
Format = ReportExport.Format

# A build still "building" after this was cut off (its worker died): it may be claimed again.
BUILD_ABANDONED_AFTER = timedelta(minutes=30)
# How many of an organisation's exports its page lists.
RECENT_EXPORTS = 20

FAILED_MESSAGE = (
    "The export could not be built. Ask for it again; if it fails again, tell the hub team."
)
MISSING_TABLE_MESSAGE = "A table in this export is no longer available. Ask for a new export."


class MissingTable(Exception):
    """The export names a table no longer registered (renamed or removed since)."""


def retention() -> timedelta:
    return timedelta(days=settings.EXPORT_RETENTION_DAYS)


def inline_max_rows() -> int:
    return settings.EXPORT_INLINE_MAX_ROWS


def scope_of(organisation: Organisation | None) -> str:
    return CITY if organisation is None else ORGANISATION


def exportable_tables(organisation: Organisation | None) -> list[RegisteredTable]:
    """The tables of the organisation's scope, or the city's for None, by title."""
    return tables_for(scope_of(organisation))


def exportable_tables_by_area(
    organisation: Organisation | None,
) -> list[tuple[str, list[RegisteredTable]]]:
    """The same tables grouped by area, for choosing what to export."""
    return tables_by_area(scope_of(organisation))


def exports_url(organisation: Organisation | None, table_keys=()) -> str:
    """The page to export the organisation's tables (the city's for None), with
    `table_keys` ticked: where a report page's "download" link goes."""
    if organisation is None:
        url = reverse("hub:city_exports")
    else:
        url = reverse("hub:exports", kwargs={"org_slug": organisation.slug})
    return f"{url}?{urlencode([('tables', key) for key in table_keys])}" if table_keys else url


# --- Reads ---------------------------------------------------------------------------------


def recent_exports(organisation: Organisation | None) -> QuerySet[ReportExport]:
    """The organisation's latest exports (the city's for None), newest first."""
    return ReportExport.objects.for_organisation(
        organisation.pk if organisation else None
    ).select_related("requested_by")[:RECENT_EXPORTS]


def export_for(organisation: Organisation | None, export_id) -> ReportExport:
    """One export of the organisation (of the city for None); 404 for anyone else's,
    the same answer as "does not exist"."""
    return get_object_or_404(
        ReportExport.objects.for_organisation(
            organisation.pk if organisation else None
        ).select_related("requested_by", "organisation"),
        pk=export_id,
    )


def export_path(export: ReportExport) -> str:
    """The export's page, where its progress and download link are."""
    if export.organisation_id is None:
        return reverse("hub:city_export_detail", kwargs={"export_id": export.pk})
    return reverse(
        "hub:export_detail",
        kwargs={"org_slug": export.organisation.slug, "export_id": export.pk},
    )


def table_titles(export: ReportExport) -> list[str]:
    return [REGISTRY[key].title if key in REGISTRY else key for key in export.table_keys]


# --- Building ------------------------------------------------------------------------------


def _sections(export: ReportExport) -> list[exports.Section]:
    sections = []
    for key in export.table_keys:
        registered = REGISTRY.get(key)
        if registered is None:
            raise MissingTable(key)
        sections.append(exports.Section(registered.title, registered.build(export.organisation)))
    return sections


def _filename(export: ReportExport) -> str:
    who = export.organisation.slug if export.organisation else "city"
    return f"reports-{who}-{timezone.localdate():%Y-%m-%d}.{export.format}"


def _write(export: ReportExport, sections, progress=None) -> None:
    """Write the file into private storage under a random name; sets `file`, `filename`."""
    with tempfile.TemporaryFile() as raw:
        if export.format == Format.CSV:
            # The byte order mark makes Excel read the file as UTF-8.
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            exports.write_csv(sections, text, progress=progress, every=exports.PROGRESS_EVERY)
            text.flush()
            text.detach()
        else:
            exports.write_xlsx(sections, raw, progress=progress, every=exports.PROGRESS_EVERY)
        raw.seek(0)
        export.file.save(f"{uuid.uuid4().hex}.{export.format}", File(raw), save=False)
    export.filename = _filename(export)


def _mark_ready(export: ReportExport, rows: int) -> None:
    now = timezone.now()
    export.status = Status.READY
    export.rows_total = export.rows_done = rows
    export.started_at = export.started_at or now
    export.finished_at = now
    export.expires_at = now + retention()
    export.error = ""


@transaction.atomic
def report_export_request(
    *, organisation: Organisation | None, actor: User, table_keys: list[str], format: str
) -> ReportExport:
    """Ask for an export of the tables `table_keys` (of the organisation's scope, or the
    city's for None) as `format`. Small ones come back ready; others pending, with their
    build enqueued after commit."""
    allowed = [table.key for table in exportable_tables(organisation)]
    chosen = set(table_keys)
    if not chosen:
        raise ValidationError({"tables": "Choose at least one table"})
    if chosen - set(allowed):
        raise ValidationError({"tables": "Choose tables from the list"})
    if format not in Format.values:
        raise ValidationError({"format": "Choose Excel or CSV"})
    export = ReportExport(
        organisation=organisation,
        requested_by=actor,
        table_keys=[key for key in allowed if key in chosen],
        format=format,
    )
    sections = _sections(export)
    rows = sum(len(section.table.rows) for section in sections)
    export.rows_total = rows
    if rows <= inline_max_rows():
        _write(export, sections)
        _mark_ready(export, rows)
    export.save()
    if export.status == Status.PENDING:
        transaction.on_commit(partial(report_export_publish, export.pk), robust=True)
    audit_record(
        actor=actor,
        organisation=organisation,
        obj=export,
        action="report.exported",
        summary=f"Asked for {'an Excel' if format == Format.XLSX else 'a CSV'} export of "
        f"{len(export.table_keys)} report table(s)",
        data={"tables": export.table_keys, "format": format, "rows": rows},
    )
    return export


def report_export_publish(export_id) -> None:
    """Hand the build to Celery; never let a broker outage fail the request (the export
    stays pending and is enqueued again later, see the module's docstring)."""
    from hub.tasks import build_report_export

    try:
        build_report_export.apply_async(args=[str(export_id)], retry=False)
    except Exception:  # the broker is unreachable
        logger.warning("Could not enqueue report export %s; it will be retried", export_id)


def report_export_nudge(export: ReportExport) -> bool:
    """Enqueue a pending export again when its task seems lost (older than the grace
    the first enqueue gets). Opening the export's page does this."""
    if export.status == Status.PENDING and export.created_at < timezone.now() - RESEND_GRACE:
        report_export_publish(export.pk)
        return True
    return False


def report_export_build(export_id) -> bool:
    """Build a pending export (or one whose build was cut off). True when this call
    built it; False when there was nothing to do or the build failed (the export then
    says so, in words its requester can act on)."""
    now = timezone.now()
    claimable = Q(status=Status.PENDING) | Q(
        status=Status.BUILDING, started_at__lt=now - BUILD_ABANDONED_AFTER
    )
    claimed = ReportExport.objects.filter(claimable, pk=export_id).update(
        status=Status.BUILDING, started_at=now, rows_done=0
    )
    if not claimed:
        return False
    export = ReportExport.objects.select_related("organisation", "requested_by").get(pk=export_id)
    rows = ReportExport.objects.filter(pk=export.pk)
    try:
        sections = _sections(export)
        total = sum(len(section.table.rows) for section in sections)
        rows.update(rows_total=total, rows_done=0)
        _write(export, sections, progress=lambda done: rows.update(rows_done=done))
    except Exception as error:  # any failure: the requester is told, the logs keep the detail
        logger.exception("Report export %s failed", export_id)
        export.status = Status.FAILED
        export.error = MISSING_TABLE_MESSAGE if isinstance(error, MissingTable) else FAILED_MESSAGE
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "error", "finished_at"])
        return False
    with transaction.atomic():
        _mark_ready(export, total)
        export.save()
        if export.requested_by and export.requested_by.is_active:
            email_report_export_ready(export=export)
    return True


def report_export_downloaded(*, export: ReportExport, actor: User) -> None:
    ReportExport.objects.filter(pk=export.pk).update(downloaded_at=timezone.now())
    audit_record(
        actor=actor,
        organisation=export.organisation,
        obj=export,
        action="report.downloaded",
        summary=f"Downloaded the report export {export.filename}",
        data={"tables": export.table_keys, "format": export.format},
    )


def report_exports_purge_expired() -> int:
    """Delete the files of exports past their expiry and mark them expired (the rows
    stay); enqueue again any export left pending by a lost task. Returns how many
    expired."""
    now = timezone.now()
    expired = list(ReportExport.objects.filter(status=Status.READY, expires_at__lte=now))
    for export in expired:
        export.file.delete(save=False)
    ReportExport.objects.filter(pk__in=[export.pk for export in expired]).update(
        status=Status.EXPIRED, file=""
    )
    stale = ReportExport.objects.filter(
        status=Status.PENDING, created_at__lte=now - RESEND_GRACE
    ).values_list("pk", flat=True)
    for export_id in stale:
        report_export_publish(export_id)
    return len(expired)


# --- Email ---------------------------------------------------------------------------------


def email_report_export_ready(*, export: ReportExport) -> OutboundEmail:
    return outbox_send_template(
        template="report_export_ready",
        to=export.requested_by.email,
        context={
            "export": export,
            "person": export.requested_by,
            "organisation": export.organisation,
            "tables": table_titles(export),
            "export_path": export_path(export),
        },
    )
