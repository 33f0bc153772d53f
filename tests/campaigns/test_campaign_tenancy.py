"""Only a campaign's lead and partner organisations see it and its residents: everyone
else gets 404 on every page of it, through their own organisation's URLs."""

import pytest
from django.urls import reverse

from campaigns.models import Engagement, Resident, ResidentImport
from hub.models import AuditEvent
from tests.campaigns.builders import make_campaign, make_engagement

CAMPAIGN_PAGES = [
    "campaign_detail",
    "campaign_edit",
    "capture",
    "resident_list",
    "journey",
    "consent_withdraw",
    "import_upload",
    "import_review",
]
READ_ONLY_PAGES = {"campaign_detail", "resident_list"}


@pytest.fixture
def campaign_of_a(org_a, admin_a):
    """A campaign org A leads, with a resident and an import, and no partners."""
    campaign = make_campaign(org_a, name="Armley and New Wortley")
    engagement = make_engagement(campaign)
    resident_import = ResidentImport.objects.create(
        campaign=campaign,
        organisation=org_a,
        uploaded_by=admin_a,
        filename="sheets.csv",
        consent_wording="You may contact me.",
    )
    return {"campaign": campaign, "engagement": engagement, "import": resident_import}


def _url(name, org, objects):
    kwargs = {"org_slug": org.slug, "campaign_id": objects["campaign"].pk}
    if name in {"journey", "consent_withdraw"}:
        kwargs["engagement_id"] = objects["engagement"].pk
    if name == "import_review":
        kwargs["import_id"] = objects["import"].pk
    return reverse(f"campaigns:{name}", kwargs=kwargs)


@pytest.mark.parametrize("name", CAMPAIGN_PAGES)
def test_an_organisation_outside_the_campaign_gets_404_on_every_page(
    name, client_as, org_b, member_b, campaign_of_a
):
    client = client_as(member_b)
    url = _url(name, org_b, campaign_of_a)
    assert client.get(url).status_code == 404
    if name not in READ_ONLY_PAGES:
        data = {"name": "Intruder", "channel": "online", "consent": "on", "action": "confirm"}
        assert client.post(url, data).status_code == 404
    assert Resident.objects.count() == 1
    assert not AuditEvent.objects.filter(organisation=org_b).exists()


def test_an_outsiders_campaign_list_does_not_show_it(client_as, org_b, member_b, campaign_of_a):
    response = client_as(member_b).get(
        reverse("campaigns:campaign_list", kwargs={"org_slug": org_b.slug})
    )
    assert "Armley and New Wortley" not in response.text


def test_a_partner_sees_and_works_with_the_residents(client_as, org_b, member_b, campaign_of_a):
    campaign = campaign_of_a["campaign"]
    campaign.partner_organisations.add(org_b)
    resident = campaign_of_a["engagement"].resident
    client = client_as(member_b)

    listed = client.get(_url("resident_list", org_b, campaign_of_a))
    assert listed.status_code == 200
    assert resident.name in listed.text
    journey = client.get(_url("journey", org_b, campaign_of_a))
    assert journey.status_code == 200
    assert resident.email in journey.text
    assert AuditEvent.objects.get(action="resident.viewed").organisation == org_b

    client.post(_url("capture", org_b, campaign_of_a), {"name": "Met by B", "channel": "online"})
    recorded = Engagement.objects.get(resident__name="Met by B")
    assert (recorded.campaign, recorded.organisation) == (campaign, org_b)
    assert (
        "Armley and New Wortley"
        in client.get(reverse("campaigns:campaign_list", kwargs={"org_slug": org_b.slug})).text
    )


def test_a_partner_removed_from_the_campaign_loses_access(
    client_as, org_b, member_b, campaign_of_a
):
    campaign = campaign_of_a["campaign"]
    campaign.partner_organisations.add(org_b)
    client = client_as(member_b)
    assert client.get(_url("resident_list", org_b, campaign_of_a)).status_code == 200
    campaign.partner_organisations.remove(org_b)
    assert client.get(_url("resident_list", org_b, campaign_of_a)).status_code == 404
    assert client.get(_url("journey", org_b, campaign_of_a)).status_code == 404


def test_a_journey_of_another_campaign_cannot_be_reached_through_this_one(
    client_as, org_a, staff_a, campaign_of_a
):
    """A's own other campaign's journey, put into this campaign's URL: 404."""
    other = make_engagement(make_campaign(org_a))
    url = reverse(
        "campaigns:journey",
        kwargs={
            "org_slug": org_a.slug,
            "campaign_id": campaign_of_a["campaign"].pk,
            "engagement_id": other.pk,
        },
    )
    assert client_as(staff_a).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="resident.viewed").exists()
