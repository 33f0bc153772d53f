"""The contact-preferences page every campaign email links to: it says whether the person
agreed to be contacted and lets them stop it at once (also by one-click unsubscribe from
their mail program); after that no campaign email reaches them."""

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import ContactConsent, EventBooking
from campaigns.services import events as services
from hub.models import AuditEvent, Membership
from tests.campaigns.builders import make_campaign, make_event, make_resident


@pytest.fixture
def event(org_a):
    return make_event(make_campaign(org_a), title="Community-centre drop-in", capacity=1)


@pytest.fixture
def booking(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = services.event_sign_up(
            event=event, name="Ada Lovelace", email="ada@example.org", consent=True
        ).booking
    mail.outbox.clear()
    return booking


def _url(token):
    return reverse("campaign_public:contact_preferences", kwargs={"token": token})


def test_the_page_says_consent_stands_and_withdrawing_stops_it(client, booking):
    url = _url(services.contact_token(booking.resident))
    page = client.get(url).content.decode()
    assert "You agreed that the partners running the campaign may contact you" in page
    response = client.post(url)
    assert response.status_code == 302
    consent = ContactConsent.objects.get(resident=booking.resident)
    assert consent.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="resident.consent_withdrawn").exists()
    page = client.get(url).content.decode()
    assert "You will not be contacted again by the campaign partners." in page
    assert "Stop contacting me" not in page


def test_a_mail_program_can_unsubscribe_in_one_click_without_a_csrf_token(booking):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        _url(services.contact_token(booking.resident)),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 302
    assert not ContactConsent.objects.filter(withdrawn_at=None).exists()


def test_withdrawing_stops_every_further_email_at_once(
    client, event, booking, org_a, admin_a, django_capture_on_commit_callbacks
):
    second = make_event(event.campaign, title="Work-experience day")
    with django_capture_on_commit_callbacks(execute=True):
        services.event_sign_up(event=second, name="Ada", email="ada@example.org", consent=True)
    assert len(mail.outbox) == 1
    client.post(_url(services.contact_token(booking.resident)))
    mail.outbox.clear()
    EventBooking.objects.create(
        event=event,
        resident=make_resident(name="Ben", email="ben@example.org"),
        status=EventBooking.Status.WAITING,
        waiting_since=booking.created_at,
    )
    with django_capture_on_commit_callbacks(execute=True):
        # Her place goes to Ben, who is told; the cancelled event is not announced to her.
        services.booking_cancel(booking=booking)
        services.event_cancel(
            event=second,
            membership=Membership.objects.get(user=admin_a, organisation=org_a),
            actor=admin_a,
            reason="The venue flooded.",
        )
    assert [m.to for m in mail.outbox] == [["ben@example.org"]]


def test_withdrawing_covers_every_record_of_the_same_email(client, booking, org_a):
    other_campaign_record = make_resident(name="Ada L", email="ada@example.org")
    client.post(_url(services.contact_token(booking.resident)))
    assert not ContactConsent.objects.filter(
        resident=other_campaign_record, withdrawn_at=None
    ).exists()


@pytest.mark.parametrize("how", ["tampered", "booking salt", "made up"])
def test_an_altered_link_is_404_and_withdraws_nothing(client, booking, how):
    other = make_resident(name="Ben", email="ben@example.org")
    token = services.contact_token(booking.resident)
    token = {
        "tampered": f"{other.pk}:{token.split(':', 1)[1]}",
        "booking salt": f"{booking.resident.pk}:{services.booking_token(booking).split(':', 1)[1]}",
        "made up": "nobody",
    }[how]
    assert client.get(_url(token)).status_code == 404
    assert client.post(_url(token)).status_code == 404
    assert ContactConsent.objects.filter(withdrawn_at=None).count() == 2
