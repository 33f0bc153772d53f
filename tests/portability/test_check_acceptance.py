"""Check acceptance: each signatory states which of another signatory's checks it
accepts as they are, and for how long; the host then sees per deployment the checks it
accepts (with their expiry) and the gaps it must close itself, with the reason."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hub.models import AuditEvent, Membership
from portability.models import CheckAcceptance
from portability.selectors.deployments import check_gaps, check_statuses
from portability.services.deployments import check_acceptance_set
from tests.factories import MembershipFactory, OrganisationFactory
from tests.portability.builders import make_deployment, membership, sign

Check = CheckAcceptance.Check
DONE = datetime.date(2026, 1, 10)


@pytest.fixture
def signed(org_a, org_b):
    sign(org_a)
    sign(org_b)


@pytest.fixture
def host(org_b, member_b, signed):
    return membership(member_b, org_b)


def _accept(host_membership, provider, **kinds):
    """kinds: check kind → (accepted, valid_for_days)."""
    return check_acceptance_set(
        organisation=host_membership.organisation,
        provider=provider,
        actor=host_membership.user,
        membership=host_membership,
        acceptances=kinds,
    )


@pytest.fixture
def deployment(org_a, org_b, signed):
    """A's nurse going to B, every home check recorded on 10 January 2026 (the
    registration expiring on 31 March 2027)."""
    with time_machine.travel(datetime.datetime(2026, 1, 20, 12, tzinfo=datetime.UTC)):
        deployment = make_deployment(home=org_a, host=org_b, registration_needed="nmc")
    checks = deployment.checks
    for name in (
        "identity_checked_on",
        "right_to_work_checked_on",
        "dbs_issued_on",
        "mandatory_training_on",
        "occupational_health_cleared_on",
        "indemnity_confirmed_on",
    ):
        setattr(checks, name, DONE)
    checks.dbs_level = "enhanced"
    checks.registration_body = "nmc"
    checks.registration_number = "12A3456B"
    checks.registration_expires_on = datetime.date(2027, 3, 31)
    checks.save()
    return deployment


def _by_kind(deployment):
    return {status.check: status for status in check_statuses(deployment)}


@time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
def test_accepted_checks_show_their_expiry_and_make_no_gap(deployment, host, org_a):
    kinds = {kind: (True, None) for kind in Check.values}
    _accept(host, org_a, **{**kinds, "dbs": (True, 1095), "mandatory_training": (True, 365)})
    statuses = _by_kind(deployment)
    assert check_gaps(deployment) == []
    assert statuses[Check.DBS].accepted
    assert statuses[Check.DBS].expires_on == DONE + datetime.timedelta(days=1095)
    assert statuses[Check.MANDATORY_TRAINING].expires_on == DONE + datetime.timedelta(days=365)
    assert statuses[Check.REGISTRATION].expires_on == datetime.date(2027, 3, 31)
    assert statuses[Check.IDENTITY].expires_on is None


@time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
def test_a_check_not_accepted_or_never_stated_is_a_gap(deployment, host, org_a):
    _accept(host, org_a, dbs=(False, None), identity=(True, None))
    gaps = {gap.check: gap for gap in check_gaps(deployment)}
    assert Check.DBS in gaps
    assert "You do not accept" in gaps[Check.DBS].reason
    assert Check.RIGHT_TO_WORK in gaps  # never stated
    assert Check.IDENTITY not in gaps


def test_a_check_older_than_accepted_is_a_gap_with_when_it_was_done(deployment, host, org_a):
    _accept(host, org_a, mandatory_training=(True, 365))
    with time_machine.travel(datetime.datetime(2027, 1, 9, 12, tzinfo=datetime.UTC)):
        assert _by_kind(deployment)[Check.MANDATORY_TRAINING].accepted
    with time_machine.travel(datetime.datetime(2027, 1, 11, 12, tzinfo=datetime.UTC)):
        status = _by_kind(deployment)[Check.MANDATORY_TRAINING]
    assert not status.accepted
    assert status.reason == ("Too old: done on 10 January 2026, and you accept it for 365 days.")
    assert status.expires_on == datetime.date(2027, 1, 10)


@time_machine.travel(datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC))
@pytest.mark.parametrize(
    "needed, accepted", [("", True), ("enhanced", True), ("enhanced_barred", False)]
)
def test_an_accepted_dbs_below_the_level_the_role_needs_is_a_gap(
    needed, accepted, deployment, host, org_a
):
    staff_request = deployment.offer.request
    staff_request.dbs_level_needed = needed
    staff_request.save()
    _accept(host, org_a, dbs=(True, 1095))
    status = _by_kind(deployment)[Check.DBS]
    assert status.accepted is accepted
    if not accepted:
        assert status.reason == (
            "The DBS is at Enhanced level; this role needs Enhanced with barred lists."
        )


def test_a_check_that_runs_out_before_the_deployment_starts_is_already_a_gap(
    deployment, host, org_a
):
    _accept(host, org_a, mandatory_training=(True, 365))
    deployment.starts_on = datetime.date(2027, 2, 1)
    deployment.ends_on = datetime.date(2027, 2, 14)
    deployment.save()
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        status = _by_kind(deployment)[Check.MANDATORY_TRAINING]
    assert not status.accepted
    assert status.expires_on == datetime.date(2027, 1, 10)


def test_an_expired_registration_is_a_gap(deployment, host, org_a):
    _accept(host, org_a, registration=(True, None))
    with time_machine.travel(datetime.datetime(2027, 4, 1, 12, tzinfo=datetime.UTC)):
        status = _by_kind(deployment)[Check.REGISTRATION]
    assert not status.accepted
    assert status.reason == "The registration expired on 31 March 2027."


def test_a_check_not_yet_recorded_is_a_gap(deployment, host, org_a):
    _accept(host, org_a, indemnity=(True, None))
    deployment.checks.indemnity_confirmed_on = None
    deployment.checks.save()
    status = _by_kind(deployment)[Check.INDEMNITY]
    assert not status.accepted
    assert "not recorded" in status.reason


def test_registration_is_left_out_when_neither_needed_nor_recorded(org_a, org_b, signed):
    deployment = make_deployment(home=org_a, host=org_b)
    assert Check.REGISTRATION not in _by_kind(deployment)


def test_gaps_take_a_fixed_number_of_queries(deployment, host, django_assert_num_queries):
    from portability.selectors.deployments import deployment_for

    with django_assert_num_queries(1):
        loaded = deployment_for(host, deployment.pk)
    with django_assert_num_queries(1):
        check_gaps(loaded)


def test_host_sees_the_gaps_with_reasons_on_the_deployment_page(
    client_as, deployment, host, org_a, org_b, member_b
):
    _accept(host, org_a, dbs=(True, 30), identity=(True, None))
    response = client_as(member_b).get(
        reverse(
            "deployments:deployment_detail",
            kwargs={"org_slug": org_b.slug, "deployment_id": deployment.pk},
        )
    )
    content = response.content.decode()
    assert "Accepted as it is" in content
    assert "You must close this gap yourself" in content
    assert "you accept it for 30 days" in content


# Stating acceptance ----------------------------------------------------------------------


def test_admin_states_acceptance_and_it_is_audited(host, org_a):
    _accept(host, org_a, dbs=(True, 1095), identity=(False, 30))
    rows = {row.check_kind: row for row in CheckAcceptance.objects.all()}
    assert (rows["dbs"].accepted, rows["dbs"].valid_for_days) == (True, 1095)
    # Days mean nothing for a check that is not accepted.
    assert (rows["identity"].accepted, rows["identity"].valid_for_days) == (False, None)
    assert AuditEvent.objects.filter(action="check_acceptance.updated").count() == 1
    _accept(host, org_a, dbs=(True, 1095))
    assert AuditEvent.objects.filter(action="check_acceptance.updated").count() == 1


def test_staff_cannot_state_acceptance(org_a, org_b, signed):
    staff = MembershipFactory(organisation=org_b, role=Membership.Role.STAFF)
    with pytest.raises(PermissionDenied):
        _accept(staff, org_a, dbs=(True, None))


def test_only_signatories_state_acceptance_of_signatories(host, org_b):
    outsider = OrganisationFactory(name="Not signed")
    with pytest.raises(ValidationError):
        _accept(host, outsider, dbs=(True, None))
    with pytest.raises(ValidationError):
        _accept(host, org_b, dbs=(True, None))


def test_acceptance_page_lets_the_admin_edit_and_staff_only_read(
    client_as, org_a, admin_a, staff_a, org_b, signed
):
    list_url = reverse("deployments:check_acceptance", kwargs={"org_slug": org_a.slug})
    edit_url = reverse(
        "deployments:check_acceptance_edit",
        kwargs={"org_slug": org_a.slug, "provider_slug": org_b.slug},
    )
    staff_page = client_as(staff_a).get(list_url)
    assert staff_page.status_code == 200
    assert org_b.name in staff_page.content.decode()
    assert client_as(staff_a).get(edit_url).status_code == 403
    data = {}
    for kind in Check.values:
        data[f"{kind}_accepted"] = "yes"
        data[f"{kind}_days"] = ""
    data["dbs_days"] = "1095"
    response = client_as(admin_a).post(edit_url, data)
    assert response.status_code == 302
    row = CheckAcceptance.objects.get(organisation=org_a, provider=org_b, check_kind="dbs")
    assert row.valid_for_days == 1095
    data["dbs_days"] = "0"
    response = client_as(admin_a).post(edit_url, data)
    assert response.status_code == 200
    assert "Enter a number of days from 1 to 3650" in response.content.decode()


def test_acceptance_of_an_organisation_that_has_not_signed_is_404(
    client_as, org_a, admin_a, signed
):
    outsider = OrganisationFactory(name="Not signed", slug="not-signed")
    url = reverse(
        "deployments:check_acceptance_edit",
        kwargs={"org_slug": org_a.slug, "provider_slug": outsider.slug},
    )
    assert client_as(admin_a).get(url).status_code == 404
