"""The organisation and city dashboards: every figure against a small set of records
counted by hand, "<5" for small numbers in the equity tables, tenancy, caching and the
queries a page runs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Engagement
from hub import dashboards
from hub.models import Membership
from hub.report_tables import REGISTRY
from hub.small_numbers import SUPPRESSION_NOTE
from portability.models import Deployment
from talent.models import Application, EqualityMonitoring, Offer, SecondmentAgreement, Vacancy
from talent.reports import MONITORING_QUESTIONS
from tests.campaigns.builders import make_campaign, make_engagement, make_neighbourhood
from tests.factories import (
    ApplicationFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    VacancyFactory,
)
from tests.portability.builders import make_deployment
from tests.talent.mobility_builders import make_agreement

Stage = Application.Stage
AgreementStatus = SecondmentAgreement.Status


def _hire(application, *, days_after_closing):
    """An unconditional offer `days_after_closing` days after the vacancy closed."""
    closing = application.vacancy.closing_date
    at = timezone.make_aware(
        datetime.datetime.combine(
            closing + datetime.timedelta(days=days_after_closing), datetime.time(12)
        )
    )
    Offer.objects.create(
        application=application, conditional_at=at - datetime.timedelta(days=1), unconditional_at=at
    )


def _monitor(application, **answers):
    EqualityMonitoring.objects.create(application=application, **answers)


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Every test counts its own figures: the dashboards' cache starts empty."""
    dashboards.figures_cache.clear()


def _two_months_ago():
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - 2
    year, month = divmod(index, 12)
    return timezone.make_aware(datetime.datetime(year, month + 1, 15, 12))


@pytest.fixture
def records(org_a, org_b):
    return build_records(org_a, org_b)


def build_records(org_a, org_b):
    """A (Leeds Teaching Hospitals) and B (Leeds City Council), counted by hand below.

    A: v1 open with a1 submitted (job search, LS12 3, female), a2 submitted (campaign,
    LS12 2, female), a3 screening (campaign, LS8 2, male) and a draft; v2 closed ten
    days ago with a4 hired 7 days after closing (friend, LS12 3, female), a5 hired 12
    days after (job search, no postcode) and a6 unsuccessful (no source, LS1 3, sent two
    months ago). B: vb open with b1..b3 submitted (job search, LS12 3; b1 and b2
    female). Armley (LS12 2, LS12 3) is decile 1, Roundhay (LS8 2) decile 9."""
    make_neighbourhood("Armley", decile=1, sectors=("LS12 2", "LS12 3"))
    make_neighbourhood("Roundhay", ward="Roundhay", decile=9, sectors=("LS8 2",))
    today = timezone.localdate()
    v1 = VacancyFactory(organisation=org_a, title="Healthcare Assistant, ward 5")
    v2 = VacancyFactory(
        organisation=org_a,
        title="Porter",
        status=Vacancy.Status.CLOSED,
        closing_date=today - datetime.timedelta(days=10),
    )
    vb = VacancyFactory(organisation=org_b, title="Care Worker, council homes")
    a1 = ApplicationFactory(vacancy=v1, source="job_search", postcode="LS12 3AB")
    a2 = ApplicationFactory(vacancy=v1, source="campaign", postcode="LS12 2XY")
    a3 = ApplicationFactory(
        vacancy=v1, stage=Stage.SCREENING, source="campaign", postcode="LS8 2AA"
    )
    ApplicationFactory(vacancy=v1, stage=Stage.DRAFT)
    a4 = ApplicationFactory(vacancy=v2, stage=Stage.HIRED, source="friend", postcode="LS12 3AB")
    a5 = ApplicationFactory(vacancy=v2, stage=Stage.HIRED, source="job_search", postcode="")
    ApplicationFactory(
        vacancy=v2,
        stage=Stage.REJECTED,
        source="",
        postcode="LS1 3EX",
        submitted_at=_two_months_ago(),
    )
    _hire(a4, days_after_closing=7)
    _hire(a5, days_after_closing=12)
    b1, b2, _b3 = (
        ApplicationFactory(vacancy=vb, source="job_search", postcode="LS12 3AB") for _ in range(3)
    )
    for application in (a1, a2, a4, b1, b2):
        _monitor(application, sex=EqualityMonitoring.Sex.FEMALE)
    _monitor(a3, sex=EqualityMonitoring.Sex.MALE)

    # Secondments: A → B active, A → B completed, B → A active, B → C proposed.
    org_c = OrganisationFactory(name="Leeds Beckett University", slug="beckett")
    make_agreement(org_a, org_b, status=AgreementStatus.ACTIVE)
    make_agreement(org_a, org_b, status=AgreementStatus.COMPLETED)
    make_agreement(org_b, org_a, status=AgreementStatus.ACTIVE)
    make_agreement(org_b, org_c)
    # Deployments: B's nurse planned at A; A's nurse active at B.
    make_deployment(home=org_b, host=org_a)
    Deployment.objects.filter(pk=make_deployment(home=org_a, host=org_b).pk).update(
        status=Deployment.Status.ACTIVE
    )
    # Campaigns: A leads one (3 engaged, 1 applied), is a partner in B's second (2
    # engaged), and has no part in B's third (1 engaged).
    led = make_campaign(org_a, name="Armley into care")
    for applied in (True, False, False):
        make_engagement(led, applied_on=today if applied else None)
    partnered = make_campaign(org_b, partners=[org_a], name="East Leeds careers")
    for _ in range(2):
        make_engagement(partnered)
    make_engagement(make_campaign(org_b, name="Council apprenticeships"))
    return {"org_c": org_c}


