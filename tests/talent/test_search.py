"""The public job search at /jobs/: keyword ranking, every filter, the counts beside each
option, errors that never 500, only live jobs, pagination, a fixed number of queries,
the in-place update's partial, and the search kept for alerts and feeds."""

import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hub.models import Organisation
from talent.models import StaffGroup, Vacancy
from talent.selectors.search import vacancies_matching, vacancy_search
from tests.factories import OrganisationFactory
from tests.factories import VacancyFactory as BaseVacancyFactory

pytestmark = pytest.mark.django_db


class VacancyFactory(BaseVacancyFactory):
    """A live vacancy whose words are its title's alone, so keyword tests say which
    vacancy a word is in (the shared factory's text mentions nurses)."""

    summary = "A job in health and care."
    description = "Details of the job."
    essential_criteria = ""


SEARCH = "/jobs/"


def _found(response) -> list[str]:
    return [vacancy.title for vacancy in response.context["search"].page.object_list]


def _group(slug: str) -> StaffGroup:
    return StaffGroup.objects.get(slug=slug)


def _days(n: int):
    return timezone.localdate() + timedelta(days=n)


def _counts(response, name: str) -> dict[str, int]:
    """{option value: count} of one filter, as the page shows them."""
    return {
        option.value: option.count
        for facet in response.context["search"].facets
        for option in facet.options
        if option.name == name
    }


def test_the_search_page_is_at_jobs(client):
    assert reverse("jobs:search") == SEARCH
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert b"Find a job in health and care" in response.content


# -- keywords ---------------------------------------------------------------------------


def test_a_title_match_ranks_above_a_description_only_match(client):
    in_title = VacancyFactory(title="Phlebotomist", published_at=timezone.now() - timedelta(days=3))
    in_description = VacancyFactory(
        title="Outpatients clinic support worker",
        description="You will work alongside our phlebotomist team. Phlebotomist training "
        "is given, and a phlebotomist mentor supports you.",
    )
    VacancyFactory(title="Porter", description="Move patients safely around the hospital.")

    response = client.get(SEARCH, {"q": "phlebotomist"})

    assert _found(response) == [in_title.title, in_description.title]
    assert response.context["search"].sort == "relevance"


def test_keywords_are_stemmed_and_read_like_a_search_engine(client):
    VacancyFactory(title="Registered nurse, night shifts")
    VacancyFactory(title="Nursing associate")
    VacancyFactory(title="Night porter")

    assert sorted(_found(client.get(SEARCH, {"q": "nurses"}))) == [
        "Nursing associate",
        "Registered nurse, night shifts",
    ]
    assert _found(client.get(SEARCH, {"q": "night -porter"})) == ["Registered nurse, night shifts"]
    assert _found(client.get(SEARCH, {"q": '"night porter"'})) == ["Night porter"]


def test_keywords_made_only_of_punctuation_or_stop_words_find_nothing_without_error(client):
    VacancyFactory(title="Porter")
    for keywords in ["the", "&&& !!", "'", ":*"]:
        response = client.get(SEARCH, {"q": keywords})
        assert response.status_code == 200
        assert _found(response) == []


# -- each filter ------------------------------------------------------------------------


def _resolve(kwargs: dict, organisations: dict) -> dict:
    resolved = dict(kwargs)
    if "organisation" in resolved:
        resolved["organisation"] = organisations[resolved["organisation"]]
    if "staff_group" in resolved:
        resolved["staff_group"] = _group(resolved["staff_group"])
    if "closing_in" in resolved:
        resolved["closing_date"] = _days(resolved.pop("closing_in"))
    return resolved


