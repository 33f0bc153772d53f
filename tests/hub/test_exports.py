"""Report exports: the files hold the tables exactly and never run a formula; small
exports are ready at once, large ones are built by the task with progress and an email;
only the organisation's members who may view reports (and hub admins for the city's)
can see and download them; files expire."""

import csv
import datetime
import io
import re
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from hub import export_services, exports, impact_report
from hub.models import AuditEvent, Membership, ReportExport
from hub.report_tables import CITY, ORGANISATION, REGISTRY, RegisteredTable, Table
from hub.tasks import build_report_export, purge_expired_exports
from hub.uploads import private_storage
from tests.factories import MembershipFactory, UserFactory

Status = ReportExport.Status

PEOPLE = Table(
    headers=["Name", "Hired", "Median days", "Closing date"],
    rows=[
        ["Ward 5 nurse", 3, 12.5, datetime.date(2026, 3, 1)],
        ['=HYPERLINK("http://evil.example","Click")', -2, None, None],
        ["+44 113 000", 0, 4.0, datetime.date(2026, 4, 30)],
        ["@SUM(A1:A9)", 1, 7.25, None],
        ["-1+2", 5, 1.0, None],
    ],
    notes=["Counts of 1 to 4 are shown as <5."],
)
SOURCES = Table(headers=["Source", "Applications"], rows=[["Campaign", "<5"], ["Jobs board", 40]])


@pytest.fixture
def tables(monkeypatch):
    """Two organisation tables and a city one, registered for the test only. The
    organisation's tables count its calls, to show who the figures were built for."""
    built_for = []

    def people(organisation):
        built_for.append(organisation)
        return PEOPLE

    for key, title, scope, build in [
        ("organisation.test_people", "People hired", ORGANISATION, people),
        ("organisation.test_sources", "Applications by source", ORGANISATION, lambda o: SOURCES),
        ("city.test_people", "People hired across the city", CITY, people),
    ]:
        monkeypatch.setitem(REGISTRY, key, RegisteredTable(key, title, scope, build, area="Tests"))
    return built_for


def _sections():
    return [exports.Section("People hired", PEOPLE), exports.Section("By source", SOURCES)]


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the byte order mark to read UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def _read_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data))


# --- The writers -----------------------------------------------------------------------------


def test_csv_holds_each_table_under_its_title_with_formulas_neutralised():
    out = io.StringIO()
    exports.write_csv(_sections(), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [
        ["People hired"],
        ["Name", "Hired", "Median days", "Closing date"],
        ["Ward 5 nurse", "3", "12.5", "2026-03-01"],
        ['\'=HYPERLINK("http://evil.example","Click")', "-2", "", ""],
        ["'+44 113 000", "0", "4.0", "2026-04-30"],
        ["'@SUM(A1:A9)", "1", "7.25", ""],
        ["'-1+2", "5", "1.0", ""],
        ["Counts of 1 to 4 are shown as <5."],
        [],
        ["By source"],
        ["Source", "Applications"],
        ["Campaign", "<5"],
        ["Jobs board", "40"],
        [],
    ]


def test_csv_of_one_table_is_just_its_header_and_rows():
    out = io.StringIO()
    exports.write_csv([exports.Section("By source", SOURCES)], out)
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["Source", "Applications"],
        ["Campaign", "<5"],
        ["Jobs board", "40"],
    ]


