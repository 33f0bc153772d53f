"""Deployments: the lists of people out and people with us, the page of one deployment
(home and host only), starting (gated by the checks, or an admin's logged override) and
the return with its close-out."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hub.models import AuditEvent, Membership
from portability.models import (
    Deployment,
    Signatory,
)
from portability.services.deployments import (
    deployment_home_feedback,
    deployment_return,
    deployment_start,
)
from tests.factories import MembershipFactory, OrganisationFactory
from tests.portability.builders import complete_checks, make_deployment, membership, sign

Status = Deployment.Status


@pytest.fixture
def host_admin(org_b, member_b):
    return membership(member_b, org_b)


@pytest.fixture
def host_staff(org_b):
    return MembershipFactory(organisation=org_b, role=Membership.Role.STAFF)


@pytest.fixture
def home_admin(org_a, admin_a):
    return membership(admin_a, org_a)


@pytest.fixture
def deployment(org_a, org_b):
    """One of A's people deployed to B."""
    sign(org_a)
    sign(org_b)
    return make_deployment(home=org_a, host=org_b)


# Starting ---------------------------------------------------------------------------


def test_deployment_cannot_start_before_the_checks_are_complete(deployment, host_admin):
    with pytest.raises(ValidationError) as error:
        deployment_start(deployment=deployment, actor=host_admin.user, membership=host_admin)
    assert "not complete" in str(error.value)
    deployment.refresh_from_db()
    assert deployment.status == Status.PLANNED


def test_complete_home_checks_without_the_local_induction_still_do_not_let_it_start(
    deployment, home_admin, host_admin
):
    complete_checks(deployment, home_admin)
    assert deployment.status == Status.CHECKS_COMPLETE
    with pytest.raises(ValidationError):
        deployment_start(deployment=deployment, actor=host_admin.user, membership=host_admin)


def test_deployment_starts_once_the_checks_and_induction_are_done_and_home_hears(
    deployment, home_admin, host_staff, django_capture_on_commit_callbacks
):
    complete_checks(deployment, home_admin, induction_membership=host_staff)
    signature = Signatory.objects.get(organisation=deployment.home)
    with django_capture_on_commit_callbacks(execute=True):
        started = deployment_start(
            deployment=deployment, actor=host_staff.user, membership=host_staff
        )
    assert started.status == Status.ACTIVE
    assert started.started_by == host_staff.user
    assert started.override_reason == ""
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [signature.lead.email, signature.deputy.email]
    )
    assert "has started at" in mail.outbox[0].subject


def test_staff_of_the_host_cannot_override_the_checks(deployment, host_staff):
    with pytest.raises(PermissionDenied):
        deployment_start(
            deployment=deployment,
            actor=host_staff.user,
            membership=host_staff,
            override_reason="Ward unsafe tonight",
        )
    deployment.refresh_from_db()
    assert deployment.status == Status.PLANNED
    assert not AuditEvent.objects.filter(action="deployment.start_override").exists()


def test_admin_override_needs_a_reason(deployment, host_admin):
    with pytest.raises(ValidationError):
        deployment_start(
            deployment=deployment,
            actor=host_admin.user,
            membership=host_admin,
            override_reason="   ",
        )
    deployment.refresh_from_db()
    assert deployment.status == Status.PLANNED


def test_admin_override_with_a_reason_starts_it_and_is_logged(deployment, host_admin):
    started = deployment_start(
        deployment=deployment,
        actor=host_admin.user,
        membership=host_admin,
        override_reason="Ward unsafe tonight; DBS seen on paper",
    )
    assert started.status == Status.ACTIVE
    deployment.refresh_from_db()
    assert deployment.override_reason == "Ward unsafe tonight; DBS seen on paper"
    assert deployment.override_by == host_admin.user
    event = AuditEvent.objects.get(action="deployment.start_override")
    assert event.actor == host_admin.user
    assert event.organisation == deployment.host
    assert event.object_id == str(deployment.pk)
    assert event.data["reason"] == "Ward unsafe tonight; DBS seen on paper"


