"""Offers of named staff: who may offer, what an offer must say, the host's answer, the
home organisation's withdrawal, the deployment an acceptance plans, and the emails."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hub.models import AuditEvent
from portability.models import Deployment, PreDeploymentChecks, StaffOffer, StaffRequest
from portability.services.requests import staff_offer_accept, staff_offer_create
from tests.factories import MembershipFactory, OrganisationFactory
from tests.portability.builders import make_offer, make_request, mobilise, sign, withdraw


@pytest.fixture
def host_signature(org_a, admin_a):
    return sign(org_a, lead=admin_a)


@pytest.fixture
def staff_request(org_a, host_signature):
    """Organisation A's open request for 2 NMC-registered nurses."""
    return make_request(mobilise(org_a), number_needed=2)


@pytest.fixture
def home_signature(org_b, member_b):
    return sign(org_b, lead=member_b)


def _offer_url(organisation, staff_request):
    return reverse(
        "requests:offer_create",
        kwargs={"org_slug": organisation.slug, "request_id": staff_request.pk},
    )


def _offer_form(**changes):
    data = {
        "staff_name": "Ada Okafor",
        "staff_email": "Ada.Okafor@example.org",
        "job_title": "Staff nurse",
        "registration_body": "nmc",
        "registration_number": "12a 3456e",
        "staff_agreed_on": timezone.localdate().isoformat(),
        "staff_agreed": "on",
    }
    return data | changes


def _membership(user, organisation):
    return user.memberships.get(organisation=organisation)


# --- Making an offer ------------------------------------------------------------------------


def test_signatory_offers_a_named_nurse_and_the_host_lead_and_deputy_hear_of_it(
    client_as,
    org_b,
    member_b,
    staff_request,
    host_signature,
    home_signature,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(member_b).post(_offer_url(org_b, staff_request), _offer_form())

    offer = StaffOffer.objects.get()
    assert response.status_code == 302
    assert (offer.organisation, offer.request) == (org_b, staff_request)
    assert offer.registration_number == "12A3456E"
    assert offer.staff_email == "ada.okafor@example.org"
    assert offer.agreement_recorded_by == member_b
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [host_signature.lead.email, host_signature.deputy.email]
    )
    assert "Ada Okafor" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="portability.offer_made").count() == 1


def test_organisation_that_has_not_signed_cannot_offer(client_as, org_b, member_b, staff_request):
    response = client_as(member_b).post(_offer_url(org_b, staff_request), _offer_form())
    assert "Sign the Staff Portability Framework first" in response.content.decode()
    assert not StaffOffer.objects.exists()


def test_withdrawn_signatory_offers_nothing(
    client_as, org_b, member_b, staff_request, home_signature
):
    withdraw(home_signature)
    response = client_as(member_b).post(_offer_url(org_b, staff_request), _offer_form())
    assert "Sign the Staff Portability Framework first" in response.content.decode()
    assert not StaffOffer.objects.exists()
    with pytest.raises(ValidationError, match="must sign"):
        staff_offer_create(
            staff_request=staff_request,
            actor=member_b,
            membership=_membership(member_b, org_b),
            staff_name="Ada Okafor",
            staff_email="ada@example.org",
            job_title="Staff nurse",
            registration_body="nmc",
            registration_number="12A3456E",
            staff_agreed_on=timezone.localdate(),
        )


def test_host_cannot_offer_staff_to_its_own_request(client_as, org_a, admin_a, staff_request):
    response = client_as(admin_a).post(_offer_url(org_a, staff_request), _offer_form())
    assert "cannot offer staff to it" in response.content.decode()
    assert not StaffOffer.objects.exists()
    with pytest.raises(ValidationError, match="cannot offer to it"):
        staff_offer_create(
            staff_request=staff_request,
            actor=admin_a,
            membership=_membership(admin_a, org_a),
            staff_name="Ada Okafor",
            staff_email="ada@example.org",
            job_title="Staff nurse",
            registration_body="nmc",
            registration_number="12A3456E",
            staff_agreed_on=timezone.localdate(),
        )


def test_registration_number_is_required_when_the_request_needs_registration(
    client_as, org_b, member_b, staff_request, home_signature
):
    response = client_as(member_b).post(
        _offer_url(org_b, staff_request), _offer_form(registration_number="")
    )
    assert response.status_code == 200
    assert "Enter the person&#x27;s registration number" in response.content.decode()
    assert not StaffOffer.objects.exists()


