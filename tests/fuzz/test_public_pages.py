"""Fuzzing the public pages' query strings and address codes (issue 9): the job search and
its feed, a vacancy's page, the events list, typing a poster's code, following a tracking
link, career pathways and campaign pages. Whatever is sent, the answer is never a server
error: bad filters are errors on the page, unknown codes are "not found", a NUL is 400."""

import re
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from campaigns.models import Event, TrackingLink
from hub.models import Organisation
from talent.attribution import CAMPAIGN_CODE, CAMPAIGN_SESSION_KEY
from talent.filters import CLOSING_WITHIN_CHOICES, Sort
from talent.models import CareerPathway, StaffGroup, Vacancy
from tests.campaigns.builders import make_campaign, make_event
from tests.factories import VacancyFactory
from tests.fuzz.harness import (
    assert_answered,
    assert_no_server_error,
    fuzz_settings,
    get,
    new_client,
    path_segment,
    rolled_back,
    row_counts,
    shows_form_error,
)
from tests.fuzz.strategies import (
    choices,
    hostile_text,
    numbers_as_text,
    page_numbers,
    postcodes,
    query_params,
    tokens,
    with_nul,
)

pytestmark = pytest.mark.django_db

SORTS = [value for value, _ in Sort.choices]
TICK = st.sampled_from(["1", "on", "true", "0", "", "yes"])


@pytest.fixture
def vacancies(org_a, org_b):
    VacancyFactory(organisation=org_a, title="Staff nurse", postcode_district="LS9")
    VacancyFactory(organisation=org_b, title="Care worker", trial_shift_available=True)
    return VacancyFactory(organisation=org_a, title="Porter", entry_level=True)


@pytest.fixture
def campaign(org_a):
    found = make_campaign(org_a, name="Careers in care: Armley", code="ARMLEY-7KQ2M")
    found.is_public = True
    found.save()
    make_event(found, title="Careers in care webinar")
    return found


@pytest.fixture
def pathway(db):
    return CareerPathway.objects.create(
        slug="porter-to-nurse", title="Porter to nurse", summary="From porter to nurse."
    )


def search_params():
    slugs = list(StaffGroup.objects.values_list("slug", flat=True))
    return query_params(
        {
            "q": st.one_of(
                st.sampled_from(["nurse", '"care worker"', "-night or day"]), hostile_text
            ),
            "district": postcodes,
            "organisation": choices(["lth", "council", "no-such-partner"]),
            "kind": choices(Organisation.Kind.values),
            "staff_group": choices(slugs),
            "band": choices(Vacancy.Band.values),
            "contract": choices(Vacancy.ContractType.values),
            "pattern": choices(Vacancy.WorkingPattern.values),
            "max_hours": st.one_of(numbers_as_text, st.sampled_from(["22.5", "48", "49", "0.5"])),
            "entry_level": TICK,
            "trial_shift": TICK,
            "apprenticeship": TICK,
            "closing_within": choices([value for value, _ in CLOSING_WITHIN_CHOICES]),
            "sort": choices(SORTS),
        }
    )


@fuzz_settings(60)
@given(data=st.data())
def test_the_job_search_answers_any_filters_with_results_or_errors(vacancies, data):
    params = data.draw(search_params())
    htmx = data.draw(st.booleans())
    with rolled_back():
        headers = {"HX-Request": "true"} if htmx else {}
        response = get(new_client(), "/jobs/", params, **headers)
        assert_answered(response, params)
        sort = params.get("sort", "")
        if isinstance(sort, str) and sort not in ("", *SORTS) and response.status_code == 200:
            # The partial that htmx swaps in flags errors for the page's script.
            assert shows_form_error(response) or b'data-has-errors="true"' in response.content


@fuzz_settings(30)
@given(data=st.data())
def test_the_job_feed_answers_any_filters(vacancies, data):
    params = data.draw(search_params())
    with rolled_back():
        response = get(new_client(), "/jobs/feed/", params)
        assert_answered(response, params)


