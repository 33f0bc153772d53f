"""The public job search's filters: one FilterSet reads the GET parameters of `/jobs/`, of
the Atom feed and of saved job alerts, so a search means the same everywhere.

Each filter is also a `Q` condition (`VacancyFilter.conditions()`), which lets the search
count, in one aggregate query, how many jobs every other option would find."""

import re
from datetime import timedelta

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.validators import EMPTY_VALUES
from django.db.models import Case, DecimalField, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from hub.models import Organisation
from talent.models import StaffGroup, Vacancy

KEYWORDS_MAX_LENGTH = 200
MAX_HOURS_LIMIT = 48

# ts_rank's weights for D, C, B, A: criteria, description, summary, title.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]

# Full-time equivalents for comparing salaries given per hour, day, week or month.
WEEKS_A_YEAR = 52
DAYS_A_YEAR = 260  # five days a week
FULL_TIME_HOURS = 37.5  # Agenda for Change full time


class Sort:
    RELEVANCE = "relevance"
    NEWEST = "newest"
    CLOSING = "closing"
    SALARY = "salary"

    choices = [
        (RELEVANCE, "Most relevant"),
        (NEWEST, "Newest"),
        (CLOSING, "Closing soonest"),
        (SALARY, "Highest salary"),
    ]


CLOSING_WITHIN_CHOICES = [
    ("7", "Closes within 7 days"),
    ("14", "Closes within 14 days"),
    ("28", "Closes within 28 days"),
]

_OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")


def postcode_district(value: str) -> str | None:
    """The outward code ("LS9") of a district or full postcode typed in any case and
    spacing ("ls9", "LS9 7TF", "ls97tf"); None when it is neither."""
    compact = "".join(value.split()).upper()
    full = _FULL_POSTCODE.match(compact)
    if full:
        return full.group(1)
    if _OUTWARD_CODE.match(compact):
        return compact
    return None


class PostcodeDistrictField(forms.CharField):
    default_error_messages = {
        "invalid": "Enter a postcode district, like LS9, or a full postcode, like LS9 7TF",
    }

    def clean(self, value):
        value = super().clean(value)
        if value in EMPTY_VALUES:
            return ""
        district = postcode_district(value)
        if district is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return district


class DistrictFilter(django_filters.CharFilter):
    field_class = PostcodeDistrictField


class TickedFilter(django_filters.Filter):
    """A checkbox: filters only when ticked; unticked or absent means "any"."""

    field_class = forms.BooleanField


def _is_empty(value) -> bool:
    """Nothing chosen: a blank, an unticked box or an empty list (or queryset)."""
    if value is None or value is False or isinstance(value, str):
        return not value
    return hasattr(value, "__len__") and len(value) == 0


def _multiple(label, choices, message, **kwargs):
    return django_filters.MultipleChoiceFilter(
        label=label,
        choices=choices,
        method="filter_condition",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": message},
        **kwargs,
    )


def _model_multiple(label, queryset, message):
    return django_filters.ModelMultipleChoiceFilter(
        label=label,
        queryset=queryset,
        to_field_name="slug",
        method="filter_condition",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": message, "invalid_pk_value": message},
    )


def keyword_query(keywords: str) -> SearchQuery:
    """Keywords as people type them into a search engine: words, "quoted phrases",
    `or`, and -excluded words."""
    return SearchQuery(keywords, search_type="websearch", config="english")


def annualised_salary():
    """The top of the salary range as a yearly amount, so that hourly, daily, weekly and
    monthly rates sort among yearly salaries (full time for hourly rates when the hours
    are not given)."""
    amount = Coalesce("salary_max", "salary_min")
    money = DecimalField(max_digits=12, decimal_places=2)
    period = Vacancy.SalaryPeriod
    return Case(
        When(salary_period=period.MONTH, then=amount * Value(12)),
        When(salary_period=period.WEEK, then=amount * Value(WEEKS_A_YEAR)),
        When(salary_period=period.DAY, then=amount * Value(DAYS_A_YEAR)),
        When(
            salary_period=period.HOUR,
            then=amount
            * Coalesce("hours_per_week", Value(FULL_TIME_HOURS), output_field=money)
            * Value(WEEKS_A_YEAR),
        ),
        default=amount,
        output_field=money,
    )


