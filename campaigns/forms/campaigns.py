"""The form the lead organisation fills in to create or change a campaign. It cleans
what was typed; the service decides the rest (partners, linked vacancies, dates)."""

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Q
from django.forms.models import ModelChoiceIterator

from campaigns.models import Campaign, Neighbourhood
from campaigns.services.campaigns import CAMPAIGN_FIELDS
from hub.forms import date_field
from hub.models import Organisation
from talent.models import StaffGroup, Vacancy

MAX_GOAL = 1_000_000


def _goal(stage: str, label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_GOAL,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5", "inputmode": "numeric"}),
        error_messages={
            "invalid": f"Enter the goal for {stage} as a whole number, like 100",
            "min_value": f"The goal for {stage} must be 0 or more",
            "max_value": f"The goal for {stage} must be {MAX_GOAL:,} or less",
        },
    )


# The campaign's many-to-many fields the form ticks.
RELATIONS = ("partner_organisations", "neighbourhoods", "target_staff_groups", "vacancies")


def _related_ids(relation: str) -> ArraySubquery:
    """The ids a campaign's many-to-many `relation` holds, read from its link table."""
    field = Campaign._meta.get_field(relation)
    links = field.remote_field.through.objects.filter(**{field.m2m_field_name(): OuterRef("pk")})
    return ArraySubquery(links.values(field.m2m_reverse_name()))


class _EvaluatedOnceIterator(ModelChoiceIterator):
    """Choices from the field's queryset, read once: asking whether there are any (the
    template does) and drawing them share one query."""

    def __iter__(self):
        for obj in self.queryset:
            yield self.choice(obj)

    def __len__(self):
        return len(self.queryset)

    def __bool__(self):
        return bool(self.queryset)


class VacancyChoiceField(forms.ModelMultipleChoiceField):
    iterator = _EvaluatedOnceIterator

    def label_from_instance(self, vacancy):
        closes = f"{vacancy.closing_date:%-d %b %Y}"
        return f"{vacancy.title}, {vacancy.organisation.name} (closes {closes})"


class CampaignForm(forms.Form):
    name = forms.CharField(
        label="Campaign name",
        max_length=150,
        help_text="For example, Armley and New Wortley health and care careers.",
        error_messages={
            "required": "Enter the campaign's name",
            "max_length": "The name must be 150 characters or fewer",
        },
    )
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=2000,
        help_text="Shown on the campaign's public page: who it is for and why.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The summary must be 2000 characters or fewer"},
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label="Partner organisations",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Partners see the campaign's residents, run its events and record journeys.",
        error_messages={"invalid_choice": "Choose partners from the list"},
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label="Neighbourhoods it is aimed at",
        queryset=Neighbourhood.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one neighbourhood the campaign is aimed at",
            "invalid_choice": "Choose neighbourhoods from the list",
        },
    )
    starts_on = date_field(label="Starts on", name="start date")
    ends_on = date_field(label="Ends on", name="end date")
    target_roles = forms.CharField(
        label="Roles it recruits for",
        required=False,
        max_length=2000,
        help_text="In plain words, for example: healthcare assistants, home carers, porters.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The roles must be 2000 characters or fewer"},
    )
    target_staff_groups = forms.ModelMultipleChoiceField(
        label="Staff groups it recruits for",
        queryset=StaffGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose staff groups from the list"},
    )
    vacancies = VacancyChoiceField(
        label="Linked vacancies",
        queryset=Vacancy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Published vacancies of the lead organisation and the partners. A partner's "
        "vacancies appear here once the campaign is saved with them as a partner.",
        error_messages={"invalid_choice": "Choose vacancies from the list"},
    )
    goal_engaged = _goal("people engaged", "Goal: people engaged")
    goal_attended = _goal("people at an event", "Goal: people attending an event")
    goal_applied = _goal("people applying", "Goal: people applying for a job")
    goal_outcomes = _goal("outcomes", "Goal: people into a job, training or support")
    is_public = forms.BooleanField(
        label="Give the campaign a public page",
        required=False,
        initial=True,
        help_text="Its page and events can then be found by residents.",
    )

    FIELDSETS = (
        ("The campaign", None, ("name", "summary", "starts_on", "ends_on", "is_public")),
        ("Where and with whom", None, ("neighbourhoods", "partner_organisations")),
        ("What it recruits for", None, ("target_roles", "target_staff_groups", "vacancies")),
        ("Goals", "How many people you aim for at each stage. Leave blank for no goal.", (
            "goal_engaged", "goal_attended", "goal_applied", "goal_outcomes",
        )),
    )  # fmt: skip
    # Fields (and so the error summary) in the order the fieldsets show them.
    field_order = [name for _, _, names in FIELDSETS for name in names]

    def __init__(
        self, *args, organisation: Organisation, campaign: Campaign | None = None, **kwargs
    ):
        if campaign is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(campaign)
        super().__init__(*args, **kwargs)
        self.fields["partner_organisations"].queryset = (
            Organisation.objects.active().exclude(pk=organisation.pk).order_by("name")
        )
        partner_ids = self._partner_ids(campaign)
        linked = Q(pk__in=campaign.vacancies.values("pk")) if campaign is not None else Q()
        published = Q(
            pk__in=Vacancy.objects.published()
            .filter(organisation__in=[organisation.pk, *partner_ids])
            .values("pk")
        )
        self.fields["vacancies"].queryset = (
            Vacancy.objects.filter(published | linked)
            .select_related("organisation")
            .order_by("organisation__name", "title")
        )

    @staticmethod
    def initial_for(campaign: Campaign) -> dict:
        """The campaign's fields, and the ids of its related records in one query."""
        initial = {field: getattr(campaign, field) for field in CAMPAIGN_FIELDS}
        ids = Campaign.objects.filter(pk=campaign.pk).values_list(
            *(_related_ids(relation) for relation in RELATIONS)
        )
        initial |= dict(zip(RELATIONS, ids.get(), strict=True))
        return initial

    def _partner_ids(self, campaign: Campaign | None) -> list[int]:
        """The partners ticked on the form being sent, or the campaign's own: their
        vacancies may be linked."""
        if self.is_bound:
            name = self.add_prefix("partner_organisations")
            values = self.data.getlist(name) if hasattr(self.data, "getlist") else []
            return [int(value) for value in values if str(value).isdigit()]
        return list(self.initial.get("partner_organisations", []))

    def fieldsets(self):
        """[(legend, hint, [bound fields])] for the template."""
        return [
            (legend, hint, [self[name] for name in names]) for legend, hint, names in self.FIELDSETS
        ]

    def campaign_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for relation in RELATIONS:
            data[relation] = list(data[relation])
        return data
