"""The rules of secondments, through the services: who may express interest, release,
select and approve; the order of approvals; no start without both approvals (refused by
the service, and by the database); extension, early end, completion and cancellation;
and the emails each step sends."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hub.models import AuditEvent, Membership
from talent.models import (
    Arrangement,
    SecondmentAgreement,
    SecondmentApprover,
    SecondmentInterest,
    SecondmentOpportunity,
)
from talent.services import secondments as services
from tests.factories import MembershipFactory, OrganisationFactory
from tests.talent.mobility_builders import (
    make_agreement,
    make_interest,
    make_opportunity,
    nursing,
)

Status = SecondmentAgreement.Status
InterestStatus = SecondmentInterest.Status


def _membership(user, organisation) -> Membership:
    return Membership.objects.select_related("user", "organisation").get(
        user=user, organisation=organisation
    )


@pytest.fixture
def host(db):
    return OrganisationFactory(name="Leeds Community Healthcare NHS Trust", slug="lch")


@pytest.fixture
def host_admin(host):
    return MembershipFactory(organisation=host, role="admin").user


@pytest.fixture
def host_hr(host):
    return MembershipFactory(organisation=host, role="staff").user


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


# --- The table ----------------------------------------------------------------------------


def test_the_table_allows_only_the_documented_moves():
    assert {
        Status.PROPOSED: {Status.HOME_APPROVED, Status.CANCELLED},
        Status.HOME_APPROVED: {Status.HOST_APPROVED, Status.CANCELLED},
        Status.HOST_APPROVED: {Status.ACTIVE, Status.CANCELLED},
        Status.ACTIVE: {Status.COMPLETED},
        Status.COMPLETED: set(),
        Status.CANCELLED: set(),
    } == services.TRANSITIONS


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 9, 1), 6, datetime.date(2027, 3, 1)),
        (datetime.date(2026, 11, 15), 14, datetime.date(2028, 1, 15)),
    ],
)
def test_the_end_date_is_the_start_plus_the_months(start, months, end):
    assert services.add_months(start, months) == end


# --- Activation needs both approvals ------------------------------------------------------


@pytest.mark.parametrize("status", [Status.PROPOSED, Status.HOME_APPROVED])
def test_an_agreement_cannot_go_active_without_both_approvals(status, org_a, host, host_hr):
    agreement = make_agreement(
        org_a, host, status=status, starts_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.agreement_activate(
            agreement=agreement, actor=host_hr, membership=_membership(host_hr, host)
        )
    agreement.refresh_from_db()
    assert agreement.status == status
    assert agreement.activated_at is None


@pytest.mark.parametrize("status", [Status.ACTIVE, Status.COMPLETED])
def test_the_database_refuses_an_agreement_running_without_both_approvals(status, org_a, host):
    agreement = make_agreement(org_a, host, status=Status.HOME_APPROVED)
    with pytest.raises(IntegrityError), transaction.atomic():
        SecondmentAgreement.objects.filter(pk=agreement.pk).update(status=status)
    agreement.refresh_from_db()
    assert agreement.status == Status.HOME_APPROVED


def test_the_host_cannot_approve_before_the_home_organisation(org_a, host, host_admin):
    agreement = make_agreement(org_a, host)
    with pytest.raises(ValidationError) as refused:
        services.agreement_approve(
            agreement=agreement, actor=host_admin, membership=_membership(host_admin, host)
        )
    assert "approves first" in refused.value.messages[0]
    agreement.refresh_from_db()
    assert (agreement.status, agreement.host_approved_at) == (Status.PROPOSED, None)


def test_home_then_host_approve_and_the_host_starts_it_from_its_start_date(
    org_a, admin_a, host, host_admin, host_hr, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    agreement = make_agreement(org_a, host, starts_on=today + datetime.timedelta(days=3))
    services.agreement_approve(
        agreement=agreement, actor=admin_a, membership=_membership(admin_a, org_a)
    )
    services.agreement_approve(
        agreement=agreement, actor=host_admin, membership=_membership(host_admin, host)
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.HOST_APPROVED
    assert (agreement.home_approved_by, agreement.host_approved_by) == (admin_a, host_admin)

    hr = _membership(host_hr, host)
    with pytest.raises(ValidationError, match="you can start it from then"):
        services.agreement_activate(agreement=agreement, actor=host_hr, membership=hr)
    with time_machine.travel(today + datetime.timedelta(days=3)):
        services.agreement_activate(agreement=agreement, actor=host_hr, membership=hr)
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE
    audit = AuditEvent.objects.filter(object_id=str(agreement.pk)).order_by("created_at")
    assert [(event.action, event.actor) for event in audit] == [
        ("secondment_agreement.approve_home", admin_a),
        ("secondment_agreement.approve_host", host_admin),
        ("secondment_agreement.activated", host_hr),
    ]


def test_only_the_host_starts_a_secondment(org_a, staff_a, host):
    agreement = make_agreement(
        org_a, host, status=Status.HOST_APPROVED, starts_on=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="Only the host organisation"):
        services.agreement_activate(
            agreement=agreement, actor=staff_a, membership=_membership(staff_a, org_a)
        )


# --- Who approves -------------------------------------------------------------------------


def test_hr_staff_who_are_not_named_approvers_cannot_approve(org_a, staff_a, host):
    agreement = make_agreement(org_a, host)
    with pytest.raises(PermissionDenied):
        services.agreement_approve(
            agreement=agreement, actor=staff_a, membership=_membership(staff_a, org_a)
        )
    agreement.refresh_from_db()
    assert agreement.status == Status.PROPOSED


def test_a_named_approver_approves_for_their_organisation(org_a, admin_a, staff_a, host):
    SecondmentApprover.objects.create(organisation=org_a, user=staff_a, named_by=admin_a)
    agreement = make_agreement(org_a, host)
    services.agreement_approve(
        agreement=agreement,
        actor=staff_a,
        membership=_membership(staff_a, org_a),
        right_to_return=True,
        return_terms="Her band 6 post on ward 12",
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.HOME_APPROVED
    assert agreement.home_approved_by == staff_a
    assert agreement.return_terms == "Her band 6 post on ward 12"


def test_nobody_approves_their_own_secondment(org_a, admin_a, host):
    agreement = make_agreement(org_a, host, person=admin_a)
    with pytest.raises(ValidationError, match="your own secondment"):
        services.agreement_approve(
            agreement=agreement, actor=admin_a, membership=_membership(admin_a, org_a)
        )


# --- Extension, early end, completion, cancellation ---------------------------------------


def test_an_extension_keeps_the_first_end_date_and_sends_the_reminder_again(org_a, staff_a, host):
    agreement = make_agreement(org_a, host, status=Status.ACTIVE)
    first_end = agreement.ends_on
    SecondmentAgreement.objects.filter(pk=agreement.pk).update(end_reminder_sent_at=timezone.now())
    membership = _membership(staff_a, org_a)
    services.agreement_extend(
        agreement=agreement,
        actor=staff_a,
        membership=membership,
        ends_on=first_end + datetime.timedelta(days=90),
    )
    services.agreement_extend(
        agreement=agreement,
        actor=staff_a,
        membership=membership,
        ends_on=first_end + datetime.timedelta(days=120),
        reason="The service redesign runs on",
    )
    agreement.refresh_from_db()
    assert agreement.ends_on == first_end + datetime.timedelta(days=120)
    assert agreement.original_ends_on == first_end
    assert agreement.end_reminder_sent_at is None
    extended = AuditEvent.objects.filter(action="secondment_agreement.extended")
    assert extended.count() == 2
    assert extended.latest("created_at").data["reason"] == "The service redesign runs on"


def test_an_extension_must_end_later(org_a, staff_a, host):
    agreement = make_agreement(org_a, host, status=Status.ACTIVE)
    with pytest.raises(ValidationError) as refused:
        services.agreement_extend(
            agreement=agreement,
            actor=staff_a,
            membership=_membership(staff_a, org_a),
            ends_on=agreement.ends_on,
        )
    assert "ends_on" in refused.value.message_dict
    agreement.refresh_from_db()
    assert agreement.original_ends_on is None


def test_an_early_end_records_the_date_and_reason_and_completes_it(org_a, host, host_hr):
    today = timezone.localdate()
    agreement = make_agreement(
        org_a,
        host,
        status=Status.ACTIVE,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=60),
    )
    services.agreement_end_early(
        agreement=agreement,
        actor=host_hr,
        membership=_membership(host_hr, host),
        ended_on=today,
        reason="Needed back on the home ward",
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.COMPLETED
    assert agreement.ended_early_on == today
    assert agreement.early_end_reason == "Needed back on the home ward"


def test_an_early_end_needs_a_reason_and_a_date_within_the_secondment(org_a, host, host_hr):
    today = timezone.localdate()
    agreement = make_agreement(
        org_a, host, status=Status.ACTIVE, starts_on=today - datetime.timedelta(days=5)
    )
    membership = _membership(host_hr, host)
    with pytest.raises(ValidationError) as no_reason:
        services.agreement_end_early(
            agreement=agreement, actor=host_hr, membership=membership, ended_on=today, reason=""
        )
    assert "reason" in no_reason.value.message_dict
    with pytest.raises(ValidationError) as before_start:
        services.agreement_end_early(
            agreement=agreement,
            actor=host_hr,
            membership=membership,
            ended_on=today - datetime.timedelta(days=6),
            reason="Left",
        )
    assert "ended_on" in before_start.value.message_dict
    agreement.refresh_from_db()
    assert agreement.status == Status.ACTIVE


def test_a_secondment_completes_only_from_its_end_date(org_a, host, host_hr):
    today = timezone.localdate()
    agreement = make_agreement(
        org_a,
        host,
        status=Status.ACTIVE,
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today + datetime.timedelta(days=1),
    )
    membership = _membership(host_hr, host)
    with pytest.raises(ValidationError, match="end it early"):
        services.agreement_complete(agreement=agreement, actor=host_hr, membership=membership)
    with time_machine.travel(today + datetime.timedelta(days=1)):
        services.agreement_complete(agreement=agreement, actor=host_hr, membership=membership)
    agreement.refresh_from_db()
    assert agreement.status == Status.COMPLETED


@pytest.mark.parametrize("status", [Status.PROPOSED, Status.HOME_APPROVED, Status.HOST_APPROVED])
def test_either_side_cancels_an_agreement_that_has_not_started(status, org_a, staff_a, host):
    agreement = make_agreement(org_a, host, status=status)
    services.agreement_cancel(
        agreement=agreement,
        actor=staff_a,
        membership=_membership(staff_a, org_a),
        reason="The post was filled internally",
    )
    agreement.refresh_from_db()
    assert agreement.status == Status.CANCELLED
    assert agreement.cancel_reason == "The post was filled internally"


def test_a_running_secondment_cannot_be_cancelled(org_a, staff_a, host):
    agreement = make_agreement(org_a, host, status=Status.ACTIVE)
    with pytest.raises(ValidationError, match="active"):
        services.agreement_cancel(
            agreement=agreement,
            actor=staff_a,
            membership=_membership(staff_a, org_a),
            reason="Changed our minds",
        )


# --- Interest, release, selection ---------------------------------------------------------


def test_interest_is_refused_for_the_own_organisation_a_closed_one_or_twice(
    org_a, staff_a, host, host_hr
):
    membership = _membership(staff_a, org_a)
    opportunity = make_opportunity(host)
    services.interest_express(
        opportunity=opportunity, person=staff_a, membership=membership, statement="Keen"
    )
    with pytest.raises(ValidationError, match="already expressed"):
        services.interest_express(
            opportunity=opportunity, person=staff_a, membership=membership, statement="Again"
        )
    past = make_opportunity(host, closing_date=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="closing date"):
        services.interest_express(
            opportunity=past, person=staff_a, membership=membership, statement="Keen"
        )
    closed = make_opportunity(host, status=SecondmentOpportunity.Status.CLOSED)
    with pytest.raises(ValidationError, match="not open"):
        services.interest_express(
            opportunity=closed, person=staff_a, membership=membership, statement="Keen"
        )
    with pytest.raises(ValidationError, match="your own organisation"):
        services.interest_express(
            opportunity=opportunity,
            person=host_hr,
            membership=_membership(host_hr, host),
            statement="Keen",
        )
    assert SecondmentInterest.objects.count() == 1


def test_an_opportunity_for_chosen_partners_refuses_everyone_else(org_a, staff_a, host):
    opportunity = make_opportunity(host, open_to=[OrganisationFactory()])
    with pytest.raises(PermissionDenied):
        services.interest_express(
            opportunity=opportunity,
            person=staff_a,
            membership=_membership(staff_a, org_a),
            statement="Keen",
        )
    assert not SecondmentInterest.objects.exists()


def test_interest_tells_the_home_organisations_admins_and_named_approvers(
    org_a, admin_a, staff_a, host, django_capture_on_commit_callbacks
):
    approver = MembershipFactory(organisation=org_a, role="staff").user
    SecondmentApprover.objects.create(organisation=org_a, user=approver, named_by=admin_a)
    person = MembershipFactory(organisation=org_a, role="staff").user
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_express(
            opportunity=make_opportunity(host),
            person=person,
            membership=_membership(person, org_a),
            statement="I lead discharge planning.",
        )
    assert _recipients() == sorted([admin_a.email, approver.email])
    assert staff_a.email not in _recipients()
    assert f"{person.name} asks to be released" in mail.outbox[0].subject


def test_only_an_admin_or_named_approver_releases_and_a_refusal_says_why(
    org_a, admin_a, staff_a, host, host_hr, django_capture_on_commit_callbacks
):
    opportunity = make_opportunity(host, contact=host_hr)
    interest = make_interest(opportunity, org_a)
    with pytest.raises(PermissionDenied):
        services.interest_release(
            interest=interest, actor=staff_a, membership=_membership(staff_a, org_a), release=True
        )
    admin = _membership(admin_a, org_a)
    with pytest.raises(ValidationError) as no_reason:
        services.interest_release(interest=interest, actor=admin_a, membership=admin, release=False)
    assert "reason" in no_reason.value.message_dict
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_release(interest=interest, actor=admin_a, membership=admin, release=True)
    interest.refresh_from_db()
    assert (interest.status, interest.home_decided_by) == (InterestStatus.RELEASED, admin_a)
    assert _recipients() == sorted([interest.person.email, host_hr.email])


def test_nobody_releases_themselves(org_a, admin_a, host):
    interest = make_interest(make_opportunity(host), org_a, person=admin_a)
    with pytest.raises(ValidationError, match="release yourself"):
        services.interest_release(
            interest=interest, actor=admin_a, membership=_membership(admin_a, org_a), release=True
        )


def test_selecting_a_released_person_proposes_an_agreement_from_the_opportunity(
    org_a, admin_a, host, host_hr, django_capture_on_commit_callbacks
):
    opportunity = make_opportunity(
        host,
        starts_on=datetime.date(2030, 1, 31),
        closing_date=timezone.localdate(),
        duration_months=13,
        arrangement=Arrangement.SECONDMENT,
        recharge="100% of salary and on-costs",
    )
    interest = make_interest(opportunity, org_a, status=InterestStatus.RELEASED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        agreement = services.interest_select(
            interest=interest, actor=host_hr, membership=_membership(host_hr, host)
        )
    assert agreement.status == Status.PROPOSED
    assert (agreement.home, agreement.host, agreement.person) == (org_a, host, interest.person)
    assert (agreement.starts_on, agreement.ends_on) == (
        datetime.date(2030, 1, 31),
        datetime.date(2031, 2, 28),
    )
    assert agreement.recharge == "100% of salary and on-costs"
    interest.refresh_from_db()
    assert interest.status == InterestStatus.SELECTED
    assert _recipients() == sorted([interest.person.email, admin_a.email])
    to_admin = next(m for m in mail.outbox if m.to == [admin_a.email])
    assert "Approve" in to_admin.subject


def test_someone_not_released_cannot_be_selected(org_a, host, host_hr):
    interest = make_interest(make_opportunity(host), org_a)
    with pytest.raises(ValidationError, match="released"):
        services.interest_select(
            interest=interest, actor=host_hr, membership=_membership(host_hr, host)
        )
    assert not SecondmentAgreement.objects.exists()


def test_declining_tells_the_person(org_a, host, host_hr, django_capture_on_commit_callbacks):
    interest = make_interest(make_opportunity(host), org_a, status=InterestStatus.RELEASED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_decline(
            interest=interest,
            actor=host_hr,
            membership=_membership(host_hr, host),
            message="We chose someone with virtual ward experience.",
        )
    interest.refresh_from_db()
    assert interest.status == InterestStatus.NOT_SELECTED
    [email] = mail.outbox
    assert email.to == [interest.person.email]
    assert "We chose someone with virtual ward experience." in email.body


def test_a_person_withdraws_only_before_being_selected(org_a, host):
    opportunity = make_opportunity(host)
    waiting = make_interest(opportunity, org_a)
    services.interest_withdraw(interest=waiting, person=waiting.person)
    waiting.refresh_from_db()
    assert waiting.status == InterestStatus.WITHDRAWN
    selected = make_interest(opportunity, org_a, status=InterestStatus.SELECTED)
    with pytest.raises(ValidationError):
        services.interest_withdraw(interest=selected, person=selected.person)


# --- Opportunities ------------------------------------------------------------------------


def _fields(**changes):
    today = timezone.localdate()
    return {
        "title": "Clinical nurse specialist",
        "staff_group": nursing(),
        "band": "7",
        "description": "Frailty virtual ward.",
        "starts_on": today + datetime.timedelta(days=60),
        "duration_months": 6,
        "closing_date": today + datetime.timedelta(days=20),
        "open_to_all": True,
        "arrangement": Arrangement.SECONDMENT,
        "recharge": "100% of salary",
        "backfill": "",
        "contact": None,
        **changes,
    }


def test_an_opportunity_says_what_is_missing(host, host_hr):
    with pytest.raises(ValidationError) as refused:
        services.opportunity_create(
            host=host,
            actor=host_hr,
            membership=_membership(host_hr, host),
            **_fields(
                open_to_all=False,
                recharge="",
                closing_date=timezone.localdate() + datetime.timedelta(days=90),
            ),
        )
    assert set(refused.value.message_dict) == {
        "eligible_organisations",
        "recharge",
        "closing_date",
    }
    assert not SecondmentOpportunity.objects.exists()


def test_a_loan_keeps_no_recharge_and_a_draft_publishes(host, host_hr):
    membership = _membership(host_hr, host)
    opportunity = services.opportunity_create(
        host=host,
        actor=host_hr,
        membership=membership,
        **_fields(arrangement=Arrangement.LOAN, recharge="ignored"),
    )
    assert (opportunity.status, opportunity.recharge) == (SecondmentOpportunity.Status.DRAFT, "")
    services.opportunity_publish(opportunity=opportunity, actor=host_hr, membership=membership)
    opportunity.refresh_from_db()
    assert opportunity.status == SecondmentOpportunity.Status.OPEN
    assert opportunity.published_at is not None


def test_only_the_hosts_hr_staff_manage_its_opportunities(org_a, admin_a, host):
    with pytest.raises(PermissionDenied):
        services.opportunity_create(
            host=host, actor=admin_a, membership=_membership(admin_a, org_a), **_fields()
        )
