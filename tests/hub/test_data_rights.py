"""Data rights (hub.data_rights and each app's personal_data module): a person downloads
everything the portal holds about them, and erases their account, which withdraws and
anonymises what organisations keep and deletes the rest, while every report figure stays
as it was."""

import datetime
import io
import json
import zipfile

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ContactConsent, EventBooking, Resident
from hub import data_rights
from hub.models import AuditEvent, OutboundEmail, User
from hub.report_tables import ORGANISATION, REGISTRY
from hub.uploads import private_storage
from portability.models import FrameworkVersion, Signatory
from talent.models import (
    Application,
    ApplicationAnswer,
    ApplicationNote,
    EqualityMonitoring,
    SavedSearch,
    SecondmentAgreement,
    StageChange,
    TalentPoolProfile,
    TrialShiftRequest,
    TrialShiftSlot,
)
from talent.personal_data import ERASED_REASON
from tests.campaigns.builders import (
    make_booking,
    make_campaign,
    make_engagement,
    make_event,
    make_resident,
)
from tests.factories import (
    PASSWORD,
    ApplicationFactory,
    MembershipFactory,
    SavedSearchFactory,
    ScreeningQuestionFactory,
    UserFactory,
    VacancyFactory,
)
from tests.portability.builders import make_deployment
from tests.talent.mobility_builders import (
    make_agreement,
    make_interest,
    make_opportunity,
    make_pool_profile,
)

pytestmark = pytest.mark.django_db

EXPORT = reverse("data_rights:export")
ERASE = reverse("data_rights:erase")
CV_BYTES = b"%PDF-1.4 Sam Jones, care assistant"


def _reauthenticated(client, user):
    """Signed in, and the password given again just now, as both pages ask."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def _application(vacancy, candidate, stage, *, cv=False, **fields):
    application = ApplicationFactory(vacancy=vacancy, candidate=candidate, stage=stage, **fields)
    StageChange.objects.create(application=application, from_stage="", to_stage="submitted")
    if stage != "submitted":
        StageChange.objects.create(
            application=application,
            from_stage="submitted",
            to_stage=stage,
            reason="Another applicant had more experience" if stage == "rejected" else "",
        )
    if cv:
        application.cv.name = private_storage().save("cvs/cv.pdf", ContentFile(CV_BYTES))
        application.cv_filename = "Sam's CV.pdf"
        application.save(update_fields=["cv", "cv_filename"])
    return application


@pytest.fixture
def candidate(db):
    user = UserFactory(email="sam@example.org", name="Sam Jones")
    # An address not yet confirmed: records under it are not (yet) theirs.
    EmailAddress.objects.create(user=user, email="sam.old@example.org", verified=False)
    return user


@pytest.fixture
def scene(candidate, org_a, admin_a):
    """The brief's candidate: two applications (one decided, one in progress with a CV),
    a job alert, a talent pool profile and a campaign's record of them with consent."""
    decided_vacancy = VacancyFactory(organisation=org_a, title="Porter")
    question = ScreeningQuestionFactory(vacancy=decided_vacancy, text="Why this job?")
    rejected = _application(
        decided_vacancy, candidate, "rejected", rejection_reason="others_stronger"
    )
    ApplicationAnswer.objects.create(
        application=rejected, question=question, answer="I like people"
    )
    ApplicationNote.objects.create(application=rejected, text="Friendly on the phone")
    EqualityMonitoring.objects.create(application=rejected, age_band="20_29", sex="female")
    open_vacancy = VacancyFactory(organisation=org_a, title="Care assistant", contact=admin_a)
    in_progress = _application(open_vacancy, candidate, "screening", cv=True)
    alert = SavedSearchFactory(user=candidate, name="Care jobs in Armley", query="q=care")
    profile = make_pool_profile(candidate, headline="Carer for my grandmother")
    campaign = make_campaign(org_a, name="Armley cares")
    resident = make_resident(name="Sam Jones", email="sam@example.org")
    make_engagement(campaign, resident, notes="Keen on nights")
    booking = make_booking(make_event(campaign, title="Care careers evening"), resident)
    return {
        "rejected": rejected,
        "in_progress": in_progress,
        "alert": alert,
        "profile": profile,
        "resident": resident,
        "booking": booking,
        "campaign": campaign,
    }