def _rows(table) -> dict:
    return {row[0]: row[1:] for row in table.rows}


# --- The organisation's figures --------------------------------------------------------------


def test_the_organisation_figures_are_the_hand_counted_ones(records, org_a):
    tables = dashboards.organisation_figures(org_a)

    assert tables["organisation.open_vacancies"].rows == [
        ["Healthcare Assistant, ward 5", "", timezone.localdate() + datetime.timedelta(days=28), 3]
    ]
    stages = _rows(tables["organisation.applications_by_stage"])
    assert stages == {
        "Submitted": [2],
        "Screening": [1],
        "Shortlisted": [0],
        "Interview": [0],
        "Offer": [0],
        "Pre-employment checks": [0],
        "Hired": [2],
        "Unsuccessful": [1],
        "Withdrawn": [0],
    }
    sources = _rows(tables["organisation.applications_by_source"])
    assert sources["Searching on Workforce Hub"] == [2]
    assert sources["A community event or campaign"] == [2]
    assert sources["A friend, family member or colleague"] == [1]
    assert sources["Not given"] == [1]
    assert sum(count for (count,) in sources.values()) == 6
    # Hires 7 and 12 days after closing: the median is 9.5.
    assert tables["organisation.time_to_hire"].rows == [[org_a.name, 9.5, 2]]


def test_applications_per_month_cover_twelve_months_ending_with_this_one(records, org_a):
    rows = dashboards.organisation_figures(org_a)["organisation.applications_per_month"].rows
    today = timezone.localdate()
    assert len(rows) == 12
    assert rows[-1] == [today.strftime("%B %Y"), 5]
    assert rows[-3] == [_two_months_ago().strftime("%B %Y"), 1]
    assert sum(count for _, count in rows) == 6


def test_secondments_and_deployments_are_counted_out_and_in(records, org_a):
    tables = dashboards.organisation_figures(org_a)
    secondments = _rows(tables["organisation.secondments"])
    assert secondments["Active"] == [1, 1]
    assert secondments["Completed"] == [1, 0]
    assert secondments["Proposed"] == [0, 0]
    deployments = _rows(tables["organisation.deployments"])
    assert deployments["Planned"] == [0, 1]
    assert deployments["Active"] == [1, 0]
    assert deployments["Returned"] == [0, 0]


def test_campaign_reach_covers_the_campaigns_it_leads_or_joins(records, org_a):
    reach = _rows(dashboards.organisation_figures(org_a)["organisation.campaign_reach"])
    assert reach == {
        "Armley into care": ["Lead", 3, 0, 1, 0],
        "East Leeds careers": ["Partner", 2, 0, 0, 0],
    }


def test_each_registered_table_builds_the_same_figures_as_the_dashboard(records, org_a):
    """Exports build one table at a time: the same figures as the page."""
    tables = dashboards.organisation_figures(org_a)
    for key, table in tables.items():
        assert REGISTRY[key].build(org_a) == table, key
    city = dashboards.city_figures()
    for key, table in city.items():
        assert REGISTRY[key].build(None) == table, key


def test_another_organisations_figures_never_appear(records, org_b):
    tables = dashboards.organisation_figures(org_b)
    assert _rows(tables["organisation.applications_by_stage"])["Submitted"] == [3]
    assert _rows(tables["organisation.applications_by_stage"])["Hired"] == [0]
    assert tables["organisation.time_to_hire"].rows == [[org_b.name, None, 0]]
    assert [row[0] for row in tables["organisation.open_vacancies"].rows] == [
        "Care Worker, council homes"
    ]
    assert set(_rows(tables["organisation.campaign_reach"])) == {
        "East Leeds careers",
        "Council apprenticeships",
    }


