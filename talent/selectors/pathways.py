"""Reads for the public career pathways: the published pathways, one pathway's steps
with the live vacancies at each, and the pathways a vacancy sits on.

Which vacancies sit on a step is decided in SQL by `_on_step`, for a step's vacancies
and for a vacancy's pathways alike: every `match_*` field the step sets must hold (staff
group, one of the bands, the keywords found by the job search's full-text search), and
a step that sets none has no vacancies (a registered manager step, say, is not "every
job"). The live vacancies are those of the job search, `Vacancy.objects.published()`.

A pathway's page runs three queries whatever its steps: the pathway, its steps each with
its newest matching vacancies' ids and their count (correlated subqueries, so no query
per step), and those vacancies.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchVectorExact
from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.lookups import Exact, GreaterThan, IsNull
from django.shortcuts import get_object_or_404
from django.urls import reverse

from talent.filters import keyword_query
from talent.models import CareerPathway, PathwayStep, Vacancy

VACANCIES_PER_STEP = 5


def _cardinality(expression) -> Func:
    return Func(expression, function="cardinality", output_field=IntegerField())


def _on_step(vacancies: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    """`vacancies` narrowed to those on the step of the enclosing query (`OuterRef`)."""
    group, bands, keywords = (
        OuterRef("match_staff_group"),
        OuterRef("match_bands"),
        OuterRef("match_keywords"),
    )
    sets_something = (
        Q(IsNull(group, False)) | Q(GreaterThan(_cardinality(bands), 0)) | ~Q(Exact(keywords, ""))
    )
    in_group = Q(IsNull(group, True)) | Q(staff_group=group)
    # array_position finds the vacancy's band among the step's: band = ANY(match_bands).
    band_at = Func(bands, F("band"), function="array_position", output_field=IntegerField())
    in_bands = Q(Exact(_cardinality(bands), 0)) | Q(IsNull(band_at, False))
    has_keywords = Q(Exact(keywords, "")) | Q(
        SearchVectorExact(F("search_vector"), keyword_query(keywords))
    )
    return vacancies.filter(sets_something, in_group, in_bands, has_keywords)


def published_pathways() -> QuerySet[CareerPathway]:
    """Published pathways in their order, each with its steps in order (two queries)."""
    return CareerPathway.objects.filter(published=True).prefetch_related(
        Prefetch("steps", queryset=PathwayStep.objects.order_by("position"))
    )


def published_pathway(slug: str) -> CareerPathway:
    """A published pathway, or 404: a pathway being written is not shown."""
    return get_object_or_404(CareerPathway, published=True, slug=slug)


@dataclass(frozen=True)
class StepVacancies:
    """A step with up to `VACANCIES_PER_STEP` of its live vacancies, newest first, how
    many there are in all, and the job search that finds every one of them."""

    step: PathwayStep
    vacancies: list[Vacancy]
    count: int

    @property
    def search_url(self) -> str:
        step = self.step
        params = []
        if step.match_staff_group_id:
            params.append(("staff_group", step.match_staff_group.slug))
        params += [("band", band) for band in step.match_bands]
        if step.match_keywords:
            params.append(("q", step.match_keywords))
        return f"{reverse('jobs:search')}?{urlencode(params)}"

    @property
    def matches_anything(self) -> bool:
        step = self.step
        return bool(step.match_staff_group_id or step.match_bands or step.match_keywords)


def pathway_steps(
    pathway: CareerPathway, *, per_step: int = VACANCIES_PER_STEP
) -> list[StepVacancies]:
    """The pathway's steps in order, each with its live vacancies: two queries."""
    live_on_step = _on_step(Vacancy.objects.published())
    newest = live_on_step.order_by(F("published_at").desc(nulls_last=True), "-pk")
    count = live_on_step.order_by().annotate(n=Func("pk", function="COUNT")).values("n")
    steps = list(
        pathway.steps.select_related("match_staff_group")
        .annotate(
            vacancy_ids=ArraySubquery(newest.values("pk")[:per_step]),
            vacancy_count=Subquery(count, output_field=IntegerField()),
        )
        .order_by("position")
    )
    wanted = {pk for step in steps for pk in step.vacancy_ids}
    found = Vacancy.objects.filter(pk__in=wanted).select_related("organisation", "staff_group")
    vacancies = {vacancy.pk: vacancy for vacancy in found} if wanted else {}
    return [
        StepVacancies(step, [vacancies[pk] for pk in step.vacancy_ids], step.vacancy_count)
        for step in steps
    ]


def vacancy_pathways(vacancy: Vacancy) -> QuerySet[CareerPathway]:
    """The published pathways with a step this vacancy sits on, in one query."""
    on_a_step = PathwayStep.objects.filter(pathway=OuterRef("pk")).filter(
        Exists(_on_step(Vacancy.objects.filter(pk=vacancy.pk)))
    )
    return CareerPathway.objects.filter(Exists(on_a_step), published=True).only(
        "pk", "title", "slug"
    )
