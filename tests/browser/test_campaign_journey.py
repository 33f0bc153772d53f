"""A campaign from the street to a job: an outreach worker on a small phone records a
resident met in Armley; the resident signs up for the employment webinar; the campaign's
HR lead marks them attending; they apply through the poster's link; the funnel shows them
at each stage, and the outcome once HR records it. Every page is checked with axe."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import Engagement, Event, EventBooking, TrackingLink
from talent.models import Application
from tests.browser.conftest import assert_accessible, click_through, sign_in_with_two_factor
from tests.campaigns.builders import make_campaign, make_event, make_neighbourhood
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VacancyFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"width": 360, "height": 740}
EMAIL = "dorisz.fuko@example.org"


def _funnel_row(page, stage: str):
    table = page.get_by_role("table", name="The funnel")
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=stage))


def test_a_resident_met_in_the_community_is_followed_from_engaged_to_a_job(open_page):
    trust = OrganisationFactory(name="Leeds and York Partnership NHS Foundation Trust", slug="lyp")
    hr_lead = MembershipFactory(organisation=trust, role="admin").user
    outreach = MembershipFactory(organisation=trust, role="outreach").user
    armley = make_neighbourhood("Armley", sectors=("LS12 2", "LS12 3"))
    vacancy = VacancyFactory(
        organisation=trust, title="Assistant Support Worker", slug="assistant-support-worker"
    )
    campaign = make_campaign(
        trust, name="Armley and New Wortley", neighbourhoods=[armley], goal_engaged=400
    )
    campaign.vacancies.add(vacancy)
    TrackingLink.objects.create(
        campaign=campaign,
        label="Poster at Armley library",
        code="ARMLEY-LIBRARY",
        destination=TrackingLink.Destination.VACANCY,
        vacancy=vacancy,
    )
    # Later today, so the resident can still sign up and HR can mark attendance today.
    starts_at = timezone.now() + datetime.timedelta(minutes=30)
    webinar = make_event(
        campaign,
        kind=Event.Kind.WEBINAR,
        title="Careers in mental health: employment webinar",
        starts_at=starts_at,
        venue_name="",
        address="",
        postcode="",
        online_url="https://meet.example.org/armley",
    )

    # 1. The outreach worker, on a 360-pixel phone, records the person they met.
    worker = open_page(phone=True)
    worker.set_viewport_size(SMALL_PHONE)
    sign_in_with_two_factor(worker, outreach, PASSWORD)
    worker.goto(f"/manage/{trust.slug}/campaigns/{campaign.pk}/capture/")
    assert_accessible(worker)
    worker.get_by_label("Full name").fill("Dorisz Fuko")
    worker.get_by_label("Phone number").fill("07700 900123")
    worker.get_by_label("Email address").fill(EMAIL)
    worker.get_by_label("Postcode").fill("ls12 3ab")
    worker.get_by_label("They agree to be contacted").check()
    click_through(worker, worker.get_by_role("button", name="Record this person"))
    expect(worker.get_by_role("alert")).to_contain_text("Dorisz Fuko")
    assert worker.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    engagement = Engagement.objects.get(campaign=campaign)
    assert engagement.resident.neighbourhood == armley
    assert engagement.channel == Engagement.Channel.FACE_TO_FACE

    # 2. The resident signs up for the webinar on their phone, with no account.
    resident = open_page(phone=True)
    resident.goto(webinar.get_absolute_url())
    assert_accessible(resident)
    resident.get_by_label("Full name").fill("Dorisz Fuko")
    resident.get_by_label("Email address").fill(EMAIL)
    resident.get_by_label("I agree to be contacted").check()
    click_through(resident, resident.get_by_role("button", name="Book my place"))
    expect(resident.get_by_role("heading", level=1)).to_contain_text("Your place is booked")
    booking = EventBooking.objects.get(event=webinar)
    assert booking.status == EventBooking.Status.BOOKED
    assert booking.resident == engagement.resident  # the same person, not a second record
    assert any(EMAIL in message.to for message in mail.outbox)

    # 3. The HR lead marks them attending.
    hr = open_page()
    sign_in_with_two_factor(hr, hr_lead, PASSWORD)
    hr.goto(f"/manage/{trust.slug}/campaigns/events/{webinar.pk}/")
    assert_accessible(hr)
    hr.get_by_role("group", name="Dorisz Fuko").get_by_label("Attended").check()
    click_through(hr, hr.get_by_role("button", name="Save attendance"))
    booking.refresh_from_db()
    assert booking.attended is True

    # 4. The resident scans the library poster and applies for the job.
    UserFactory(email=EMAIL, name="Dorisz Fuko")
    resident.goto("/c/armley-library/")
    assert_accessible(resident)
    expect(resident.get_by_role("heading", level=1)).to_contain_text("Assistant Support Worker")
    click_through(resident, resident.get_by_role("button", name="Apply for this job").first)
    resident.get_by_label("Email").fill(EMAIL)
    resident.get_by_label("Password").fill(PASSWORD)
    click_through(resident, resident.get_by_role("button", name="Sign in"))
    resident.get_by_label("Phone number").fill("07700 900123")
    resident.get_by_label("Postcode").fill("LS12 3AB")
    resident.get_by_label("Yes, I have the right to work in the UK").check()
    resident.get_by_label("Supporting statement").fill(
        "I met the team in Armley and would love to support young people."
    )
    click_through(resident, resident.get_by_role("button", name="Submit application"))
    expect(resident.get_by_text(re.compile("Your application for .* was sent"))).to_be_visible()
    application = Application.objects.get(vacancy=vacancy)
    assert application.campaign_code.upper() == "ARMLEY-LIBRARY"
    engagement.refresh_from_db()
    assert engagement.application == application

    # 5. The funnel shows them engaged, attended and applied.
    hr.goto(f"/manage/{trust.slug}/campaigns/{campaign.pk}/funnel/")
    assert_accessible(hr)
    expect(_funnel_row(hr, "Engaged")).to_contain_text("1")
    expect(_funnel_row(hr, "Attended an event")).to_contain_text("1")
    expect(_funnel_row(hr, "Applied for a job")).to_contain_text("1")
    expect(_funnel_row(hr, re.compile("^Secured a role"))).to_contain_text("0")

    # 6. HR records that they started training; the funnel counts the outcome.
    hr.goto(f"/manage/{trust.slug}/campaigns/{campaign.pk}/residents/")
    assert_accessible(hr)
    click_through(hr, hr.get_by_role("link", name="Dorisz Fuko"))
    hr.get_by_label("Outcome (optional)").select_option(label="Started training")
    hr.get_by_label("Began on (optional)").fill(timezone.localdate().isoformat())
    click_through(hr, hr.get_by_role("button", name="Save the outcome"))
    engagement.refresh_from_db()
    assert engagement.outcome == Engagement.Outcome.STARTED_TRAINING
    hr.goto(f"/manage/{trust.slug}/campaigns/{campaign.pk}/funnel/")
    assert_accessible(hr)
    expect(_funnel_row(hr, re.compile("^Secured a role"))).to_contain_text("1")
