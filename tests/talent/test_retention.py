"""Retention of applications: personal data of unsuccessful applicants goes once its
period is over, and what the talent reports count stays. (The figures across apps,
funnels included, are checked with both retention jobs in tests/campaigns.)"""

import pytest
import time_machine

from hub.models import AuditEvent
from hub.uploads import private_storage
from talent import tasks
from talent.models import Application, ApplicationAnswer, ApplicationNote, EqualityMonitoring
from talent.services.retention import AUDIT_ACTION, applications_anonymise
from tests.talent.retention_builders import (
    NOW,
    TODAY,
    make_application_scene,
    talent_report_figures,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    """Time stands still, so figures measured against `now` compare exactly."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scene(org_a, admin_a):
    return make_application_scene(org_a)


def test_unsuccessful_applications_past_their_period_lose_personal_data(
    scene, django_capture_on_commit_callbacks
):
    rejected = scene["rejected"]
    cv_name = rejected.cv.name
    assert private_storage().exists(cv_name)

    with django_capture_on_commit_callbacks(execute=True):
        count = applications_anonymise(today=TODAY)

    assert count == 3  # rejected, withdrawn and the pool-invited one
    rejected.refresh_from_db()
    for field in (
        "full_name",
        "email",
        "phone",
        "address",
        "postcode",
        "supporting_statement",
        "cv",
        "cv_filename",
        "reasonable_adjustments",
        "duplicate_key",
    ):
        assert not getattr(rejected, field), field
    assert rejected.candidate is None
    assert rejected.anonymised_at == NOW
    assert not private_storage().exists(cv_name)
    assert not ApplicationAnswer.objects.filter(application=rejected).exists()
    assert not ApplicationNote.objects.filter(application=rejected).exists()
    # What reports count is kept.
    assert (rejected.stage, rejected.source, rejected.campaign_code, rejected.fair_route) == (
        "rejected",
        "campaign",
        "CAMP1",
        "care_leaver",
    )
    assert rejected.rejection_reason == "others_stronger"
    assert rejected.history.count() == 3
    assert EqualityMonitoring.objects.filter(application=rejected).exists()
    scene["withdrawn"].refresh_from_db()
    assert scene["withdrawn"].full_name == "" and scene["withdrawn"].anonymised_at == NOW


def test_cv_files_stay_until_the_transaction_commits(scene, django_capture_on_commit_callbacks):
    cv_name = scene["rejected"].cv.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        applications_anonymise(today=TODAY)

    assert private_storage().exists(cv_name)
    assert len(callbacks) == 1


def test_a_pool_invited_applicant_keeps_only_the_link_the_invitation_report_counts(scene):
    invited = scene["invited"]
    candidate = invited.candidate

    applications_anonymise(today=TODAY)

    invited.refresh_from_db()
    assert invited.full_name == "" and invited.phone == ""
    assert invited.candidate == candidate


def test_applications_not_yet_due_or_successful_are_untouched(scene):
    before = {
        key: Application.objects.values().get(pk=scene[key].pk) for key in ("hired", "not_yet_due")
    }

    applications_anonymise(today=TODAY)

    for key, row in before.items():
        assert Application.objects.values().get(pk=scene[key].pk) == row, key
    assert private_storage().exists(scene["not_yet_due"].cv.name)
    assert ApplicationNote.objects.filter(application=scene["not_yet_due"]).exists()


def test_talent_report_figures_are_the_same_after_retention(scene, org_a):
    before = talent_report_figures(org_a)
    assert before["mobility"]["invitations"]["total"]["applied"] == 1

    applications_anonymise(today=TODAY)

    assert talent_report_figures(org_a) == before


def test_each_run_is_audited_and_a_second_run_changes_nothing(scene, settings):
    first = tasks.anonymise_unsuccessful_applications.delay().get()
    rows = list(Application.objects.order_by("pk").values())

    second = applications_anonymise(today=TODAY)

    assert (first, second) == (3, 0)
    assert list(Application.objects.order_by("pk").values()) == rows
    events = list(AuditEvent.objects.filter(action=AUDIT_ACTION).order_by("created_at", "pk"))
    assert [event.data["applications"] for event in events] == [3, 0]
    assert {event.data["application_months"] for event in events} == {
        settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS
    }


def test_the_period_comes_from_settings(scene, settings):
    settings.RETENTION_UNSUCCESSFUL_APPLICATION_MONTHS = 2

    assert applications_anonymise(today=TODAY) == 4
    scene["not_yet_due"].refresh_from_db()
    assert scene["not_yet_due"].anonymised_at == NOW
