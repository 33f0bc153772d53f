"""Forms of the shared talent pool: the candidate's profile (with the consent box when
they join), leaving the pool, HR staff's search and the invitation to apply. They clean
what was typed and say plainly what is wrong; the services decide the rest."""

from django import forms
from django.utils.formats import date_format

from hub.forms import date_field
from talent.filters import KEYWORDS_MAX_LENGTH, MAX_HOURS_LIMIT, PostcodeDistrictField
from talent.selectors.pool import staff_group_choices
from talent.services.pool import MAX_HEADLINE, MAX_MESSAGE, MAX_SKILLS, POOL_CONSENT_WORDING

# A postcode is at most 8 characters with its space; anything longer is not one.
DISTRICT_TOO_LONG = {"max_length": PostcodeDistrictField.default_error_messages["invalid"]}

# The working-pattern needs a candidate can state, as (profile field, what they tick).
NEEDS = [
    ("no_nights", "I cannot work nights"),
    ("no_weekends", "I cannot work weekends"),
    ("term_time_only", "I can only work in school term time"),
]


def _hours_field(*, label: str, help_text: str, name: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=MAX_HOURS_LIMIT,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": f"Enter the {name} as a whole number, like 30",
            "min_value": f"The {name} must be between 1 and {MAX_HOURS_LIMIT}",
            "max_value": f"The {name} must be between 1 and {MAX_HOURS_LIMIT}",
        },
    )


def _staff_groups_field(**kwargs) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=staff_group_choices(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose staff groups from the list"},
        **kwargs,
    )


class PoolProfileForm(forms.Form):
    """The candidate's profile. `joining` adds the consent box, which must be ticked."""

    headline = forms.CharField(
        label="One line about you",
        max_length=MAX_HEADLINE,
        help_text="For example, Care worker with 3 years' experience in dementia care.",
        error_messages={
            "required": "Enter a line about you",
            "max_length": f"The line about you must be {MAX_HEADLINE} characters or fewer",
        },
    )
    skills = forms.CharField(
        label="Skills, qualifications and experience",
        max_length=MAX_SKILLS,
        help_text="What you can do and what you have done: partners search these words.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter your skills, qualifications and experience",
            "max_length": f"Your skills must be {MAX_SKILLS} characters or fewer",
        },
    )
    staff_groups = _staff_groups_field(
        label="The kinds of work you would like",
        help_text="Select all that apply. Leave them all unticked if you are open to any.",
    )
    needs = forms.MultipleChoiceField(
        label="What you need from a working pattern",
        choices=NEEDS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For example because of your health, caring or childcare. Partners only "
        "see what you tick here, never why.",
        error_messages={"invalid_choice": "Choose from the list"},
    )
    max_hours_per_week = _hours_field(
        label="The most hours you can work a week",
        help_text="Leave it blank if you can work full time.",
        name="most hours a week",
    )
    postcode_district = PostcodeDistrictField(
        label="Postcode district",
        max_length=10,
        help_text="The first half of your postcode, for example LS9. Partners do not see "
        "your full address.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "autocomplete": "off"}),
        error_messages={"required": "Enter your postcode district, like LS9", **DISTRICT_TOO_LONG},
    )
    available_from = date_field(
        label="When you could start",
        name="date you could start",
        help_text="For example, 27/03/2026. Leave it blank if you could start now.",
        required=False,
    )
    consent = forms.BooleanField(
        label=POOL_CONSENT_WORDING,
        error_messages={
            "required": "Tick the box to agree that partner organisations may see your profile"
        },
    )

    def __init__(self, *args, joining: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not joining:
            del self.fields["consent"]

    @classmethod
    def initial_from(cls, profile) -> dict:
        return {
            "headline": profile.headline,
            "skills": profile.skills,
            "staff_groups": [group.slug for group in profile.staff_groups.all()],
            "needs": [name for name, _ in NEEDS if getattr(profile, name)],
            "max_hours_per_week": profile.max_hours_per_week,
            "postcode_district": profile.postcode_district,
            "available_from": profile.available_from,
        }

    def profile_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "headline": data["headline"],
            "skills": data["skills"],
            "staff_groups": list(data["staff_groups"]),
            **{name: name in data["needs"] for name, _ in NEEDS},
            "max_hours_per_week": data["max_hours_per_week"],
            "postcode_district": data["postcode_district"],
            "available_from": data["available_from"],
            "consent": data.get("consent", False),
        }


class LeavePoolForm(forms.Form):
    delete_profile = forms.BooleanField(
        label="Delete my profile as well",
        required=False,
        help_text="If you keep it, no partner can see it, and you can rejoin later without "
        "typing it again. Deleting it also deletes your invitations to apply.",
    )


class PoolSearchForm(forms.Form):
    """HR staff's search of the pool, read from the query string."""

    q = forms.CharField(
        label="Skills, experience or keywords",
        required=False,
        max_length=KEYWORDS_MAX_LENGTH,
        help_text='For example, dementia care or "health care assistant".',
        error_messages={
            "max_length": f"Keywords must be {KEYWORDS_MAX_LENGTH} characters or fewer",
        },
    )
    staff_group = forms.ModelChoiceField(
        label="Kind of work",
        queryset=staff_group_choices(),
        required=False,
        empty_label="Any kind of work",
        to_field_name="slug",
        error_messages={"invalid_choice": "Choose a kind of work from the list"},
    )
    district = PostcodeDistrictField(
        label="Postcode district",
        required=False,
        max_length=10,
        help_text="For example, LS9.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "autocomplete": "off"}),
        error_messages=DISTRICT_TOO_LONG,
    )
    available_by = date_field(
        label="Can start by",
        name="start date",
        help_text="For example, 27/03/2026.",
        required=False,
    )
    nights = forms.BooleanField(label="Can work nights", required=False)
    weekends = forms.BooleanField(label="Can work weekends", required=False)
    min_hours = _hours_field(
        label="Can work at least this many hours a week",
        help_text="For example, 30.",
        name="hours a week",
    )

    def filters(self) -> dict:
        """The search's filters, for `talent.selectors.pool.pool_search`."""
        data = self.cleaned_data
        return {
            "keywords": " ".join(data["q"].split()),
            "staff_group": data["staff_group"],
            "district": data["district"],
            "available_by": data["available_by"],
            "nights": data["nights"],
            "weekends": data["weekends"],
            "min_hours": data["min_hours"],
        }


class VacancyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, vacancy):
        reference = f", {vacancy.reference}" if vacancy.reference else ""
        closes = date_format(vacancy.closing_date, "j F Y")
        invited = ": already invited" if getattr(vacancy, "already_invited", False) else ""
        return f"{vacancy.title}{reference} (closes {closes}){invited}"


class PoolInvitationForm(forms.Form):
    vacancy = VacancyChoiceField(
        label="Which vacancy?",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the vacancy to invite them to",
            "invalid_choice": "Choose one of your live vacancies",
        },
    )
    message = forms.CharField(
        label="Your message to them",
        required=False,
        max_length=MAX_MESSAGE,
        help_text="Why you think the job suits them. It goes in the email with a link to "
        "the vacancy.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": f"The message must be {MAX_MESSAGE} characters or fewer"},
    )

    def __init__(self, *args, vacancies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = vacancies