# --- The city's figures ----------------------------------------------------------------------


def test_the_city_figures_are_the_hand_counted_ones(records, org_a, org_b):
    tables = dashboards.city_figures()
    open_vacancies = _rows(tables["city.open_vacancies"])
    assert open_vacancies[org_a.name] == [1, 3]
    assert open_vacancies[org_b.name] == [1, 3]
    assert open_vacancies["Leeds Beckett University"] == [0, 0]

    stages = tables["city.applications_by_stage"]
    assert stages.headers[-1] == "All sent"
    by_organisation = _rows(stages)
    assert by_organisation[org_a.name] == [2, 1, 0, 0, 0, 0, 2, 1, 0, 6]
    assert by_organisation[org_b.name] == [3, 0, 0, 0, 0, 0, 0, 0, 0, 3]
    assert by_organisation["All partners"] == [5, 1, 0, 0, 0, 0, 2, 1, 0, 9]

    assert _rows(tables["city.applications_by_source"])["Searching on Workforce Hub"] == [5]
    time_to_hire = _rows(tables["city.time_to_hire"])
    assert time_to_hire[org_a.name] == [9.5, 2]
    assert time_to_hire[org_b.name] == [None, 0]
    assert time_to_hire["All partners"] == [9.5, 2]

    assert tables["city.applications_per_month"].rows[-1][1] == 8
    assert _rows(tables["city.secondments"]) == {
        "Proposed": [1],
        "Approved by the home organisation": [0],
        "Approved by both": [0],
        "Active": [2],
        "Completed": [1],
        "Cancelled": [0],
    }
    assert _rows(tables["city.deployments"]) == {
        "Planned": [1],
        "Checks complete": [0],
        "Active": [1],
        "Returned": [0],
    }
    reach = _rows(tables["city.campaign_reach"])
    assert reach["Council apprenticeships"] == [org_b.name, 1, 0, 0, 0]
    assert reach["Armley into care"] == [org_a.name, 3, 0, 1, 0]


def test_equity_of_reach_by_decile_shows_small_numbers_as_under_five(records):
    deciles = _rows(dashboards.city_figures()["city.hires_by_imd_decile"])
    # Decile 1 (LS12 2, LS12 3): a1, a2, a4, b1, b2, b3; one hire (a4).
    assert deciles["1 (most deprived)"] == [6, "<5"]
    # Decile 9 (LS8 2): a3 alone.
    assert deciles["9"] == ["<5", 0]
    assert deciles["10 (least deprived)"] == [0, 0]
    # No postcode (a5) and a sector in no neighbourhood (a6).
    assert deciles["Not known"] == ["<5", "<5"]
    assert list(deciles)[:3] == ["1 (most deprived)", "2", "3"]


def test_equality_monitoring_is_only_in_aggregate_with_small_numbers_hidden(records):
    table = dashboards.city_figures()["city.applications_by_equality_monitoring"]
    assert table.headers == ["Question", "Answer", "Applications", "Hires"]
    sex = {row[1]: row[2:] for row in table.rows if row[0] == "Sex"}
    assert sex == {
        "Female": [5, "<5"],
        "Male": ["<5", 0],
        "Prefer not to say": [0, 0],
        "Not answered": ["<5", "<5"],
    }
    ethnic = {row[1]: row[2:] for row in table.rows if row[0] == "Ethnic group"}
    assert ethnic["Not answered"] == [9, "<5"]
    assert {row[0] for row in table.rows} == {
        question for question, _ in MONITORING_QUESTIONS.values()
    }
    assert table.notes == [SUPPRESSION_NOTE]


def test_every_dashboard_table_is_registered_under_its_scope():
    organisation_keys = {key for key in REGISTRY if key.startswith("organisation.")}
    city_keys = {key for key in REGISTRY if key.startswith("city.")}
    assert {
        "organisation.open_vacancies",
        "organisation.applications_by_stage",
        "organisation.applications_by_source",
        "organisation.time_to_hire",
        "organisation.applications_per_month",
        "organisation.secondments",
        "organisation.deployments",
        "organisation.campaign_reach",
    } <= organisation_keys
    assert {"city.hires_by_imd_decile", "city.applications_by_equality_monitoring"} <= city_keys
    assert all(REGISTRY[key].scope == "city" for key in city_keys)


# --- Pages -----------------------------------------------------------------------------------


def _organisation_url(org):
    return reverse("hub:organisation_reports", kwargs={"org_slug": org.slug})


CITY_URL = "/reports/city/"


