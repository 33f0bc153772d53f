"""Builders for the portability tests: the framework's records made directly (not through
the services), so a test sets up only what it is about. tests/hub/test_tenancy.py and the
browser journey use them too.

Version 1 of the terms is always there: the data migration publishes it and
tests/conftest.py's `_database_baseline` puts it back after transactional tests."""

import datetime

from django.utils import timezone

from hub.models import Membership
from portability.models import (
    Deployment,
    FrameworkVersion,
    Mobilisation,
    PreDeploymentChecks,
    RegistrationBody,
    Signatory,
    StaffOffer,
    StaffRequest,
)
from portability.services.deployments import checks_record
from talent.models import StaffGroup
from tests.factories import MembershipFactory


def version_1() -> FrameworkVersion:
    """Version 1 of the terms, as the data migration publishes it."""
    return FrameworkVersion.objects.get(number=1)


def membership(user, organisation) -> Membership:
    """The user's membership of the organisation."""
    return Membership.objects.get(user=user, organisation=organisation)


def sign(organisation, *, lead=None, deputy=None) -> Signatory:
    """Make the organisation a current signatory of version 1, with a lead and a deputy
    (by default a new admin and a new staff member of the organisation)."""
    return Signatory.objects.create(
        organisation=organisation,
        version=version_1(),
        lead=lead or MembershipFactory(organisation=organisation, role="admin").user,
        deputy=deputy or MembershipFactory(organisation=organisation, role="staff").user,
    )


def withdraw(signatory: Signatory) -> None:
    """Withdraw the signature (the row stays, as history)."""
    signatory.withdrawn_at = timezone.now()
    signatory.withdrawal_reason = "Leaving the framework"
    signatory.save()


def mobilise(organisation, **fields) -> Mobilisation:
    """An active mobilisation of the organisation, from today for 30 days."""
    today = timezone.localdate()
    values = {
        "service": "Acute medical wards",
        "reason": "Norovirus outbreak closing two wards",
        "urgency": Mobilisation.Urgency.CRITICAL,
        "starts_on": today,
        "expected_end_on": today + datetime.timedelta(days=30),
        "status": Mobilisation.Status.ACTIVE,
        "activated_at": timezone.now(),
    }
    return Mobilisation.objects.create(organisation=organisation, **(values | fields))


def make_request(mobilisation, **fields) -> StaffRequest:
    """A request for two NMC-registered nurses for two weeks from the mobilisation's start."""
    values = {
        "role": "Band 5 staff nurse",
        "staff_group": StaffGroup.objects.order_by("pk").first(),
        "registration_needed": RegistrationBody.NMC,
        "number_needed": 2,
        "starts_on": mobilisation.starts_on,
        "ends_on": mobilisation.starts_on + datetime.timedelta(days=13),
        "shift_pattern": "Long days, 3 a week",
        "site": "St James's University Hospital, ward J24",
    }
    return StaffRequest.objects.create(mobilisation=mobilisation, **(values | fields))


def make_offer(staff_request, organisation, **fields) -> StaffOffer:
    """The organisation offers a named, NMC-registered nurse who has agreed today."""
    values = {
        "staff_name": "Ada Okafor",
        "staff_email": "ada.okafor@example.org",
        "job_title": "Staff nurse",
        "registration_body": RegistrationBody.NMC,
        "registration_number": "12A3456E",
        "staff_agreed_on": timezone.localdate(),
    }
    return StaffOffer.objects.create(
        request=staff_request, organisation=organisation, **(values | fields)
    )


def make_deployment(*, home, host, registration_needed="", starts_on=None, days=10):
    """An accepted offer of one of home's people to host, as the offer's acceptance makes
    it: a planned deployment with an empty checks row."""
    starts_on = starts_on or timezone.localdate() + datetime.timedelta(days=2)
    ends_on = starts_on + datetime.timedelta(days=days - 1)
    mobilisation = Mobilisation.objects.create(
        organisation=host,
        service="Ward 12, acute medicine",
        reason="Winter pressures",
        urgency=Mobilisation.Urgency.HIGH,
        starts_on=starts_on,
        expected_end_on=ends_on,
        status=Mobilisation.Status.ACTIVE,
    )
    request = StaffRequest.objects.create(
        mobilisation=mobilisation,
        role="Staff nurse",
        staff_group=StaffGroup.objects.order_by("pk").first(),
        registration_needed=registration_needed,
        number_needed=1,
        starts_on=starts_on,
        ends_on=ends_on,
        shift_pattern="Long days",
        site="St James's",
    )
    offer = StaffOffer.objects.create(
        request=request,
        organisation=home,
        staff_name="Ada Okafor",
        staff_email="ada@example.org",
        job_title="Staff nurse",
        staff_agreed_on=timezone.localdate(),
        status=StaffOffer.Status.ACCEPTED,
    )
    deployment = Deployment.objects.create(
        offer=offer, home=home, host=host, starts_on=starts_on, ends_on=ends_on
    )
    PreDeploymentChecks.objects.create(deployment=deployment)
    return deployment


def complete_checks(deployment, membership, *, induction_membership=None):
    """Every home check recorded (and the local induction when a host member is given)."""
    today = timezone.localdate()
    checks_record(
        deployment=deployment,
        actor=membership.user,
        membership=membership,
        identity_checked_on=today,
        right_to_work_checked_on=today,
        dbs_level="enhanced",
        dbs_issued_on=today - datetime.timedelta(days=100),
        registration_body="nmc",
        registration_number="12A3456B",
        registration_expires_on=today + datetime.timedelta(days=300),
        mandatory_training_on=today - datetime.timedelta(days=30),
        occupational_health_cleared_on=today,
        indemnity_confirmed_on=today,
    )
    if induction_membership is not None:
        checks_record(
            deployment=deployment,
            actor=induction_membership.user,
            membership=induction_membership,
            local_induction_on=today,
        )
    deployment.refresh_from_db()
    return deployment