def test_home_organisation_cannot_start_its_own_persons_deployment(deployment, home_admin):
    with pytest.raises(PermissionDenied):
        deployment_start(
            deployment=deployment,
            actor=home_admin.user,
            membership=home_admin,
            override_reason="We say so",
        )


def test_start_page_shows_the_admin_the_override_and_records_it(
    client_as, deployment, org_b, member_b
):
    url = reverse(
        "deployments:deployment_start",
        kwargs={"org_slug": org_b.slug, "deployment_id": deployment.pk},
    )
    client = client_as(member_b)
    page = client.get(url)
    assert page.status_code == 200
    assert "The checks are not complete" in page.content.decode()
    empty = client.post(url, {"override_reason": ""})
    assert empty.status_code == 200
    assert "There is a problem" in empty.content.decode()
    response = client.post(url, {"override_reason": "Critical staffing"})
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.status == Status.ACTIVE


def test_start_page_refuses_an_override_from_staff_on_the_page(client_as, deployment, host_staff):
    url = reverse(
        "deployments:deployment_start",
        kwargs={"org_slug": host_staff.organisation.slug, "deployment_id": deployment.pk},
    )
    response = client_as(host_staff.user).post(url, {"override_reason": "Critical"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    deployment.refresh_from_db()
    assert deployment.status == Status.PLANNED


# Return and close-out -----------------------------------------------------------------


@pytest.fixture
def active(deployment, host_admin):
    return deployment_start(
        deployment=deployment,
        actor=host_admin.user,
        membership=host_admin,
        override_reason="Critical",
    )


def _return(deployment, membership, **overrides):
    values = {
        "days_worked": 8,
        "hours_worked": Decimal("90.5"),
        "recharge_amount": Decimal("2400.00"),
        "feedback": "Brilliant on the ward.",
        **overrides,
    }
    return deployment_return(
        deployment=deployment, actor=membership.user, membership=membership, **values
    )


def test_return_records_the_close_out_and_tells_the_home(
    active, host_admin, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        returned = _return(active, host_admin)
    assert returned.status == Status.RETURNED
    assert (returned.days_worked, returned.hours_worked) == (8, Decimal("90.5"))
    assert returned.recharge_amount == Decimal("2400.00")
    assert returned.host_feedback == "Brilliant on the ward."
    assert len(mail.outbox) == 2
    assert "£2400.00" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="deployment.returned").count() == 1


def test_days_worked_cannot_exceed_the_deployments_calendar_days(active, host_admin):
    with pytest.raises(ValidationError) as error:
        _return(active, host_admin, days_worked=11)
    assert "days_worked" in error.value.error_dict
    active.refresh_from_db()
    assert active.status == Status.ACTIVE


def test_recharge_cannot_be_negative(active, host_admin):
    with pytest.raises(ValidationError) as error:
        _return(active, host_admin, recharge_amount=Decimal("-1"))
    assert "recharge_amount" in error.value.error_dict


def test_hours_cannot_exceed_a_whole_day_for_each_day_worked(active, host_admin):
    with pytest.raises(ValidationError) as error:
        _return(active, host_admin, days_worked=1, hours_worked=Decimal("25"))
    assert "hours_worked" in error.value.error_dict


def test_a_planned_deployment_cannot_be_returned(deployment, host_admin):
    with pytest.raises(ValidationError):
        _return(deployment, host_admin)


def test_only_the_host_records_the_return(active, home_admin):
    with pytest.raises(PermissionDenied):
        _return(active, home_admin)


def test_home_adds_its_feedback_after_the_return(active, host_admin, home_admin):
    with pytest.raises(ValidationError):
        deployment_home_feedback(
            deployment=active, actor=home_admin.user, membership=home_admin, feedback="Early"
        )
    _return(active, host_admin)
    deployment_home_feedback(
        deployment=active, actor=home_admin.user, membership=home_admin, feedback="Came back keen"
    )
    active.refresh_from_db()
    assert active.home_feedback == "Came back keen"
    with pytest.raises(PermissionDenied):
        deployment_home_feedback(
            deployment=active, actor=host_admin.user, membership=host_admin, feedback="Ours"
        )


def test_return_page_shows_errors_for_bad_input_not_a_crash(client_as, active, org_b, member_b):
    url = reverse(
        "deployments:deployment_return",
        kwargs={"org_slug": org_b.slug, "deployment_id": active.pk},
    )
    response = client_as(member_b).post(
        url,
        {"days_worked": "40", "hours_worked": "abc", "recharge_amount": "-5", "feedback": ""},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Enter the hours worked as a number" in content
    assert "Enter the recharge due, £0 or more" in content
    response = client_as(member_b).post(
        url,
        {"days_worked": "40", "hours_worked": "10", "recharge_amount": "0", "feedback": "Ok"},
    )
    assert "The days worked must be 10 or fewer" in response.content.decode()


def test_home_adds_feedback_on_the_return_page(client_as, active, host_admin, org_a, admin_a):
    _return(active, host_admin)
    url = reverse(
        "deployments:deployment_return",
        kwargs={"org_slug": org_a.slug, "deployment_id": active.pk},
    )
    response = client_as(admin_a).post(url, {"feedback": "Thank you"})
    assert response.status_code == 302
    active.refresh_from_db()
    assert active.home_feedback == "Thank you"


# Lists and the detail page -------------------------------------------------------------


def test_list_shows_our_people_out_and_people_with_us(client_as, org_a, org_b, admin_a):
    third = OrganisationFactory(name="Leeds Community Healthcare")
    make_deployment(home=org_a, host=org_b)
    incoming = make_deployment(home=third, host=org_a)
    incoming.offer.staff_name = "Bea Incoming"
    incoming.offer.save()
    response = client_as(admin_a).get(
        reverse("deployments:deployment_list", kwargs={"org_slug": org_a.slug})
    )
    assert response.status_code == 200
    out = response.context["out"]
    with_us = response.context["with_us"]
    assert [d.host for d in out] == [org_b]
    assert [d.home for d in with_us] == [third]
    content = response.content.decode()
    assert "Our people out (1)" in content
    assert "People with us (1)" in content
    assert "Bea Incoming" in content


def test_list_runs_a_fixed_number_of_queries(
    client_as, org_a, org_b, admin_a, django_assert_max_num_queries
):
    client = client_as(admin_a)
    url = reverse("deployments:deployment_list", kwargs={"org_slug": org_a.slug})
    for _ in range(2):
        make_deployment(home=org_a, host=org_b)
        make_deployment(home=org_b, host=org_a)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(4):
        make_deployment(home=org_a, host=org_b)
        make_deployment(home=org_b, host=org_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["out"]) == 6


def test_a_third_organisation_gets_404_on_a_deployment(client_as, deployment):
    third = OrganisationFactory(name="St Gemma's Hospice")
    outsider = MembershipFactory(organisation=third, role=Membership.Role.ADMIN).user
    client = client_as(outsider)
    for name in (
        "deployment_detail",
        "deployment_checks",
        "deployment_start",
        "deployment_return",
    ):
        url = reverse(
            f"deployments:{name}",
            kwargs={"org_slug": third.slug, "deployment_id": deployment.pk},
        )
        assert client.get(url).status_code == 404


def test_home_and_host_both_see_the_deployment(client_as, deployment, org_a, org_b, admin_a):
    MembershipFactory(user=admin_a, organisation=org_b, role=Membership.Role.STAFF)
    client = client_as(admin_a)
    for org in (org_a, org_b):
        url = reverse(
            "deployments:deployment_detail",
            kwargs={"org_slug": org.slug, "deployment_id": deployment.pk},
        )
        response = client.get(url)
        assert response.status_code == 200
        assert "Ada Okafor" in response.content.decode()
    assert "You must close this gap yourself" in response.content.decode()


def test_detail_page_runs_few_queries(
    client_as, deployment, org_b, member_b, django_assert_max_num_queries
):
    url = reverse(
        "deployments:deployment_detail",
        kwargs={"org_slug": org_b.slug, "deployment_id": deployment.pk},
    )
    client = client_as(member_b)
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)