def test_staff_see_their_dashboard_with_charts_and_tables(records, client_as, org_a, staff_a):
    page = client_as(staff_a).get(_organisation_url(org_a))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Applications by stage</caption>" in text
    assert 'role="img"' in text
    assert "Healthcare Assistant, ward 5" in text
    assert "Armley into care" in text
    assert "Figures counted at" in text


def test_another_organisations_records_are_not_on_the_page(records, client_as, org_a, staff_a):
    text = client_as(staff_a).get(_organisation_url(org_a)).content.decode()
    assert "Care Worker, council homes" not in text
    assert "Council apprenticeships" not in text


def test_a_member_of_another_organisation_gets_404(records, client_as, org_a, member_b):
    assert client_as(member_b).get(_organisation_url(org_a)).status_code == 404


def test_outreach_workers_cannot_see_the_dashboard(client_as, org_a):
    outreach = MembershipFactory(organisation=org_a, role=Membership.Role.OUTREACH).user
    assert client_as(outreach).get(_organisation_url(org_a)).status_code == 403


def test_the_city_dashboard_is_not_found_for_anyone_but_hub_admins(client, client_as, admin_a):
    assert client.get(CITY_URL).status_code == 302
    assert client_as(admin_a).get(CITY_URL).status_code == 404


def test_hub_admins_see_the_city_dashboard_with_equity_of_reach(records, client_as):
    hub_admin = UserFactory(is_staff=True, totp=True)
    page = client_as(hub_admin).get(CITY_URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Applications and hires by neighbourhood deprivation decile</caption>" in text
    assert "Applications and hires by equality monitoring answer</caption>" in text
    assert "&lt;5" in text


def test_the_organisation_page_runs_few_queries_and_fewer_from_the_cache(
    records, client_as, org_a, staff_a, django_assert_max_num_queries
):
    client = client_as(staff_a)
    url = _organisation_url(org_a)
    client.get(url)  # the first visit records the acting organisation in the session
    dashboards.figures_cache.clear()
    with django_assert_max_num_queries(10) as cold:
        client.get(url)
    with django_assert_max_num_queries(len(cold.captured_queries) - 6):
        page = client.get(url)
    assert "Healthcare Assistant, ward 5" in page.content.decode()


def test_the_city_page_runs_few_queries_and_fewer_from_the_cache(
    records, client_as, django_assert_max_num_queries
):
    client = client_as(UserFactory(is_staff=True, totp=True))
    client.get(CITY_URL)  # the first visit writes the session
    dashboards.figures_cache.clear()
    with django_assert_max_num_queries(10) as cold:
        client.get(CITY_URL)
    with django_assert_max_num_queries(len(cold.captured_queries) - 6):
        client.get(CITY_URL)


def test_figures_are_cached_per_organisation_for_a_few_minutes(records, org_a, org_b):
    first = dashboards.cached_figures(org_a)
    ApplicationFactory(vacancy=Vacancy.objects.get(title="Healthcare Assistant, ward 5"))
    # Within the cache's lifetime the page shows the figures it counted, and says when.
    assert dashboards.cached_figures(org_a).computed_at == first.computed_at
    assert _rows(dashboards.cached_figures(org_a).tables["organisation.applications_by_stage"])[
        "Submitted"
    ] == [2]
    # Another organisation's figures are cached apart.
    assert dashboards.cache_key(org_a) != dashboards.cache_key(org_b)
    assert dashboards.cached_figures(org_b).tables != first.tables
    dashboards.figures_cache.delete(dashboards.cache_key(org_a))
    assert _rows(dashboards.cached_figures(org_a).tables["organisation.applications_by_stage"])[
        "Submitted"
    ] == [3]


def test_the_dashboard_is_linked_from_the_organisation_page(client_as, org_a, staff_a):
    page = client_as(staff_a).get(
        reverse("hub:organisation_dashboard", kwargs={"org_slug": org_a.slug})
    )
    assert _organisation_url(org_a) in page.content.decode()


def test_the_city_dashboard_is_linked_from_a_hub_admins_account(db, client_as):
    page = client_as(UserFactory(is_staff=True, totp=True)).get(reverse("hub:dashboard"))
    assert CITY_URL in page.content.decode()


def test_an_engagement_outside_the_organisation_changes_nothing_for_it(records, org_a):
    before = dashboards.organisation_figures(org_a)["organisation.campaign_reach"]
    campaign = make_campaign(records["org_c"], name="Beckett open day")
    make_engagement(campaign)
    assert Engagement.objects.filter(campaign=campaign).count() == 1
    assert dashboards.organisation_figures(org_a)["organisation.campaign_reach"] == before
