"""Fuzzing the query strings of staff list pages (issue 9), one test each, signed in as an
organisation admin (or a hub admin for the city-wide pages): filters, search boxes, sort
and page numbers. Whatever the query string, the page answers (a filter that makes no
sense is an error or ignored), never with a server error; 400 only for a NUL."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaigns.selectors.residents import Stage as ResidentStage
from hub.filters_audit import ACTION_KINDS
from portability.forms.requests import REGISTRATION_FILTER_CHOICES
from portability.models import Mobilisation
from talent.models import Application, StaffGroup, TrialShiftRequest, Vacancy
from tests.campaigns.builders import make_campaign, make_engagement
from tests.factories import ApplicationFactory, UserFactory, VacancyFactory
from tests.fuzz.harness import (
    assert_answered,
    fuzz_settings,
    get,
    new_client,
    rolled_back,
)
from tests.fuzz.strategies import (
    choices,
    dates_as_text,
    emails,
    hostile_text,
    numbers_as_text,
    page_numbers,
    postcodes,
    query_params,
    tokens,
    with_nul,
)
from tests.portability.builders import sign
from tests.talent.mobility_builders import make_pool_profile

pytestmark = pytest.mark.django_db

TICK = st.sampled_from(["on", "1", "", "off", "false"])


def staff_group_slugs():
    return choices(list(StaffGroup.objects.values_list("slug", flat=True)))


@pytest.fixture
def vacancy(org_a):
    vacancy = VacancyFactory(organisation=org_a, title="Care worker")
    ApplicationFactory(vacancy=vacancy)
    ApplicationFactory(vacancy=vacancy, stage="interview")
    return vacancy


@pytest.fixture
def hub_admin(db):
    return UserFactory(totp=True, is_staff=True)


@pytest.fixture
def superuser(db):
    return UserFactory(totp=True, is_staff=True, is_superuser=True)


@pytest.fixture
def pool_profile(db):
    return make_pool_profile(headline="Care worker, three years in dementia care")


@pytest.fixture
def campaign(org_a):
    campaign = make_campaign(org_a, name="Careers in care: Armley")
    make_engagement(campaign)
    return campaign


@pytest.fixture
def signatory(org_a, admin_a):
    return sign(org_a, lead=admin_a)


@fuzz_settings(30)
@given(
    params=query_params(
        {"status": choices(Vacancy.Status.values), "q": hostile_text, "page": page_numbers}
    )
)
def test_the_vacancy_list_answers_any_tab_search_and_page(admin_a, vacancy, params):
    with rolled_back():
        assert_answered(get(new_client(admin_a), "/manage/lth/vacancies/", params), params)


@fuzz_settings(30)
@given(params=query_params({"page": page_numbers}))
def test_a_vacancys_applications_answer_any_page(admin_a, vacancy, params):
    with rolled_back():
        path = f"/manage/lth/vacancies/{vacancy.pk}/applications/"
        assert_answered(get(new_client(admin_a), path, params), params)


@fuzz_settings(30)
@given(params=query_params({"stage": choices(Application.Stage.values), "page": page_numbers}))
def test_the_pipeline_answers_any_stage_and_page(admin_a, vacancy, params):
    with rolled_back():
        path = f"/manage/lth/vacancies/{vacancy.pk}/pipeline/"
        assert_answered(get(new_client(admin_a), path, params), params)


@fuzz_settings(30)
@given(
    params=query_params({"status": choices(TrialShiftRequest.Status.values), "page": page_numbers})
)
def test_the_trial_shift_requests_answer_any_tab_and_page(admin_a, vacancy, params):
    with rolled_back():
        assert_answered(get(new_client(admin_a), "/manage/lth/trial-shifts/", params), params)


@fuzz_settings(40)
@given(data=st.data())
def test_the_talent_pool_search_answers_any_filters(admin_a, pool_profile, data):
    params = data.draw(
        query_params(
            {
                "q": st.one_of(st.just('"dementia care" -nights'), hostile_text),
                "staff_group": staff_group_slugs(),
                "district": postcodes,
                "available_by": dates_as_text,
                "nights": TICK,
                "weekends": TICK,
                "min_hours": numbers_as_text,
            }
        )
    )
    with rolled_back():
        assert_answered(get(new_client(admin_a), "/manage/lth/talent-pool/", params), params)


@fuzz_settings(30)
@given(
    params=query_params(
        {
            "q": st.one_of(emails, postcodes, hostile_text),
            "stage": choices(ResidentStage.values),
            "neighbourhood": choices(["armley", "seacroft"]),
        }
    )
)
def test_a_campaigns_resident_list_answers_any_search_and_filters(admin_a, campaign, params):
    with rolled_back():
        path = f"/manage/lth/campaigns/{campaign.pk}/residents/"
        assert_answered(get(new_client(admin_a), path, params), params)


@fuzz_settings(20)
@given(params=query_params({"year": choices(["2025", "2026"])}))
def test_the_campaign_comparison_answers_any_year(admin_a, campaign, params):
    with rolled_back():
        assert_answered(get(new_client(admin_a), "/manage/lth/campaigns/compare/", params), params)


@fuzz_settings(20)
@given(data=st.data())
def test_the_portability_board_answers_any_filters(admin_a, signatory, data):
    params = data.draw(
        query_params(
            {
                "staff_group": staff_group_slugs(),
                "registration": choices([value for value, _ in REGISTRATION_FILTER_CHOICES]),
            }
        )
    )
    with rolled_back():
        path = "/manage/lth/portability/board/"
        assert_answered(get(new_client(admin_a), path, params), params)


@fuzz_settings(30)
@given(
    params=query_params(
        {
            "kind": choices([*ACTION_KINDS, "views"]),
            "date_from": dates_as_text,
            "date_to": dates_as_text,
            "person": st.one_of(numbers_as_text, tokens),
            "organisation": choices(["lth", "council"]),
            "email": emails,
        }
    ),
    city=st.booleans(),
)
def test_the_audit_logs_answer_any_filters(admin_a, hub_admin, params, city):
    with rolled_back():
        user, path = (hub_admin, "/audit/") if city else (admin_a, "/manage/lth/audit/")
        assert_answered(get(new_client(user), path, params), params)


@fuzz_settings(20)
@given(params=query_params({"status": choices(Mobilisation.Status.values)}))
def test_the_hub_admins_mobilisations_answer_any_status(hub_admin, params):
    with rolled_back():
        assert_answered(get(new_client(hub_admin), "/portability/mobilisations/", params), params)


@fuzz_settings(20)
@given(
    params=st.dictionaries(
        st.one_of(st.sampled_from(["tables", "period", "year", "from", "to"]), hostile_text),
        st.one_of(hostile_text, dates_as_text, st.lists(tokens, max_size=3)),
        max_size=4,
    )
)
def test_dashboards_reports_and_exports_ignore_stray_parameters(admin_a, hub_admin, params):
    with rolled_back():
        for user, path in (
            (admin_a, "/manage/lth/"),
            (admin_a, "/manage/lth/reports/"),
            (admin_a, "/manage/lth/exports/"),
            (admin_a, "/manage/lth/mobility/reports/"),
            (hub_admin, "/reports/city/"),
            (hub_admin, "/reports/city/exports/"),
            (hub_admin, "/mobility/reports/"),
            (hub_admin, "/portability/reports/"),
        ):
            assert_answered(get(new_client(user), path, params), params)


ADMIN_PARAMETERS = {
    "q": hostile_text,
    "o": st.one_of(numbers_as_text, st.sampled_from(["1", "-2.1", "x"])),
    "p": page_numbers,
    "action__exact": hostile_text,
    "organisation__id__exact": st.one_of(numbers_as_text, hostile_text),
    "status__exact": choices(Vacancy.Status.values),
    "e": hostile_text,
}


def one_admin_parameter():
    """One parameter at a time: Django's admin sends a request with any parameter it
    does not know to ?e=1 before it runs the query the others make."""
    return st.sampled_from(sorted(ADMIN_PARAMETERS)).flatmap(
        lambda name: st.one_of(ADMIN_PARAMETERS[name], with_nul).map(lambda value: {name: value})
    )


@fuzz_settings(30)
@given(params=one_admin_parameter())
def test_the_admins_change_lists_answer_any_search_sort_page_and_filter(superuser, params):
    with rolled_back():
        client = new_client(superuser)
        for path in ("/admin/hub/user/", "/admin/hub/auditevent/", "/admin/talent/vacancy/"):
            assert_answered(get(client, path, params), params, ok=(200, 302))
