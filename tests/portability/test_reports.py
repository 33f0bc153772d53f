"""The framework's reports: mobilisations per year, staff deployed and days shared (per
year, host, home organisation and staff group), time from request to filled (median and
average, per year and staff group, never-filled requests apart), for hub admins over
everything and for each signatory over its own; every figure below is worked out by hand
from the data in `framework`."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portability.models import (
    Deployment,
    FrameworkVersion,
    Mobilisation,
    Signatory,
    StaffOffer,
    StaffRequest,
)
from portability.selectors.reports import framework_report, organisation_report
from talent.models import StaffGroup
from tests.browser import conftest as browser
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

HUB_URL = "/portability/reports/"

# The browser fixtures, for the accessibility test at the end.
open_page = browser.open_page
browser_type_launch_args = browser.browser_type_launch_args
# Secure __Host- cookies, as in production (autouse: the test client sends them all alike).
production_cookies = browser._production_cookies
MStatus = Mobilisation.Status
DStatus = Deployment.Status


def at(year, month, day, hour=12):
    return datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)


def sign(organisation):
    return Signatory.objects.create(
        organisation=organisation,
        version=FrameworkVersion.objects.order_by("number").first(),
        lead=UserFactory(),
        deputy=UserFactory(),
    )


def mobilisation(host, raised, *, activated=None, stood_down=None, status=None):
    return Mobilisation.objects.create(
        organisation=host,
        service="Ward 12, acute medicine",
        reason="Norovirus outbreak",
        urgency=Mobilisation.Urgency.HIGH,
        starts_on=raised.date(),
        expected_end_on=raised.date() + datetime.timedelta(days=90),
        status=status
        or (MStatus.STOOD_DOWN if stood_down else MStatus.ACTIVE if activated else MStatus.RAISED),
        created_at=raised,
        activated_at=activated,
        stood_down_at=stood_down,
    )


def staff_request(mobilisation, group, needed, created, *, filled=None, cancelled=False):
    status = StaffRequest.Status
    return StaffRequest.objects.create(
        mobilisation=mobilisation,
        role="Staff nurse",
        staff_group=group,
        number_needed=needed,
        starts_on=created.date(),
        ends_on=created.date() + datetime.timedelta(days=60),
        shift_pattern="Long days",
        site="St James's",
        created_at=created,
        filled_at=filled,
        status=status.CANCELLED if cancelled else status.FILLED if filled else status.OPEN,
    )


def deployment(request, home, status, starts_on, ends_on, days_worked=None):
    offer = StaffOffer.objects.create(
        request=request,
        organisation=home,
        staff_name="Ada Okafor",
        staff_email="ada@example.org",
        job_title="Staff nurse",
        staff_agreed_on=starts_on,
        status=StaffOffer.Status.ACCEPTED,
    )
    return Deployment.objects.create(
        offer=offer,
        home=home,
        host=request.mobilisation.organisation,
        status=status,
        starts_on=starts_on,
        ends_on=ends_on,
        days_worked=days_worked,
    )


@pytest.fixture
def org_c(db):
    return OrganisationFactory(name="Leeds Community Healthcare", slug="lch")


@pytest.fixture
def groups(db):
    first, second = StaffGroup.objects.order_by("position", "name")[:2]
    return first, second


@pytest.fixture
def framework(org_a, org_b, org_c, groups):
    """Three signatories (A: Leeds Teaching Hospitals, B: Leeds City Council, C: Leeds
    Community Healthcare) over 2024 and 2025."""
    g1, g2 = groups
    for organisation in (org_a, org_b, org_c):
        sign(organisation)
    m1 = mobilisation(org_a, at(2024, 3, 1), activated=at(2024, 3, 2), stood_down=at(2024, 5, 1))
    m2 = mobilisation(org_b, at(2024, 11, 1), activated=at(2024, 11, 2), stood_down=at(2025, 1, 10))
    m3 = mobilisation(org_a, at(2025, 2, 1), activated=at(2025, 2, 1, 15))
    mobilisation(org_c, at(2025, 6, 1))
    mobilisation(org_b, at(2025, 7, 1), status=MStatus.DECLINED)

    # Days to fill: R1 2, R2 0.5, R3 6, R5 1; R4 cancelled, R6 open.
    r1 = staff_request(m1, g1, 2, at(2024, 3, 2, 9), filled=at(2024, 3, 4, 9))
    r2 = staff_request(m1, g2, 1, at(2024, 3, 3, 9), filled=at(2024, 3, 3, 21))
    r3 = staff_request(m2, g1, 2, at(2024, 11, 2, 9), filled=at(2024, 11, 8, 9))
    staff_request(m2, g1, 3, at(2024, 11, 3, 9), cancelled=True)
    r5 = staff_request(m3, g1, 1, at(2025, 2, 1, 12), filled=at(2025, 2, 2, 12))
    r6 = staff_request(m3, g2, 2, at(2025, 2, 2, 12))

    d = datetime.date
    deployment(r1, org_b, DStatus.RETURNED, d(2024, 3, 5), d(2024, 3, 18), 10)  # D1
    deployment(r1, org_c, DStatus.RETURNED, d(2024, 3, 5), d(2024, 3, 11), 7)  # D2
    deployment(r2, org_b, DStatus.RETURNED, d(2024, 3, 10), d(2024, 3, 19), 8)  # D3
    deployment(r3, org_a, DStatus.RETURNED, d(2024, 11, 10), d(2025, 1, 5), 30)  # D4
    deployment(r5, org_c, DStatus.ACTIVE, d(2025, 2, 3), d(2025, 2, 16))  # D5: 14 days
    deployment(r6, org_b, DStatus.PLANNED, d(2025, 3, 1), d(2025, 3, 10))  # D6: not yet
    deployment(r6, org_b, DStatus.ACTIVE, d(2025, 3, 1), d(2025, 3, 10))  # D7: 10 days
    deployment(r3, org_c, DStatus.RETURNED, d(2024, 11, 10), d(2024, 11, 20), 9)  # D8
    return {"groups": groups}


def figures(rows, *keys):
    return [tuple(row[key] for key in ("label", *keys)) for row in rows]


DEPLOYMENT_KEYS = ("deployed", "returned", "days_worked", "active", "planned_days")
REQUEST_KEYS = ("requests", "people", "filled", "open", "cancelled")


@pytest.fixture
def hub_admin(db):
    return UserFactory(is_staff=True, totp=True)


# --- The whole framework -------------------------------------------------------------------


def test_mobilisations_are_counted_in_the_years_they_were_raised_activated_and_stood_down(
    framework,
):
    assert framework_report()["mobilisations"] == [
        {"year": 2024, "raised": 2, "activated": 2, "stood_down": 1},
        {"year": 2025, "raised": 3, "activated": 1, "stood_down": 1},
    ]


def test_staff_deployed_and_days_shared_per_year_count_started_deployments_only(framework):
    deployments = framework_report()["deployments"]
    assert figures(deployments["by_year"], *DEPLOYMENT_KEYS) == [
        (2024, 5, 5, 64, 0, 0),
        (2025, 2, 0, 0, 2, 24),
    ]
    assert deployments["total"] == {
        "deployed": 7,
        "returned": 5,
        "days_worked": 64,
        "active": 2,
        "planned_days": 24,
    }


def test_staff_deployed_and_days_shared_by_host_and_by_home_organisation(framework):
    deployments = framework_report()["deployments"]
    assert figures(deployments["by_host"], *DEPLOYMENT_KEYS) == [
        ("Leeds City Council", 2, 2, 39, 0, 0),
        ("Leeds Teaching Hospitals NHS Trust", 5, 3, 25, 2, 24),
    ]
    assert figures(deployments["by_home"], *DEPLOYMENT_KEYS) == [
        ("Leeds City Council", 3, 2, 18, 1, 10),
        ("Leeds Community Healthcare", 3, 2, 16, 1, 14),
        ("Leeds Teaching Hospitals NHS Trust", 1, 1, 30, 0, 0),
    ]


def test_staff_deployed_and_days_shared_by_the_requests_staff_group(framework):
    g1, g2 = framework["groups"]
    rows = framework_report()["deployments"]["by_staff_group"]
    assert figures(rows, *DEPLOYMENT_KEYS) == [
        (g1.name, 5, 4, 56, 1, 14),
        (g2.name, 2, 1, 8, 1, 10),
    ]
    assert [row["staff_group_id"] for row in rows] == [g1.pk, g2.pk]


def test_time_to_fill_per_year_gives_median_and_average_and_counts_unfilled_apart(framework):
    requests = framework_report()["requests"]
    assert figures(requests["by_year"], *REQUEST_KEYS) == [
        (2024, 4, 8, 3, 0, 1),
        (2025, 2, 3, 1, 1, 0),
    ]
    (y2024, y2025) = requests["by_year"]
    assert y2024["median_days"] == pytest.approx(2.0)
    assert y2024["average_days"] == pytest.approx(8.5 / 3)
    assert y2025["median_days"] == pytest.approx(1.0)
    assert y2025["average_days"] == pytest.approx(1.0)
    total = requests["total"]
    assert (total["requests"], total["people"], total["filled"]) == (6, 11, 4)
    assert (total["open"], total["cancelled"]) == (1, 1)
    assert total["median_days"] == pytest.approx(1.5)
    assert total["average_days"] == pytest.approx(9.5 / 4)


def test_time_to_fill_per_staff_group(framework):
    g1, g2 = framework["groups"]
    rows = framework_report()["requests"]["by_staff_group"]
    assert figures(rows, *REQUEST_KEYS) == [
        (g1.name, 4, 8, 3, 0, 1),
        (g2.name, 2, 3, 1, 1, 0),
    ]
    assert rows[0]["median_days"] == pytest.approx(2.0)
    assert rows[0]["average_days"] == pytest.approx(3.0)
    assert rows[1]["median_days"] == pytest.approx(0.5)
    assert rows[1]["average_days"] == pytest.approx(0.5)


def test_a_year_with_nothing_filled_has_no_median(org_a, groups):
    sign(org_a)
    m = mobilisation(org_a, at(2025, 2, 1), activated=at(2025, 2, 1))
    staff_request(m, groups[0], 1, at(2025, 2, 1))
    (row,) = framework_report()["requests"]["by_year"]
    assert (row["filled"], row["open"], row["median_days"], row["average_days"]) == (
        0,
        1,
        None,
        None,
    )


def test_the_report_of_an_empty_framework_has_no_rows(db):
    report = framework_report()
    assert report["mobilisations"] == []
    assert report["deployments"]["by_year"] == []
    assert report["deployments"]["total"]["deployed"] == 0
    assert report["requests"]["by_staff_group"] == []


# --- One organisation ----------------------------------------------------------------------


def test_an_organisation_counts_only_its_own_mobilisations(framework, org_a, org_b):
    assert organisation_report(org_a)["mobilisations"] == [
        {"year": 2024, "raised": 1, "activated": 1, "stood_down": 1},
        {"year": 2025, "raised": 1, "activated": 1, "stood_down": 0},
    ]
    assert organisation_report(org_b)["mobilisations"] == [
        {"year": 2024, "raised": 1, "activated": 1, "stood_down": 0},
        {"year": 2025, "raised": 1, "activated": 0, "stood_down": 1},
    ]


def test_an_organisation_counts_only_deployments_where_it_is_home_or_host(framework, org_a):
    g1, g2 = framework["groups"]
    deployments = organisation_report(org_a)["deployments"]
    assert figures(deployments["by_year"], *DEPLOYMENT_KEYS) == [
        (2024, 4, 4, 55, 0, 0),
        (2025, 2, 0, 0, 2, 24),
    ]
    assert figures(deployments["by_host"], *DEPLOYMENT_KEYS) == [
        ("Leeds City Council", 1, 1, 30, 0, 0),
        ("Leeds Teaching Hospitals NHS Trust", 5, 3, 25, 2, 24),
    ]
    assert figures(deployments["by_home"], *DEPLOYMENT_KEYS) == [
        ("Leeds City Council", 3, 2, 18, 1, 10),
        ("Leeds Community Healthcare", 2, 1, 7, 1, 14),
        ("Leeds Teaching Hospitals NHS Trust", 1, 1, 30, 0, 0),
    ]
    assert figures(deployments["by_staff_group"], *DEPLOYMENT_KEYS) == [
        (g1.name, 4, 3, 47, 1, 14),
        (g2.name, 2, 1, 8, 1, 10),
    ]
    assert deployments["total"]["deployed"] == 6


def test_an_organisation_times_only_its_own_requests(framework, org_a, org_c):
    g1, g2 = framework["groups"]
    requests = organisation_report(org_a)["requests"]
    assert figures(requests["by_year"], *REQUEST_KEYS) == [
        (2024, 2, 3, 2, 0, 0),
        (2025, 2, 3, 1, 1, 0),
    ]
    assert requests["by_year"][0]["median_days"] == pytest.approx(1.25)
    assert requests["by_year"][1]["median_days"] == pytest.approx(1.0)
    assert figures(requests["by_staff_group"], *REQUEST_KEYS) == [
        (g1.name, 2, 3, 2, 0, 0),
        (g2.name, 2, 3, 1, 1, 0),
    ]
    assert requests["by_staff_group"][0]["median_days"] == pytest.approx(1.5)
    assert requests["by_staff_group"][1]["average_days"] == pytest.approx(0.5)
    # C raised one mobilisation, never activated, and asked for no one.
    assert organisation_report(org_c)["requests"]["by_year"] == []


# --- Pages ---------------------------------------------------------------------------------


def _organisation_url(organisation):
    return reverse("portability_reports:reports", kwargs={"org_slug": organisation.slug})


def test_hub_page_is_at_portability_reports():
    assert reverse("portability_hub:reports") == HUB_URL


def test_hub_admin_sees_every_figure_in_captioned_tables(client_as, hub_admin, framework):
    response = client_as(hub_admin).get(HUB_URL)
    assert response.status_code == 200
    html = response.content.decode()
    for caption in (
        "Mobilisations per year, every organisation",
        "Staff deployed and days shared per year, every organisation",
        "Staff deployed and days shared by host organisation, every organisation",
        "Staff deployed and days shared by home organisation, every organisation",
        "Staff deployed and days shared by staff group, every organisation",
        "Time from request to filled per year, every organisation",
        "Time from request to filled by staff group, every organisation",
    ):
        assert f'nhsuk-table__caption--s">{caption}</caption>' in html
    assert 'aria-hidden="true">Days worked (returned) </span>64<' in html
    assert 'aria-hidden="true">Median days to fill </span>2.0<' in html
    assert 'aria-hidden="true">Average days to fill </span>2.8<' in html
    assert "Leeds Community Healthcare" in html


def test_hub_page_is_refused_to_anyone_but_a_hub_admin(client_as, client, admin_a, framework):
    assert client_as(admin_a).get(HUB_URL).status_code == 404
    client.logout()
    response = client.get(HUB_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_organisation_page_shows_its_own_figures_only(client_as, staff_a, org_a, framework):
    response = client_as(staff_a).get(_organisation_url(org_a))
    assert response.status_code == 200
    report = response.context["report"]
    assert report == organisation_report(org_a)
    assert report["deployments"]["total"]["deployed"] == 6
    html = response.content.decode()
    assert "Mobilisations per year, Leeds Teaching Hospitals NHS Trust" in html
    assert 'aria-hidden="true">Days worked (returned) </span>55<' in html
    assert 'aria-hidden="true">Days worked (returned) </span>64<' not in html


def test_organisation_page_of_an_empty_signatory_says_there_is_nothing_yet(
    client_as, staff_a, org_a
):
    sign(org_a)
    html = client_as(staff_a).get(_organisation_url(org_a)).content.decode()
    assert "No mobilisations yet." in html
    assert "No one has been deployed yet." in html
    assert "No requests for staff yet." in html


def test_a_non_signatory_sees_the_sign_first_page_and_no_figures(client_as, staff_a, org_a):
    response = client_as(staff_a).get(_organisation_url(org_a))
    assert response.status_code == 403
    assert "has not signed the Staff Portability Framework" in response.content.decode()
    assert "report" not in response.context


def test_a_withdrawn_signatory_sees_the_sign_first_page(client_as, staff_a, org_a, framework):
    Signatory.objects.filter(organisation=org_a).update(withdrawn_at=timezone.now())
    response = client_as(staff_a).get(_organisation_url(org_a))
    assert response.status_code == 403
    assert "withdrew from the framework" in response.content.decode()


def test_another_organisations_member_gets_404(client_as, member_b, org_a, framework):
    assert client_as(member_b).get(_organisation_url(org_a)).status_code == 404


# --- Queries -------------------------------------------------------------------------------


def _more(org_a, org_b, org_c, groups, count):
    """`count` more mobilisations of each of A and B, each with a filled request and a
    returned deployment from another organisation."""
    for index in range(count):
        for host, home in ((org_a, org_c), (org_b, org_a)):
            m = mobilisation(host, at(2023, 1, 1 + index), activated=at(2023, 1, 2 + index))
            r = staff_request(
                m, groups[index % 2], 1, at(2023, 1, 2 + index), filled=at(2023, 1, 3 + index)
            )
            starts_on = datetime.date(2023, 1, 5)
            deployment(r, home, DStatus.RETURNED, starts_on, starts_on, 1)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["hub", "organisation"])
def test_the_pages_run_the_same_number_of_queries_for_little_or_much_data(
    page, client_as, hub_admin, staff_a, org_a, org_b, org_c, groups, framework
):
    client = client_as(hub_admin if page == "hub" else staff_a)
    url = HUB_URL if page == "hub" else _organisation_url(org_a)
    client.get(url)  # The first visit stores the session.
    small = _queries(client, url)
    _more(org_a, org_b, org_c, groups, 12)
    assert _queries(client, url) == small
    assert small <= 10


@pytest.mark.parametrize("scope", ["framework", "organisation"])
def test_the_figures_take_three_queries(scope, django_assert_num_queries, framework, org_a):
    with django_assert_num_queries(3):
        framework_report() if scope == "framework" else organisation_report(org_a)


# --- Accessibility -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_both_report_pages_are_accessible_on_a_phone(open_page, hub_admin, staff_a, framework):
    for user, url in ((hub_admin, HUB_URL), (staff_a, "/manage/lth/portability/reports/")):
        page = open_page(phone=True)
        browser.sign_in_with_two_factor(page, user, PASSWORD)
        page.goto(url)
        browser.assert_accessible(page)
        assert page.get_by_role("table").count() == 7
