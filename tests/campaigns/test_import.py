"""Importing residents from a CSV of paper sign-up sheets: the check keeps a report of
rows accepted and refused (with reasons, without personal data), files that are not CSV
are refused whole, and confirming imports every row or none."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import ContactConsent, Engagement, Resident, ResidentImport
from hub.models import AuditEvent
from tests.campaigns.builders import (
    make_campaign,
    make_engagement,
    make_neighbourhood,
    make_resident,
)
from tests.documents import PDF_BYTES

WORDING = "Tick the box if we may contact you about jobs and training in health and care."
HEADER = "name,email,phone,postcode,engaged_on,how_engaged,consent"


@pytest.fixture
def campaign(org_a, org_b):
    return make_campaign(org_a, partners=[org_b], neighbourhoods=[make_neighbourhood("Armley")])


def _url(name, campaign, org=None, **kwargs):
    org = org or campaign.lead_organisation
    return reverse(
        f"campaigns:{name}", kwargs={"org_slug": org.slug, "campaign_id": campaign.pk, **kwargs}
    )


def _upload(client, campaign, content, *, name="sheets.csv", org=None, **data):
    if isinstance(content, str):
        content = content.encode()
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(
        _url("import_upload", campaign, org), {"file": upload, "consent_wording": WORDING, **data}
    )


def _csv(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def _review(campaign, resident_import, org=None):
    return _url("import_review", campaign, org, import_id=resident_import.pk)


# --- Good rows ------------------------------------------------------------------------------


def test_good_rows_are_checked_then_imported_with_the_wording_on_the_sheets(
    client_as, org_a, staff_a, campaign
):
    content = "\ufeff" + _csv(
        "Aisha Khan,Aisha@Example.org,07700 900123,ls12 3ab,14/03/2025,face_to_face,yes",
        "Ben Moss,ben@example.org,,LS12 2XY,2025-03-15,At a school,YES",
        "Cara Doyle,cara@example.org,07700 900999,,15/03/2025,Referred by another service,no",
        ",,,,,,",
        header="Name,Email,Phone,Postcode,Engaged On,How engaged,Consent",
    )
    client = client_as(staff_a)
    response = _upload(client, campaign, content)

    resident_import = ResidentImport.objects.get()
    assert response.status_code == 302
    assert response.url == _review(campaign, resident_import)
    assert (resident_import.accepted_count, resident_import.refused_rows) == (3, [])
    assert resident_import.consent_wording == WORDING
    assert not Resident.objects.exists()  # nothing written until confirmed
    assert "Import 3 people" in client.get(response.url).text

    response = client.post(response.url, {"action": "confirm"}, follow=True)
    assert f"3 residents were imported into {campaign.name}" in response.text
    aisha = Resident.objects.get(name="Aisha Khan")
    assert (aisha.email, aisha.postcode, aisha.neighbourhood.name) == (
        "aisha@example.org",
        "LS12 3AB",
        "Armley",
    )
    consent = aisha.consents.get()
    assert (consent.wording, consent.captured_by) == (
        WORDING,
        ContactConsent.CapturedBy.PAPER_SHEET,
    )
    engagements = {e.resident.name: e for e in Engagement.objects.select_related("resident")}
    assert engagements["Aisha Khan"].engaged_on == datetime.date(2025, 3, 14)
    assert engagements["Ben Moss"].channel == Engagement.Channel.SCHOOL
    assert engagements["Cara Doyle"].channel == Engagement.Channel.REFERRAL
    assert engagements["Aisha Khan"].organisation == org_a
    cara = Resident.objects.get(name="Cara Doyle")
    assert (cara.email, cara.phone) == ("", "")  # "no" to consent: contact details not kept
    assert not cara.consents.exists()

    resident_import.refresh_from_db()
    assert resident_import.status == ResidentImport.Status.IMPORTED
    assert resident_import.accepted_rows == []
    assert resident_import.imported_at is not None
    assert resident_import.accepted_count == 3


def test_a_second_confirm_imports_nobody_again(client_as, staff_a, campaign):
    client = client_as(staff_a)
    _upload(client, campaign, _csv("Aisha Khan,a@example.org,,,01/02/2025,online,yes"))
    url = _review(campaign, ResidentImport.objects.get())
    client.post(url, {"action": "confirm"})
    response = client.post(url, {"action": "confirm"}, follow=True)
    assert "already imported or discarded" in response.text
    assert Resident.objects.count() == 1
    assert AuditEvent.objects.filter(action="resident_import.imported").count() == 1


# --- Bad rows -------------------------------------------------------------------------------


def test_bad_rows_are_refused_with_reasons_and_no_personal_data(client_as, staff_a, campaign):
    make_engagement(campaign, make_resident(email="already@example.org"))
    content = _csv(
        "Good Person,good@example.org,,,01/02/2025,online,yes",  # line 2
        ",nameless@example.org,,,01/02/2025,online,yes",  # 3: no name
        "Pam Postcode,,,NOT-A-POSTCODE,01/02/2025,online,yes",  # 4
        "Dan Date,,,,31/02/2025,online,yes",  # 5: no such day
        "Fay Future,,,,01/01/2099,online,yes",  # 6
        "Hal How,,,,01/02/2025,by carrier pigeon,yes",  # 7
        "Con Sent,,,,01/02/2025,online,maybe",  # 8
        "Dup Licate,good@example.org,,,01/02/2025,online,yes",  # 9: same as line 2
        "Al Ready,Already@example.org,,,01/02/2025,online,yes",  # 10: in the campaign
        "Eve Email,not-an-email,,,01/02/2025,online,yes",  # 11
        "Nic No-consent,not-an-email,,,01/02/2025,online,no",  # 12: address not kept anyway
        "Yan Year,,,,01/02/25,online,yes",  # 13: the year in two digits
    )
    _upload(client_as(staff_a), campaign, content)

    resident_import = ResidentImport.objects.get()
    refused = {row["line"]: " ".join(row["reasons"]) for row in resident_import.refused_rows}
    assert sorted(refused) == [3, 4, 5, 6, 7, 8, 9, 10, 11, 13]
    assert "name: enter the person's name" in refused[3]
    assert "postcode" in refused[4]
    assert "engaged_on: not a real date" in refused[5]
    assert "engaged_on: the date is in the future" in refused[6]
    assert "how_engaged" in refused[7]
    assert "consent: enter yes or no" in refused[8]
    assert "the same address is on line 2" in refused[9]
    assert "already recorded in this campaign" in refused[10]
    assert "email: enter an email address in the correct format" in refused[11]
    assert "engaged_on: not a real date" in refused[13]
    assert [row["line"] for row in resident_import.accepted_rows] == [2, 12]
    assert resident_import.accepted_rows[1]["email"] == ""
    report = json.dumps(resident_import.refused_rows).lower()
    for personal in ("pam", "nameless@", "already@", "not-a-postcode", "not-an-email", "pigeon"):
        assert personal not in report
    assert Resident.objects.count() == 1  # only the one recorded before


def test_the_review_page_lists_refused_lines_with_reasons(client_as, staff_a, campaign):
    client = client_as(staff_a)
    _upload(
        client,
        campaign,
        _csv("Good Person,,,,01/02/2025,online,yes", "Con Sent,,,,01/02/2025,online,maybe"),
    )
    response = client.get(_review(campaign, ResidentImport.objects.get()))
    assert "Rows refused (1)" in response.text
    assert "consent: enter yes or no" in response.text
    assert "Import 1 person" in response.text


# --- Files that are not CSV -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (PDF_BYTES, "not a CSV file"),
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "not a CSV file"),  # a spreadsheet
        (
            "name,engaged_on,how_engaged,consent\nZoë,01/02/2025,online,yes\n".encode("latin-1"),
            "UTF-8",
        ),
        (b"", "The file is empty"),
        (
            b"name,email\nAisha,a@example.org\n",
            "missing the columns engaged_on, how_engaged, consent",
        ),
        (HEADER.encode() + b"\n", "no rows of residents"),
        (
            b'name,engaged_on,how_engaged,consent\n"unclosed,01/02/2025,online,yes\n'
            + b"x" * 140_000,
            "not a CSV file",
        ),
    ],
    ids=["pdf", "xlsx", "latin-1", "empty", "missing-columns", "header-only", "broken-quotes"],
)
def test_a_file_that_is_not_a_csv_of_sign_ups_is_refused_whole(
    client_as, staff_a, campaign, content, error
):
    response = _upload(client_as(staff_a), campaign, content)
    assert response.status_code == 200
    assert error in response.text
    assert 'href="#id_file"' in response.text
    assert not ResidentImport.objects.exists()


def test_a_file_over_2_mb_is_refused(client_as, staff_a, campaign):
    row = "Aisha Khan,a@example.org,,,01/02/2025,online,yes\n"
    content = (HEADER + "\n" + row * (2 * 1024 * 1024 // len(row) + 1)).encode()
    response = _upload(client_as(staff_a), campaign, content)
    assert "The selected file must be smaller than 2.0" in response.text
    assert not ResidentImport.objects.exists()


def test_a_file_over_5000_rows_is_refused(client_as, staff_a, campaign):
    content = _csv(*[f"P{n},,,,01/02/2025,online,no" for n in range(5001)])
    response = _upload(client_as(staff_a), campaign, content)
    assert "more than 5,000 rows" in response.text
    assert not ResidentImport.objects.exists()


def test_the_consent_wording_is_needed(client_as, staff_a, campaign):
    response = _upload(
        client_as(staff_a), campaign, _csv("A B,,,,01/02/2025,online,no"), consent_wording=""
    )
    assert "Enter the consent words printed on the sheets" in response.text
    assert not ResidentImport.objects.exists()


# --- Nothing half-imported ------------------------------------------------------------------


def test_when_one_row_fails_at_confirm_time_nothing_is_imported(client_as, staff_a, campaign):
    client = client_as(staff_a)
    _upload(
        client,
        campaign,
        _csv(
            "Aisha Khan,a@example.org,,,01/02/2025,online,yes",
            "Ben Moss,b@example.org,,,01/02/2025,online,yes",
            "Cara Doyle,c@example.org,,,01/02/2025,online,yes",
        ),
    )
    resident_import = ResidentImport.objects.get()
    # A row that passed the check but cannot be imported now (the held rows were changed).
    rows = resident_import.accepted_rows
    rows[2]["postcode"] = "NOT A POSTCODE"
    resident_import.accepted_rows = rows
    resident_import.save()

    response = client.post(_review(campaign, resident_import), {"action": "confirm"}, follow=True)
    assert "Line 4 could not be imported" in response.text
    assert "nothing was imported" in response.text
    assert not Resident.objects.exists()
    assert not Engagement.objects.exists()
    assert not ContactConsent.objects.exists()
    assert not AuditEvent.objects.filter(action="resident.engaged").exists()
    resident_import.refresh_from_db()
    assert resident_import.status == ResidentImport.Status.CHECKED
    assert len(resident_import.accepted_rows) == 3


def test_a_discarded_file_imports_nobody(client_as, staff_a, campaign):
    client = client_as(staff_a)
    _upload(client, campaign, _csv("Aisha Khan,a@example.org,,,01/02/2025,online,yes"))
    resident_import = ResidentImport.objects.get()
    url = _review(campaign, resident_import)
    client.post(url, {"action": "discard"})
    client.post(url, {"action": "confirm"})

    resident_import.refresh_from_db()
    assert resident_import.status == ResidentImport.Status.DISCARDED
    assert resident_import.accepted_rows == []
    assert not Resident.objects.exists()


def test_only_the_uploading_organisation_sees_its_import(
    client_as, staff_a, member_b, org_b, campaign
):
    _upload(client_as(staff_a), campaign, _csv("Aisha Khan,a@example.org,,,01/02/2025,online,yes"))
    resident_import = ResidentImport.objects.get()
    partner = client_as(member_b)
    assert partner.get(_url("import_upload", campaign, org_b)).status_code == 200
    url = _review(campaign, resident_import, org_b)
    assert partner.get(url).status_code == 404
    assert partner.post(url, {"action": "confirm"}).status_code == 404
    assert not Resident.objects.exists()
