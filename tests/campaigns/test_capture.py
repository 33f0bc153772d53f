"""Quick capture: an outreach worker records a resident met in the community, with their
consent in the words read to them, or without it (and then no email or phone is kept)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import ContactConsent, Engagement, Resident
from campaigns.services.residents import CONSENT_WORDING
from hub.models import AuditEvent, Membership
from tests.campaigns.builders import make_campaign, make_engagement, make_neighbourhood
from tests.factories import MembershipFactory


@pytest.fixture
def outreach_a(org_a):
    return MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user


@pytest.fixture
def campaign(org_a):
    return make_campaign(org_a, neighbourhoods=[make_neighbourhood("Armley")])


def _url(name, campaign, **kwargs):
    org = campaign.lead_organisation
    return reverse(
        f"campaigns:{name}", kwargs={"org_slug": org.slug, "campaign_id": campaign.pk, **kwargs}
    )


def _capture(**changes):
    data = {
        "name": "  Aisha   Khan ",
        "phone": "07700 900123",
        "email": "Aisha.Khan@Example.org",
        "postcode": "ls12 3ab",
        "channel": "face_to_face",
        "consent": "on",
        "notes": "Interested in care work",
    }
    return {key: value for key, value in (data | changes).items() if value is not None}


def test_an_outreach_worker_records_a_resident_with_consent_in_the_words_read_to_them(
    client_as, org_a, outreach_a, campaign
):
    client = client_as(outreach_a)
    response = client.post(_url("capture", campaign), _capture())

    assert response.status_code == 302
    assert response.url == _url("capture", campaign)
    resident = Resident.objects.get()
    assert (resident.name, resident.email, resident.phone, resident.postcode) == (
        "Aisha Khan",
        "aisha.khan@example.org",
        "07700 900123",
        "LS12 3AB",
    )
    assert resident.neighbourhood.name == "Armley"
    consent = ContactConsent.objects.get(resident=resident)
    assert consent.wording == CONSENT_WORDING
    assert consent.captured_by == ContactConsent.CapturedBy.OUTREACH
    assert consent.recorded_by == outreach_a
    engagement = Engagement.objects.get()
    assert (engagement.campaign, engagement.organisation, engagement.recorded_by) == (
        campaign,
        org_a,
        outreach_a,
    )
    assert engagement.channel == Engagement.Channel.FACE_TO_FACE
    assert engagement.notes == "Interested in care work"

    page = client.get(response.url)
    assert "Aisha Khan was recorded." in page.text
    assert 'value="Aisha Khan"' not in page.text  # an empty form for the next person
    recorded = page.text.split("Recorded by you today", 1)[1]
    assert "Aisha Khan" in recorded
    assert "agreed to be contacted" in recorded


def test_without_consent_no_email_or_phone_is_kept(client_as, outreach_a, campaign):
    client = client_as(outreach_a)
    response = client.post(_url("capture", campaign), _capture(consent=None), follow=True)

    resident = Resident.objects.get()
    assert (resident.name, resident.email, resident.phone) == ("Aisha Khan", "", "")
    assert resident.postcode == "LS12 3AB"
    assert not ContactConsent.objects.exists()
    assert Engagement.objects.get().resident == resident
    assert "Their email and phone number were not kept" in response.text


def test_a_bad_postcode_is_a_form_error_and_nothing_is_written(client_as, outreach_a, campaign):
    data = _capture(name="Aisha Khan", postcode="LS99 ZZZ9")
    response = client_as(outreach_a).post(_url("capture", campaign), data)

    assert response.status_code == 200
    assert "Enter a real postcode, like LS1 3EX" in response.text
    assert 'href="#id_postcode"' in response.text  # in the error summary, linked to the field
    assert 'value="Aisha Khan"' in response.text  # what was typed is kept
    assert not Resident.objects.exists()
    assert not Engagement.objects.exists()
    assert not ContactConsent.objects.exists()
    assert not AuditEvent.objects.filter(action="resident.engaged").exists()


def test_a_name_is_needed(client_as, outreach_a, campaign):
    response = client_as(outreach_a).post(_url("capture", campaign), _capture(name=""))
    assert "Enter the person&#x27;s name" in response.text
    assert not Resident.objects.exists()


def test_the_page_shows_the_consent_wording_and_suits_a_phone(client_as, outreach_a, campaign):
    response = client_as(outreach_a).get(_url("capture", campaign))
    text = response.text
    assert response.status_code == 200
    assert CONSENT_WORDING in text
    assert "their email and phone number are not kept" in text
    assert 'type="tel"' in text and 'inputmode="tel"' in text
    assert 'type="email"' in text
    assert "css/campaigns.css" in text
    assert 'id="id_channel_0" checked' in text  # face to face, unless changed
    assert 'name="viewport" content="width=device-width' in text


def test_hr_staff_can_capture_too(client_as, staff_a, campaign):
    response = client_as(staff_a).post(_url("capture", campaign), _capture(channel="school"))
    assert response.status_code == 302
    assert Engagement.objects.get().channel == Engagement.Channel.SCHOOL


def test_outreach_workers_cannot_see_residents_or_journeys(client_as, outreach_a, campaign):
    engagement = make_engagement(campaign)
    client = client_as(outreach_a)
    assert client.get(_url("resident_list", campaign)).status_code == 403
    assert client.get(_url("journey", campaign, engagement_id=engagement.pk)).status_code == 403
    assert client.get(_url("import_upload", campaign)).status_code == 403


def test_outreach_workers_names_in_today_list_are_not_links_to_journeys(
    client_as, outreach_a, campaign
):
    client = client_as(outreach_a)
    client.post(_url("capture", campaign), _capture())
    engagement = Engagement.objects.get()
    page = client.get(_url("capture", campaign))
    assert _url("journey", campaign, engagement_id=engagement.pk) not in page.text


def test_recorded_today_lists_only_this_workers_people_from_today(
    client_as, org_a, outreach_a, staff_a, campaign
):
    mine_today = make_engagement(campaign, recorded_by=outreach_a)
    mine_yesterday = make_engagement(campaign, recorded_by=outreach_a)
    Engagement.objects.filter(pk=mine_yesterday.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )
    colleagues = make_engagement(campaign, recorded_by=staff_a)

    page = client_as(outreach_a).get(_url("capture", campaign))
    recorded = page.text.split("Recorded by you today", 1)[1]
    assert mine_today.resident.name in recorded
    assert mine_yesterday.resident.name not in recorded
    assert colleagues.resident.name not in recorded
