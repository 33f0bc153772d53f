"""Fuzzing the public campaign forms, used with no account (issue 9): signing up for an
event with places left or onto its waiting list, the booking page a resident reaches from
their email and their contact preferences. Whatever is posted, never a server error; bad
input gets the form's errors and records nobody; a made-up or altered link is 404."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns.models import ContactConsent, Engagement, EventBooking, Resident
from campaigns.services import events as services
from tests.campaigns.builders import make_booking, make_campaign, make_event, make_resident
from tests.fuzz.harness import (
    assert_answered,
    assert_no_server_error,
    fuzz_settings,
    holds_nul,
    new_client,
    path_segment,
    post,
    rolled_back,
    submit,
)
from tests.fuzz.strategies import (
    BAD_POSTCODES,
    GOOD_POSTCODES,
    NUL,
    ODD_EMAILS,
    UNTICKED,
    Field,
    bad_emails,
    bad_text,
    hostile_text,
    submissions,
    tokens,
)

pytestmark = pytest.mark.django_db

RECORDS = (Resident, EventBooking, ContactConsent, Engagement)

sign_up_fields = {
    "name": Field(
        st.sampled_from(["Amira Khan", "Siobhán O'Neill", "محمد علي", "Zoë Brown-Smith"]),
        bad_text(150, required=True),
        required=True,
    ),
    "email": Field(
        st.one_of(
            st.sampled_from(["amira@example.org", "Z.Brown+events@example.co.uk"]),
            st.emails(),  # well formed, if not always to Django's liking
            st.sampled_from(ODD_EMAILS),
        ),
        st.one_of(bad_emails, st.just("")),
        required=True,
    ),
    "phone": Field(
        st.sampled_from(["", "0113 496 0000", "07700 900982"]), bad_text(30, required=False)
    ),
    "postcode": Field(
        st.sampled_from(["", *GOOD_POSTCODES, *BAD_POSTCODES]), bad_text(10, required=False)
    ),
    "consent": Field(st.sampled_from(["on", "1", "true"]), UNTICKED, required=True),
}


@pytest.fixture
def campaign(org_a):
    return make_campaign(org_a, name="Careers in care: Armley")


@pytest.fixture
def events(campaign):
    """An event with places, and one whose only place is taken (sign-up joins its queue)."""
    open_event = make_event(campaign, title="Careers in care webinar", capacity=20)
    full_event = make_event(campaign, title="Care home open day", capacity=1)
    make_booking(full_event, make_resident(email="first@example.org"))
    return {"open": open_event, "full": full_event}


@fuzz_settings(50)
@given(submission=submissions(sign_up_fields), which=st.sampled_from(["open", "full"]))
def test_signing_up_records_only_good_input(events, submission, which):
    event = events[which]
    with rolled_back():
        client = new_client()
        accepted = submit(client, f"/events/{event.pk}/", submission, RECORDS)
        if accepted:
            booking = EventBooking.objects.filter(event=event).latest("created_at")
            expected = (
                EventBooking.Status.BOOKED if which == "open" else EventBooking.Status.WAITING
            )
            assert booking.status == expected
            assert NUL not in booking.resident.name + booking.resident.email


@pytest.fixture
def booking(events):
    return make_booking(events["open"], make_resident(email="booked@example.org"))


@fuzz_settings(40)
@given(
    token=st.one_of(tokens, st.sampled_from(["REAL", "REAL-ALTERED"])),
    method=st.sampled_from(["get", "post"]),
)
def test_a_booking_link_works_only_unaltered(booking, token, method):
    real = services.booking_token(booking)
    token = {"REAL": real, "REAL-ALTERED": real[:-1] + ("A" if real[-1] != "A" else "B")}.get(
        token, token
    )
    with rolled_back():
        client = new_client()
        path = f"/events/bookings/{path_segment(token)}/"
        response = client.get(path) if method == "get" else post(client, path, {})
        assert_no_server_error(response)
        booking.refresh_from_db()
        if token == real:
            assert response.status_code == (200 if method == "get" else 302)
            assert (booking.status == EventBooking.Status.BOOKED) == (method == "get")
        else:
            assert_answered(response, token, ok=(404,))
            assert booking.status == EventBooking.Status.BOOKED


@fuzz_settings(40)
@given(
    token=st.one_of(tokens, st.sampled_from(["REAL", "REAL-ALTERED"])),
    method=st.sampled_from(["get", "post"]),
    body=st.dictionaries(hostile_text, hostile_text, max_size=2),
)
def test_contact_preferences_change_only_through_their_own_link(token, method, body):
    with rolled_back():
        resident = make_resident(email="resident@example.org")
        real = services.contact_token(resident)
        token = {"REAL": real, "REAL-ALTERED": real[:-1] + ("A" if real[-1] != "A" else "B")}.get(
            token, token
        )
        client = new_client()
        path = f"/contact-preferences/{path_segment(token)}/"
        response = client.get(path) if method == "get" else post(client, path, body)
        assert_no_server_error(response)
        consents = ContactConsent.objects.filter(resident=resident, withdrawn_at__isnull=True)
        if response.status_code == 400:
            assert NUL in token or holds_nul(body)
            assert consents.exists()
        elif token == real:
            assert response.status_code == (200 if method == "get" else 302)
            assert consents.exists() == (method == "get")
        else:
            assert response.status_code == 404
            assert consents.exists()
