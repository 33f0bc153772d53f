"""The pipeline's CSV export: the organisation's own vacancies only, what it holds, names
hidden while anonymised shortlisting hides them, safe to open in a spreadsheet, never
cached, and audited."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from hub.models import AuditEvent, Membership
from talent.models import FairRoute, StageChange
from talent.services.pipeline import application_move
from tests.factories import ApplicationFactory, MembershipFactory, VacancyFactory


@pytest.fixture
def vacancy(org_a):
    return VacancyFactory(
        organisation=org_a,
        title="Healthcare assistant",
        guaranteed_interview_routes=[FairRoute.EMPLOYABILITY],
    )


def _url(org, vacancy):
    return reverse("pipeline:vacancy_pipeline_csv", kwargs={"org_slug": org.slug, "pk": vacancy.pk})


def _table(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_the_export_is_a_download_that_is_never_cached(client_as, org_a, staff_a, vacancy):
    response = client_as(staff_a).get(_url(org_a, vacancy))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="pipeline-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert "no-store" in response["Cache-Control"]


def test_the_export_lists_the_vacancys_applications_with_their_history(
    client_as, org_a, staff_a, vacancy, time_machine
):
    membership = Membership.objects.get(user=staff_a, organisation=org_a)
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC), tick=False)
    rejected = ApplicationFactory(
        vacancy=vacancy,
        full_name="Rita Rejected",
        source="campaign",
        campaign_code="ARMLEY-24",
        fair_route="employability",
        duplicate_key="rita|0113",
    )
    StageChange.objects.create(application=rejected, from_stage="draft", to_stage="submitted")
    time_machine.move_to(dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC), tick=False)
    ApplicationFactory(vacancy=vacancy, full_name="Rita Twin", duplicate_key="rita|0113")
    ApplicationFactory(vacancy=vacancy, full_name="Dan Draft", stage="draft")
    ApplicationFactory(full_name="Olly Otherjob")
    time_machine.move_to(dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC), tick=False)
    application_move(
        application=rejected, to_stage="interview", actor=staff_a, membership=membership
    )
    time_machine.move_to(dt.datetime(2026, 3, 9, 10, 0, tzinfo=dt.UTC), tick=False)
    application_move(
        application=rejected,
        to_stage="rejected",
        actor=staff_a,
        membership=membership,
        rejection_reason="interview",
    )
    rows = _table(client_as(staff_a).get(_url(org_a, vacancy)))
    assert [row["Applicant"] for row in rows] == ["Rita Rejected", "Rita Twin"]
    row = rows[0]
    assert row["Reference"] == rejected.pk.hex[:8].upper()
    assert row["Stage"] == "Unsuccessful"
    assert row["Submitted on"] == "2026-03-02"
    assert row["Interview on"] == "2026-03-05"
    assert row["Unsuccessful on"] == "2026-03-09"
    assert row["Shortlisted on"] == "" and row["Hired on"] == ""
    assert row["Source"] == "A community event or campaign"
    assert row["Campaign code"] == "ARMLEY-24"
    assert row["Route into work"] == "A community employability programme"
    assert row["Guaranteed interview"] == "Yes"
    assert row["Likely duplicate"] == "Yes"
    assert row["Rejection reason"] == "Not successful at interview"
    assert rows[1]["Guaranteed interview"] == "No"
    assert rows[1]["Submitted on"] == "2026-03-02"  # from submitted_at, without history


def test_cells_that_a_spreadsheet_would_run_are_made_harmless(client_as, org_a, staff_a, vacancy):
    ApplicationFactory(
        vacancy=vacancy, full_name='=HYPERLINK("http://evil.example","Click")', campaign_code="+1"
    )
    ApplicationFactory(vacancy=vacancy, full_name="@SUM(A1)", campaign_code="-2")
    rows = _table(client_as(staff_a).get(_url(org_a, vacancy)))
    assert [row["Applicant"] for row in rows] == [
        '\'=HYPERLINK("http://evil.example","Click")',
        "'@SUM(A1)",
    ]
    assert [row["Campaign code"] for row in rows] == ["'+1", "'-2"]


def test_anonymised_applicants_are_exported_by_reference_until_shortlisted(
    client_as, org_a, staff_a, vacancy
):
    vacancy.anonymised_shortlisting = True
    vacancy.save()
    hidden = ApplicationFactory(vacancy=vacancy, full_name="Amira Khan")
    shown = ApplicationFactory(vacancy=vacancy, full_name="Bilal Shortlisted")
    application_move(
        application=shown,
        to_stage="shortlisted",
        actor=staff_a,
        membership=Membership.objects.get(user=staff_a, organisation=org_a),
    )
    response = client_as(staff_a).get(_url(org_a, vacancy))
    assert "Amira Khan" not in response.content.decode()
    rows = {row["Reference"]: row["Applicant"] for row in _table(response)}
    assert rows == {
        hidden.pk.hex[:8].upper(): f"Applicant {hidden.pk.hex[:8].upper()}",
        shown.pk.hex[:8].upper(): "Bilal Shortlisted",
    }


def test_every_export_is_audited(client_as, org_a, staff_a, vacancy):
    ApplicationFactory(vacancy=vacancy)
    client_as(staff_a).get(_url(org_a, vacancy))
    audit = AuditEvent.objects.get(action="application.exported")
    assert audit.actor == staff_a and audit.organisation == org_a
    assert audit.data == {"rows": 1}


def test_another_organisation_gets_404_and_nothing_is_recorded(
    client_as, org_a, org_b, member_b, vacancy
):
    ApplicationFactory(vacancy=vacancy, full_name="Amira Khan")
    client = client_as(member_b)
    for url in (_url(org_a, vacancy), _url(org_b, vacancy)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Amira Khan" not in response.content.decode()
    assert not AuditEvent.objects.filter(action="application.exported").exists()


def test_outreach_workers_cannot_export(client_as, org_a, vacancy):
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    assert client_as(outreach).get(_url(org_a, vacancy)).status_code == 403


def test_the_export_runs_a_fixed_number_of_queries(
    client_as, org_a, staff_a, vacancy, django_assert_max_num_queries
):
    client = client_as(staff_a)
    for _ in range(25):
        application = ApplicationFactory(vacancy=vacancy)
        StageChange.objects.create(application=application, to_stage="submitted")
    client.get(_url(org_a, vacancy))
    with django_assert_max_num_queries(8):
        response = client.get(_url(org_a, vacancy))
    assert len(_table(response)) == 25
