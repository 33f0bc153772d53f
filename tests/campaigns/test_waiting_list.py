"""Places and the waiting list: sign-ups beyond the capacity wait, first come first
served; a freed place (a cancellation, or more places) goes at once to the first person
waiting; the booking page is reached only through its signed link."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Event, EventBooking
from campaigns.selectors.events import waiting_position
from campaigns.services import events as services
from hub.models import Membership
from tests.campaigns.builders import make_campaign, make_event

Status = EventBooking.Status


@pytest.fixture
def event(org_a):
    return make_event(make_campaign(org_a), title="Work-experience day", capacity=2)


def _sign_up(event, name, minutes=0):
    """Sign `name` up, `minutes` after a fixed moment, so their order is certain."""
    moment = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=minutes)
    with time_machine.travel(moment, tick=False):
        return services.event_sign_up(
            event=event, name=name, email=f"{name.lower()}@example.org", consent=True
        ).booking


def _statuses(event):
    return {
        b.resident.name: b.status
        for b in EventBooking.objects.filter(event=event).select_related("resident")
    }


@pytest.fixture
def full_event(event):
    """Two places taken by Ada and Ben; Cara, Dev and Eve waiting, in that order."""
    for minutes, name in enumerate(["Ada", "Ben", "Cara", "Dev", "Eve"]):
        _sign_up(event, name, minutes)
    return event


def test_sign_ups_beyond_the_places_join_the_waiting_list_in_order(full_event):
    assert _statuses(full_event) == {
        "Ada": Status.BOOKED,
        "Ben": Status.BOOKED,
        "Cara": Status.WAITING,
        "Dev": Status.WAITING,
        "Eve": Status.WAITING,
    }
    positions = {
        b.resident.name: waiting_position(b)
        for b in EventBooking.objects.filter(event=full_event, status=Status.WAITING)
    }
    assert positions == {"Cara": 1, "Dev": 2, "Eve": 3}


def test_a_cancelled_place_goes_to_the_first_person_waiting(full_event):
    ben = EventBooking.objects.get(event=full_event, resident__name="Ben")
    services.booking_cancel(booking=ben)
    statuses = _statuses(full_event)
    assert statuses["Ben"] == Status.CANCELLED
    assert statuses["Cara"] == Status.BOOKED
    assert (statuses["Dev"], statuses["Eve"]) == (Status.WAITING, Status.WAITING)
    cara = EventBooking.objects.get(event=full_event, resident__name="Cara")
    assert cara.promoted_at is not None
    dev = EventBooking.objects.get(event=full_event, resident__name="Dev")
    assert waiting_position(dev) == 1


def test_leaving_the_waiting_list_promotes_nobody_and_moves_the_queue_up(full_event):
    cara = EventBooking.objects.get(event=full_event, resident__name="Cara")
    services.booking_cancel(booking=cara)
    statuses = _statuses(full_event)
    assert [n for n, s in statuses.items() if s == Status.BOOKED] == ["Ada", "Ben"]
    eve = EventBooking.objects.get(event=full_event, resident__name="Eve")
    assert waiting_position(eve) == 2


def test_more_places_go_to_the_people_waiting_in_order(full_event, org_a, admin_a):
    fields = {name: getattr(full_event, name) for name in services.EDITABLE_FIELDS}
    services.event_update(
        event=full_event,
        membership=Membership.objects.get(user=admin_a, organisation=org_a),
        actor=admin_a,
        **(fields | {"capacity": 4}),
    )
    statuses = _statuses(full_event)
    assert (statuses["Cara"], statuses["Dev"], statuses["Eve"]) == (
        Status.BOOKED,
        Status.BOOKED,
        Status.WAITING,
    )


def test_places_cannot_drop_below_those_booked(full_event, org_a, admin_a):
    fields = {name: getattr(full_event, name) for name in services.EDITABLE_FIELDS}
    with pytest.raises(ValidationError) as raised:
        services.event_update(
            event=full_event,
            membership=Membership.objects.get(user=admin_a, organisation=org_a),
            actor=admin_a,
            **(fields | {"capacity": 1}),
        )
    assert raised.value.message_dict["capacity"] == [
        "2 places are already booked: the number of places cannot be fewer"
    ]
    full_event.refresh_from_db()
    assert full_event.capacity == 2


def test_someone_who_cancelled_and_signs_up_again_goes_to_the_back_of_the_queue(full_event):
    cara = EventBooking.objects.get(event=full_event, resident__name="Cara")
    services.booking_cancel(booking=cara)
    _sign_up(full_event, "Cara", minutes=30)
    cara.refresh_from_db()
    assert cara.status == Status.WAITING
    assert waiting_position(cara) == 3


def test_a_booking_cannot_be_cancelled_once_the_event_has_started(event):
    booking = _sign_up(event, "Ada")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking)
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


# --- The booking page ------------------------------------------------------------------------


def _booking_url(token):
    return reverse("campaign_public:booking", kwargs={"token": token})


def test_the_booking_page_shows_the_place_in_the_queue_and_cancels(client, full_event):
    dev = EventBooking.objects.get(event=full_event, resident__name="Dev")
    url = _booking_url(services.booking_token(dev))
    page = client.get(url).content.decode()
    assert "You are on the waiting list" in page
    assert "number 2" in page
    response = client.post(url)
    assert response.status_code == 302
    dev.refresh_from_db()
    assert dev.status == Status.CANCELLED
    page = client.get(url).content.decode()
    assert "You have left the waiting list." in page
    assert "Your booking is cancelled" in page
    assert "Leave the waiting list</button>" not in page


def test_cancelling_a_place_on_the_booking_page_promotes_the_first_waiting(client, full_event):
    ada = EventBooking.objects.get(event=full_event, resident__name="Ada")
    client.post(_booking_url(services.booking_token(ada)))
    assert _statuses(full_event)["Cara"] == Status.BOOKED


@pytest.mark.parametrize("how", ["tampered", "other salt", "made up"])
def test_an_altered_booking_link_is_404_and_changes_nothing(client, full_event, how):
    ada = EventBooking.objects.get(event=full_event, resident__name="Ada")
    ben = EventBooking.objects.get(event=full_event, resident__name="Ben")
    token = services.booking_token(ada)
    token = {
        "tampered": f"{ben.pk}:{token.split(':', 1)[1]}",
        "other salt": services.contact_token(ada.resident),
        "made up": "not-a-token",
    }[how]
    assert client.get(_booking_url(token)).status_code == 404
    assert client.post(_booking_url(token)).status_code == 404
    assert _statuses(full_event)["Ada"] == Status.BOOKED
    assert _statuses(full_event)["Ben"] == Status.BOOKED
