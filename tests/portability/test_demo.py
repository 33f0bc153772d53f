"""The portability demo: built on hub's and talent's demos, once, with a live board."""

import pytest
from django.urls import reverse

from hub.demo import seed_demo as seed_hub
from hub.models import Membership, User
from portability.demo import ACTIVE_SERVICE, WINTER_SERVICE
from portability.demo import seed_demo as seed_portability
from portability.models import (
    CheckAcceptance,
    Deployment,
    Mobilisation,
    Signatory,
    StaffOffer,
    StaffRequest,
)
from portability.selectors.requests import board_requests
from talent.demo import seed_demo as seed_talent

PORTABILITY_MODELS = (
    Signatory,
    CheckAcceptance,
    Mobilisation,
    StaffRequest,
    StaffOffer,
    Deployment,
)


def _seed():
    seed_hub()
    seed_talent()
    return seed_portability()


def _counts():
    return {model.__name__: model.objects.count() for model in PORTABILITY_MODELS}


@pytest.fixture
def seeded(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = _seed()
    return created


def test_seeding_twice_creates_the_portability_demo_once(seeded):
    first = _counts()
    again = _seed()
    assert _counts() == first
    assert set(again.values()) == {0}
    assert seeded["signatories"] == first["Signatory"] >= 9
    assert seeded["mobilisations"] == first["Mobilisation"] == 2
    assert seeded["deployments"] == first["Deployment"] == 2


def test_the_demo_leaves_an_active_mobilisation_on_the_live_board(seeded):
    active = Mobilisation.objects.get(service=ACTIVE_SERVICE)
    assert active.status == Mobilisation.Status.ACTIVE
    assert active.activated_by.email == "hub.admin@example.org"
    on_board = {r.role: r for r in board_requests() if r.mobilisation_id == active.pk}
    assert on_board["Band 6 district nurse"].offered_count == 1
    support = on_board["Healthcare support worker, community"]
    assert (support.accepted_count, support.outstanding_count) == (1, 2)
    planned = Deployment.objects.get(offer__request=support)
    assert planned.status == Deployment.Status.PLANNED
    assert planned.checks.identity_checked_on is not None
    assert planned.checks.occupational_health_cleared_on is None


def test_the_demo_has_last_winters_mobilisation_stood_down_with_a_returned_deployment(seeded):
    winter = Mobilisation.objects.get(service=WINTER_SERVICE)
    assert winter.status == Mobilisation.Status.STOOD_DOWN
    assert winter.starts_on.month == 1
    assert winter.stood_down_at.date() < winter.starts_on.replace(month=3)
    returned = Deployment.objects.get(offer__request__mobilisation=winter)
    assert returned.status == Deployment.Status.RETURNED
    assert returned.starts_on == winter.starts_on
    assert returned.starts_on < returned.returned_at.date() < winter.stood_down_at.date()
    assert returned.days_worked == 10
    assert returned.recharge_amount > 0
    assert returned.host_feedback and returned.home_feedback


def test_the_trusts_and_the_council_accept_each_others_checks(seeded):
    council = Signatory.objects.current().get(organisation__name="Leeds City Council")
    dbs = CheckAcceptance.objects.get(
        organisation__name="Leeds Teaching Hospitals NHS Trust",
        provider=council.organisation,
        check_kind=CheckAcceptance.Check.DBS,
    )
    assert (dbs.accepted, dbs.valid_for_days) == (True, 1095)
    assert CheckAcceptance.objects.filter(organisation=council.organisation).count() == 21


def test_a_demo_person_sees_the_active_mobilisation_on_the_board(seeded, client):
    person = User.objects.get(email="admin.council@example.org")
    council = Membership.objects.get(user=person, organisation__name="Leeds City Council")
    client.force_login(person)
    response = client.get(reverse("requests:board", kwargs={"org_slug": council.organisation.slug}))
    assert response.status_code == 200
    assert "Band 6 district nurse" in response.text
