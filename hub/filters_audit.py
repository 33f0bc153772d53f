"""The audit log's filters, read from the query string, and the reads behind its two
pages: an organisation's events for its admins, every event for hub admins.

A filter that does not make sense (a date that is not one, a person from elsewhere) is
shown as a form error and left out; the others still apply. Each page runs the same
queries whatever the rows: the choices of a list, the count and the page of events with
their people and organisations."""

import datetime

import django_filters
from django import forms
from django.core.validators import EMPTY_VALUES
from django.db.models import Q, QuerySet
from django.utils import timezone

from hub.forms import date_field
from hub.models import AuditEvent, Organisation, User

# Kinds of event, by the first part of their action ("application.viewed"). Views of a
# person's record, of every kind, are a kind of their own too.
ACTION_KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "applications": ("Applications", ("application", "candidate_profile")),
    "interviews": (
        "Interviews and trial shifts",
        ("interview", "interview_slot", "trial_shift", "trial_shift_slot"),
    ),
    "offers": ("Offers and pre-employment checks", ("offer", "hiring_targets")),
    "vacancies": ("Vacancies and emails to candidates", ("vacancy", "email_template")),
    "talent_pool": ("Talent pool", ("talent_pool",)),
    "secondments": (
        "Secondments",
        (
            "secondment_opportunity",
            "secondment_interest",
            "secondment_agreement",
            "secondment_approver",
        ),
    ),
    "rotations": ("Rotation schemes", ("rotation",)),
    "portability": (
        "Staff Portability Framework and deployments",
        ("portability", "deployment", "check_acceptance"),
    ),
    "campaigns": ("Campaigns and events", ("campaign", "event", "resident_import")),
    "residents": ("Residents", ("resident",)),
    "organisation": (
        "Organisation, members and invitations",
        ("organisation", "membership", "invitation"),
    ),
    "reports": ("Reports and exports", ("report", "city_impact_report")),
    "accounts": ("Accounts and job alerts", ("account", "saved_search")),
    "retention": ("Retention", ("retention",)),
}
VIEWS_KIND = "views"
VIEW_ACTION_ENDINGS = (".viewed", ".list_viewed", ".bookings_viewed", ".profile_viewed")
VIEW_ACTIONS = ("application.cv_downloaded",)


def _kind_condition(kind: str) -> Q:
    if kind == VIEWS_KIND:
        condition = Q(action__in=VIEW_ACTIONS)
        for ending in VIEW_ACTION_ENDINGS:
            condition |= Q(action__endswith=ending)
        return condition
    condition = Q()
    for prefix in ACTION_KINDS[kind][1]:
        condition |= Q(action__startswith=f"{prefix}.")
    return condition


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DayFilter(django_filters.Filter):
    """Events on or after a day (`until=False`), or on or before it (`until=True`), in
    the portal's time zone; the field is the portal's date field (hub.forms.date_field)."""

    def __init__(self, *args, until: bool, name: str, **kwargs):
        self.until, self.name = until, name
        super().__init__(*args, field_name="created_at", **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = date_field(self.label, self.name, required=False)
        return self._field

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        if self.until:
            return qs.filter(created_at__lt=_start_of(value + datetime.timedelta(days=1)))
        return qs.filter(created_at__gte=_start_of(value))


class PersonChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.name} ({user.email})" if user.name else user.email


class PersonFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


class AuditFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be the same as or after the start date")
        return cleaned


class AuditEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="Kind of event",
        choices=[
            (VIEWS_KIND, "Views of a person's record"),
            *((key, label) for key, (label, _) in ACTION_KINDS.items()),
        ],
        empty_label="Every kind",
        method="filter_kind",
        error_messages={"invalid_choice": "Choose a kind of event from the list"},
    )
    date_from = DayFilter(label="From", name="start date", until=False)
    date_to = DayFilter(label="To", name="end date", until=True)

    class Meta:
        model = AuditEvent
        fields = []
        form = AuditFilterForm

    def filter_kind(self, queryset, name, value):
        return queryset.filter(_kind_condition(value))


class OrganisationAuditEventFilter(AuditEventFilter):
    """An organisation's events, by who did them among its members."""

    person = PersonFilter(
        label="Person",
        field_name="actor",
        queryset=User.objects.none(),
        empty_label="Anyone",
        error_messages={"invalid_choice": "Choose a person from the list"},
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["person"].queryset = User.objects.filter(
            memberships__organisation=organisation
        ).order_by("name", "email")


class CityAuditEventFilter(AuditEventFilter):
    """Every event, by organisation and by the email address of who did it."""

    organisation = django_filters.ModelChoiceFilter(
        label="Organisation",
        queryset=Organisation.objects.order_by("name"),
        to_field_name="slug",
        empty_label="Every organisation",
        error_messages={"invalid_choice": "Choose an organisation from the list"},
    )
    email = django_filters.CharFilter(
        label="Email address of the person",
        field_name="actor__email",
        lookup_expr="iexact",
        max_length=254,
    )


def _events() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.select_related("actor", "organisation").order_by("-created_at", "-pk")


def organisation_audit_events(organisation: Organisation, params) -> OrganisationAuditEventFilter:
    """The organisation's events, newest first, filtered by `params`; its `qs` is the
    list, its `form` the filters with their errors."""
    return OrganisationAuditEventFilter(
        params, queryset=_events().filter(organisation=organisation), organisation=organisation
    )


def city_audit_events(params) -> CityAuditEventFilter:
    """Every event, newest first, filtered by `params`."""
    return CityAuditEventFilter(params, queryset=_events())
