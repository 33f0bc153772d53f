"""Who sees what: an opportunity open to chosen partners is invisible to every other
partner (not listed, and 404 on its pages), drafts stay with their host, and an
agreement is seen by its home, its host and the person, and by no other organisation."""

import html
import re

import pytest
from django.urls import reverse

from talent.models import SecondmentAgreement, SecondmentInterest, SecondmentOpportunity
from tests.factories import MembershipFactory, OrganisationFactory
from tests.talent.mobility_builders import make_agreement, make_interest, make_opportunity

Status = SecondmentAgreement.Status


@pytest.fixture
def host(db):
    return OrganisationFactory(name="Leeds Community Healthcare NHS Trust", slug="lch")


@pytest.fixture
def third(db):
    return OrganisationFactory(name="Leeds and York Partnership NHS Foundation Trust", slug="lyp")


@pytest.fixture
def third_admin(third):
    return MembershipFactory(organisation=third, role="admin").user


def _url(name, org, **kwargs):
    return reverse(f"secondments:{name}", kwargs={"org_slug": org.slug, **kwargs})


def _text(response) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()))


# --- Opportunities ------------------------------------------------------------------------


def test_an_opportunity_for_chosen_partners_is_invisible_to_the_others(
    client_as, org_a, staff_a, host, third, third_admin
):
    chosen = make_opportunity(host, title="Community matron", open_to=[org_a])
    make_opportunity(host, title="Discharge coordinator")

    listed = _text(client_as(staff_a).get(_url("opportunity_list", org_a)))
    assert "Community matron" in listed and "Discharge coordinator" in listed
    detail = client_as(staff_a).get(_url("opportunity_detail", org_a, opportunity_id=chosen.pk))
    assert detail.status_code == 200

    client = client_as(third_admin)
    listed = _text(client.get(_url("opportunity_list", third)))
    assert "Discharge coordinator" in listed
    assert "Community matron" not in listed
    for name, kwargs in (
        ("opportunity_detail", {"opportunity_id": chosen.pk}),
        ("interest_express", {"open_opportunity_id": chosen.pk}),
    ):
        assert client.get(_url(name, third, **kwargs)).status_code == 404
    response = client.post(
        _url("interest_express", third, open_opportunity_id=chosen.pk), {"statement": "Please"}
    )
    assert response.status_code == 404
    assert not SecondmentInterest.objects.exists()


def test_drafts_and_closed_opportunities_of_others_are_not_shown(client_as, org_a, staff_a, host):
    draft = make_opportunity(host, title="Draft role", status=SecondmentOpportunity.Status.DRAFT)
    closed = make_opportunity(host, title="Closed role", status=SecondmentOpportunity.Status.CLOSED)
    client = client_as(staff_a)
    listed = _text(client.get(_url("opportunity_list", org_a)))
    assert "Draft role" not in listed and "Closed role" not in listed
    for opportunity in (draft, closed):
        url = _url("opportunity_detail", org_a, opportunity_id=opportunity.pk)
        assert client.get(url).status_code == 404


def test_a_hosts_draft_is_for_its_hr_staff_not_its_other_members(client_as, org_a, staff_a):
    draft = make_opportunity(org_a, title="Draft role", status=SecondmentOpportunity.Status.DRAFT)
    outreach = MembershipFactory(organisation=org_a, role="outreach").user
    url = _url("opportunity_detail", org_a, opportunity_id=draft.pk)
    assert client_as(staff_a).get(url).status_code == 200
    assert client_as(outreach).get(url).status_code == 404
    assert "Draft role" not in _text(client_as(outreach).get(_url("opportunity_list", org_a)))


def test_the_host_cannot_manage_another_partners_opportunity(client_as, org_a, staff_a, host):
    theirs = make_opportunity(host)
    client = client_as(staff_a)
    assert client.get(_url("opportunity_edit", org_a, opportunity_id=theirs.pk)).status_code == 404
    response = client.post(_url("opportunity_close", org_a, opportunity_id=theirs.pk))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == SecondmentOpportunity.Status.OPEN


# --- Interests ----------------------------------------------------------------------------


def test_interests_are_released_by_their_home_and_decided_by_their_host_only(
    client_as, org_a, admin_a, host, third, third_admin
):
    interest = make_interest(
        make_opportunity(org_a), host, status=SecondmentInterest.Status.RELEASED
    )
    client = client_as(third_admin)
    assert client.get(_url("interest_release", third, interest_id=interest.pk)).status_code == 404
    response = client.post(_url("interest_select", third, received_interest_id=interest.pk))
    assert response.status_code == 404
    # A's admin is host here, not home: A cannot release the person either.
    assert (
        client_as(admin_a).get(_url("interest_release", org_a, interest_id=interest.pk)).status_code
        == 404
    )
    assert not SecondmentAgreement.objects.exists()


# --- Agreements ---------------------------------------------------------------------------


AGREEMENT_PAGES = [
    ("agreement_detail", "get"),
    ("agreement_approve", "post"),
    ("agreement_activate", "post"),
    ("agreement_extend", "get"),
    ("agreement_end_early", "get"),
    ("agreement_complete", "post"),
    ("agreement_cancel", "post"),
]


@pytest.mark.parametrize(("name", "method"), AGREEMENT_PAGES)
def test_a_third_organisation_gets_404_for_an_agreement(
    name, method, client_as, org_a, host, third, third_admin
):
    agreement = make_agreement(org_a, host, status=Status.HOME_APPROVED)
    client = client_as(third_admin)
    response = getattr(client, method)(_url(name, third, agreement_id=agreement.pk))
    assert response.status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == Status.HOME_APPROVED


def test_the_home_the_host_and_the_person_see_the_agreement(client_as, org_a, staff_a, host):
    person = MembershipFactory(organisation=org_a, role="outreach").user
    agreement = make_agreement(org_a, host, person=person, role_title="Frailty nurse")
    host_staff = MembershipFactory(organisation=host, role="staff").user
    for user, org in ((staff_a, org_a), (host_staff, host)):
        response = client_as(user).get(_url("agreement_detail", org, agreement_id=agreement.pk))
        assert response.status_code == 200
        assert "Frailty nurse" in _text(response)
    assert "Frailty nurse" in _text(client_as(person).get(reverse("my_secondments:list")))
    colleague = MembershipFactory(organisation=org_a, role="staff").user
    assert "Frailty nurse" not in _text(client_as(colleague).get(reverse("my_secondments:list")))


def test_each_organisation_sees_its_own_people_out_and_in(client_as, org_a, staff_a, host, third):
    make_agreement(org_a, host, role_title="Out to community")
    make_agreement(host, org_a, role_title="In from community")
    make_agreement(host, third, role_title="Between two others")
    text = _text(client_as(staff_a).get(_url("overview", org_a)))
    assert "Out to community" in text and "In from community" in text
    assert "Between two others" not in text