FILTERS = [
    pytest.param({"q": "midwife"}, [{"title": "Community midwife"}], {"title": "Porter"}, id="q"),
    pytest.param(
        {"organisation": "lth"}, [{"organisation": "a"}], {"organisation": "b"}, id="organisation"
    ),
    pytest.param(
        {"organisation": ["lth", "council"]},
        [{"organisation": "a"}, {"organisation": "b"}],
        {"organisation": "care"},
        id="organisation-several",
    ),
    pytest.param(
        {"kind": "local_authority"}, [{"organisation": "b"}], {"organisation": "a"}, id="kind"
    ),
    pytest.param(
        {"kind": ["local_authority", "care_provider"]},
        [{"organisation": "b"}, {"organisation": "care"}],
        {"organisation": "a"},
        id="kind-several",
    ),
    pytest.param(
        {"staff_group": "nursing-and-midwifery"},
        [{"staff_group": "nursing-and-midwifery"}],
        {"staff_group": "estates-and-facilities"},
        id="staff_group",
    ),
    pytest.param({"band": "5"}, [{"band": "5"}], {"band": "3"}, id="band"),
    pytest.param(
        {"band": ["5", "8a"]}, [{"band": "5"}, {"band": "8a"}], {"band": "3"}, id="band-several"
    ),
    pytest.param(
        {"contract": "bank"},
        [{"contract_type": "bank"}],
        {"contract_type": "permanent"},
        id="contract",
    ),
    pytest.param(
        {"pattern": ["nights", "weekends"]},
        [{"working_patterns": ["nights"]}, {"working_patterns": ["part_time", "weekends"]}],
        {"working_patterns": ["full_time"]},
        id="pattern-any-of",
    ),
    pytest.param(
        {"max_hours": "20"},
        [{"hours_per_week": Decimal("16")}, {"hours_per_week": Decimal("20")}],
        {"hours_per_week": Decimal("37.5")},
        id="max_hours",
    ),
    pytest.param(
        {"entry_level": "1"}, [{"entry_level": True}], {"entry_level": False}, id="entry_level"
    ),
    pytest.param(
        {"trial_shift": "1"},
        [{"trial_shift_available": True}],
        {"trial_shift_available": False},
        id="trial_shift",
    ),
    pytest.param(
        {"apprenticeship": "1"},
        [{"apprenticeship": True}, {"contract_type": "apprenticeship"}],
        {"apprenticeship": False},
        id="apprenticeship",
    ),
    pytest.param(
        {"closing_within": "7"},
        [{"closing_in": 0}, {"closing_in": 7}],
        {"closing_in": 8},
        id="closing_within",
    ),
    pytest.param(
        {"district": "LS9"}, [{"postcode": "LS9 7TF"}], {"postcode": "LS1 3EX"}, id="district"
    ),
    pytest.param(
        {"district": " ls9 "},
        [{"postcode": "LS9 7TF"}],
        {"postcode": "LS1 3EX"},
        id="district-case",
    ),
    pytest.param(
        {"district": "ls9 7tf"},
        [{"postcode": "LS9 7TF"}],
        {"postcode": "LS97 1AA"},
        id="district-full-postcode",
    ),
    pytest.param(
        {"district": "LS97TF"},
        [{"postcode": "LS9 7TF"}],
        {"postcode": "LS1 3EX"},
        id="district-postcode-without-space",
    ),
]


@pytest.mark.parametrize(("params", "matching", "other"), FILTERS)
def test_each_filter_narrows_the_results(client, org_a, org_b, params, matching, other):
    org_b.kind = Organisation.Kind.LOCAL_AUTHORITY
    org_b.save()
    organisations = {
        "a": org_a,
        "b": org_b,
        "care": OrganisationFactory(kind=Organisation.Kind.CARE_PROVIDER, slug="care"),
    }
    expected = {
        VacancyFactory(**_resolve({"title": f"Match {n}", **kwargs}, organisations)).title
        for n, kwargs in enumerate(matching)
    }
    VacancyFactory(**_resolve({"title": "Left out", **other}, organisations))
    assert Vacancy.objects.count() == len(matching) + 1

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    assert not response.context["search"].has_errors
    assert set(_found(response)) == expected
    assert response.context["search"].total == len(expected)


def test_filters_in_different_groups_all_apply(client):
    VacancyFactory(title="Band 5 bank", band="5", contract_type="bank")
    VacancyFactory(title="Band 5 permanent", band="5", contract_type="permanent")
    VacancyFactory(title="Band 3 bank", band="3", contract_type="bank")

    response = client.get(SEARCH, {"band": "5", "contract": "bank"})

    assert _found(response) == ["Band 5 bank"]