class VacancyFilter(django_filters.FilterSet):
    """The job search. Always over live vacancies (`Vacancy.objects.published()`),
    whatever queryset is given. Invalid values are form errors; the valid filters still
    apply."""

    q = django_filters.CharFilter(
        label="Job title, skill or keyword",
        method="filter_condition",
        max_length=KEYWORDS_MAX_LENGTH,
        error_messages={
            "max_length": f"Keywords must be {KEYWORDS_MAX_LENGTH} characters or fewer",
        },
    )
    district = DistrictFilter(
        label="Postcode district",
        method="filter_condition",
        help_text="For example, LS9.",
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
        error_messages={
            "max_length": "Enter a postcode district, like LS9, or a full postcode, like LS9 7TF",
        },
    )
    organisation = _model_multiple(
        "Organisation", Organisation.objects.active(), "Select an organisation from the list"
    )
    kind = _multiple(
        "Type of organisation",
        Organisation.Kind.choices,
        "Select a type of organisation from the list",
    )
    staff_group = _model_multiple(
        "Staff group", StaffGroup.objects.all(), "Select a staff group from the list"
    )
    band = _multiple("Agenda for Change band", Vacancy.Band.choices, "Select a band from the list")
    contract = _multiple(
        "Contract type", Vacancy.ContractType.choices, "Select a contract type from the list"
    )
    pattern = _multiple(
        "Working pattern",
        Vacancy.WorkingPattern.choices,
        "Select a working pattern from the list",
    )
    max_hours = django_filters.NumberFilter(
        label="Maximum hours a week",
        method="filter_condition",
        min_value=1,
        max_value=MAX_HOURS_LIMIT,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-3"}),
        error_messages={
            "invalid": "Enter maximum hours as a number, like 20",
            "min_value": f"Maximum hours must be between 1 and {MAX_HOURS_LIMIT}",
            "max_value": f"Maximum hours must be between 1 and {MAX_HOURS_LIMIT}",
            "max_digits": "Enter maximum hours as a number, like 20",
            "max_decimal_places": "Enter maximum hours to one decimal place, like 22.5",
        },
        max_digits=4,
        decimal_places=1,
    )
    entry_level = TickedFilter(label="No experience needed", method="filter_condition")
    trial_shift = TickedFilter(label="Trial shift available", method="filter_condition")
    apprenticeship = TickedFilter(label="Apprenticeships", method="filter_condition")
    closing_within = django_filters.ChoiceFilter(
        label="Closing date",
        choices=CLOSING_WITHIN_CHOICES,
        method="filter_condition",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select when the job closes from the list"},
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=Sort.choices,
        method="filter_nothing",
        empty_label=None,
        error_messages={"invalid_choice": "Select how to sort the jobs from the list"},
    )

    class Meta:
        model = Vacancy
        fields = []

    # Filters whose options carry counts; the others narrow every count alike.
    FACETED = (
        "organisation",
        "kind",
        "staff_group",
        "band",
        "contract",
        "pattern",
        "entry_level",
        "trial_shift",
        "apprenticeship",
        "closing_within",
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        queryset = Vacancy.objects.all() if queryset is None else queryset
        super().__init__(data, queryset.published(), request=request, prefix=prefix)

    # -- conditions -------------------------------------------------------------------

    @staticmethod
    def condition(name: str, value) -> Q:
        """The condition of one filter for a cleaned value; `Q()` (nothing) when empty."""
        if _is_empty(value):
            return Q()
        if name == "q":
            return Q(search_vector=keyword_query(value))
        if name == "district":
            return Q(postcode_district=value)
        if name == "organisation":
            return Q(organisation__in=[organisation.pk for organisation in value])
        if name == "kind":
            return Q(organisation__kind__in=value)
        if name == "staff_group":
            return Q(staff_group__in=[group.pk for group in value])
        if name == "band":
            return Q(band__in=value)
        if name == "contract":
            return Q(contract_type__in=value)
        if name == "pattern":
            return Q(working_patterns__overlap=list(value))
        if name == "max_hours":
            return Q(hours_per_week__lte=value)
        if name == "entry_level":
            return Q(entry_level=True)
        if name == "trial_shift":
            return Q(trial_shift_available=True)
        if name == "apprenticeship":
            return Q(apprenticeship=True) | Q(contract_type=Vacancy.ContractType.APPRENTICESHIP)
        if name == "closing_within":
            return Q(closing_date__lte=timezone.localdate() + timedelta(days=int(value)))
        raise ValueError(f"No condition for {name!r}")

    def conditions(self) -> dict[str, Q]:
        """The condition of every filter given a valid, non-empty value, by name."""
        if not self.is_bound:
            return {}
        self.errors  # noqa: B018 (cleans the form)
        found = {}
        for name, value in self.form.cleaned_data.items():
            if name == "sort":
                continue
            condition = self.condition(name, value)
            if condition:
                found[name] = condition
        return found

    def filter_condition(self, queryset, name, value):
        return queryset.filter(self.condition(name, value))

    def filter_nothing(self, queryset, name, value):
        return queryset

    # -- ordering ---------------------------------------------------------------------

    @property
    def keywords(self) -> str:
        if not self.is_bound:
            return ""
        self.errors  # noqa: B018
        return self.form.cleaned_data.get("q") or ""

    @property
    def sort_order(self) -> str:
        """The chosen order: relevance by default when there are keywords, newest
        otherwise; relevance without keywords means newest."""
        chosen = ""
        if self.is_bound:
            self.errors  # noqa: B018
            chosen = self.form.cleaned_data.get("sort") or ""
        if chosen == Sort.RELEVANCE or not chosen:
            return Sort.RELEVANCE if self.keywords else Sort.NEWEST
        return chosen

    def filter_queryset(self, queryset):
        return self.order(super().filter_queryset(queryset))

    def order(self, queryset):
        newest = [F("published_at").desc(nulls_last=True), "-created_at", "-pk"]
        sort = self.sort_order
        if sort == Sort.RELEVANCE:
            rank = SearchRank(
                F("search_vector"), keyword_query(self.keywords), weights=RANK_WEIGHTS
            )
            return queryset.annotate(rank=rank).order_by("-rank", *newest)
        if sort == Sort.CLOSING:
            return queryset.order_by("closing_date", *newest)
        if sort == Sort.SALARY:
            return queryset.annotate(annual_salary=annualised_salary()).order_by(
                F("annual_salary").desc(nulls_last=True), *newest
            )
        return queryset.order_by(*newest)
