"""Staff requests within a mobilisation, and the live board every signatory sees."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hub.models import AuditEvent
from portability.models import (
    Mobilisation,
    RegistrationBody,
    Signatory,
    StaffOffer,
    StaffRequest,
)
from portability.services.requests import staff_request_cancel, staff_request_create
from talent.models import StaffGroup
from tests.portability.builders import make_offer, make_request, mobilise, sign, withdraw


def _membership(user, organisation):
    return user.memberships.get(organisation=organisation)


def _request_form(mobilisation, **changes):
    data = {
        "role": "Healthcare assistant",
        "staff_group": StaffGroup.objects.order_by("pk").first().pk,
        "registration_needed": "",
        "number_needed": "3",
        "starts_on": mobilisation.starts_on.isoformat(),
        "ends_on": (mobilisation.starts_on + datetime.timedelta(days=7)).isoformat(),
        "shift_pattern": "Nights, 4 on 4 off",
        "site": "Leeds General Infirmary, ward 18",
        "notes": "Parking at the multi-storey.",
    }
    return data | changes


@pytest.fixture
def host(org_a, admin_a):
    """Organisation A, a current signatory with an active mobilisation."""
    sign(org_a, lead=admin_a)
    return mobilise(org_a)


# --- Adding and cancelling requests ---------------------------------------------------------


def test_host_adds_a_request_within_its_active_mobilisation(client_as, org_a, staff_a, host):
    url = reverse(
        "requests:request_create", kwargs={"org_slug": org_a.slug, "mobilisation_id": host.pk}
    )
    response = client_as(staff_a).post(url, _request_form(host))
    staff_request = StaffRequest.objects.get()
    assert response.status_code == 302
    assert staff_request.mobilisation == host
    assert staff_request.number_needed == 3
    assert staff_request.created_by == staff_a
    assert AuditEvent.objects.filter(action="portability.request_created").count() == 1


def test_request_dates_must_fall_within_the_mobilisation(client_as, org_a, staff_a, host):
    url = reverse(
        "requests:request_create", kwargs={"org_slug": org_a.slug, "mobilisation_id": host.pk}
    )
    late = (host.expected_end_on + datetime.timedelta(days=1)).isoformat()
    response = client_as(staff_a).post(url, _request_form(host, ends_on=late))
    assert response.status_code == 200
    assert "on or before the mobilisation is expected to end" in response.content.decode()
    assert not StaffRequest.objects.exists()


def test_request_cannot_end_before_it_starts(client_as, org_a, staff_a, host):
    url = reverse(
        "requests:request_create", kwargs={"org_slug": org_a.slug, "mobilisation_id": host.pk}
    )
    data = _request_form(
        host,
        starts_on=(host.starts_on + datetime.timedelta(days=5)).isoformat(),
        ends_on=(host.starts_on + datetime.timedelta(days=2)).isoformat(),
    )
    response = client_as(staff_a).post(url, data)
    assert "The end date must be the same as or after the start date" in response.content.decode()
    assert not StaffRequest.objects.exists()


def test_no_request_while_the_mobilisation_is_not_active(org_a, admin_a, host):
    host.status = Mobilisation.Status.RAISED
    host.save()
    with pytest.raises(ValidationError, match="only be requested while the mobilisation"):
        staff_request_create(
            mobilisation=host,
            actor=admin_a,
            membership=_membership(admin_a, org_a),
            role="Staff nurse",
            staff_group=StaffGroup.objects.first(),
            number_needed=1,
            starts_on=host.starts_on,
            ends_on=host.starts_on,
            shift_pattern="Days",
            site="Ward 1",
        )


def test_a_withdrawn_signatory_cannot_add_requests(client_as, org_a, staff_a, host):
    withdraw(Signatory.objects.get(organisation=org_a))
    url = reverse(
        "requests:request_create", kwargs={"org_slug": org_a.slug, "mobilisation_id": host.pk}
    )
    response = client_as(staff_a).post(url, _request_form(host))
    assert "Sign the Staff Portability Framework first" in response.content.decode()
    assert not StaffRequest.objects.exists()


def test_another_organisation_cannot_add_requests_to_the_mobilisation(
    client_as, org_b, member_b, host
):
    sign(org_b, lead=member_b)
    url = reverse(
        "requests:request_create", kwargs={"org_slug": org_b.slug, "mobilisation_id": host.pk}
    )
    response = client_as(member_b).post(url, _request_form(host))
    assert response.status_code == 404
    assert not StaffRequest.objects.exists()


def test_cancelling_a_request_declines_the_offers_waiting(org_a, org_b, admin_a, host):
    staff_request = make_request(host)
    waiting = make_offer(staff_request, org_b)
    staff_request_cancel(
        staff_request=staff_request,
        actor=admin_a,
        membership=_membership(admin_a, org_a),
        reason="Outbreak contained",
    )
    staff_request.refresh_from_db()
    waiting.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.CANCELLED
    assert waiting.status == StaffOffer.Status.DECLINED
    event = AuditEvent.objects.get(action="portability.request_cancelled")
    assert event.data["reason"] == "Outbreak contained"


def test_cancelling_needs_a_reason(client_as, org_a, staff_a, host):
    staff_request = make_request(host)
    url = reverse(
        "requests:request_cancel",
        kwargs={"org_slug": org_a.slug, "staff_request_id": staff_request.pk},
    )
    response = client_as(staff_a).post(url, {"reason": ""})
    assert "Enter why you are cancelling the request" in response.content.decode()
    staff_request.refresh_from_db()
    assert staff_request.status == StaffRequest.Status.OPEN


# --- The board ------------------------------------------------------------------------------


def _board(client, organisation, **params):
    return client.get(reverse("requests:board", kwargs={"org_slug": organisation.slug}), params)


def test_board_counts_requested_offered_accepted_and_outstanding(
    client_as, org_a, org_b, member_b, host
):
    sign(org_b, lead=member_b)
    staff_request = make_request(host, number_needed=3)
    make_offer(staff_request, org_b, status=StaffOffer.Status.ACCEPTED)
    make_offer(staff_request, org_b, status=StaffOffer.Status.OFFERED)
    make_offer(staff_request, org_b, status=StaffOffer.Status.OFFERED)
    make_offer(staff_request, org_b, status=StaffOffer.Status.DECLINED)
    make_offer(staff_request, org_b, status=StaffOffer.Status.WITHDRAWN)

    response = _board(client_as(member_b), org_b)

    [row] = response.context["staff_requests"]
    assert (row.number_needed, row.offered_count, row.accepted_count) == (3, 2, 1)
    assert row.outstanding_count == 2
    assert response.context["totals"] == {
        "requested": 3,
        "offered": 2,
        "accepted": 1,
        "outstanding": 2,
    }


def test_board_shows_only_open_requests_of_active_mobilisations(
    client_as, org_a, org_b, member_b, host
):
    sign(org_b, lead=member_b)
    shown = make_request(host, role="Shown")
    make_request(host, role="Filled", status=StaffRequest.Status.FILLED)
    make_request(host, role="Cancelled", status=StaffRequest.Status.CANCELLED)
    raised = mobilise(org_a, status=Mobilisation.Status.RAISED, activated_at=None)
    make_request(raised, role="Not yet active")
    stood_down = mobilise(org_a, status=Mobilisation.Status.STOOD_DOWN)
    make_request(stood_down, role="Stood down")

    response = _board(client_as(member_b), org_b)

    assert [row.pk for row in response.context["staff_requests"]] == [shown.pk]


def test_board_filters_by_staff_group_and_registration(client_as, org_a, org_b, member_b, host):
    sign(org_b, lead=member_b)
    nursing, other = StaffGroup.objects.order_by("pk")[:2]
    nurses = make_request(host, staff_group=nursing, registration_needed=RegistrationBody.NMC)
    helpers = make_request(host, staff_group=other, registration_needed="")
    client = client_as(member_b)

    by_group = _board(client, org_b, staff_group=other.slug).context["staff_requests"]
    by_register = _board(client, org_b, registration="nmc").context["staff_requests"]
    unregistered = _board(client, org_b, registration="none").context["staff_requests"]

    assert [row.pk for row in by_group] == [helpers.pk]
    assert [row.pk for row in by_register] == [nurses.pk]
    assert [row.pk for row in unregistered] == [helpers.pk]


def test_board_runs_the_same_number_of_queries_for_2_or_20_requests(
    client_as, org_a, org_b, member_b, host, django_assert_max_num_queries
):
    sign(org_b, lead=member_b)
    client = client_as(member_b)
    _board(client, org_b)  # the first visit also records the acting organisation

    def queries_for(total):
        while StaffRequest.objects.count() < total:
            staff_request = make_request(host)
            make_offer(staff_request, org_b)
            make_offer(staff_request, org_b, status=StaffOffer.Status.ACCEPTED)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            response = _board(client, org_b)
        assert len(response.context["staff_requests"]) == total
        return len(captured)

    assert queries_for(2) == queries_for(20)
    with django_assert_max_num_queries(queries_for(20)):
        _board(client, org_b)


def test_board_counts_come_from_one_aggregate_query(client_as, org_a, org_b, member_b, host):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign(org_b, lead=member_b)
    for _ in range(3):
        make_offer(make_request(host), org_b)
    with CaptureQueriesContext(connection) as captured:
        _board(client_as(member_b), org_b)
    touching_offers = [q["sql"] for q in captured if "portability_staffoffer" in q["sql"]]
    assert len(touching_offers) == 1
    assert "COUNT(" in touching_offers[0]


def test_organisation_that_has_not_signed_sees_no_board(client_as, org_b, member_b, host):
    make_request(host, role="Secret ward nurse")
    response = _board(client_as(member_b), org_b)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sign the Staff Portability Framework first" in page
    assert "Secret ward nurse" not in page
    assert "staff_requests" not in response.context


def test_withdrawn_signatory_sees_no_board_but_its_signature_remains(
    client_as, org_b, member_b, host
):
    make_request(host, role="Secret ward nurse")
    signature = sign(org_b, lead=member_b)
    withdraw(signature)
    response = _board(client_as(member_b), org_b)
    assert "Secret ward nurse" not in response.content.decode()
    assert Signatory.objects.filter(organisation=org_b).count() == 1


def test_host_sees_its_request_with_the_offers(client_as, org_a, org_b, staff_a, host):
    staff_request = make_request(host)
    make_offer(staff_request, org_b, staff_name="Grace Mensah")
    url = reverse(
        "requests:hosted_request",
        kwargs={"org_slug": org_a.slug, "staff_request_id": staff_request.pk},
    )
    response = client_as(staff_a).get(url)
    assert response.status_code == 200
    assert "Grace Mensah" in response.content.decode()


def test_the_mobilisation_page_lists_its_requests_and_lets_the_host_ask_for_more(
    client_as, org_a, admin_a, django_assert_max_num_queries
):
    sign(org_a, lead=admin_a)
    mobilisation = mobilise(org_a)
    staff_request = make_request(mobilisation, role="Theatre scrub nurse", number_needed=3)
    url = reverse(
        "mobilisations:detail", kwargs={"org_slug": org_a.slug, "mobilisation_id": mobilisation.pk}
    )
    client = client_as(admin_a)
    client.get(url)  # the first page view renews the session
    make_request(mobilisation, role="Healthcare assistant")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert "Theatre scrub nurse" in response.text
    assert "Healthcare assistant" in response.text
    assert (
        reverse(
            "requests:hosted_request",
            kwargs={"org_slug": org_a.slug, "staff_request_id": staff_request.pk},
        )
        in response.text
    )
    assert "Request staff" in response.text
