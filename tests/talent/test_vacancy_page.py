"""A vacancy's public page: what it shows, its JobPosting JSON-LD, closed vacancies, the
one canonical address, drafts hidden, campaign links and similar jobs."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from talent.attribution import CAMPAIGN_SESSION_KEY
from talent.models import StaffGroup
from tests.factories import VacancyFactory

pytestmark = pytest.mark.django_db

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

# A 1x1 PNG, for an organisation's logo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _jsonld(response) -> dict | None:
    found = JSONLD.findall(response.content.decode())
    assert len(found) <= 1
    return json.loads(found[0]) if found else None


@pytest.fixture
def vacancy(org_a):
    org_a.website = "https://www.leedsth.nhs.uk/"
    org_a.description = "One of the largest teaching trusts in Europe."
    org_a.logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    org_a.save()
    return VacancyFactory(
        organisation=org_a,
        title="Staff nurse, acute medicine",
        reference="C9-123-ABC",
        band="5",
        salary_min=29970,
        salary_max=36483,
        contract_type="permanent",
        working_patterns=["full_time", "nights"],
        hours_per_week=37.5,
        site="St James's University Hospital",
        address="Beckett Street\nLeeds",
        postcode="LS9 7TF",
        summary="Join a friendly ward team caring for acutely unwell adults.",
        description="You will lead the care of a bay of patients.\n\nPreceptorship is offered.",
        essential_criteria="NMC registration.",
        desirable_criteria="Experience in acute medicine.",
        trial_shift_available=True,
        disability_confident=True,
        visa_sponsorship=True,
        closing_date=timezone.localdate() + timedelta(days=14),
    )


def test_the_page_shows_everything_a_candidate_needs(client, vacancy):
    response = client.get(vacancy.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Staff nurse, acute medicine",
        "Join a friendly ward team",
        "<p>You will lead the care of a bay of patients.</p>",
        "<p>Preceptorship is offered.</p>",
        "NMC registration.",
        "Experience in acute medicine.",
        "£29,970 to £36,483 a year",
        "Agenda for Change band 5",
        "37.5 hours a week",
        "Full time, Nights",
        "Permanent",
        "St James&#x27;s University Hospital",
        "Beckett Street<br>Leeds",
        "LS9 7TF",
        vacancy.closing_date.strftime("%-d %B %Y"),
        "C9-123-ABC",
        "Leeds Teaching Hospitals NHS Trust",
        "One of the largest teaching trusts in Europe.",
        'href="https://www.leedsth.nhs.uk/"',
        "Trial shift available",
        "Disability Confident",
        "Visa sponsorship is available",
    ]:
        assert text in html, text
    apply_url = reverse("candidate:apply", kwargs={"pk": vacancy.pk})
    assert f'href="{apply_url}"' in html
    assert "Apply for this job" in html


def test_the_job_posting_json_ld_parses_and_has_every_required_property(client, vacancy):
    posting = _jsonld(client.get(vacancy.get_absolute_url()))

    assert posting["@context"].startswith("https://schema.org")
    assert posting["@type"] == "JobPosting"
    # Required by Google.
    assert posting["title"] == "Staff nurse, acute medicine"
    assert "<p>You will lead the care of a bay of patients.</p>" in posting["description"]
    assert "NMC registration." in posting["description"]
    assert posting["datePosted"] == timezone.localdate().isoformat()
    assert posting["hiringOrganization"] == {
        "@type": "Organization",
        "name": "Leeds Teaching Hospitals NHS Trust",
        "sameAs": "https://www.leedsth.nhs.uk/",
        "logo": posting["hiringOrganization"]["logo"],
    }
    assert posting["hiringOrganization"]["logo"].startswith("http://testserver/")
    assert posting["jobLocation"]["@type"] == "Place"
    assert posting["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Beckett Street",
        "addressLocality": "Leeds",
        "postalCode": "LS9 7TF",
        "addressCountry": "GB",
    }
    # The end of the closing date, UK time.
    valid_through = datetime.fromisoformat(posting["validThrough"])
    closing_end = datetime.combine(
        vacancy.closing_date, datetime.max.time(), tzinfo=ZoneInfo("Europe/London")
    )
    assert timedelta(0) <= closing_end - valid_through < timedelta(seconds=1)
    assert valid_through.utcoffset() is not None
    # Recommended, where we hold them.
    assert posting["employmentType"] == ["FULL_TIME"]
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 29970,
            "maxValue": 36483,
            "unitText": "YEAR",
        },
    }
    assert posting["identifier"] == {
        "@type": "PropertyValue",
        "name": "Leeds Teaching Hospitals NHS Trust",
        "value": "C9-123-ABC",
    }
    assert posting["directApply"] is True
    assert posting["employerOverview"] == "One of the largest teaching trusts in Europe."
    assert posting["url"] == f"http://testserver{vacancy.get_absolute_url()}"


def test_valid_through_is_the_end_of_the_closing_day_in_british_summer_time(client):
    vacancy = VacancyFactory(closing_date=timezone.localdate() + timedelta(days=400))
    vacancy.closing_date = vacancy.closing_date.replace(month=7, day=1)
    vacancy.save()
    posting = _jsonld(client.get(vacancy.get_absolute_url()))
    assert posting["validThrough"] == f"{vacancy.closing_date.isoformat()}T23:59:59+01:00"


@pytest.mark.parametrize(
    ("contract", "patterns", "expected"),
    [
        ("permanent", ["full_time"], ["FULL_TIME"]),
        ("permanent", ["part_time", "flexible"], ["PART_TIME"]),
        ("fixed_term", ["full_time"], ["TEMPORARY", "FULL_TIME"]),
        ("bank", [], ["PER_DIEM"]),
        ("volunteering", ["part_time"], ["VOLUNTEER", "PART_TIME"]),
        ("work_experience", [], ["INTERN"]),
        ("rotation", ["flexible"], ["OTHER"]),
    ],
)
def test_employment_type_follows_the_contract_and_patterns(client, contract, patterns, expected):
    vacancy = VacancyFactory(contract_type=contract, working_patterns=patterns)
    assert _jsonld(client.get(vacancy.get_absolute_url()))["employmentType"] == expected


def test_an_hourly_rate_without_a_range_is_one_value_an_hour(client):
    vacancy = VacancyFactory(salary_min=12.6, salary_max=None, salary_period="hour", reference="")
    posting = _jsonld(client.get(vacancy.get_absolute_url()))
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "value": 12.6,
        "unitText": "HOUR",
    }
    assert posting["identifier"]["value"] == str(vacancy.pk)


def test_no_salary_means_no_base_salary(client):
    vacancy = VacancyFactory(salary_min=None, salary_max=None)
    posting = _jsonld(client.get(vacancy.get_absolute_url()))
    assert "baseSalary" not in posting
    assert "Not given" in client.get(vacancy.get_absolute_url()).content.decode()


def test_text_cannot_break_out_of_the_json_ld_script(client):
    vacancy = VacancyFactory(
        title="Nurse </script><script>alert(1)</script> & <b>co</b>",
        description="</script><!-- & -->",
    )
    response = client.get(vacancy.get_absolute_url())
    html = response.content.decode()
    script = JSONLD.search(html).group(1)
    assert "<" not in script and ">" not in script and "&" not in script
    assert "<script>alert(1)" not in html
    posting = _jsonld(response)
    assert posting["title"] == vacancy.title
    assert "&lt;/script&gt;" in posting["description"]  # escaped as HTML, then as JSON


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "closed"}, "This job is no longer taking applications."),
        ({"status": "filled"}, "This job has been filled."),
        ({"closing_date_days": -1}, "This job closed on"),
    ],
)
def test_a_closed_vacancy_says_so_without_apply_link_or_json_ld(client, changes, message):
    days = changes.pop("closing_date_days", 14)
    vacancy = VacancyFactory(closing_date=timezone.localdate() + timedelta(days=days), **changes)

    response = client.get(vacancy.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Applications are closed" in html
    assert message in html
    assert "Apply for this job" not in html
    assert reverse("candidate:apply", kwargs={"pk": vacancy.pk}) not in html
    assert _jsonld(response) is None
    assert "application/ld+json" not in html


def test_a_vacancy_closing_today_is_still_open(client):
    vacancy = VacancyFactory(closing_date=timezone.localdate())
    response = client.get(vacancy.get_absolute_url())
    assert "Apply for this job" in response.content.decode()
    assert _jsonld(response) is not None


@pytest.mark.parametrize("status", ["draft", "awaiting_approval"])
def test_drafts_and_vacancies_awaiting_approval_are_not_found(client, status):
    vacancy = VacancyFactory(status=status)
    assert client.get(vacancy.get_absolute_url()).status_code == 404
    assert client.get(f"/jobs/{vacancy.pk}/").status_code == 404


def test_an_unknown_vacancy_is_not_found(client):
    assert client.get("/jobs/999999/anything/").status_code == 404


def test_a_wrong_slug_redirects_permanently_to_the_canonical_address(client):
    vacancy = VacancyFactory(title="Porter")

    response = client.get(f"/jobs/{vacancy.pk}/old-title/?campaign=ARMLEY-24")

    assert response.status_code == 301
    assert response["Location"] == f"{vacancy.get_absolute_url()}?campaign=ARMLEY-24"
    short = client.get(f"/jobs/{vacancy.pk}/")
    assert short.status_code == 301
    assert short["Location"] == vacancy.get_absolute_url()
    assert vacancy.get_absolute_url() == f"/jobs/{vacancy.pk}/porter/"


def test_the_page_names_its_canonical_address(client):
    vacancy = VacancyFactory()
    html = client.get(vacancy.get_absolute_url(), {"campaign": "X1"}).content.decode()
    assert f'<link rel="canonical" href="http://testserver{vacancy.get_absolute_url()}">' in html


def test_a_campaign_link_is_remembered_for_the_application(client):
    vacancy = VacancyFactory()

    client.get(vacancy.get_absolute_url(), {"campaign": "Armley-2024"})
    assert client.session[CAMPAIGN_SESSION_KEY] == "Armley-2024"

    # A later visit without a code keeps it; a malformed code is ignored.
    client.get(vacancy.get_absolute_url())
    client.get(vacancy.get_absolute_url(), {"campaign": "<script>"})
    client.get(vacancy.get_absolute_url(), {"campaign": "x" * 41})
    assert client.session[CAMPAIGN_SESSION_KEY] == "Armley-2024"


def test_no_campaign_code_is_stored_without_one(client):
    vacancy = VacancyFactory()
    client.get(vacancy.get_absolute_url(), {"campaign": "bad code!"})
    assert CAMPAIGN_SESSION_KEY not in client.session


def test_similar_jobs_are_three_live_jobs_of_the_same_staff_group_in_one_query(
    client, django_assert_max_num_queries
):
    nursing = StaffGroup.objects.get(slug="nursing-and-midwifery")
    vacancy = VacancyFactory(staff_group=nursing, title="Staff nurse")
    now = timezone.now()
    for n in range(4):
        VacancyFactory(
            staff_group=nursing, title=f"Similar {n}", published_at=now - timedelta(hours=n)
        )
    VacancyFactory(staff_group=nursing, title="Closed one", status="closed")
    VacancyFactory(title="Other group")

    with django_assert_max_num_queries(3):  # the vacancy, the similar jobs, its pathways
        response = client.get(vacancy.get_absolute_url())

    similar = [job.title for job in response.context["similar"]]
    assert similar == ["Similar 0", "Similar 1", "Similar 2"]


def test_the_vacancy_body_renders_with_only_the_vacancy(vacancy):
    html = render_to_string("talent/jobs/_vacancy_body.html", {"vacancy": vacancy})
    assert "You will lead the care of a bay of patients." in html
    assert "Apply for this job" not in html
    assert "application/ld+json" not in html


def test_the_vacancy_page_only_answers_get(client, vacancy):
    assert client.post(vacancy.get_absolute_url()).status_code == 405
