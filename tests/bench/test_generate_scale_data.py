"""`manage.py generate_scale_data` at a tiny scale: the proportions of the city, pages that
work over it (every public vacancy, the search, the pipeline and the funnel), the same
data for the same seed, and a refusal to touch a database holding anything else."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bench import scale_data
from campaigns.models import Campaign, Engagement, EventBooking, Resident
from hub.models import Organisation
from talent.models import Application, SavedSearch, StageChange, Vacancy
from talent.selectors.search import vacancy_search
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SCALE = 0.001


@pytest.fixture
def sizes():
    call_command("generate_scale_data", scale=SCALE, seed=7, stdout=_quiet())
    return scale_data.Sizes.for_scale(SCALE)


def _quiet():
    return io.StringIO()


def _fingerprint() -> list:
    """What the data says, leaving out serial ids (their sequences differ between runs)."""
    return [
        list(
            Vacancy.objects.order_by("reference").values_list(
                "reference",
                "title",
                "status",
                "closing_date",
                "organisation__slug",
                "staff_group__slug",
                "working_patterns",
                "postcode",
                "description",
            )
        ),
        list(
            Application.objects.order_by("pk").values_list(
                "pk",
                "stage",
                "vacancy__reference",
                "candidate__email",
                "full_name",
                "submitted_at",
            )
        ),
        list(
            Engagement.objects.order_by("pk").values_list(
                "pk", "campaign__slug", "resident_id", "outcome", "applied_on"
            )
        ),
        list(SavedSearch.objects.order_by("pk").values_list("pk", "query", "user__email")),
    ]


def test_the_city_is_made_in_the_proportions_asked_for(sizes):
    assert sizes.organisations == Organisation.objects.count() == 3
    assert Vacancy.objects.count() == sizes.vacancies == 100
    assert Vacancy.objects.published().count() == sizes.open_vacancies == 20
    assert Application.objects.count() == sizes.applications == 500
    assert Resident.objects.count() == sizes.residents == 200
    assert Engagement.objects.count() == sizes.engagements == 1000
    assert SavedSearch.objects.count() == sizes.saved_searches == 50
    # Every application has its history, ending at the stage it is in.
    assert not Application.objects.filter(history__isnull=True).exists()
    last_moves = StageChange.objects.order_by("application_id", "-created_at", "-pk").distinct(
        "application_id"
    )
    assert all(move.to_stage == move.application.stage for move in last_moves)
    # The pipeline vacancy has its own share of applications, from different people.
    pipeline = scale_data.pipeline_vacancy()
    assert pipeline.applications.count() == sizes.pipeline_applications
    assert pipeline.is_live
    # The first campaign has every resident; some attended its events.
    assert scale_data.largest_campaign().engagements.count() == sizes.residents
    assert EventBooking.objects.filter(attended=True).exists()


def test_full_scale_is_the_city_of_the_issue():
    sizes = scale_data.Sizes.for_scale(1)
    assert (sizes.organisations, sizes.vacancies, sizes.open_vacancies) == (500, 100_000, 20_000)
    assert (sizes.applications, sizes.pipeline_applications) == (500_000, 2000)
    assert (sizes.residents, sizes.engagements, sizes.saved_searches) == (
        200_000,
        1_000_000,
        50_000,
    )


def test_every_public_vacancy_page_works_over_the_data(sizes, client):
    public = Vacancy.objects.exclude(status=Vacancy.Status.DRAFT)
    assert public.count() == sizes.vacancies - sizes.draft_vacancies
    for vacancy in public:
        response = client.get(vacancy.get_absolute_url())
        assert response.status_code == 200, vacancy.get_absolute_url()


def test_the_search_finds_the_generated_vacancies(sizes, client):
    assert vacancy_search({}).total == sizes.open_vacancies
    porters = Vacancy.objects.published().filter(title__startswith="Porter")
    nurses = Vacancy.objects.published().filter(title__icontains="nurse")
    for word, expected in [("porter", porters), ("nurse", nurses)]:
        if expected.exists():
            found = vacancy_search({"q": word})
            assert found.total >= expected.count()
            assert {v.pk for v in found.page.object_list} & {v.pk for v in expected}
    response = client.get("/jobs/", {"q": "care", "pattern": "part_time", "band": "3"})
    assert response.status_code == 200


def test_the_hr_pages_work_for_the_benchmark_user(sizes, client):
    membership = scale_data.bench_membership()
    client.force_login(membership.user)
    org_slug = membership.organisation.slug
    pipeline = reverse(
        "pipeline:vacancy_pipeline",
        kwargs={"org_slug": org_slug, "pk": scale_data.pipeline_vacancy().pk},
    )
    funnel = reverse(
        "campaign_reports:funnel",
        kwargs={"org_slug": org_slug, "campaign_id": scale_data.largest_campaign().pk},
    )
    assert client.get(pipeline).status_code == 200
    assert client.get(funnel).status_code == 200


def test_the_same_seed_makes_the_same_data():
    call_command("generate_scale_data", scale=SCALE, seed=3, stdout=_quiet())
    first = _fingerprint()
    call_command("generate_scale_data", scale=SCALE, seed=3, reset=True, stdout=_quiet())
    assert _fingerprint() == first
    call_command("generate_scale_data", scale=SCALE, seed=4, reset=True, stdout=_quiet())
    assert _fingerprint() != first


def test_it_refuses_a_database_that_has_data_unless_reset(sizes):
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_scale_data", scale=SCALE, stdout=_quiet())


def test_it_never_removes_data_that_is_not_its_own(sizes):
    OrganisationFactory(name="Leeds City Council", slug="council")
    with pytest.raises(CommandError, match="not scale data"):
        call_command("generate_scale_data", scale=SCALE, reset=True, stdout=_quiet())
    assert Organisation.objects.filter(slug="council").exists()
    assert Campaign.objects.exists()
