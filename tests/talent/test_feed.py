"""The Atom feed of live vacancies at /jobs/feed/, narrowed like the search."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

FEED = "/jobs/feed/"
ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, params=None) -> ET.Element:
    response = client.get(FEED, params or {})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def _titles(root) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]


def _jobs(root) -> list[str]:
    """The job titles of the entries, without their organisations."""
    return [title.split(" – ")[0] for title in _titles(root)]


def test_the_feed_is_at_jobs_feed():
    assert reverse("jobs:feed") == FEED


def test_the_feed_parses_as_atom_with_an_entry_for_each_live_vacancy(client, org_a):
    org_a.website = "https://www.leedsth.nhs.uk/"
    org_a.save()
    vacancy = VacancyFactory(
        organisation=org_a, title="Staff nurse", summary="Caring for adults <and> more."
    )

    root = _feed(client)

    assert root.findtext(f"{ATOM}title")
    assert root.findtext(f"{ATOM}id")
    assert datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Staff nurse – Leeds Teaching Hospitals NHS Trust"
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver{vacancy.get_absolute_url()}"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "Caring for adults &lt;and&gt; more."
    assert datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Leeds Teaching Hospitals NHS Trust"
    assert entry.findtext(f"{ATOM}author/{ATOM}uri") == "https://www.leedsth.nhs.uk/"
    assert entry.findtext(f"{ATOM}id")


def test_the_feed_respects_the_search_filters(client):
    VacancyFactory(title="Band 5 nurse", band="5")
    VacancyFactory(title="Band 3 assistant", band="3")
    VacancyFactory(title="Band 5 bank nurse", band="5", contract_type="bank")

    root = _feed(client, {"band": "5"})

    assert sorted(_jobs(root)) == ["Band 5 bank nurse", "Band 5 nurse"]
    assert _jobs(_feed(client, {"band": "5", "contract": "bank"})) == ["Band 5 bank nurse"]
    self_link = next(link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href").endswith("/jobs/feed/?band=5")


def test_the_feed_lists_only_live_vacancies_newest_first(client):
    now = timezone.now()
    VacancyFactory(title="Older", published_at=now - timedelta(days=1))
    VacancyFactory(title="Newer", published_at=now)
    VacancyFactory(title="Draft", status="draft")
    VacancyFactory(title="Closed", status="closed")
    VacancyFactory(title="Past", closing_date=timezone.localdate() - timedelta(days=1))

    assert _jobs(_feed(client)) == ["Newer", "Older"]


def test_the_feed_holds_at_most_fifty_entries(client, django_assert_max_num_queries):
    VacancyFactory.create_batch(52)
    with django_assert_max_num_queries(2):
        root = _feed(client)
    assert len(root.findall(f"{ATOM}entry")) == 50


def test_a_bad_filter_gives_an_empty_feed_not_an_error(client):
    VacancyFactory(band="5")
    assert _titles(_feed(client, {"band": "99"})) == []
    assert _titles(_feed(client, {"max_hours": "abc"})) == []
