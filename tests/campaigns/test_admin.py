"""Campaigns in the Django admin: every page loads for a hub admin, neighbourhoods are
kept with their postcode sectors, residents' contact details stay off the list, and the
records of consent and of imports cannot be changed there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from campaigns.models import ContactConsent, Neighbourhood, ResidentImport
from tests.campaigns.builders import (
    make_booking,
    make_campaign,
    make_engagement,
    make_event,
    make_resident,
)
from tests.factories import UserFactory

CAMPAIGN_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "campaigns"),
    key=lambda model: model._meta.model_name,
)


@pytest.fixture
def hub_admin(db):
    return UserFactory(is_staff=True, is_superuser=True, totp=True)


@pytest.fixture
def one_of_everything(org_a, admin_a):
    campaign = make_campaign(org_a)
    resident = make_resident(name="Rhoda Resident", email="rhoda@example.org")
    make_engagement(campaign, resident)
    make_booking(make_event(campaign), resident)
    ResidentImport.objects.create(
        campaign=campaign,
        organisation=org_a,
        uploaded_by=admin_a,
        filename="sheets.csv",
        consent_wording="You may contact me.",
        accepted_rows=[{"line": 2, "name": "Held Back", "email": "held@example.org"}],
        accepted_count=1,
    )
    return campaign


def test_the_campaign_models_are_in_the_admin():
    assert {model._meta.model_name for model in CAMPAIGN_MODELS} >= {
        "neighbourhood",
        "campaign",
        "event",
        "trackinglink",
        "engagement",
        "resident",
        "contactconsent",
        "residentimport",
    }


@pytest.mark.parametrize("model", CAMPAIGN_MODELS, ids=lambda model: model._meta.model_name)
def test_every_campaign_admin_page_loads(model, client_as, hub_admin, one_of_everything):
    opts = model._meta
    client = client_as(hub_admin)
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist, {"q": "a"}).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert client.get(change).status_code == 200


def test_hub_admins_add_a_neighbourhood_with_its_postcode_sectors(client_as, hub_admin):
    data = {
        "name": "Lincoln Green",
        "slug": "lincoln-green",
        "ward": "Burmantofts and Richmond Hill",
        "imd_decile": "1",
        "postcode_sectors-TOTAL_FORMS": "2",
        "postcode_sectors-INITIAL_FORMS": "0",
        "postcode_sectors-MIN_NUM_FORMS": "0",
        "postcode_sectors-MAX_NUM_FORMS": "1000",
        "postcode_sectors-0-sector": "LS9 7",
        "postcode_sectors-1-sector": "LS9 8",
    }
    response = client_as(hub_admin).post(reverse("admin:campaigns_neighbourhood_add"), data)
    assert response.status_code == 302
    neighbourhood = Neighbourhood.objects.get(slug="lincoln-green")
    assert sorted(neighbourhood.postcode_sectors.values_list("sector", flat=True)) == [
        "LS9 7",
        "LS9 8",
    ]


def test_the_resident_list_shows_no_contact_details(client_as, hub_admin, one_of_everything):
    response = client_as(hub_admin).get(reverse("admin:campaigns_resident_changelist"))
    assert "Rhoda Resident" in response.text
    assert "rhoda@example.org" not in response.text


def test_residents_are_found_by_name(client_as, hub_admin, one_of_everything):
    client = client_as(hub_admin)
    url = reverse("admin:campaigns_resident_changelist")
    assert "Rhoda Resident" in client.get(url, {"q": "rhoda"}).text
    assert "Rhoda Resident" not in client.get(url, {"q": "nobody-called-this"}).text


def test_consents_cannot_be_changed_or_deleted_in_the_admin(
    client_as, hub_admin, one_of_everything
):
    consent = ContactConsent.objects.get()
    client = client_as(hub_admin)
    url = reverse("admin:campaigns_contactconsent_change", args=[consent.pk])
    assert 'name="wording"' not in client.get(url).text
    client.post(url, {"wording": "Rewritten", "captured_by": "staff"})
    assert (
        client.post(reverse("admin:campaigns_contactconsent_delete", args=[consent.pk])).status_code
        == 403
    )
    consent.refresh_from_db()
    assert consent.wording != "Rewritten"


def test_an_imports_held_rows_are_not_shown_in_the_admin(client_as, hub_admin, one_of_everything):
    resident_import = ResidentImport.objects.get()
    client = client_as(hub_admin)
    response = client.get(
        reverse("admin:campaigns_residentimport_change", args=[resident_import.pk])
    )
    assert "sheets.csv" in response.text
    assert "held@example.org" not in response.text
    assert client.get(reverse("admin:campaigns_residentimport_add")).status_code == 403