@fuzz_settings(30)
@given(campaign_code=st.one_of(tokens, st.just("ARMLEY-7KQ2M")), extra=query_params({}))
def test_a_vacancy_page_remembers_only_a_well_formed_campaign_code(vacancies, campaign_code, extra):
    params = {**extra, "campaign": campaign_code}
    with rolled_back():
        client = new_client()
        response = get(client, vacancies.get_absolute_url(), params)
        assert_answered(response, params)
        remembered = client.session.get(CAMPAIGN_SESSION_KEY)
        assert remembered is None or CAMPAIGN_CODE.match(remembered)


@fuzz_settings(40)
@given(params=query_params({"kind": choices(Event.Kind.values), "page": page_numbers}))
def test_the_events_list_answers_any_type_and_page(campaign, params):
    with rolled_back():
        response = get(new_client(), "/events/", params)
        assert_answered(response, params)


@fuzz_settings(40)
@given(code=st.one_of(tokens, st.sampled_from(["armley-7kq2m", " ARMLEY-7KQ2M ", ""])))
def test_typing_a_code_finds_its_link_or_says_what_is_wrong(campaign, code):
    params = {"code": code}
    with rolled_back():
        response = get(new_client(), "/c/", params)
        assert_answered(response, params, ok=(200, 302))
        if response.status_code == 200:
            assert shows_form_error(response)
        if response.status_code == 302:
            assert code.strip().upper() == "ARMLEY-7KQ2M"


@fuzz_settings(40)
@given(code=st.one_of(tokens, st.sampled_from(["ARMLEY-7KQ2M", "armley-7kq2m"])))
def test_following_a_link_counts_only_real_codes(campaign, code):
    with rolled_back():
        before = row_counts(TrackingLink)
        visits = sum(TrackingLink.objects.values_list("visits", flat=True))
        client = new_client()
        response = client.get(f"/c/{path_segment(code)}/")
        assert_no_server_error(response)
        is_real = code.strip().upper() == "ARMLEY-7KQ2M"
        assert_answered(response, code, ok=(302,) if is_real else (404,))
        counted = sum(TrackingLink.objects.values_list("visits", flat=True)) - visits
        assert counted == (1 if response.status_code == 302 else 0)
        assert row_counts(TrackingLink) == before


@fuzz_settings(40)
@given(
    slug=st.one_of(tokens, st.from_regex(r"[a-z0-9-]{1,60}", fullmatch=True)),
    params=query_params({"from": hostile_text, "campaign": tokens}),
)
def test_pathway_campaign_and_home_pages_ignore_odd_addresses_and_parameters(
    campaign, pathway, slug, params
):
    with rolled_back():
        client = new_client()
        for path in ("/", "/careers/", "/careers/porter-to-nurse/", campaign.get_absolute_url()):
            assert_answered(get(client, path, params), params)
        for path in (f"/careers/{path_segment(slug)}/", f"/campaigns/{path_segment(slug)}/"):
            response = get(client, path, params)
            assert_no_server_error(response)
            assert response.status_code in (200, 400, 404)
            if response.status_code == 200:
                assert re.fullmatch(r"[-a-zA-Z0-9_]+", slug)


@fuzz_settings(30)
@given(value=st.one_of(tokens, with_nul).map(lambda tail: "k" * 32 + tail))
def test_any_session_cookie_gets_a_page(value):
    """Long enough for Django to look the session up: shorter keys it ignores."""
    cookie = SimpleCookie()
    cookie[settings.SESSION_COOKIE_NAME] = value  # quoted, a NUL as \\000, as a tool may send it
    # The UTF-8 bytes of the header, as a WSGI server hands them on: one character a byte.
    header = cookie.output(header="").strip().encode("utf-8", "surrogatepass").decode("latin-1")
    with rolled_back():
        assert_answered(new_client().get("/", HTTP_COOKIE=header), value)
