"""HR staff read the applications to their organisation's vacancies: the list with stage
counts, one application (audited, never with the equality monitoring answers) and its CV."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from hub.models import AuditEvent, Membership
from talent.models import ApplicationAnswer, EqualityMonitoring
from tests.documents import PDF_BYTES, docx_bytes
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    ScreeningQuestionFactory,
    VacancyFactory,
)


@pytest.fixture
def outreach_a(org_a):
    return MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user


@pytest.fixture
def vacancy(org_a):
    return VacancyFactory(organisation=org_a, title="Healthcare assistant")


@pytest.fixture
def application(vacancy):
    question = ScreeningQuestionFactory(vacancy=vacancy, text="Why do you want to care?")
    application = ApplicationFactory(
        vacancy=vacancy,
        full_name="Amira Khan",
        email="amira@example.org",
        phone="07700 900123",
        address="1 Armley Road\nLeeds",
        postcode="LS12 2AA",
        supporting_statement="I looked after my grandad for three years.",
        right_to_work="yes",
        reasonable_adjustments="A ground-floor interview room, please.",
        source="campaign",
        campaign_code="ARMLEY-24",
        cv_filename="Amira Khan CV (final).pdf",
    )
    application.cv.save("cvs/0123456789abcdef.pdf", ContentFile(PDF_BYTES), save=True)
    ApplicationAnswer.objects.create(
        application=application, question=question, answer="Because people matter."
    )
    EqualityMonitoring.objects.create(
        application=application,
        age_band="30_39",
        ethnic_group="asian",
        religion="muslim",
        sexual_orientation="bisexual",
        disability="yes",
    )
    return application


def _url(name, org, **kwargs):
    return reverse(f"vacancies:{name}", kwargs={"org_slug": org.slug, **kwargs})


# --- The list ---------------------------------------------------------------------------


def test_staff_see_submitted_applications_with_stage_counts_but_not_drafts(
    client_as, org_a, staff_a, vacancy
):
    ApplicationFactory(vacancy=vacancy, full_name="Sam Submitted")
    ApplicationFactory(vacancy=vacancy, full_name="Sue Shortlisted", stage="shortlisted")
    ApplicationFactory(vacancy=vacancy, full_name="Dan Draft", stage="draft")
    ApplicationFactory(full_name="Olly Otherjob")
    response = client_as(staff_a).get(_url("vacancy_applications", org_a, pk=vacancy.pk))
    assert response.status_code == 200
    text = response.text
    assert "Sam Submitted" in text and "Sue Shortlisted" in text
    assert "Dan Draft" not in text and "Olly Otherjob" not in text
    assert "Applicants (2)" in text
    counts = text.split("Applications by stage", 1)[1].split("</dl>", 1)[0]
    assert "All submitted</dt>" in counts
    assert '<dt class="nhsuk-summary-list__key">Shortlisted</dt>' in counts
    assert "Draft" not in counts
    event = AuditEvent.objects.get(action="application.list_viewed")
    assert (event.actor, event.object_id, event.data) == (staff_a, str(vacancy.pk), {"shown": 2})


@pytest.mark.parametrize("how_many", [2, 20])
def test_the_applications_list_runs_a_fixed_number_of_queries(
    client_as, org_a, staff_a, vacancy, how_many, django_assert_max_num_queries
):
    ApplicationFactory.create_batch(how_many, vacancy=vacancy)
    client = client_as(staff_a)
    with django_assert_max_num_queries(13):
        response = client.get(_url("vacancy_applications", org_a, pk=vacancy.pk))
    assert f"Applicants ({how_many})" in response.text


def test_outreach_workers_cannot_see_applications(client_as, org_a, outreach_a, application):
    client = client_as(outreach_a)
    assert (
        client.get(_url("vacancy_applications", org_a, pk=application.vacancy_id)).status_code
        == 403
    )
    assert (
        client.get(_url("application_detail", org_a, application_id=application.pk)).status_code
        == 403
    )
    assert (
        client.get(_url("application_cv", org_a, application_id=application.pk)).status_code == 403
    )
    assert not AuditEvent.objects.filter(action__startswith="application.").exists()


def test_a_member_of_another_organisation_gets_404_for_applications_and_cvs(
    client_as, org_a, org_b, member_b, application
):
    client = client_as(member_b)
    for org in (org_a, org_b):
        assert (
            client.get(_url("vacancy_applications", org, pk=application.vacancy_id)).status_code
            == 404
        )
        assert (
            client.get(_url("application_detail", org, application_id=application.pk)).status_code
            == 404
        )
        assert (
            client.get(_url("application_cv", org, application_id=application.pk)).status_code
            == 404
        )
    assert not AuditEvent.objects.filter(action__startswith="application.").exists()


# --- One application ----------------------------------------------------------------------


def test_staff_read_an_application_and_the_view_is_audited(client_as, org_a, staff_a, application):
    response = client_as(staff_a).get(
        _url("application_detail", org_a, application_id=application.pk)
    )
    assert response.status_code == 200
    text = response.text
    for shown in (
        "Amira Khan",
        "amira@example.org",
        "07700 900123",
        "1 Armley Road",
        "LS12 2AA",
        "I looked after my grandad for three years.",
        "Why do you want to care?",
        "Because people matter.",
        "Yes, I have the right to work in the UK",
        "A ground-floor interview room, please.",
        "A community event or campaign",
        "ARMLEY-24",
        "Download the CV",
    ):
        assert shown in text, shown
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="application.viewed")
    assert (event.actor, event.organisation, event.object_id) == (
        staff_a,
        org_a,
        str(application.pk),
    )
    assert "Amira" not in event.summary


def test_the_equality_monitoring_answers_are_never_shown_to_recruiters(
    client_as, org_a, admin_a, application
):
    text = (
        client_as(admin_a)
        .get(_url("application_detail", org_a, application_id=application.pk))
        .text
    )
    for label, value in [
        ("Age", "30 to 39"),
        ("Ethnic", "Asian or Asian British"),
        ("Religion", "Muslim"),
        ("Sexual orientation", "Bisexual"),
        ("Disability", ">Yes<"),
        ("monitoring", "equal opportunities"),
    ]:
        assert label not in text and value not in text


def test_draft_applications_are_not_open_to_recruiters(client_as, org_a, staff_a, vacancy):
    draft = ApplicationFactory(vacancy=vacancy, stage="draft")
    response = client_as(staff_a).get(_url("application_detail", org_a, application_id=draft.pk))
    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


def test_an_application_to_another_organisations_vacancy_is_404(client_as, org_a, staff_a):
    elsewhere = ApplicationFactory()
    client = client_as(staff_a)
    assert (
        client.get(_url("application_detail", org_a, application_id=elsewhere.pk)).status_code
        == 404
    )
    assert client.get(_url("application_cv", org_a, application_id=elsewhere.pk)).status_code == 404


# --- The CV --------------------------------------------------------------------------------


def test_the_cv_downloads_as_an_attachment_with_a_safe_name_and_is_audited(
    client_as, org_a, staff_a, application
):
    response = client_as(staff_a).get(_url("application_cv", org_a, application_id=application.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="Amira-Khan-CV-final.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    event = AuditEvent.objects.get(action="application.cv_downloaded")
    assert (event.actor, event.organisation, event.object_id) == (
        staff_a,
        org_a,
        str(application.pk),
    )


def test_a_cv_with_no_name_kept_gets_a_plain_one(client_as, org_a, staff_a, vacancy):
    application = ApplicationFactory(vacancy=vacancy, cv_filename="")
    application.cv.save("cvs/abc.docx", ContentFile(docx_bytes()), save=True)
    response = client_as(staff_a).get(_url("application_cv", org_a, application_id=application.pk))
    assert response["Content-Disposition"] == 'attachment; filename="cv.docx"'


def test_an_application_without_a_cv_has_nothing_to_download(client_as, org_a, staff_a, vacancy):
    application = ApplicationFactory(vacancy=vacancy)
    client = client_as(staff_a)
    assert (
        "No CV uploaded"
        in client.get(_url("application_detail", org_a, application_id=application.pk)).text
    )
    response = client.get(_url("application_cv", org_a, application_id=application.pk))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="application.cv_downloaded").exists()


def test_a_cv_missing_from_storage_is_404_not_an_error(client_as, org_a, staff_a, vacancy):
    application = ApplicationFactory(vacancy=vacancy, cv="cvs/gone.pdf", cv_filename="gone.pdf")
    response = client_as(staff_a).get(_url("application_cv", org_a, application_id=application.pk))
    assert response.status_code == 404


def test_the_cv_of_an_applicant_hidden_by_anonymised_shortlisting_cannot_be_downloaded(
    client_as, org_a, staff_a
):
    vacancy = VacancyFactory(organisation=org_a, anonymised_shortlisting=True)
    application = ApplicationFactory(vacancy=vacancy, cv_filename="Jo Bloggs CV.pdf")
    application.cv.save("cvs/hidden.pdf", ContentFile(PDF_BYTES), save=True)
    url = _url("application_cv", org_a, application_id=application.pk)
    assert client_as(staff_a).get(url).status_code == 404
    application.stage = "shortlisted"
    application.save()
    assert client_as(staff_a).get(url).status_code == 200
