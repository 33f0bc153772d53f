"""Reminders before a secondment ends: 28 days before the end date of an active
secondment, the person, the approvers of both organisations and the host's contact are
emailed once; an extension sends it again before the new date; the daily task runs it."""

import datetime

import pytest
import time_machine
from django.core import mail

from hub.models import Membership
from talent.models import SecondmentAgreement, SecondmentApprover
from talent.services import secondments as services
from talent.tasks import send_secondment_end_reminders
from tests.factories import MembershipFactory, OrganisationFactory
from tests.talent.mobility_builders import make_agreement, make_opportunity

Status = SecondmentAgreement.Status
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def host(db):
    return OrganisationFactory(name="Leeds Community Healthcare NHS Trust", slug="lch")


@pytest.fixture
def people(org_a, admin_a, host):
    """A's admin and a named approver of A; the host's admin and the opportunity's
    contact (HR staff of the host)."""
    approver = MembershipFactory(organisation=org_a, role="staff").user
    SecondmentApprover.objects.create(organisation=org_a, user=approver, named_by=admin_a)
    return {
        "home_admin": admin_a,
        "home_approver": approver,
        "host_admin": MembershipFactory(organisation=host, role="admin").user,
        "contact": MembershipFactory(organisation=host, role="staff").user,
    }


def _active(org_a, host, people, *, ends_on, status=Status.ACTIVE):
    with time_machine.travel(TODAY - datetime.timedelta(days=200), tick=False):
        opportunity = make_opportunity(host, contact=people["contact"])
    return make_agreement(
        org_a,
        host,
        status=status,
        opportunity=opportunity,
        starts_on=TODAY - datetime.timedelta(days=150),
        ends_on=ends_on,
    )


def _recipients():
    return sorted(address for message in mail.outbox for address in message.to)


@time_machine.travel(TODAY)
def test_everyone_concerned_is_reminded_once_four_weeks_before_the_end(
    org_a, host, people, django_capture_on_commit_callbacks
):
    agreement = _active(org_a, host, people, ends_on=TODAY + datetime.timedelta(days=28))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.secondment_end_reminders_send() == 1
    assert _recipients() == sorted(
        [agreement.person.email, *(user.email for user in people.values())]
    )
    to_person = next(m for m in mail.outbox if m.to == [agreement.person.email])
    assert to_person.subject == f"Your secondment at {host.name} ends on 29 June 2026"
    assert "in 28 days" in to_person.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.secondment_end_reminders_send() == 0
    assert mail.outbox == []


@time_machine.travel(TODAY)
def test_only_active_secondments_ending_within_four_weeks_are_reminded(org_a, host, people):
    _active(org_a, host, people, ends_on=TODAY + datetime.timedelta(days=29))
    _active(org_a, host, people, ends_on=TODAY - datetime.timedelta(days=1))
    _active(
        org_a, host, people, ends_on=TODAY + datetime.timedelta(days=10), status=Status.COMPLETED
    )
    _active(
        org_a,
        host,
        people,
        ends_on=TODAY + datetime.timedelta(days=10),
        status=Status.HOST_APPROVED,
    )
    due = _active(org_a, host, people, ends_on=TODAY + datetime.timedelta(days=3))
    assert services.secondment_end_reminders_send() == 1
    assert list(SecondmentAgreement.objects.filter(end_reminder_sent_at__isnull=False)) == [due]


def test_an_extension_brings_a_new_reminder_before_the_new_end(org_a, host, people):
    with time_machine.travel(TODAY):
        agreement = _active(org_a, host, people, ends_on=TODAY + datetime.timedelta(days=20))
        assert services.secondment_end_reminders_send() == 1
        services.agreement_extend(
            agreement=agreement,
            actor=people["home_admin"],
            membership=Membership.objects.get(user=people["home_admin"], organisation=org_a),
            ends_on=TODAY + datetime.timedelta(days=120),
        )
        assert services.secondment_end_reminders_send() == 0
    with time_machine.travel(TODAY + datetime.timedelta(days=92)):
        assert services.secondment_end_reminders_send() == 1


@time_machine.travel(TODAY)
def test_the_daily_task_sends_the_reminders(org_a, host, people):
    _active(org_a, host, people, ends_on=TODAY + datetime.timedelta(days=7))
    assert send_secondment_end_reminders.delay().get() == 1
    assert send_secondment_end_reminders.delay().get() == 0
