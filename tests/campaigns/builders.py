"""Campaign records for tests: neighbourhoods, campaigns, events, residents and journeys,
built directly (services are what the tests exercise, not what sets the scene)."""

import datetime
import itertools

from django.utils import timezone

from campaigns.models import (
    Campaign,
    ContactConsent,
    Engagement,
    Event,
    EventBooking,
    Neighbourhood,
    PostcodeSector,
    Resident,
    TrackingLink,
)
from campaigns.services.residents import CONSENT_WORDING

_sequence = itertools.count(1)


def make_neighbourhood(name="Armley", *, ward="Armley", decile=1, sectors=("LS12 2", "LS12 3")):
    neighbourhood, _ = Neighbourhood.objects.get_or_create(
        slug=name.lower().replace(" ", "-"),
        defaults={"name": name, "ward": ward, "imd_decile": decile},
    )
    for sector in sectors:
        PostcodeSector.objects.get_or_create(
            sector=sector, defaults={"neighbourhood": neighbourhood}
        )
    return neighbourhood


def make_campaign(lead, *, partners=(), neighbourhoods=(), name=None, code=None, **fields):
    n = next(_sequence)
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=name or f"Campaign {n}",
        slug=f"campaign-{n}",
        lead_organisation=lead,
        starts_on=fields.pop("starts_on", today - datetime.timedelta(days=30)),
        ends_on=fields.pop("ends_on", today + datetime.timedelta(days=60)),
        **fields,
    )
    campaign.partner_organisations.set(partners)
    campaign.neighbourhoods.set(neighbourhoods or [make_neighbourhood()])
    TrackingLink.objects.create(campaign=campaign, label="Campaign code", code=code or f"CAMP{n}")
    return campaign


def make_event(campaign, *, organisation=None, capacity=20, days_ahead=7, **fields):
    starts_at = fields.pop("starts_at", timezone.now() + datetime.timedelta(days=days_ahead))
    defaults = {
        "kind": Event.Kind.WEBINAR,
        "title": f"Event {next(_sequence)}",
        "venue_name": "Armley Community Centre",
        "address": "1 Town Street, Leeds",
        "postcode": "LS12 3AB",
    }
    return Event.objects.create(
        campaign=campaign,
        organisation=organisation or campaign.lead_organisation,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        capacity=capacity,
        **(defaults | fields),
    )


def make_resident(*, name=None, email="", consent=True, neighbourhood=None, postcode=""):
    n = next(_sequence)
    resident = Resident.objects.create(
        name=name or f"Resident {n}",
        email=email if email is not None else f"resident{n}@example.org",
        postcode=postcode,
        neighbourhood=neighbourhood,
    )
    if consent:
        ContactConsent.objects.create(
            resident=resident, wording=CONSENT_WORDING, captured_by=ContactConsent.CapturedBy.STAFF
        )
    return resident


def make_engagement(campaign, resident=None, **fields):
    resident = resident or make_resident(email=f"person{next(_sequence)}@example.org")
    return Engagement.objects.create(
        campaign=campaign,
        resident=resident,
        channel=fields.pop("channel", Engagement.Channel.FACE_TO_FACE),
        organisation=fields.pop("organisation", campaign.lead_organisation),
        **fields,
    )


def make_booking(event, resident, *, status=EventBooking.Status.BOOKED, **fields):
    if status == EventBooking.Status.WAITING:
        fields.setdefault("waiting_since", timezone.now())
    return EventBooking.objects.create(event=event, resident=resident, status=status, **fields)