def test_an_unticked_checkbox_does_not_filter(client):
    VacancyFactory(title="Needs experience", entry_level=False)
    VacancyFactory(title="No experience needed", entry_level=True)

    response = client.get(SEARCH, {"entry_level": ""})

    assert len(_found(response)) == 2


def test_chosen_filters_stay_ticked_on_the_page(client):
    VacancyFactory(band="5")
    response = client.get(SEARCH, {"band": "5", "entry_level": "1", "closing_within": "14"})
    html = response.content.decode()
    assert re.search(r'id="id_band_4"[^>]*value="5" checked', html)
    assert re.search(r'id="id_entry_level"[^>]*value="1" checked', html)
    assert re.search(r'id="id_closing_within_2"[^>]*value="14" checked', html)
    assert not re.search(r'id="id_closing_within_0"[^>]*checked', html)


# -- counts ------------------------------------------------------------------------------


def test_each_option_counts_the_jobs_it_would_find_with_the_other_filters(client):
    VacancyFactory(band="3", contract_type="permanent", entry_level=True)
    VacancyFactory(band="3", contract_type="permanent")
    VacancyFactory(band="5", contract_type="bank", entry_level=True)
    VacancyFactory(band="5", contract_type="permanent", closing_date=_days(3))
    VacancyFactory(band="5", contract_type="permanent", status="draft")  # never counted

    response = client.get(SEARCH, {"band": "5"})

    assert response.context["search"].total == 2
    # The band's own options count as if no band were chosen, so another can be added.
    bands = _counts(response, "band")
    assert (bands["3"], bands["5"], bands["7"]) == (2, 2, 0)
    # Other groups count within band 5.
    contracts = _counts(response, "contract")
    assert (contracts["permanent"], contracts["bank"]) == (1, 1)
    assert _counts(response, "entry_level") == {"1": 1}
    closing = _counts(response, "closing_within")
    assert (closing[""], closing["7"], closing["28"]) == (2, 1, 2)


def test_counts_follow_the_keywords_and_district(client):
    VacancyFactory(title="Staff nurse", band="5", postcode="LS9 7TF")
    VacancyFactory(title="Staff nurse", band="5", postcode="LS1 3EX")
    VacancyFactory(title="Porter", band="2", postcode="LS9 7TF")

    response = client.get(SEARCH, {"q": "nurse", "district": "LS9"})

    assert response.context["search"].total == 1
    bands = _counts(response, "band")
    assert (bands["5"], bands["2"]) == (1, 0)


def test_counts_of_organisations_kinds_staff_groups_and_patterns(client, org_a, org_b):
    VacancyFactory(organisation=org_a, working_patterns=["full_time", "nights"])
    VacancyFactory(
        organisation=org_b,
        staff_group=_group("social-care"),
        working_patterns=["part_time"],
    )

    response = client.get(SEARCH)

    assert _counts(response, "organisation") == {"council": 1, "lth": 1}
    assert _counts(response, "kind")["nhs_trust"] == 2
    groups = _counts(response, "staff_group")
    assert (groups["social-care"], groups["additional-clinical-services"]) == (1, 1)
    patterns = _counts(response, "pattern")
    assert (patterns["full_time"], patterns["nights"], patterns["part_time"]) == (1, 1, 1)