def test_excel_has_a_sheet_per_table_with_a_bold_frozen_header_and_typed_cells():
    out = io.BytesIO()
    exports.write_xlsx(_sections(), out)
    workbook = _read_xlsx(out.getvalue())
    assert workbook.sheetnames == ["People hired", "By source"]
    sheet = workbook["People hired"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Name", "Hired", "Median days", "Closing date"]
    assert values[1] == ["Ward 5 nurse", 3, 12.5, datetime.datetime(2026, 3, 1)]
    # Text that a spreadsheet would run is kept as text; numbers stay numbers.
    assert values[2][:2] == ['\'=HYPERLINK("http://evil.example","Click")', -2]
    assert [row[0] for row in values[3:6]] == ["'+44 113 000", "'@SUM(A1:A9)", "'-1+2"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[-1][0] == "Counts of 1 to 4 are shown as <5."
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    # Wide enough for the longest value (long text is capped).
    assert sheet.column_dimensions["A"].width == len(PEOPLE.rows[1][0]) + 2
    assert sheet.column_dimensions["C"].width == len("Median days") + 2
    other = [list(row) for row in workbook["By source"].iter_rows(values_only=True)]
    assert other == [["Source", "Applications"], ["Campaign", "<5"], ["Jobs board", 40]]


def test_very_long_text_does_not_make_a_column_wider_than_the_cap():
    widths = exports.column_widths(Table(headers=["Note", "N"], rows=[["x" * 500, 1]]))
    assert widths == [exports.MAX_COLUMN_WIDTH, 3]


def test_sheet_names_are_ones_excel_accepts_and_never_repeat():
    used = set()
    first = exports.sheet_title("Staff deployed by host organisation (all partners)", used)
    second = exports.sheet_title("Staff deployed by host organisation (all partners)", used)
    odd = exports.sheet_title("Hires: by [decile]/year?", used)
    assert len(first) == len(second) == 31
    assert second.endswith(" (2)") and first != second
    assert not re.search(r"[\[\]:*?/\\]", odd)


def test_progress_is_reported_every_few_rows_and_at_the_end():
    reported = []
    exports.write_csv(
        [exports.Section("People", PEOPLE)], io.StringIO(), progress=reported.append, every=2
    )
    assert reported == [2, 4, 5]
    reported.clear()
    exports.write_xlsx(_sections(), io.BytesIO(), progress=reported.append, every=3)
    assert reported == [3, 6, 7]


# --- Asking for an export ---------------------------------------------------------------------


def test_a_small_export_is_ready_at_once_and_holds_the_registered_tables(tables, org_a, admin_a):
    export = export_services.report_export_request(
        organisation=org_a,
        actor=admin_a,
        table_keys=["organisation.test_sources", "organisation.test_people"],
        format="xlsx",
    )
    assert export.status == Status.READY
    assert tables == [org_a]
    # In the order of the registry (by title), whatever order they were ticked in.
    assert export.table_keys == ["organisation.test_sources", "organisation.test_people"]
    assert export.rows_total == export.rows_done == 7
    assert export.expires_at == export.finished_at + datetime.timedelta(days=7)
    assert export.filename == f"reports-lth-{timezone.localdate():%Y-%m-%d}.xlsx"
    assert export.file.name.startswith("exports/") and "lth" not in export.file.name
    with export.file.open("rb") as handle:
        workbook = _read_xlsx(handle.read())
    assert workbook.sheetnames == ["Applications by source", "People hired"]
    audit = AuditEvent.objects.get(action="report.exported")
    assert audit.organisation == org_a and audit.actor == admin_a
    assert mail.outbox == []


def test_the_existing_report_tables_export_for_an_organisation_with_no_records(org_a, admin_a):
    keys = [table.key for table in export_services.exportable_tables(org_a)]
    assert {"organisation.tth_by_vacancy", "organisation.campaigns_compared"} <= set(keys)
    export = export_services.report_export_request(
        organisation=org_a, actor=admin_a, table_keys=keys, format="csv"
    )
    assert export.status == Status.READY
    with export.file.open("rb") as handle:
        rows = _read_csv(handle.read())
    titles = {REGISTRY[key].title for key in keys}
    assert titles <= {row[0] for row in rows if len(row) == 1}


def test_the_monthly_impact_reports_figures_are_not_offered_for_export():
    offered = {table.key for table in export_services.exportable_tables(None)}
    assert set(impact_report.FIGURE_TABLES) <= set(REGISTRY)
    assert not offered & set(impact_report.FIGURE_TABLES)


@pytest.mark.parametrize(
    "keys, message",
    [
        ([], "Choose at least one table"),
        (["city.test_people"], "Choose tables from the list"),
        (["organisation.nonsense"], "Choose tables from the list"),
    ],
)
def test_only_tables_of_the_organisations_scope_can_be_exported(
    tables, org_a, admin_a, keys, message
):
    with pytest.raises(Exception) as error:
        export_services.report_export_request(
            organisation=org_a, actor=admin_a, table_keys=keys, format="csv"
        )
    assert message in str(error.value)
    assert not ReportExport.objects.exists()


@pytest.fixture
def large(settings, monkeypatch):
    """Every export counts as large, and progress is saved every 2 rows."""
    settings.EXPORT_INLINE_MAX_ROWS = 0
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)


def _pending(org, user, keys=("organisation.test_people",), format="csv"):
    with mock.patch("hub.tasks.build_report_export.apply_async") as enqueue:
        export = export_services.report_export_request(
            organisation=org, actor=user, table_keys=list(keys), format=format
        )
    return export, enqueue


def test_a_large_export_is_left_to_the_task_which_saves_progress_every_few_rows(
    tables, large, org_a, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        export, _ = _pending(org_a, admin_a)
    assert export.status == Status.PENDING and not export.file
    assert export.rows_total == 5 and len(callbacks) == 1

    with CaptureQueriesContext(connection) as queries:
        assert export_services.report_export_build(export.pk) is True
    progress = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and '"rows_done" = ' in q["sql"]
    ]
    # Claiming, the total, rows 2 and 4, row 5 at the end, and ready: not one per row.
    assert len(progress) == 6

    export.refresh_from_db()
    assert export.status == Status.READY and export.percent_done == 100
    with export.file.open("rb") as handle:
        rows = _read_csv(handle.read())
    assert rows[0] == PEOPLE.headers and len(rows) == 1 + 5 + 1


def test_the_requester_is_emailed_a_link_when_a_large_export_is_ready(
    tables, large, org_a, admin_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = export_services.report_export_request(
            organisation=org_a,
            actor=admin_a,
            table_keys=["organisation.test_people"],
            format="xlsx",
        )
    export.refresh_from_db()
    assert export.status == Status.READY
    [email] = mail.outbox
    assert email.to == [admin_a.email]
    assert email.subject == "Your report export is ready to download"
    link = f"/manage/lth/exports/{export.pk}/"
    assert link in email.body and "People hired" in email.body
    assert link in email.alternatives[0][0]


def test_the_celery_task_builds_the_export_once_however_often_it_is_delivered(
    tables, large, org_a, admin_a, django_capture_on_commit_callbacks
):
    export, _ = _pending(org_a, admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert build_report_export.delay(str(export.pk)).get() is True
        assert build_report_export.delay(str(export.pk)).get() is False
    export.refresh_from_db()
    assert export.status == Status.READY
    assert len(mail.outbox) == 1


def test_a_failed_build_says_so_plainly_and_sends_no_email(
    tables, large, org_a, admin_a, monkeypatch
):
    export, _ = _pending(org_a, admin_a)

    def broken(organisation):
        raise RuntimeError("connection reset")

    monkeypatch.setitem(
        REGISTRY,
        "organisation.test_people",
        RegisteredTable(
            "organisation.test_people", "People hired", ORGANISATION, broken, area="Tests"
        ),
    )
    assert export_services.report_export_build(export.pk) is False
    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert export.error == export_services.FAILED_MESSAGE
    assert "connection" not in export.error
    assert mail.outbox == []


def test_when_the_broker_is_down_the_export_waits_and_its_page_enqueues_it_later(
    tables, large, org_a, admin_a, client_as, django_capture_on_commit_callbacks
):
    with (
        mock.patch(
            "hub.tasks.build_report_export.apply_async", side_effect=ConnectionError("broker down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_as(admin_a).post(
            reverse("hub:exports", kwargs={"org_slug": "lth"}),
            {"tables": ["organisation.test_people"], "format": "csv"},
        )
    export = ReportExport.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/exports/{export.pk}/")
    assert export.status == Status.PENDING

    page = client_as(admin_a).get(response.url)
    assert "It will start shortly" in page.text
    export.refresh_from_db()
    assert export.status == Status.PENDING, "not enqueued again within the grace period"

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5)):
        client_as(admin_a).get(response.url)
    export.refresh_from_db()
    assert export.status == Status.READY


# --- The pages ---------------------------------------------------------------------------------


def _url(name, export=None, org_slug="lth"):
    kwargs = {"org_slug": org_slug}
    if export is not None:
        kwargs["export_id"] = export.pk
    return reverse(f"hub:{name}", kwargs=kwargs)


def test_staff_choose_tables_and_download_the_excel_file(
    tables, org_a, staff_a, client_as, django_assert_max_num_queries
):
    client = client_as(staff_a)
    with django_assert_max_num_queries(10):
        page = client.get(_url("exports"))
    assert "People hired" in page.text and "Applications by source" in page.text
    assert "People hired across the city" not in page.text

    response = client.post(
        _url("exports"), {"tables": ["organisation.test_people"], "format": "xlsx"}, follow=True
    )
    export = ReportExport.objects.get()
    assert "Your export is ready to download." in response.text
    assert _url("export_download", export) in response.text

    download = client.get(_url("export_download", export))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'attachment; filename="reports-lth-' in download["Content-Disposition"]
    workbook = _read_xlsx(b"".join(download.streaming_content))
    assert workbook.sheetnames == ["People hired"]
    export.refresh_from_db()
    assert export.downloaded_at is not None
    assert AuditEvent.objects.filter(action="report.downloaded", actor=staff_a).count() == 1


def test_asking_for_nothing_shows_an_error_not_a_failure(tables, org_a, admin_a, client_as):
    response = client_as(admin_a).post(_url("exports"), {"format": "pdf"})
    assert response.status_code == 200
    assert "Choose at least one table" in response.text
    assert "Choose Excel or CSV" in response.text
    assert not ReportExport.objects.exists()


def test_the_page_shows_how_far_a_build_has_got(
    tables, large, org_a, admin_a, client_as, django_assert_max_num_queries
):
    export, _ = _pending(org_a, admin_a)
    ReportExport.objects.filter(pk=export.pk).update(
        status=Status.BUILDING, started_at=timezone.now(), rows_total=200, rows_done=50
    )
    client = client_as(admin_a)
    with django_assert_max_num_queries(10):
        page = client.get(_url("export_detail", export))
    assert 'value="25"' in page.text and "25% done (50 of 200 rows)" in page.text
    assert "js/export-progress.js" in page.text
    assert f'href="{_url("export_detail", export)}">Refresh' in page.text
    assert _url("export_download", export) not in page.text
    status = client.get(_url("export_status", export)).json()
    assert status == {
        "status": "building",
        "status_label": "Being built",
        "percent": 25,
        "rows_done": 50,
        "rows_total": 200,
    }
    assert client.get(_url("export_download", export)).status_code == 404


def test_another_organisation_cannot_see_or_download_an_export(
    tables, org_a, org_b, admin_a, member_b, client_as
):
    export = export_services.report_export_request(
        organisation=org_a, actor=admin_a, table_keys=["organisation.test_people"], format="csv"
    )
    client = client_as(member_b)
    for name in ("export_detail", "export_status", "export_download"):
        assert client.get(_url(name, export)).status_code == 404
        # A's export through B's own pages: not found either.
        assert client.get(_url(name, export, org_slug="council")).status_code == 404
    assert not AuditEvent.objects.filter(action="report.downloaded").exists()


def test_outreach_workers_cannot_export_or_download(tables, org_a, admin_a, client_as):
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    export = export_services.report_export_request(
        organisation=org_a, actor=admin_a, table_keys=["organisation.test_people"], format="csv"
    )
    client = client_as(outreach)
    assert client.get(_url("exports")).status_code == 403
    assert client.get(_url("export_download", export)).status_code == 403


def test_hub_admins_export_the_citys_tables_which_no_one_else_can_reach(
    tables, org_a, admin_a, client_as
):
    hub_admin = UserFactory(is_staff=True, totp=True)
    client = client_as(hub_admin)
    page = client.get(reverse("hub:city_exports"))
    assert "People hired across the city" in page.text
    assert 'value="organisation.test_sources"' not in page.text
    client.post(reverse("hub:city_exports"), {"tables": ["city.test_people"], "format": "csv"})
    export = ReportExport.objects.get()
    assert export.organisation is None and tables == [None]
    download = client.get(reverse("hub:city_export_download", kwargs={"export_id": export.pk}))
    assert _read_csv(b"".join(download.streaming_content))[0] == PEOPLE.headers

    partner = client_as(admin_a)
    assert partner.get(reverse("hub:city_exports")).status_code == 404
    city_download = reverse("hub:city_export_download", kwargs={"export_id": export.pk})
    assert partner.get(city_download).status_code == 404
    # The city's export is not one of the organisation's.
    assert partner.get(_url("export_download", export)).status_code == 404


# --- Expiry ------------------------------------------------------------------------------------


def test_expired_exports_lose_their_file_but_keep_their_record(tables, org_a, admin_a, client_as):
    export = export_services.report_export_request(
        organisation=org_a, actor=admin_a, table_keys=["organisation.test_people"], format="csv"
    )
    name = export.file.name
    assert private_storage().exists(name)

    with time_machine.travel(export.expires_at - datetime.timedelta(minutes=1)):
        assert purge_expired_exports.delay().get() == 0
    assert private_storage().exists(name)

    with time_machine.travel(export.expires_at + datetime.timedelta(minutes=1)):
        # Past its time it cannot be downloaded, even before the nightly purge.
        assert client_as(admin_a).get(_url("export_download", export)).status_code == 404
        assert purge_expired_exports.delay().get() == 1
    assert not private_storage().exists(name)
    export.refresh_from_db()
    assert export.status == Status.EXPIRED and not export.file
    page = client_as(admin_a).get(_url("export_detail", export))
    assert "This export has expired" in page.text