def test_nmc_numbers_must_look_like_an_nmc_pin(
    client_as, org_b, member_b, staff_request, home_signature
):
    response = client_as(member_b).post(
        _offer_url(org_b, staff_request), _offer_form(registration_number="1234567")
    )
    assert "like 12A3456E" in response.content.decode()
    assert not StaffOffer.objects.exists()


def test_no_registration_asked_when_the_request_needs_none(
    client_as, org_a, org_b, member_b, host_signature, home_signature
):
    staff_request = make_request(mobilise(org_a), registration_needed="", role="Porter")
    response = client_as(member_b).post(
        _offer_url(org_b, staff_request),
        _offer_form(registration_body="", registration_number=""),
    )
    assert response.status_code == 302
    assert StaffOffer.objects.get().registration_number == ""


def test_the_persons_agreement_must_be_confirmed(
    client_as, org_b, member_b, staff_request, home_signature
):
    data = _offer_form()
    del data["staff_agreed"]
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_as(member_b).post(
        _offer_url(org_b, staff_request), data | {"staff_agreed_on": future}
    )
    page = response.content.decode()
    assert "Confirm that the person agreed to be offered" in page
    assert "must be today or in the past" in page
    assert not StaffOffer.objects.exists()


def test_no_offers_for_a_filled_request(client_as, org_b, member_b, staff_request, home_signature):
    staff_request.status = StaffRequest.Status.FILLED
    staff_request.save()
    response = client_as(member_b).get(_offer_url(org_b, staff_request))
    assert response.status_code == 404


# --- The host's answer ----------------------------------------------------------------------


def test_accepting_plans_the_deployment_and_tells_the_home_organisation_and_the_person(
    client_as,
    org_a,
    org_b,
    staff_a,
    staff_request,
    home_signature,
    django_capture_on_commit_callbacks,
):
    offer = make_offer(staff_request, org_b, staff_email="ada.okafor@example.org")
    url = reverse(
        "requests:offer_accept", kwargs={"org_slug": org_a.slug, "received_offer_id": offer.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(staff_a).post(url)

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == StaffOffer.Status.ACCEPTED
    assert offer.decided_by == staff_a
    deployment = Deployment.objects.get(offer=offer)
    assert (deployment.home, deployment.host) == (org_b, org_a)
    assert (deployment.starts_on, deployment.ends_on) == (
        staff_request.starts_on,
        staff_request.ends_on,
    )
    assert deployment.status == Deployment.Status.PLANNED
    assert PreDeploymentChecks.objects.filter(deployment=deployment).exists()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(
        [home_signature.lead.email, home_signature.deputy.email, "ada.okafor@example.org"]
    )
    to_person = next(m for m in mail.outbox if m.to == ["ada.okafor@example.org"])
    assert staff_request.site in to_person.body
    assert home_signature.lead.email in to_person.body
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.OPEN  # 1 of 2 places taken


def test_the_last_place_taken_marks_the_request_filled(
    org_a, org_b, admin_a, staff_request, home_signature
):
    first, second = make_offer(staff_request, org_b), make_offer(staff_request, org_b)
    membership = _membership(admin_a, org_a)
    staff_offer_accept(offer=first, actor=admin_a, membership=membership)
    staff_offer_accept(offer=second, actor=admin_a, membership=membership)
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.FILLED
    assert staff_request.filled_at is not None


def test_a_full_request_refuses_another_acceptance(
    org_a, org_b, admin_a, staff_request, home_signature
):
    offers = [make_offer(staff_request, org_b) for _ in range(3)]
    membership = _membership(admin_a, org_a)
    for offer in offers[:2]:
        staff_offer_accept(offer=offer, actor=admin_a, membership=membership)
    with pytest.raises(ValidationError, match="already has the 2 people it asked for"):
        staff_offer_accept(offer=offers[2], actor=admin_a, membership=membership)
    assert StaffOffer.objects.filter(status=StaffOffer.Status.ACCEPTED).count() == 2
    assert Deployment.objects.count() == 2


def test_no_acceptance_once_the_host_withdrew_or_the_mobilisation_stood_down(
    org_a, org_b, admin_a, staff_request, host_signature, home_signature
):
    offer = make_offer(staff_request, org_b)
    membership = _membership(admin_a, org_a)
    withdraw(host_signature)
    with pytest.raises(ValidationError, match="must sign"):
        staff_offer_accept(offer=offer, actor=admin_a, membership=membership)
    sign(org_a, lead=admin_a)
    mobilisation = staff_request.mobilisation
    mobilisation.status = mobilisation.Status.STOOD_DOWN
    mobilisation.save()
    with pytest.raises(ValidationError, match="no longer active"):
        staff_offer_accept(offer=offer, actor=admin_a, membership=membership)
    offer.refresh_from_db()
    assert offer.status == StaffOffer.Status.OFFERED
    assert not Deployment.objects.exists()


def test_declining_needs_a_reason_and_tells_the_home_organisation(
    client_as,
    org_a,
    org_b,
    staff_a,
    staff_request,
    home_signature,
    django_capture_on_commit_callbacks,
):
    offer = make_offer(staff_request, org_b)
    url = reverse(
        "requests:offer_decline", kwargs={"org_slug": org_a.slug, "received_offer_id": offer.pk}
    )
    client = client_as(staff_a)
    empty = client.post(url, {"reason": ""})
    assert "Enter why you are declining the offer" in empty.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "We need someone with ITU experience"})

    offer.refresh_from_db()
    assert offer.status == StaffOffer.Status.DECLINED
    assert offer.decline_reason == "We need someone with ITU experience"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [home_signature.lead.email, home_signature.deputy.email]
    )
    assert "ITU experience" in mail.outbox[0].body
    assert not Deployment.objects.exists()


