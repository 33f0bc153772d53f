"""Tracking links for staff: the list with visits and the applications carrying each
code, making a link (codes unique whatever their case), and the QR code to print."""

import io
import re
from html import unescape

import pytest
import segno
from django.urls import reverse

from campaigns.models import TrackingLink
from campaigns.services.links import CODE_ALPHABET
from hub.models import AuditEvent, Membership
from tests.campaigns.builders import make_campaign, make_event
from tests.factories import ApplicationFactory, MembershipFactory, VacancyFactory

Destination = TrackingLink.Destination


@pytest.fixture
def campaign(org_a):
    return make_campaign(org_a, name="Armley and New Wortley", code="ARMLEY")


def _list_url(org, campaign):
    return reverse(
        "campaign_reports:link_list", kwargs={"org_slug": org.slug, "campaign_id": campaign.pk}
    )


def _qr_url(org, campaign, link):
    return reverse(
        "campaign_reports:link_qr",
        kwargs={"org_slug": org.slug, "campaign_id": campaign.pk, "link_id": link.pk},
    )


def _errors(response) -> list[str]:
    summary = re.search(
        r'<div class="nhsuk-error-summary".*?</ul>', response.content.decode(), re.S
    )
    assert summary, "no error summary on the page"
    return [
        " ".join(unescape(text).split())
        for text in re.findall(
            r"<li>\s*(?:<a[^>]*>)?(.*?)(?:</a>)?\s*</li>", summary.group(0), re.S
        )
    ]