def test_only_organisations_with_jobs_found_are_offered_and_each_keeps_its_id(client, org_a, org_b):
    VacancyFactory(organisation=org_a, title="Staff nurse")
    VacancyFactory(organisation=org_b, title="Porter", description="Move patients.")

    def organisations(params):
        facets = client.get(SEARCH, params).context["search"].facets
        return {
            option.value: (option.count, option.id, option.selected)
            for facet in facets
            for option in facet.options
            if option.name == "organisation"
        }

    everything = organisations({})
    assert everything.keys() == {"lth", "council"}
    nurses = organisations({"q": "nurse"})
    assert nurses == {"lth": (1, everything["lth"][1], False)}
    # A chosen organisation stays, ticked, even when it has nothing found.
    chosen = organisations({"q": "nurse", "organisation": "council"})
    assert chosen["council"] == (0, everything["council"][1], True)


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"max_hours": "abc"}, "Enter maximum hours as a number, like 20"),
        ({"max_hours": "0"}, "Maximum hours must be between 1 and 48"),
        ({"max_hours": "100"}, "Maximum hours must be between 1 and 48"),
        ({"band": "99"}, "Select a band from the list"),
        ({"closing_within": "-1"}, "Select when the job closes from the list"),
        ({"organisation": "no-such-partner"}, "Select an organisation from the list"),
        ({"staff_group": "wizards"}, "Select a staff group from the list"),
        ({"kind": "pirate"}, "Select a type of organisation from the list"),
        ({"contract": "zero-hours"}, "Select a contract type from the list"),
        ({"pattern": "always"}, "Select a working pattern from the list"),
        ({"sort": "sideways"}, "Select how to sort the jobs from the list"),
        ({"district": "Leeds!"}, "Enter a postcode district, like LS9, or a full postcode"),
        ({"q": "nurse " * 50}, "Keywords must be 200 characters or fewer"),
    ],
)
def test_a_bad_parameter_is_a_clear_error_on_the_page_not_a_crash(client, org_a, params, message):
    VacancyFactory(title="Staff nurse", band="5")

    response = client.get(SEARCH, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert html.count(message) >= 2  # in the error summary and by the field
    assert "<title>Error: " in html
    # The bad filter is left out; the search still shows what the rest finds.
    assert response.context["search"].total == 1


def test_a_bad_page_number_shows_a_page_rather_than_an_error(client):
    VacancyFactory.create_batch(3)
    for page in ["abc", "-1", "999", "1.5"]:
        response = client.get(SEARCH, {"page": page})
        assert response.status_code == 200
        assert len(_found(response)) == 3


# -- only live jobs ----------------------------------------------------------------------


def test_drafts_closed_filled_and_past_closing_jobs_never_appear(client):
    VacancyFactory(title="Live nurse")
    VacancyFactory(title="Closes today nurse", closing_date=_days(0))
    VacancyFactory(title="Draft nurse", status="draft")
    VacancyFactory(title="Awaiting nurse", status="awaiting_approval")
    VacancyFactory(title="Closed nurse", status="closed")
    VacancyFactory(title="Filled nurse", status="filled")
    VacancyFactory(title="Past nurse", closing_date=_days(-1))

    for params in [{}, {"q": "nurse"}, {"closing_within": "28"}, {"sort": "closing"}]:
        response = client.get(SEARCH, params)
        assert sorted(_found(response)) == ["Closes today nurse", "Live nurse"], params
        assert response.context["search"].total == 2
        assert sum(_counts(response, "band").values()) == 2


# -- order -------------------------------------------------------------------------------


def test_newest_first_by_default_without_keywords(client):
    now = timezone.now()
    VacancyFactory(title="Older", published_at=now - timedelta(days=2))
    VacancyFactory(title="Newest", published_at=now)
    VacancyFactory(title="Middle", published_at=now - timedelta(days=1))

    response = client.get(SEARCH)

    assert _found(response) == ["Newest", "Middle", "Older"]
    assert response.context["search"].sort == "newest"
    # Relevance without keywords means newest.
    assert _found(client.get(SEARCH, {"sort": "relevance"})) == ["Newest", "Middle", "Older"]


def test_closing_soonest_puts_the_nearest_closing_date_first(client):
    VacancyFactory(title="Late", closing_date=_days(20))
    VacancyFactory(title="Soon", closing_date=_days(1))
    VacancyFactory(title="Middle", closing_date=_days(10))

    assert _found(client.get(SEARCH, {"sort": "closing"})) == ["Soon", "Middle", "Late"]


def test_highest_salary_compares_hourly_and_yearly_pay_as_a_year(client):
    VacancyFactory(title="Yearly", salary_min=30000, salary_max=32000, salary_period="year")
    # £20 an hour for 37.5 hours a week is £39,000 a year.
    VacancyFactory(
        title="Hourly",
        salary_min=Decimal("18"),
        salary_max=Decimal("20"),
        salary_period="hour",
        hours_per_week=Decimal("37.5"),
    )
    VacancyFactory(title="Monthly", salary_min=2000, salary_max=2000, salary_period="month")
    VacancyFactory(title="Unpaid", salary_min=None, salary_max=None, contract_type="volunteering")

    response = client.get(SEARCH, {"sort": "salary"})

    assert _found(response) == ["Hourly", "Yearly", "Monthly", "Unpaid"]


# -- pages and queries -------------------------------------------------------------------


def test_results_come_twenty_to_a_page_and_the_links_keep_the_search(client):
    VacancyFactory.create_batch(45, band="5")
    VacancyFactory(band="3")

    first = client.get(SEARCH, {"band": "5"})
    third = client.get(SEARCH, {"band": "5", "page": "3"})

    assert len(_found(first)) == 20
    assert len(_found(third)) == 5
    assert first.context["search"].total == 45
    html = first.content.decode()
    assert 'href="?band=5&amp;page=2"' in html
    assert 'rel="next"' in html
    assert "Showing 1 to 20" in html
    all_titles = set(_found(first)) | set(_found(client.get(SEARCH, {"band": "5", "page": "2"})))
    assert len(all_titles | set(_found(third))) == 45


@pytest.mark.parametrize("size", [3, 40])
def test_the_search_runs_a_fixed_number_of_queries_whatever_it_finds(
    client, django_assert_max_num_queries, org_a, size
):
    VacancyFactory.create_batch(size, organisation=org_a, band="5", title="Staff nurse")
    params = {
        "q": "nurse",
        "band": ["5", "6"],
        "organisation": "lth",
        "staff_group": "additional-clinical-services",
        "pattern": "full_time",
        "entry_level": "",
        "closing_within": "28",
        "district": "LS9",
    }
    # Organisation and staff group slugs checked, the two lists of options, the
    # aggregate of counts, the page of results.
    with django_assert_max_num_queries(6):
        response = client.get(SEARCH, params)
    assert len(_found(response)) == min(size, 20)


def test_the_query_count_is_the_same_for_three_results_as_for_forty(client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(SEARCH, {"band": "5"})
        return len(captured)

    VacancyFactory.create_batch(3, band="5")
    few = queries()
    VacancyFactory.create_batch(37, band="5")
    assert queries() == few


# -- the page around the results ---------------------------------------------------------


def test_the_job_alert_form_keeps_the_search_without_its_page(client):
    VacancyFactory.create_batch(2)

    response = client.get(
        SEARCH, {"q": "nurse", "band": ["5", "6"], "page": "2", "utm_source": "x", "district": ""}
    )

    html = response.content.decode()
    assert f'action="{reverse("candidate:alert_create")}"' in html
    query = re.search(r'name="query" value="([^"]*)"', html).group(1).replace("&amp;", "&")
    assert parse_qs(query) == {"q": ["nurse"], "band": ["5", "6"]}
    assert "Create a job alert for this search" in html


def test_the_page_links_to_its_feed(client):
    response = client.get(SEARCH, {"band": "5"})
    html = response.content.decode()
    feed = f"{reverse('jobs:feed')}?band=5"
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{feed}"' in html
    assert "Subscribe to this search as a feed" in html


def test_no_results_gives_advice(client):
    response = client.get(SEARCH, {"q": "astronaut", "band": "9"})
    html = response.content.decode()
    assert "No jobs found" in html
    assert "removing some filters" in html
    assert "checking the spelling" in html


def test_a_result_shows_what_a_candidate_scans_for(client, org_a):
    VacancyFactory(
        organisation=org_a,
        title="Ward clerk",
        band="2",
        salary_min=23615,
        salary_max=23615,
        contract_type="fixed_term",
        working_patterns=["part_time", "weekends"],
        closing_date=_days(10),
        entry_level=True,
        trial_shift_available=True,
        disability_confident=True,
    )
    html = client.get(SEARCH).content.decode()
    for text in [
        "Ward clerk",
        org_a.name,
        "£23,615 a year",
        "Fixed term",
        "Part time, Weekends",
        _days(10).strftime("%-d %B %Y"),
        "No experience needed",
        "Trial shift available",
        "Disability Confident",
    ]:
        assert text in html, text


def test_the_page_works_without_javascript_and_loads_its_script_from_a_file(client):
    html = client.get(SEARCH).content.decode()
    assert re.search(r'<form id="job-search"[^>]*method="get"[^>]*action="/jobs/"', html)
    assert re.search(r'<button[^>]*type="submit"[^>]*>Search</button>', html)
    assert 'src="/static/js/job-search.js"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html)


def test_the_script_gets_only_the_parts_that_change(client):
    VacancyFactory(title="Staff nurse", band="5")
    VacancyFactory(title="Porter", band="2")

    response = client.get(SEARCH, {"band": "5"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="job-results"' in html
    assert 'data-summary="1 job found"' in html
    assert 'id="job-search-alert"' in html
    assert re.search(r'<span id="id_band_1-count">1</span>', html)  # band 2 beside band 5
    assert "Staff nurse" in html and "Porter" not in html
    assert "HX-Request" in response["Vary"]


def test_the_script_hears_of_an_error_so_it_can_load_the_full_page(client):
    response = client.get(SEARCH, {"max_hours": "abc"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-has-errors="true"' in response.content.decode()


def test_the_search_only_answers_get(client):
    assert client.post(SEARCH).status_code == 405


# -- for alerts and the feed -------------------------------------------------------------


def test_vacancies_matching_takes_a_query_string_and_lists_newest_first():
    now = timezone.now()
    older = VacancyFactory(title="Staff nurse", published_at=now - timedelta(days=2))
    newer = VacancyFactory(title="Nurse associate", published_at=now - timedelta(hours=1))
    VacancyFactory(title="Porter")
    VacancyFactory(title="Draft nurse", status="draft")

    assert list(vacancies_matching("q=nurse")) == [newer, older]
    assert list(vacancies_matching("?q=nurse&sort=closing")) == [newer, older]
    assert list(vacancies_matching("q=nurse", published_after=now - timedelta(days=1))) == [newer]


def test_vacancies_matching_takes_a_query_dict_and_selects_related(rf, django_assert_num_queries):
    VacancyFactory(band="5")
    VacancyFactory(band="3")
    params = rf.get("/", {"band": "5"}).GET
    with django_assert_num_queries(1):
        found = list(vacancies_matching(params))
        assert [v.band for v in found] == ["5"]
        assert found[0].organisation.name and found[0].staff_group.name


def test_vacancies_matching_an_invalid_search_matches_nothing():
    VacancyFactory(band="5")
    assert list(vacancies_matching("band=99")) == []
    assert list(vacancies_matching("")) != []


def test_vacancy_search_accepts_a_query_string():
    VacancyFactory(band="5")
    VacancyFactory(band="3")
    found = vacancy_search("band=5")
    assert found.total == 1
    assert found.query_string == "band=5"


def test_the_sort_select_sends_nothing_for_the_default_order(client):
    VacancyFactory(title="Staff nurse")

    without_keywords = client.get(SEARCH).content.decode()
    with_keywords = client.get(SEARCH, {"q": "nurse", "sort": ""}).content.decode()

    assert '<option value="" selected>Newest</option>' in without_keywords
    assert "Most relevant" not in without_keywords
    assert '<option value="" selected>Most relevant</option>' in with_keywords
    assert '<option value="newest">Newest</option>' in with_keywords
    chosen = client.get(SEARCH, {"q": "nurse", "sort": "closing"}).content.decode()
    assert '<option value="closing" selected>Closing soonest</option>' in chosen


def test_clear_filters_keeps_the_keywords_and_district(client):
    html = client.get(SEARCH, {"q": "nurse", "district": "LS9", "band": "5"}).content.decode()
    assert 'href="/jobs/?q=nurse&amp;district=LS9">Clear filters</a>' in html


def test_vacancies_of_an_organisation_that_left_the_partnership_are_not_listed(client):
    VacancyFactory(title="Phlebotomist at a leaver", organisation__active=False)
    VacancyFactory(title="Phlebotomist at a partner")
    response = client.get(SEARCH, {"q": "phlebotomist"})
    assert _found(response) == ["Phlebotomist at a partner"]
