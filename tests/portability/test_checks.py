"""Pre-deployment checks: recorded once by the home organisation, read-only to the host,
which records only the local induction; every home check recorded makes the deployment
CHECKS_COMPLETE."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hub.models import AuditEvent, Membership
from portability.models import Deployment, PreDeploymentChecks
from portability.services.deployments import checks_record
from tests.factories import MembershipFactory, OrganisationFactory
from tests.portability.builders import complete_checks, make_deployment, membership

Status = Deployment.Status
TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def home(org_a, admin_a):
    return membership(admin_a, org_a)


@pytest.fixture
def host(org_b, member_b):
    return membership(member_b, org_b)


@pytest.fixture
def deployment(org_a, org_b):
    return make_deployment(home=org_a, host=org_b, registration_needed="nmc")


def _checks(deployment):
    return PreDeploymentChecks.objects.get(deployment=deployment)


def test_home_records_its_checks_and_the_change_is_audited(deployment, home):
    checks_record(
        deployment=deployment,
        actor=home.user,
        membership=home,
        identity_checked_on=timezone.localdate(),
        registration_body="nmc",
        registration_number="12A3456B",
        registration_expires_on=timezone.localdate() + datetime.timedelta(days=100),
    )
    checks = _checks(deployment)
    assert checks.identity_checked_on == timezone.localdate()
    assert checks.home_recorded_by == home.user
    deployment.refresh_from_db()
    assert deployment.status == Status.PLANNED
    event = AuditEvent.objects.get(action="deployment.checks_recorded")
    assert event.organisation == deployment.home
    assert "identity_checked_on" in event.data["fields"]


def test_every_home_check_recorded_makes_the_deployment_checks_complete(deployment, home):
    complete_checks(deployment, home)
    assert deployment.status == Status.CHECKS_COMPLETE
    assert AuditEvent.objects.filter(action="deployment.checks_complete").count() == 1


def test_clearing_a_check_before_the_start_takes_it_back_to_planned(deployment, home):
    complete_checks(deployment, home)
    checks_record(
        deployment=deployment, actor=home.user, membership=home, occupational_health_cleared_on=None
    )
    deployment.refresh_from_db()
    assert deployment.status == Status.PLANNED


def test_host_cannot_change_the_home_checks(deployment, home, host):
    complete_checks(deployment, home)
    with pytest.raises(PermissionDenied):
        checks_record(
            deployment=deployment,
            actor=host.user,
            membership=host,
            dbs_level="basic",
            local_induction_on=timezone.localdate(),
        )
    checks = _checks(deployment)
    assert checks.dbs_level == "enhanced"
    assert checks.local_induction_on is None


def test_host_records_the_local_induction(deployment, host):
    checks_record(
        deployment=deployment,
        actor=host.user,
        membership=host,
        local_induction_on=timezone.localdate(),
    )
    checks = _checks(deployment)
    assert checks.local_induction_on == timezone.localdate()
    assert checks.induction_recorded_by == host.user
    assert AuditEvent.objects.filter(
        action="deployment.induction_recorded", organisation=deployment.host
    ).exists()


def test_home_cannot_record_the_local_induction(deployment, home):
    with pytest.raises(PermissionDenied):
        checks_record(
            deployment=deployment,
            actor=home.user,
            membership=home,
            local_induction_on=timezone.localdate(),
        )


def test_a_third_organisation_cannot_record_checks(deployment):
    third = MembershipFactory(organisation=OrganisationFactory(), role=Membership.Role.ADMIN)
    with pytest.raises(PermissionDenied):
        checks_record(
            deployment=deployment,
            actor=third.user,
            membership=third,
            identity_checked_on=timezone.localdate(),
        )


def test_check_dates_cannot_be_in_the_future(deployment, home):
    with pytest.raises(ValidationError) as error:
        checks_record(
            deployment=deployment,
            actor=home.user,
            membership=home,
            identity_checked_on=timezone.localdate() + datetime.timedelta(days=1),
            registration_body="nmc",
            registration_number="1",
            registration_expires_on=timezone.localdate() + datetime.timedelta(days=5),
        )
    assert "identity_checked_on" in error.value.error_dict
    assert _checks(deployment).identity_checked_on is None


def test_an_expired_registration_is_refused(deployment, home):
    with pytest.raises(ValidationError) as error:
        checks_record(
            deployment=deployment,
            actor=home.user,
            membership=home,
            registration_body="nmc",
            registration_number="12A3456B",
            registration_expires_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert "registration_expires_on" in error.value.error_dict


def test_registration_is_required_when_the_request_needs_one(deployment, home):
    with pytest.raises(ValidationError) as error:
        checks_record(
            deployment=deployment,
            actor=home.user,
            membership=home,
            identity_checked_on=timezone.localdate(),
        )
    assert "registration_body" in error.value.error_dict
    assert "Nursing and Midwifery Council" in str(error.value)


def test_registration_is_not_needed_when_the_request_needs_none(org_a, org_b, home):
    deployment = make_deployment(home=org_a, host=org_b)
    today = timezone.localdate()
    checks_record(
        deployment=deployment,
        actor=home.user,
        membership=home,
        identity_checked_on=today,
        right_to_work_checked_on=today,
        dbs_level="standard",
        dbs_issued_on=today,
        mandatory_training_on=today,
        occupational_health_cleared_on=today,
        indemnity_confirmed_on=today,
    )
    deployment.refresh_from_db()
    assert deployment.status == Status.CHECKS_COMPLETE


def test_home_records_checks_through_the_page(client_as, deployment, org_a, staff_a):
    url = reverse(
        "deployments:deployment_checks",
        kwargs={"org_slug": org_a.slug, "deployment_id": deployment.pk},
    )
    client = client_as(staff_a)
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    response = client.post(
        url,
        {
            "identity_checked_on": today.isoformat(),
            "right_to_work_checked_on": today.strftime("%d/%m/%Y"),
            "dbs_level": "enhanced",
            "dbs_issued_on": today.isoformat(),
            "registration_body": "nmc",
            "registration_number": "12A3456B",
            "registration_expires_on": (today + datetime.timedelta(days=30)).isoformat(),
            "mandatory_training_on": today.isoformat(),
            "occupational_health_cleared_on": today.isoformat(),
            "indemnity_confirmed_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.status == Status.CHECKS_COMPLETE


def test_checks_page_shows_errors_for_bad_dates(client_as, deployment, org_a, admin_a):
    url = reverse(
        "deployments:deployment_checks",
        kwargs={"org_slug": org_a.slug, "deployment_id": deployment.pk},
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_as(admin_a).post(
        url,
        {
            "identity_checked_on": "31/02/2026",
            "mandatory_training_on": tomorrow.isoformat(),
            "registration_body": "",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Enter a real date identity was checked" in content


def test_host_sees_the_home_checks_read_only_and_records_only_the_induction(
    client_as, deployment, home, org_b, member_b
):
    complete_checks(deployment, home)
    url = reverse(
        "deployments:deployment_checks",
        kwargs={"org_slug": org_b.slug, "deployment_id": deployment.pk},
    )
    client = client_as(member_b)
    page = client.get(url)
    assert 'name="dbs_level"' not in page.content.decode()
    assert "12A3456B" in page.content.decode()
    response = client.post(
        url, {"local_induction_on": timezone.localdate().isoformat(), "dbs_level": "basic"}
    )
    assert response.status_code == 302
    checks = _checks(deployment)
    assert checks.local_induction_on == timezone.localdate()
    assert checks.dbs_level == "enhanced"
