"""Reads for the public job pages: the search with its counts, the vacancies a saved
search or feed matches, one public vacancy and the jobs like it.

The search page runs a fixed number of queries whatever it finds: the staff groups and
organisations offered as filters (two), one for the total and every option's count,
and one for the page of results (plus one per organisation or staff group filter
given, to check the slugs)."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.forms import BoundField
from django.http import Http404, QueryDict

from hub.models import Organisation
from talent.filters import CLOSING_WITHIN_CHOICES, Sort, VacancyFilter
from talent.models import StaffGroup, Vacancy

PAGE_SIZE = 20
SIMILAR_COUNT = 3

# Statuses the public may look at; drafts and those awaiting approval are not shown.
PUBLIC_STATUSES = (Vacancy.Status.PUBLISHED, Vacancy.Status.CLOSED, Vacancy.Status.FILLED)

TICKED = "1"  # the value a ticked filter checkbox sends

# The filter panel's fieldsets, in order: (fieldset name, legend, filters in it). The
# three yes-or-no filters share one fieldset.
FIELDSETS = [
    ("staff_group", "Staff group", ["staff_group"]),
    ("band", "Agenda for Change band", ["band"]),
    ("contract", "Contract type", ["contract"]),
    ("pattern", "Working pattern", ["pattern"]),
    ("show_only", "Show only", ["entry_level", "trial_shift", "apprenticeship"]),
    ("closing_within", "Closing date", ["closing_within"]),
    ("kind", "Type of organisation", ["kind"]),
    ("organisation", "Organisation", ["organisation"]),
]
# Filters listing only the options that find jobs (and any chosen): 500 organisations
# would make the page six times as long and as slow (docs/performance.md).
LISTED_ONLY_WITH_MATCHES = {"organisation"}
TICKED_LABELS = {
    "entry_level": "No experience needed",
    "trial_shift": "Trial shift available",
    "apprenticeship": "Apprenticeships",
}


@dataclass(frozen=True)
class FacetOption:
    name: str  # the GET parameter
    value: str
    label: str
    count: int  # jobs found with this option alongside the other filters chosen
    selected: bool
    id: str


@dataclass(frozen=True)
class Facet:
    """A fieldset of the filter panel: checkboxes (or radios) with their counts."""

    name: str
    legend: str
    input_type: str  # "checkbox" or "radio"
    options: list[FacetOption]
    fields: list[BoundField]

    @property
    def css_block(self) -> str:
        return "radios" if self.input_type == "radio" else "checkboxes"

    @property
    def errors(self) -> list[str]:
        return [error for bound in self.fields for error in bound.errors]

    @property
    def error_id(self) -> str:
        return f"{self.fields[0].auto_id}_error"

    @property
    def selected_count(self) -> int:
        return sum(1 for option in self.options if option.selected and option.value)


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for an ellipsis
    url: str = ""
    current: bool = False


@dataclass
class VacancySearch:
    filterset: VacancyFilter
    page: Page
    total: int
    facets: list[Facet]
    query_string: str  # the search's parameters, without the page number
    keywords: str
    sort: str  # the order used
    sort_choices: list[tuple[str, str]]  # (value, label); the default order's value is ""
    page_links: list[PageLink] = field(default_factory=list)
    previous_url: str = ""
    next_url: str = ""

    @property
    def has_filters(self) -> bool:
        """Anything chosen in the filter panel (keywords and district are above it)."""
        return bool(self.filterset.conditions().keys() - {"q", "district"})

    @property
    def has_errors(self) -> bool:
        return bool(self.filterset.errors)

    @property
    def clear_filters_query(self) -> str:
        """The search without its filters: the keywords and postcode district kept."""
        return search_query_string(
            {name: self.filterset.data.getlist(name) for name in ("q", "district")}
        )

    @property
    def sort_value(self) -> str:
        """The sort select's value: blank for the default order, so that a search sent
        without choosing an order keeps the default when its keywords change."""
        return "" if self.sort == _default_sort(self.keywords) else self.sort


def _default_sort(keywords: str) -> str:
    return Sort.RELEVANCE if keywords else Sort.NEWEST


def _sort_choices(keywords: str) -> list[tuple[str, str]]:
    """The orders offered: by relevance only with keywords; the default one first."""
    default = _default_sort(keywords)
    offered = [(v, label) for v, label in Sort.choices if v != Sort.RELEVANCE or keywords]
    return [("", label) for v, label in offered if v == default] + [
        (v, label) for v, label in offered if v != default
    ]


def _as_query_dict(params) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    if isinstance(params, str):
        return QueryDict(params.lstrip("?"))
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        if isinstance(value, list | tuple):
            query.setlist(key, [str(item) for item in value])
        else:
            query[key] = str(value)
    return query


def search_query_string(params) -> str:
    """The search's own parameters, without blanks, the page number or anything else
    (tracking parameters, a campaign code): what a bookmark, feed or alert keeps."""
    data = _as_query_dict(params)
    names = [name for name in VacancyFilter.base_filters if name in data]
    return urlencode(
        [(name, value) for name in names for value in data.getlist(name) if value.strip()]
    )


# Facets whose options are the values of one column: filter name -> the column.
GROUPED_FACETS = {
    "organisation": "organisation_id",
    "staff_group": "staff_group_id",
    "band": "band",
    "contract": "contract_type",
    "kind": "organisation__kind",
    "pattern": "working_patterns",  # an array: counted over its elements
}


def _filter_options(filterset: VacancyFilter) -> dict[str, list[tuple[str, str, str]]]:
    """For every counted filter, its options as (value, label, key): the key is the
    column's value the option is counted under (as text), or for the options that are
    conditions of their own, the value."""

    def choices(pairs):
        return [(value, label, value) for value, label in pairs]

    options = {
        "staff_group": [
            (group.slug, group.name, str(group.pk)) for group in StaffGroup.objects.all()
        ],
        "band": choices(Vacancy.Band.choices),
        "contract": choices(Vacancy.ContractType.choices),
        "pattern": choices(Vacancy.WorkingPattern.choices),
        "closing_within": choices([("", "Any time"), *CLOSING_WITHIN_CHOICES]),
        "kind": choices(Organisation.Kind.choices),
        "organisation": [
            (slug, name, str(pk))
            for pk, slug, name in Organisation.objects.active().values_list("pk", "slug", "name")
        ],
    }
    for name, label in TICKED_LABELS.items():
        options[name] = [(TICKED, label, TICKED)]
    return options


def _facet_counts(filterset: VacancyFilter) -> tuple[int, dict[tuple[str, str], int]]:
    """The number of jobs found, and {(filter, key): jobs} for every option that finds
    any, each option counted alongside the filters chosen in the other fieldsets.

    One query: the vacancies matching the filters that are not counted (keywords,
    district, hours) are read once into a CTE with a column per counted filter and a
    flag per chosen filter, then each facet is one GROUP BY over it, with the flags of
    the other fieldsets' filters as its WHERE. Its cost grows with the vacancies found,
    not with the number of options (500 organisations)."""
    conditions = filterset.conditions()
    common = [q for name, q in conditions.items() if name not in VacancyFilter.FACETED]
    faceted = {name: q for name, q in conditions.items() if name in VacancyFilter.FACETED}

    columns = {f"facet_{name}": F(column) for name, column in GROUPED_FACETS.items()}
    columns |= {
        f"chosen_{name}": ExpressionWrapper(q, output_field=BooleanField())
        for name, q in faceted.items()
    }
    # (filter, value, condition); "Any time" is no condition.
    condition_options = [("closing_within", "", Q())]
    condition_options += [
        ("closing_within", value, filterset.condition("closing_within", value))
        for value, _label in CLOSING_WITHIN_CHOICES
    ]
    condition_options += [(name, TICKED, filterset.condition(name, True)) for name in TICKED_LABELS]
    for index, (_name, _value, condition) in enumerate(condition_options):
        if condition:
            columns[f"option_{index}"] = ExpressionWrapper(condition, output_field=BooleanField())
    matches_sql, params = (
        filterset.queryset.filter(*common).order_by().values(**columns).query.sql_with_params()
    )

    def where(excluded: str | None, *more: str) -> str:
        flags = [f'"chosen_{name}"' for name in faceted if name != excluded] + list(more)
        return f"WHERE {' AND '.join(flags)}" if flags else ""

    branches = [f"SELECT 'total', '', count(*) FROM matches {where(None)}"]
    params = list(params)
    for name in GROUPED_FACETS:
        column = f'"facet_{name}"'
        source = "matches"
        if name == "pattern":
            source, column = f"matches CROSS JOIN unnest({column}) AS element", "element"
        branches.append(
            f"SELECT %s, {column}::text, count(*) FROM {source} {where(name)} GROUP BY 2"
        )
        params.append(name)
    for index, (name, value, condition) in enumerate(condition_options):
        flag = [f'"option_{index}"'] if condition else []
        branches.append(f"SELECT %s, %s, count(*) FROM matches {where(name, *flag)}")
        params += [name, value]
    sql = f"WITH matches AS MATERIALIZED ({matches_sql}) " + " UNION ALL ".join(branches)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counts = {(name, key): count for name, key, count in cursor.fetchall()}
    return counts.pop(("total", ""), 0), counts


def _selected_values(filterset: VacancyFilter, name: str) -> set[str]:
    """The options shown as chosen: what was asked for, even where it is not valid."""
    if name in TICKED_LABELS:
        return {TICKED} if filterset.form.cleaned_data.get(name) else set()
    values = {value for value in filterset.data.getlist(name) if value}
    if name == "closing_within" and not values & {value for value, _ in CLOSING_WITHIN_CHOICES}:
        return {""}
    return values


def _facets(filterset: VacancyFilter, options, counts: dict[tuple[str, str], int]) -> list[Facet]:
    facets = []
    for fieldset, legend, names in FIELDSETS:
        facet_options = []
        for name in names:
            selected = _selected_values(filterset, name)
            for index, (value, label, key) in enumerate(options[name]):
                count = counts.get((name, key), 0)
                if name in LISTED_ONLY_WITH_MATCHES and not count and value not in selected:
                    continue
                facet_options.append(
                    FacetOption(
                        name=name,
                        value=value,
                        label=label,
                        count=count,
                        selected=value in selected,
                        # By the place in the whole list, so that the page's script
                        # finds the same option under the same id after a new search.
                        id=f"id_{name}" if name in TICKED_LABELS else f"id_{name}_{index}",
                    )
                )
        facets.append(
            Facet(
                name=fieldset,
                legend=legend,
                input_type="radio" if fieldset == "closing_within" else "checkbox",
                options=facet_options,
                fields=[filterset.form[name] for name in names],
            )
        )
    return facets


def vacancy_search(params, *, page_size: int = PAGE_SIZE) -> VacancySearch:
    """The job search page for these GET parameters (a QueryDict or query string): the
    filter form with any errors, one page of results (organisation and staff group
    selected), the total, and for each filter option how many jobs it would find
    alongside the filters chosen in the other fieldsets.

    The counts and the total come from one query (`_facet_counts`)."""
    data = _as_query_dict(params)
    filterset = VacancyFilter(data)
    total, counts = _facet_counts(filterset)
    options = _filter_options(filterset)

    paginator = Paginator(filterset.qs.select_related("organisation", "staff_group"), page_size)
    paginator.count = total  # known from the counts: no COUNT query of its own
    page = paginator.get_page(data.get("page"))

    search = VacancySearch(
        filterset=filterset,
        page=page,
        total=total,
        facets=_facets(filterset, options, counts),
        query_string=search_query_string(data),
        keywords=filterset.keywords,
        sort=filterset.sort_order,
        sort_choices=_sort_choices(filterset.keywords),
    )
    _add_page_links(search, paginator)
    return search


def _page_url(query_string: str, number: int) -> str:
    return f"?{query_string}&page={number}" if query_string else f"?page={number}"


def _add_page_links(search: VacancySearch, paginator: Paginator) -> None:
    page = search.page
    if paginator.num_pages <= 1:
        return
    for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            search.page_links.append(PageLink(number=None))
        else:
            url = _page_url(search.query_string, number)
            search.page_links.append(PageLink(number, url, number == page.number))
    if page.has_previous():
        search.previous_url = _page_url(search.query_string, page.previous_page_number())
    if page.has_next():
        search.next_url = _page_url(search.query_string, page.next_page_number())


def vacancies_matching(query, *, published_after=None) -> QuerySet[Vacancy]:
    """Live vacancies matching a saved search or feed's parameters (a query string such
    as "q=nurse&band=5", or a QueryDict), newest first, with organisation and staff group
    selected; only those published after `published_after` when given. Parameters that
    are not valid match nothing rather than being ignored, so that a broken alert never
    sends every job."""
    filterset = VacancyFilter(_as_query_dict(query))
    if not filterset.is_valid():
        return Vacancy.objects.none()
    vacancies = filterset.qs
    if published_after is not None:
        vacancies = vacancies.filter(published_at__gt=published_after)
    return vacancies.select_related("organisation", "staff_group").order_by(
        F("published_at").desc(nulls_last=True), "-created_at", "-pk"
    )


def vacancy_public_get(*, pk: int) -> Vacancy:
    """A vacancy as the public may see it: live, closed or filled; 404 for drafts and
    those awaiting approval (the same answer as "does not exist")."""
    vacancy = (
        Vacancy.objects.select_related("organisation", "staff_group")
        .filter(pk=pk, status__in=PUBLIC_STATUSES)
        .first()
    )
    if vacancy is None:
        raise Http404("No such vacancy")
    return vacancy


def vacancies_similar(*, vacancy: Vacancy, limit: int = SIMILAR_COUNT) -> QuerySet[Vacancy]:
    """Live jobs in the same staff group, newest first, not this one."""
    return (
        Vacancy.objects.published()
        .filter(staff_group_id=vacancy.staff_group_id)
        .exclude(pk=vacancy.pk)
        .select_related("organisation", "staff_group")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]
    )
