"""Report exports in Chromium, every page checked with axe: an organisation admin asks
for an Excel export, which is built in the background (the Celery task, run eagerly),
is told it is ready, downloads it and the file opens; then the progress page of a build
under way follows it by itself until the download link appears."""

import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from hub import export_services
from hub.models import ReportExport
from tests.browser.conftest import assert_accessible, click_through, sign_in_with_two_factor
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Status = ReportExport.Status


def test_an_organisation_admin_exports_reports_to_excel_and_downloads_them(
    open_page, settings, tmp_path
):
    # Every export counts as large, so this one goes through the Celery task.
    settings.EXPORT_INLINE_MAX_ROWS = 0
    organisation = OrganisationFactory(name="Leeds Teaching Hospitals NHS Trust", slug="lth")
    admin = MembershipFactory(organisation=organisation, role="admin").user

    page = open_page()
    sign_in_with_two_factor(page, admin, PASSWORD)
    page.goto("/manage/lth/exports/")
    assert_accessible(page)
    page.get_by_label("Time to hire: days in each stage").check()
    page.get_by_label("Secondments out and in").check()
    page.get_by_label(re.compile("^Excel")).check()
    click_through(page, page.get_by_role("button", name="Create the export"))

    export = ReportExport.objects.get()
    assert export.status == Status.READY
    expect(page.get_by_role("heading", name=re.compile("Report export"))).to_be_visible()
    [email] = mail.outbox
    assert f"/manage/lth/exports/{export.pk}/" in email.body

    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Download the export")).click()
    download = download_info.value
    assert download.suggested_filename == export.filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    workbook = load_workbook(io.BytesIO(path.read_bytes()))
    # A sheet per table, in the order of the page: by area (recruitment first), then title.
    assert workbook.sheetnames == ["Time to hire days in each stage", "Secondments out and in"]
    header = next(workbook["Secondments out and in"].iter_rows(values_only=True))
    assert header[0] == "Organisation"


def test_the_progress_page_follows_a_build_by_itself(open_page):
    organisation = OrganisationFactory(name="Leeds City Council", slug="council")
    admin = MembershipFactory(organisation=organisation, role="admin").user
    export = ReportExport.objects.create(
        organisation=organisation,
        requested_by=admin,
        table_keys=["organisation.tth_by_stage"],
        format=ReportExport.Format.CSV,
        status=Status.BUILDING,
        started_at=timezone.now(),
        rows_total=200,
        rows_done=50,
    )

    page = open_page(phone=True)
    sign_in_with_two_factor(page, admin, PASSWORD)
    page.goto(f"/manage/council/exports/{export.pk}/")
    assert_accessible(page)
    progress = page.locator("progress")
    expect(progress).to_have_attribute("value", "25")

    ReportExport.objects.filter(pk=export.pk).update(rows_done=150)
    expect(progress).to_have_attribute("value", "75")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"75% done \(150 of 200 rows\)"))

    # The build finishes: the page reloads itself and offers the file.
    ReportExport.objects.filter(pk=export.pk).update(status=Status.PENDING)
    with page.expect_navigation():
        assert export_services.report_export_build(export.pk)
    assert_accessible(page)
    expect(page.get_by_role("button", name=re.compile("Download the export"))).to_be_visible()