@pytest.fixture
def someone_else(org_a):
    """Another person with records of every kind, none of which is the candidate's."""
    other = UserFactory(email="alex@example.org", name="Alex Other")
    application = ApplicationFactory(vacancy=VacancyFactory(organisation=org_a), candidate=other)
    application.cv.name = private_storage().save("cvs/other.pdf", ContentFile(b"%PDF Alex"))
    application.save(update_fields=["cv"])
    SavedSearchFactory(user=other, name="Alex's alert")
    make_resident(name="Alex Other", email="alex@example.org")
    make_resident(name="Sam Old Address", email="sam.old@example.org")
    return other


def _download(client) -> tuple[dict, zipfile.ZipFile]:
    response = client.post(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="workforce-hub-data-')
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json")), archive


# --- Download -----------------------------------------------------------------------------------


def test_the_download_holds_everything_about_the_candidate_and_their_cv(client, candidate, scene):
    data, archive = _download(_reauthenticated(client, candidate))

    assert data["account"]["email"] == "sam@example.org"
    assert {a["email"] for a in data["account"]["email_addresses"]} == {
        "sam@example.org",
        "sam.old@example.org",
    }
    applications = {a["job"]: a for a in data["applications"]}
    assert set(applications) == {"Porter", "Care assistant"}
    porter = applications["Porter"]
    assert porter["stage"] == "Unsuccessful"
    assert porter["answers"] == [{"question": "Why this job?", "answer": "I like people"}]
    assert [change["to"] for change in porter["history"]] == ["Submitted", "Unsuccessful"]
    assert porter["history"][1]["reason"] == "Another applicant had more experience"
    assert porter["recruiters_notes"][0]["text"] == "Friendly on the phone"
    assert porter["reason_unsuccessful"] == "Other applicants met the criteria better"
    assert porter["equality_monitoring"]["age_band"] == "20 to 29"
    care = applications["Care assistant"]
    assert care["stage"] == "Being reviewed"
    assert care["cv_original_name"] == "Sam's CV.pdf"
    assert archive.read(care["cv_file"]) == CV_BYTES
    assert care["cv_file"].startswith(f"files/applications/{scene['in_progress'].pk}/")
    assert [alert["name"] for alert in data["job_alerts"]] == ["Care jobs in Armley"]
    assert data["job_alerts"][0]["how_often"] == "Daily"
    assert data["talent_pool"]["headline"] == "Carer for my grandmother"
    assert data["talent_pool"]["consent"]["wording"] == scene["profile"].consent_wording
    [resident] = data["campaigns"]
    assert (resident["name"], resident["email"]) == ("Sam Jones", "sam@example.org")
    assert resident["consents_to_be_contacted"][0]["withdrawn"] is None
    assert resident["journeys"][0]["campaign"] == "Armley cares"
    assert resident["event_bookings"][0]["event"] == "Care careers evening"
    assert "files_missing" not in data
    event = AuditEvent.objects.get(action=data_rights.EXPORTED_ACTION)
    assert event.actor == candidate
    assert event.data["files"] == 1


def test_the_download_holds_nothing_of_anyone_else(client, candidate, scene, someone_else):
    data, archive = _download(_reauthenticated(client, candidate))

    text = json.dumps(data)
    for other in ("alex@example.org", "Alex Other", "Alex's alert", "Sam Old Address"):
        assert other not in text
    assert len(data["applications"]) == 2
    cvs = [name for name in archive.namelist() if name.startswith("files/")]
    assert [archive.read(name) for name in cvs] == [CV_BYTES]


def test_a_member_of_staffs_download_has_their_work_records_but_no_secrets(client, org_a, org_b):
    ada = MembershipFactory(
        organisation=org_a, user=UserFactory(email="ada@example.org", totp=True)
    ).user
    make_deployment(home=org_a, host=org_b)
    make_agreement(org_a, org_b, person=ada, role_title="Discharge coordinator")
    make_interest(make_opportunity(org_b), org_a, person=ada)

    data, _ = _download(_reauthenticated(client, ada))

    assert data["memberships"] == [
        {"organisation": org_a.name, "role": "HR staff", "since": data["memberships"][0]["since"]}
    ]
    [offer] = data["staff_portability"]
    assert (offer["offered_by"], offer["to"]) == (org_a.name, org_b.name)
    assert offer["deployment"]["status"] == "Planned"
    assert offer["deployment"]["checks"]["dbs_level"] == ""
    assert data["secondments"]["agreements"][0]["role"] == "Discharge coordinator"
    assert len(data["secondments"]["expressions_of_interest"]) == 1
    assert [method["method"] for method in data["account"]["two_factor_authentication"]] == [
        "TOTP Authenticator"
    ]
    assert ada.totp_secret not in json.dumps(data)


def test_every_app_adds_its_part_to_the_download_and_to_erasure():
    assert list(data_rights.SECTIONS) == [
        "account",
        "memberships",
        "organisation_invitations",
        "activity",
        "emails_sent_to_you",
        "candidate_profile",
        "applications",
        "job_alerts",
        "trial_shifts",
        "talent_pool",
        "secondments",
        "rotations",
        "staff_portability",
        "campaigns",
    ]
    assert list(data_rights.ERASERS) == ["talent", "campaigns"]


def test_partner_staff_find_their_own_download_on_their_organisation_page(
    client_as, staff_a, org_a
):
    page = client_as(staff_a).get(reverse("hub:organisation_dashboard", args=[org_a.slug]))
    assert f'href="{EXPORT}"' in page.text


def test_both_pages_send_visitors_to_sign_in(client):
    for url in (EXPORT, ERASE):
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 302
            assert response.url.startswith(reverse("account_login"))


def test_the_download_asks_for_the_password_again_then_carries_on(client, candidate, scene):
    client.force_login(candidate)

    response = client.post(EXPORT)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(action=data_rights.EXPORTED_ACTION).exists()
    # The password given, the download that was asked for is sent.
    response = client.post(response.url, {"password": PASSWORD})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"


def test_the_pages_explain_what_is_in_the_download_and_what_erasing_does(client, candidate, scene):
    client = _reauthenticated(client, candidate)

    download = client.get(EXPORT)
    erase = client.get(ERASE)

    assert download.status_code == erase.status_code == 200
    assert "What is left out, and why" in download.text
    assert "Care assistant, Leeds Teaching Hospitals NHS Trust" in erase.text
    assert "You cannot undo this" in erase.text


# --- Erasure ------------------------------------------------------------------------------------


def _erase(client, user, django_capture_on_commit_callbacks, confirmation=None):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(ERASE, {"confirmation": confirmation or user.email})


def test_erasure_withdraws_anonymises_deletes_and_confirms(
    client, candidate, scene, admin_a, django_capture_on_commit_callbacks
):
    client = _reauthenticated(client, candidate)
    AuditEvent.objects.create(actor=candidate, action="test.done", summary="Did something")
    OutboundEmail.objects.create(kind="job_alert", to="sam@example.org", subject="New jobs")
    cv_name = scene["in_progress"].cv.name
    assert private_storage().exists(cv_name)

    response = _erase(client, candidate, django_capture_on_commit_callbacks)

    assert response.status_code == 302 and response.url == reverse("hub:home")
    assert not User.objects.filter(email="sam@example.org").exists()
    assert not private_storage().exists(cv_name)
    # The organisation keeps both applications, anonymised; the one in progress withdrawn.
    for key in ("rejected", "in_progress"):
        application = Application.objects.get(pk=scene[key].pk)
        assert application.candidate is None and application.anonymised_at is not None
        assert (application.full_name, application.email, application.cv.name) == ("", "", "")
    in_progress = Application.objects.get(pk=scene["in_progress"].pk)
    assert in_progress.stage == "withdrawn"
    assert in_progress.history.last().reason == ERASED_REASON
    assert not ApplicationNote.objects.exists() and not ApplicationAnswer.objects.exists()
    assert EqualityMonitoring.objects.filter(application=scene["rejected"]).exists()
    assert not TalentPoolProfile.objects.exists()
    assert not SavedSearch.objects.exists()
    resident = Resident.objects.get(pk=scene["resident"].pk)
    assert (resident.name, resident.email, resident.user) == ("Anonymised resident", "", None)
    assert not ContactConsent.objects.filter(withdrawn_at=None).exists()
    assert EventBooking.objects.get(pk=scene["booking"].pk).status == "cancelled"
    # The audit log keeps what they did, without them; the erasure names only an id.
    assert AuditEvent.objects.get(action="test.done").actor is None
    erased = AuditEvent.objects.get(action=data_rights.ERASED_ACTION)
    assert erased.actor is None and erased.data == {"user": candidate.pk}
    assert "Sam" not in erased.summary and "sam@" not in json.dumps(erased.data)
    # Emails: the contact hears of the withdrawal; the person gets only the confirmation.
    to_contact = [m for m in mail.outbox if m.to == [admin_a.email]]
    assert any("has withdrawn and erased their account" in m.subject for m in to_contact)
    assert any("Sam Jones" in m.body for m in to_contact)
    [confirmation] = [m for m in mail.outbox if m.to == ["sam@example.org"]]
    assert confirmation.subject == "Your Workforce Hub account has been erased"
    assert "Withdrew 1 application in progress" in confirmation.body
    assert "Anonymised 2 applications you sent" in confirmation.body
    assert "Deleted 1 CV." in confirmation.body
    assert list(OutboundEmail.objects.filter(to="sam@example.org").values_list("kind")) == [
        ("account_erased",)
    ]


def test_an_erased_person_cannot_sign_in_again(
    client, candidate, scene, django_capture_on_commit_callbacks
):
    _erase(_reauthenticated(client, candidate), candidate, django_capture_on_commit_callbacks)

    assert client.get(reverse("candidate:applications")).status_code == 302
    response = client.post(
        reverse("account_login"), {"login": "sam@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_erasure_deletes_drafts_and_calls_off_trial_shifts_still_to_come(
    client, candidate, org_a, admin_a, django_capture_on_commit_callbacks
):
    vacancy = VacancyFactory(organisation=org_a, contact=admin_a)
    draft = _application(VacancyFactory(organisation=org_a), candidate, "draft", cv=True)
    starts_at = timezone.now() + datetime.timedelta(days=3)
    slot = TrialShiftSlot.objects.create(
        vacancy=vacancy,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=4),
        location="Ward 7",
    )
    TrialShiftRequest.objects.create(slot=slot, candidate=candidate, status="confirmed")

    _erase(_reauthenticated(client, candidate), candidate, django_capture_on_commit_callbacks)

    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not private_storage().exists(draft.cv.name)
    assert not TrialShiftRequest.objects.exists()
    assert AuditEvent.objects.filter(action="trial_shift.cancelled", actor=None).exists()
    assert any(m.to == [admin_a.email] for m in mail.outbox)
    [confirmation] = [m for m in mail.outbox if m.to == ["sam@example.org"]]
    assert "Cancelled 1 trial shift request" in confirmation.body
    assert "Deleted 1 draft application." in confirmation.body


@pytest.fixture
def figures_scene(candidate, org_a, admin_a):
    """A candidate whose applications were all decided (one hired, one rejected) and who
    came through a campaign: erasing them must not move a single report figure."""
    campaign = make_campaign(org_a, name="Armley cares")
    hired = _application(VacancyFactory(organisation=org_a), candidate, "hired", cv=True)
    rejected = _application(
        VacancyFactory(organisation=org_a), candidate, "rejected", source="campaign"
    )
    EqualityMonitoring.objects.create(application=hired, age_band="20_29", sex="female")
    resident = make_resident(name="Sam Jones", email="sam@example.org")
    today = timezone.localdate()
    make_engagement(
        campaign,
        resident,
        application=rejected,
        applied_on=today - datetime.timedelta(days=9),
        outcome="started_job",
        outcome_on=today - datetime.timedelta(days=2),
    )
    event = make_event(campaign, starts_at=timezone.now() - datetime.timedelta(days=8))
    make_booking(event, resident, attended=True)


def _every_report_figure(organisation) -> dict:
    return {
        key: table.build(organisation if table.scope == ORGANISATION else None)
        for key, table in REGISTRY.items()
    }


def test_erasure_leaves_every_report_figure_as_it_was(
    client, candidate, figures_scene, org_a, django_capture_on_commit_callbacks
):
    with time_machine.travel(timezone.now(), tick=False):
        client = _reauthenticated(client, candidate)
        before = _every_report_figure(org_a)

        _erase(client, candidate, django_capture_on_commit_callbacks)

        assert not User.objects.filter(pk=candidate.pk).exists()
        assert _every_report_figure(org_a) == before


def test_a_wrong_confirmation_is_a_form_error_and_changes_nothing(
    client, candidate, scene, django_capture_on_commit_callbacks
):
    client = _reauthenticated(client, candidate)
    rows = list(Application.objects.order_by("pk").values())

    for typed, error in (
        ("someone@example.org", "The email address does not match your account"),
        ("", "Enter the email address of your account to confirm"),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(ERASE, {"confirmation": typed})

        assert response.status_code == 200
        assert "There is a problem" in response.text and error in response.text

    assert User.objects.filter(pk=candidate.pk).exists()
    assert list(Application.objects.order_by("pk").values()) == rows
    assert TalentPoolProfile.objects.exists() and SavedSearch.objects.exists()
    assert not mail.outbox
    assert not AuditEvent.objects.filter(action=data_rights.ERASED_ACTION).exists()


def test_erasing_asks_for_the_password_again_first(client, candidate, scene):
    client.force_login(candidate)

    response = client.post(ERASE, {"confirmation": candidate.email})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=candidate.pk).exists()


def test_partner_staff_cannot_erase_their_account_here(
    client, staff_a, org_a, django_capture_on_commit_callbacks
):
    client = _reauthenticated(client, staff_a)

    page = client.get(ERASE)
    response = _erase(client, staff_a, django_capture_on_commit_callbacks)

    assert page.status_code == response.status_code == 403
    assert f"You are a member of staff at {org_a.name}" in response.text
    assert "ask your organisation&#x27;s admin" in response.text
    assert User.objects.filter(pk=staff_a.pk).exists()
    assert not mail.outbox


def test_hub_admins_cannot_erase_their_account_here(client, django_capture_on_commit_callbacks):
    hub_admin = UserFactory(is_staff=True, totp=True)

    response = _erase(
        _reauthenticated(client, hub_admin), hub_admin, django_capture_on_commit_callbacks
    )

    assert response.status_code == 403
    assert "You are a hub admin" in response.text
    assert User.objects.filter(pk=hub_admin.pk).exists()


def test_people_named_in_records_their_employers_keep_cannot_erase_here(org_a, org_b):
    secondee, lead, deputy = UserFactory(), UserFactory(), UserFactory()
    SecondmentAgreement.objects.create(
        home=org_a,
        host=org_b,
        person=secondee,
        role_title="Ward manager",
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 7, 5),
        arrangement="secondment",
    )
    Signatory.objects.create(
        organisation=org_a,
        version=FrameworkVersion.objects.first(),
        signed_by=lead,
        lead=lead,
        deputy=deputy,
    )

    assert "secondment agreements" in data_rights.erasure_refusals(secondee)[0]
    assert "Staff Portability Framework lead" in data_rights.erasure_refusals(lead)[0]
    assert data_rights.erasure_refusals(UserFactory()) == []
    with pytest.raises(ValidationError, match="secondment agreements"):
        data_rights.account_erase(user=secondee)
    assert User.objects.filter(pk=secondee.pk).exists()
