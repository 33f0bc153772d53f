"""Career pathways: the public pages with the live vacancies at each step, the vacancy
page's links to the pathways it sits on, the hub admins' pages (pathways and rotation
schemes) and the demo."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from talent.models import CareerPathway, PathwayStep, StaffGroup, Vacancy
from talent.selectors.search import vacancy_search
from tests.factories import OrganisationFactory, UserFactory, VacancyFactory
from tests.talent.mobility_builders import make_participant, make_scheme

pytestmark = pytest.mark.django_db


def _group(slug):
    return StaffGroup.objects.get(slug=slug)


def _pathway(*steps, title="Porter to registered nurse", slug="porter-to-nurse", published=True):
    """A pathway with steps given as dicts of PathwayStep fields, in order."""
    pathway = CareerPathway.objects.create(
        title=title, slug=slug, summary="From portering to nursing.", published=published
    )
    for position, fields in enumerate(steps, start=1):
        PathwayStep.objects.create(pathway=pathway, position=position, **fields)
    return pathway


PORTER = {
    "role_title": "Porter",
    "typical_band": "2",
    "match_staff_group_id": None,
    "match_keywords": "porter",
}
HCA = {
    "role_title": "Healthcare assistant",
    "typical_band": "3",
    "entry_requirements": "Kindness and good spoken English.",
    "training_to_next": "A nursing associate apprenticeship.",
    "typical_time": "1 to 3 years",
    "match_bands": ["3"],
    "match_keywords": "healthcare assistant",
}


@pytest.fixture
def clinical():
    return _group("additional-clinical-services")


@pytest.fixture
def pathway(clinical):
    return _pathway(PORTER, {**HCA, "match_staff_group": clinical})


def _step_titles(response, position):
    step = response.context["steps"][position - 1]
    return [vacancy.title for vacancy in step.vacancies]


def test_each_step_shows_the_live_vacancies_it_matches_and_no_others(client, pathway, clinical):
    VacancyFactory(title="Porter", staff_group=_group("estates-and-facilities"), band="2")
    VacancyFactory(title="Healthcare assistant, elderly medicine", staff_group=clinical)
    VacancyFactory(title="Healthcare assistant, closed", staff_group=clinical, status="closed")
    VacancyFactory(
        title="Healthcare assistant, draft", staff_group=clinical, status="draft", published_at=None
    )
    VacancyFactory(
        title="Healthcare assistant, past closing",
        staff_group=clinical,
        closing_date=timezone.localdate() - timedelta(days=1),
    )
    VacancyFactory(title="Healthcare assistant, band 4", staff_group=clinical, band="4")
    VacancyFactory(
        title="Healthcare assistant, social care", staff_group=_group("social-care"), band="3"
    )
    VacancyFactory(title="Phlebotomist", staff_group=clinical)
    gone = OrganisationFactory(active=False)
    VacancyFactory(
        title="Healthcare assistant, old partner", staff_group=clinical, organisation=gone
    )

    response = client.get(pathway.get_absolute_url())

    assert response.status_code == 200
    assert _step_titles(response, 1) == ["Porter"]
    assert _step_titles(response, 2) == ["Healthcare assistant, elderly medicine"]
    assert "Kindness and good spoken English." in response.text
    assert "A nursing associate apprenticeship." in response.text
    assert "Band 3" in response.text


def test_a_step_shows_its_five_newest_vacancies_and_links_to_the_search_for_all_of_them(
    client, pathway, clinical
):
    now = timezone.now()
    for n in range(7):
        VacancyFactory(
            title=f"Healthcare assistant {n}",
            staff_group=clinical,
            published_at=now - timedelta(hours=n),
        )
    response = client.get(pathway.get_absolute_url())
    step = response.context["steps"][1]
    assert [v.title for v in step.vacancies] == [f"Healthcare assistant {n}" for n in range(5)]
    assert step.count == 7
    assert "See all 7 healthcare assistant jobs" in response.text
    # The link's search finds the same seven jobs on /jobs/.
    assert step.search_url.startswith(reverse("jobs:search") + "?")
    assert vacancy_search(step.search_url.split("?", 1)[1]).total == 7


def test_a_step_that_matches_nothing_shows_no_jobs_rather_than_every_job(client, clinical):
    pathway = _pathway({"role_title": "Registered manager"}, slug="care-to-manager")
    VacancyFactory(title="Healthcare assistant", staff_group=clinical)
    response = client.get(pathway.get_absolute_url())
    assert _step_titles(response, 1) == []
    assert "Jobs open now" not in response.text


def test_a_step_with_no_live_jobs_says_so_and_offers_the_search(client, pathway):
    response = client.get(pathway.get_absolute_url())
    assert "No porter jobs are open at the moment." in response.text
    assert response.context["steps"][0].search_url in response.text.replace("&amp;", "&")


def test_the_pathway_page_runs_the_same_queries_however_many_steps_and_jobs(
    client, clinical, django_assert_max_num_queries
):
    pathway = _pathway(PORTER)
    with django_assert_max_num_queries(3):  # the pathway, its steps, their vacancies
        client.get(pathway.get_absolute_url())
    for n in range(6):
        PathwayStep.objects.create(
            pathway=pathway,
            position=n + 2,
            role_title=f"Step {n}",
            match_staff_group=clinical,
            match_keywords=f"assistant{n}",
        )
        VacancyFactory(title=f"Healthcare assistant{n}", staff_group=clinical)
    VacancyFactory(title="Porter")
    with django_assert_max_num_queries(3):
        response = client.get(pathway.get_absolute_url())
    assert _step_titles(response, 7) == ["Healthcare assistant5"]


def test_an_unpublished_pathway_is_not_found(client):
    pathway = _pathway(PORTER, published=False)
    assert client.get(pathway.get_absolute_url()).status_code == 404
    assert client.get(reverse("pathways:pathway", kwargs={"slug": "nowhere"})).status_code == 404


def test_the_list_shows_published_pathways_with_their_steps_in_order(
    client, pathway, django_assert_max_num_queries
):
    _pathway(PORTER, title="Written but not published", slug="draft-pathway", published=False)
    with django_assert_max_num_queries(2):  # the pathways and their steps
        response = client.get(reverse("pathways:pathway_list"))
    text = response.text
    assert "Porter to registered nurse" in text
    assert "Written but not published" not in text
    assert text.index("<li>Porter</li>") < text.index("<li>Healthcare assistant</li>")


# --- The vacancy page ----------------------------------------------------------------------


def test_a_vacancy_page_links_to_the_published_pathways_it_sits_on(client, pathway, clinical):
    _pathway(
        {**HCA, "match_staff_group": clinical}, title="Hidden route", slug="hidden", published=False
    )
    _pathway(PORTER, title="Facilities careers", slug="facilities")
    vacancy = VacancyFactory(title="Healthcare assistant, elderly medicine", staff_group=clinical)
    response = client.get(vacancy.get_absolute_url())
    assert "Career pathways this job is on" in response.text
    assert f'<a href="{pathway.get_absolute_url()}">Porter to registered nurse</a>' in response.text
    assert "Hidden route" not in response.text
    assert "Facilities careers" not in response.text


def test_a_vacancy_on_no_pathway_shows_no_pathways_section(client, pathway):
    vacancy = VacancyFactory(title="Phlebotomist", band="3")
    assert "Career pathways this job is on" not in client.get(vacancy.get_absolute_url()).text


def test_a_closed_vacancy_still_shows_the_pathways_it_sits_on(client, pathway, clinical):
    vacancy = VacancyFactory(
        title="Healthcare assistant", staff_group=clinical, status=Vacancy.Status.CLOSED
    )
    assert "Porter to registered nurse" in client.get(vacancy.get_absolute_url()).text


# --- The Django admin ----------------------------------------------------------------------


MODELS = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.model_name in {"careerpathway", "rotationscheme"}
    ),
    key=lambda model: model._meta.model_name,
)


@pytest.fixture
def hub_admin(db):
    return UserFactory(is_staff=True, is_superuser=True, totp=True)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.model_name)
def test_the_pathway_and_rotation_admin_pages_load(model, client_as, hub_admin, pathway, org_a):
    make_participant(make_scheme(org_a, [(org_a, "Ward 5", 16)]))
    opts = model._meta
    client = client_as(hub_admin)
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(changelist, {"q": "a"}).status_code == 200
    change = reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[model.objects.first().pk]
    )
    assert client.get(change).status_code == 200
    assert len(MODELS) == 2


def _admin_steps(pathway, rows):
    """The change form's POST data with the steps inline: rows of (id or "", position,
    role, bands, delete)."""
    data = {
        "title": pathway.title,
        "slug": pathway.slug,
        "summary": pathway.summary,
        "published": "on",
        "position": "0",
        "steps-TOTAL_FORMS": str(len(rows)),
        "steps-INITIAL_FORMS": str(sum(1 for row in rows if row[0])),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }
    for n, (pk, position, role, bands, delete) in enumerate(rows):
        data |= {
            f"steps-{n}-id": pk,
            f"steps-{n}-pathway": pathway.pk,
            f"steps-{n}-position": position,
            f"steps-{n}-role_title": role,
            f"steps-{n}-match_bands": bands,
            f"steps-{n}-match_keywords": role.lower(),
        }
        if delete:
            data[f"steps-{n}-DELETE"] = "on"
    return data


def test_hub_admins_reorder_add_and_remove_steps_in_one_save(client_as, hub_admin, pathway):
    porter, hca = pathway.steps.order_by("position")
    data = _admin_steps(
        pathway,
        [
            (porter.pk, "2", "Porter", [], False),
            (hca.pk, "1", "Healthcare assistant", ["3", "4"], False),
            ("", "3", "Nursing associate", ["4"], False),
        ],
    )
    url = reverse("admin:talent_careerpathway_change", args=[pathway.pk])
    response = client_as(hub_admin).post(url, data)
    assert response.status_code == 302
    steps = list(
        pathway.steps.order_by("position").values_list("position", "role_title", "match_bands")
    )
    assert steps == [
        (1, "Healthcare assistant", ["3", "4"]),
        (2, "Porter", []),
        (3, "Nursing associate", ["4"]),
    ]

    rows = [
        (
            step.pk,
            str(step.position),
            step.role_title,
            step.match_bands,
            step.role_title == "Porter",
        )
        for step in pathway.steps.order_by("position")
    ]
    data = _admin_steps(pathway, rows)
    assert client_as(hub_admin).post(url, data).status_code == 302
    assert list(pathway.steps.order_by("position").values_list("position", "role_title")) == [
        (1, "Healthcare assistant"),
        (2, "Nursing associate"),
    ]


# --- The demo ------------------------------------------------------------------------------


def test_the_demo_shows_a_rotation_with_people_at_different_points_and_pathways_with_jobs(
    client_as, django_capture_on_commit_callbacks
):
    from hub.demo import seed_demo as seed_hub
    from hub.models import Organisation, User
    from talent import demo_pathways, demo_rotations
    from talent.demo import seed_demo as seed_talent
    from talent.models import RotationScheme
    from talent.selectors.pathways import pathway_steps
    from talent.selectors.rotations import Where, scheme_timetable

    with django_capture_on_commit_callbacks(execute=True):
        seed_hub()
        seed_talent()
    assert demo_rotations.seed_demo() == {"rotation_schemes": 0, "rotation_participants": 0}
    assert demo_pathways.seed_demo() == {"career_pathways": 0}

    scheme = RotationScheme.objects.get()
    states = {row.where.state for row in scheme_timetable(scheme).participants}
    assert states == set(Where)
    hosts = {placement.organisation.kind for placement in scheme.placements.all()}
    assert hosts == {Organisation.Kind.NHS_TRUST, Organisation.Kind.PRIMARY_CARE}

    for pathway in CareerPathway.objects.all():
        steps = pathway_steps(pathway)
        assert sum(1 for step in steps if step.vacancies) >= len(steps) // 2, pathway.title

    # A community trust's HR staff, hosting a placement, see the scheme.
    lch_staff = User.objects.get(email="admin.council@example.org")
    lch = Organisation.objects.get(name="Leeds Community Healthcare NHS Trust")
    url = reverse("rotations:scheme_detail", kwargs={"org_slug": lch.slug, "scheme_id": scheme.pk})
    assert client_as(lch_staff).get(url).status_code == 200