def _row(html: str, code: str) -> list[str]:
    """The cells of the links table's row for `code`, as a person reads them."""
    html = re.sub(
        r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", html, flags=re.S
    )
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [
            " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if len(cells) > 1 and cells[1].startswith(code + " "):
            return cells
    raise AssertionError(f"no row for {code}")


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_visits_and_the_applications_sent_with_each_code(
    client_as, admin_a, org_a, campaign, settings
):
    settings.SITE_URL = "https://hub.example.org"
    poster = TrackingLink.objects.create(
        campaign=campaign, label="Poster, Armley library", code="ARMLEY-LIB", visits=41
    )
    for code in ("ARMLEY-LIB", "armley-lib", "Armley-Lib"):
        ApplicationFactory(campaign_code=code)
    ApplicationFactory(campaign_code="ARMLEY-LIB", stage="draft")  # not sent: not counted
    ApplicationFactory(campaign_code="ARMLEY-LIBRARY")  # another code
    ApplicationFactory(campaign_code="ARMLEY")

    response = client_as(admin_a).get(_list_url(org_a, campaign))
    assert response.status_code == 200
    html = response.content.decode()
    assert _row(html, "ARMLEY-LIB") == [
        "Poster, Armley library",
        "ARMLEY-LIB https://hub.example.org/c/ARMLEY-LIB/",
        "The campaign's page",
        "41",
        "3",
        "Download the QR code for Poster, Armley library (SVG)",
    ]
    assert _row(html, "ARMLEY")[3:5] == ["0", "1"]
    assert _qr_url(org_a, campaign, poster) in html


def test_the_list_runs_a_fixed_number_of_queries_however_many_links(
    client_as, admin_a, org_a, campaign, django_assert_max_num_queries
):
    vacancy = VacancyFactory(organisation=org_a)
    campaign.vacancies.add(vacancy)
    event = make_event(campaign)
    for n in range(15):
        TrackingLink.objects.create(
            campaign=campaign,
            label=f"Poster {n}",
            code=f"POSTER-{n}",
            event=event,
            destination=Destination.VACANCY,
            vacancy=vacancy,
        )
        ApplicationFactory(campaign_code=f"poster-{n}", vacancy=vacancy)
    client = client_as(admin_a)
    client.get(_list_url(org_a, campaign))  # the first visit remembers the organisation
    with django_assert_max_num_queries(10):
        response = client.get(_list_url(org_a, campaign))
    assert response.status_code == 200
    assert _row(response.content.decode(), "POSTER-7")[4] == "1"


# --- Making a link ---------------------------------------------------------------------------


def test_staff_make_a_link_with_their_own_code(client_as, staff_a, org_a, campaign):
    response = client_as(staff_a).post(
        _list_url(org_a, campaign),
        {"label": "  Leaflets,   school gate ", "destination": "job_search", "code": " GATE-1 "},
    )
    assert response.status_code == 302
    link = TrackingLink.objects.get(code="GATE-1")
    assert (link.campaign, link.label, link.destination) == (
        campaign,
        "Leaflets, school gate",
        Destination.JOB_SEARCH,
    )
    assert link.created_by == staff_a
    assert AuditEvent.objects.filter(
        action="campaign.link_created", object_id=str(link.pk)
    ).exists()


def test_a_code_is_made_up_when_none_is_typed(client_as, admin_a, org_a, campaign):
    client_as(admin_a).post(
        _list_url(org_a, campaign), {"label": "Bus stop", "destination": "campaign", "code": ""}
    )
    code = TrackingLink.objects.get(label="Bus stop").code
    prefix, suffix = code.split("-")
    assert prefix == "ARMLEY"
    assert len(suffix) == 5 and set(suffix) <= set(CODE_ALPHABET)


@pytest.mark.parametrize(
    "code, error",
    [
        ("armley", "That code is already used: choose another, or leave it blank"),
        (
            "ARMLEY LIBRARY",
            "Use letters, numbers and hyphens only, up to 40 characters, like ARMLEY-LIBRARY",
        ),
        (
            "ARMLEY_LIB",
            "Use letters, numbers and hyphens only, up to 40 characters, like ARMLEY-LIBRARY",
        ),
        (
            "A" * 41,
            "Use letters, numbers and hyphens only, up to 40 characters, like ARMLEY-LIBRARY",
        ),
    ],
)
def test_a_code_taken_in_any_case_or_with_other_characters_is_refused(
    client_as, admin_a, org_a, campaign, code, error
):
    response = client_as(admin_a).post(
        _list_url(org_a, campaign), {"label": "Poster", "destination": "campaign", "code": code}
    )
    assert response.status_code == 200
    assert _errors(response) == [error]
    assert campaign.links.count() == 1


def test_a_vacancy_link_needs_one_of_the_campaigns_vacancies(client_as, admin_a, org_a, campaign):
    ours = VacancyFactory(organisation=org_a, title="Support worker")
    campaign.vacancies.add(ours)
    not_ours = VacancyFactory(organisation=org_a)
    client = client_as(admin_a)
    url = _list_url(org_a, campaign)

    response = client.post(url, {"label": "Poster", "destination": "vacancy"})
    assert _errors(response) == ["Choose the vacancy the link goes to"]
    response = client.post(
        url, {"label": "Poster", "destination": "vacancy", "vacancy": not_ours.pk}
    )
    assert _errors(response) == ["Choose one of the vacancies this campaign recruits for"]
    assert campaign.links.count() == 1

    client.post(
        url, {"label": "Poster", "destination": "vacancy", "vacancy": ours.pk, "code": "SW-1"}
    )
    assert TrackingLink.objects.get(code="SW-1").vacancy == ours


def test_a_link_for_another_campaigns_event_is_refused(client_as, admin_a, org_a, campaign):
    elsewhere = make_event(make_campaign(org_a))
    response = client_as(admin_a).post(
        _list_url(org_a, campaign),
        {"label": "Poster", "destination": "campaign", "event": elsewhere.pk},
    )
    assert _errors(response) == ["Choose one of this campaign's events"]
    assert campaign.links.count() == 1


def test_a_campaign_without_a_public_page_cannot_link_to_it(client_as, admin_a, org_a):
    private = make_campaign(org_a, is_public=False)
    response = client_as(admin_a).post(
        _list_url(org_a, private), {"label": "Poster", "destination": "campaign"}
    )
    assert _errors(response) == [
        "This campaign has no public page: choose a vacancy or job search instead"
    ]
    assert private.links.count() == 1


def test_a_link_without_a_label_or_destination_says_what_is_missing(
    client_as, admin_a, org_a, campaign
):
    response = client_as(admin_a).post(_list_url(org_a, campaign), {})
    assert _errors(response) == [
        "Enter where the link will be used, like a poster site",
        "Choose where the link goes",
    ]


# --- QR codes --------------------------------------------------------------------------------


def test_the_qr_code_is_an_svg_of_the_links_full_address_to_download(
    client_as, admin_a, org_a, campaign, settings
):
    settings.SITE_URL = "https://hub.example.org"
    link = campaign.links.get()
    response = client_as(admin_a).get(_qr_url(org_a, campaign, link))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Disposition"] == 'attachment; filename="qr-code-armley.svg"'
    svg = response.content.decode()
    assert "<svg" in svg
    # The same modules as a QR code made from the address itself: it scans to it.
    expected = io.BytesIO()
    segno.make("https://hub.example.org/c/ARMLEY/", error="m").save(
        expected, kind="svg", scale=8, border=4
    )
    path = re.compile(r'<path[^>]* d="([^"]+)"')
    assert path.search(svg).group(1) == path.search(expected.getvalue().decode()).group(1)


# --- Who may ---------------------------------------------------------------------------------


def test_another_organisation_gets_404_for_the_links_and_qr_codes(
    client_as, org_b, member_b, campaign
):
    client = client_as(member_b)
    assert client.get(_list_url(org_b, campaign)).status_code == 404
    assert client.get(_qr_url(org_b, campaign, campaign.links.get())).status_code == 404
    response = client.post(
        _list_url(org_b, campaign), {"label": "Sneaky", "destination": "campaign", "code": "X"}
    )
    assert response.status_code == 404
    assert campaign.links.count() == 1


def test_a_link_of_another_campaign_is_404_through_this_one(client_as, admin_a, org_a, campaign):
    other = make_campaign(org_a)
    response = client_as(admin_a).get(_qr_url(org_a, campaign, other.links.get()))
    assert response.status_code == 404


def test_a_partner_sees_the_links_and_an_outreach_worker_may_not(
    client_as, org_a, org_b, member_b, campaign
):
    campaign.partner_organisations.add(org_b)
    assert client_as(member_b).get(_list_url(org_b, campaign)).status_code == 200
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    assert client_as(outreach).get(_list_url(org_a, campaign)).status_code == 403