def test_home_organisation_withdraws_an_offer_still_waiting(
    client_as, org_b, member_b, staff_request, home_signature
):
    offer = make_offer(staff_request, org_b)
    url = reverse("requests:offer_withdraw", kwargs={"org_slug": org_b.slug, "offer_id": offer.pk})
    client_as(member_b).post(url)
    offer.refresh_from_db()
    assert offer.status == StaffOffer.Status.WITHDRAWN
    assert AuditEvent.objects.filter(action="portability.offer_withdrawn").count() == 1


def test_an_accepted_offer_cannot_be_withdrawn(
    client_as, org_b, member_b, staff_request, home_signature
):
    offer = make_offer(staff_request, org_b, status=StaffOffer.Status.ACCEPTED)
    url = reverse("requests:offer_withdraw", kwargs={"org_slug": org_b.slug, "offer_id": offer.pk})
    client_as(member_b).post(url)
    offer.refresh_from_db()
    assert offer.status == StaffOffer.Status.ACCEPTED


def test_home_organisation_sees_its_offers_in_a_fixed_number_of_queries(
    client_as, org_b, member_b, staff_request, home_signature, django_assert_max_num_queries
):
    for n in range(10):
        make_offer(staff_request, org_b, staff_name=f"Nurse {n}")
    client = client_as(member_b)
    url = reverse("requests:offers", kwargs={"org_slug": org_b.slug})
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert "Nurse 9" in response.content.decode()


# --- Tenancy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [("offer_accept", "post"), ("offer_decline", "post"), ("offer_decline", "get")],
)
def test_another_organisation_cannot_answer_offers_for_a_hosts_request(
    name, method, client_as, org_b, member_b, staff_request, home_signature
):
    """B offered for A's request, then puts the offer into B's own host URLs: 404."""
    offer = make_offer(staff_request, org_b)
    url = reverse(
        f"requests:{name}", kwargs={"org_slug": org_b.slug, "received_offer_id": offer.pk}
    )
    response = getattr(client_as(member_b), method)(url, {"reason": "Not needed"})
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == StaffOffer.Status.OFFERED


def test_another_organisation_cannot_withdraw_someone_elses_offer(
    client_as, org_a, org_b, member_b, staff_request, home_signature
):
    third = OrganisationFactory(name="Leeds Community Healthcare")
    sign(third)
    offer = make_offer(staff_request, third)
    url = reverse("requests:offer_withdraw", kwargs={"org_slug": org_b.slug, "offer_id": offer.pk})
    response = client_as(member_b).post(url)
    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.status == StaffOffer.Status.OFFERED


def test_another_organisation_cannot_see_or_cancel_a_hosts_request(
    client_as, org_b, member_b, staff_request, home_signature
):
    client = client_as(member_b)
    for name in ("hosted_request", "request_cancel"):
        url = reverse(
            f"requests:{name}",
            kwargs={"org_slug": org_b.slug, "staff_request_id": staff_request.pk},
        )
        assert client.get(url).status_code == 404
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.OPEN


def test_members_without_portability_role_are_refused(client_as, org_b, staff_request):
    outreach = MembershipFactory(organisation=org_b, role="outreach").user
    response = client_as(outreach).get(_offer_url(org_b, staff_request))
    assert response.status_code == 403
