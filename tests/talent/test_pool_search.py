"""HR staff searching the shared talent pool: each filter (working-pattern needs, hours,
postcode district, start date, kind of work), full-text keywords ranked by where they
match, pages of results in a fixed number of queries, and bad filters explained."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from talent.models import StaffGroup
from tests.talent.mobility_builders import make_pool_profile


def _search(client, org, **params) -> list[str]:
    """The headlines a search lists, in order."""
    response = client.get(reverse("pool:search", kwargs={"org_slug": org.slug}), params)
    assert response.status_code == 200
    return [profile.headline for profile in response.context["page"].object_list]


@pytest.fixture
def hr(client_as, staff_a):
    return client_as(staff_a)


def test_someone_who_cannot_work_nights_is_left_out_of_a_search_for_nights(hr, org_a):
    make_pool_profile(headline="Days only", no_nights=True)
    make_pool_profile(headline="Any shift")
    assert sorted(_search(hr, org_a)) == ["Any shift", "Days only"]
    assert _search(hr, org_a, nights="on") == ["Any shift"]


def test_someone_who_cannot_work_weekends_is_left_out_of_a_search_for_weekends(hr, org_a):
    make_pool_profile(headline="Weekdays only", no_weekends=True)
    make_pool_profile(headline="Any day")
    assert _search(hr, org_a, weekends="on") == ["Any day"]


def test_a_minimum_of_hours_leaves_out_people_who_can_work_fewer(hr, org_a):
    make_pool_profile(headline="Sixteen hours", max_hours_per_week=16)
    make_pool_profile(headline="Thirty hours", max_hours_per_week=30)
    make_pool_profile(headline="No limit")
    assert sorted(_search(hr, org_a, min_hours="30")) == ["No limit", "Thirty hours"]
    assert sorted(_search(hr, org_a, min_hours="10")) == [
        "No limit",
        "Sixteen hours",
        "Thirty hours",
    ]


def test_the_postcode_district_matches_however_it_is_typed(hr, org_a):
    make_pool_profile(headline="Harehills", postcode_district="LS9")
    make_pool_profile(headline="Armley", postcode_district="LS12")
    make_pool_profile(headline="Seacroft", postcode_district="LS14")
    assert _search(hr, org_a, district="ls12") == ["Armley"]
    assert _search(hr, org_a, district="LS12 3AB") == ["Armley"]


def test_the_start_date_keeps_people_available_by_then_or_now(hr, org_a):
    today = timezone.localdate()
    make_pool_profile(headline="Now")
    make_pool_profile(headline="Next week", available_from=today + datetime.timedelta(days=7))
    make_pool_profile(headline="In two months", available_from=today + datetime.timedelta(60))
    by = (today + datetime.timedelta(days=30)).isoformat()
    assert sorted(_search(hr, org_a, available_by=by)) == ["Next week", "Now"]


def test_a_kind_of_work_finds_those_who_chose_it_and_those_open_to_any(hr, org_a):
    nursing = StaffGroup.objects.get(slug="nursing-and-midwifery")
    admin = StaffGroup.objects.get(slug="admin-and-clerical")
    make_pool_profile(headline="Nurse").staff_groups.set([nursing])
    make_pool_profile(headline="Nurse or admin").staff_groups.set([nursing, admin])
    make_pool_profile(headline="Admin").staff_groups.set([admin])
    make_pool_profile(headline="Anything")
    found = _search(hr, org_a, staff_group="nursing-and-midwifery")
    assert sorted(found) == ["Anything", "Nurse", "Nurse or admin"]


def test_keywords_search_the_full_text_and_rank_a_headline_above_the_skills(hr, org_a):
    make_pool_profile(headline="Office administrator", skills="Typing, filing and reception")
    make_pool_profile(
        headline="Receptionist", skills="Greeting patients; some dementia care experience"
    )
    make_pool_profile(headline="Dementia care worker", skills="Personal care for five years")
    # "caring" finds "care" (English stemming); only the two who mention dementia care.
    assert _search(hr, org_a, q="dementia caring") == ["Dementia care worker", "Receptionist"]
    assert _search(hr, org_a, q='"dementia care" -receptionist') == ["Dementia care worker"]


def test_filters_combine(hr, org_a):
    make_pool_profile(headline="Nights in LS9", postcode_district="LS9")
    make_pool_profile(headline="No nights in LS9", postcode_district="LS9", no_nights=True)
    make_pool_profile(headline="Nights in LS12", postcode_district="LS12")
    assert _search(hr, org_a, district="LS9", nights="on") == ["Nights in LS9"]


def test_results_come_in_pages_with_a_fixed_number_of_queries(
    hr, org_a, django_assert_max_num_queries
):
    nursing = StaffGroup.objects.get(slug="nursing-and-midwifery")
    for n in range(25):
        make_pool_profile(headline=f"Healthcare assistant {n}").staff_groups.set([nursing])
    url = reverse("pool:search", kwargs={"org_slug": org_a.slug})
    hr.get(url)  # the first visit records the acting organisation in the session
    with django_assert_max_num_queries(8):
        response = hr.get(url, {"q": "healthcare assistant", "nights": "on"})
    assert len(response.context["page"].object_list) == 20
    assert "25 people found" in response.text
    assert "q=healthcare+assistant&amp;nights=on&amp;page=2" in response.text
    second = hr.get(url, {"q": "healthcare assistant", "nights": "on", "page": 2})
    assert len(second.context["page"].object_list) == 5


def test_a_bad_filter_is_explained_and_nothing_is_listed(hr, org_a):
    make_pool_profile()
    url = reverse("pool:search", kwargs={"org_slug": org_a.slug})
    response = hr.get(url, {"min_hours": "lots", "district": "XYZ"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter the hours a week as a whole number, like 30" in response.text
    assert "Enter a postcode district, like LS9" in response.text
    assert "page" not in response.context
