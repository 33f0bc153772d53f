"""Forms HR staff fill in to write a vacancy, return one to draft, and narrow their list.
They clean input and say what is wrong in plain words; the services decide the rest."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.models import Organisation, User
from talent.models import FairRoute, StaffGroup, Vacancy
from talent.services.vacancies import (
    MAX_HOURS,
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
    MAX_REASON_LENGTH,
    VACANCY_EDITABLE_FIELDS,
    clean_questions,
    normalise_postcode,
    pay_and_hours_errors,
)


class MoneyField(forms.DecimalField):
    """An amount of pounds typed as people write it: "£24,071" or "12.60"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)


def salary_field(which: str, *, example: str, help_text: str) -> MoneyField:
    """The minimum or maximum salary, with errors that say which one is wrong."""
    too_big = f"Enter a {which} salary of less than £10,000,000"
    return MoneyField(
        label=f"{which.capitalize()} salary in pounds",
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": f"Enter the {which} salary as an amount, like {example} or 12.60",
            "min_value": f"The {which} salary must be 0 or more",
            "max_digits": too_big,
            "max_whole_digits": too_big,
            "max_decimal_places": f"Enter the {which} salary in pounds and pence, like 12.60",
        },
    )


class LimitedTextField(forms.CharField):
    """A text field whose length error names the field: "Summary must be 300 characters
    or fewer"."""

    def __init__(self, *, label, max_length=None, required=True, required_message="", **kwargs):
        messages = kwargs.pop("error_messages", {})
        if max_length:
            messages.setdefault("max_length", f"{label} must be {max_length} characters or fewer")
        if required_message:
            messages.setdefault("required", required_message)
        super().__init__(
            label=label,
            max_length=max_length,
            required=required,
            error_messages=messages,
            **kwargs,
        )


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


SALARY_PERIOD_CHOICES = [
    (value, f"Per {label.split(' ', 1)[1]}") for value, label in Vacancy.SalaryPeriod.choices
]
BAND_CHOICES = [("", "Not on Agenda for Change"), *Vacancy.Band.choices]


class VacancyForm(forms.Form):
    """Every field HR staff set on a vacancy, grouped in fieldsets (see `fieldsets`)."""

    title = LimitedTextField(
        label="Job title",
        max_length=200,
        required_message="Enter a job title",
        help_text="For example, Healthcare assistant or Registered nurse (band 5).",
    )
    reference = LimitedTextField(
        label="Your reference",
        max_length=40,
        required=False,
        help_text="Your own reference for the job, for example 123-ABC-456.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    staff_group = forms.ModelChoiceField(
        label="Staff group",
        queryset=StaffGroup.objects.all(),
        empty_label="Choose a staff group",
        error_messages={
            "required": "Choose a staff group",
            "invalid_choice": "Choose a staff group from the list",
        },
    )
    contract_type = forms.ChoiceField(
        label="Contract type",
        choices=Vacancy.ContractType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a contract type",
            "invalid_choice": "Choose a contract type from the list",
        },
    )
    summary = LimitedTextField(
        label="Summary",
        max_length=300,
        required_message="Enter a summary of the job",
        help_text="One or two sentences shown in the search results. Up to 300 characters.",
        widget=_textarea(3),
    )
    description = LimitedTextField(
        label="Job description",
        max_length=20000,
        required_message="Enter a description of the job",
        help_text="What the job is, the team, and what a day looks like.",
        widget=_textarea(10),
    )
    essential_criteria = LimitedTextField(
        label="Essential criteria",
        max_length=5000,
        required=False,
        help_text="What every applicant must have. Put each on its own line.",
        widget=_textarea(5),
    )
    desirable_criteria = LimitedTextField(
        label="Desirable criteria",
        max_length=5000,
        required=False,
        help_text="What would help but is not needed. Put each on its own line.",
        widget=_textarea(5),
    )

    band = forms.ChoiceField(
        label="Agenda for Change band",
        choices=BAND_CHOICES,
        required=False,
        help_text="Choose 'Not on Agenda for Change' for council, care and other pay scales.",
        error_messages={"invalid_choice": "Choose a band from the list"},
    )
    pay_scale = LimitedTextField(
        label="Pay scale",
        max_length=100,
        required=False,
        help_text="For jobs not on Agenda for Change, for example 'Council grade C' or "
        "'£12.60 an hour'.",
    )
    salary_min = salary_field("minimum", example="24071", help_text="For example, 24071 or 12.60.")
    salary_max = salary_field(
        "maximum", example="25674", help_text="The same as the minimum if the pay is fixed."
    )
    salary_period = forms.ChoiceField(
        label="The salary is paid",
        choices=SALARY_PERIOD_CHOICES,
        initial=Vacancy.SalaryPeriod.YEAR,
        error_messages={
            "required": "Choose how the salary is paid",
            "invalid_choice": "Choose how the salary is paid from the list",
        },
    )

    hours_per_week = forms.DecimalField(
        label="Hours per week",
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=f"Between 1 and {MAX_HOURS}, for example 37.5.",
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4", "spellcheck": "false"}
        ),
        error_messages={
            "invalid": "Enter hours per week as a number, like 37.5",
            "max_digits": f"Hours per week must be between 1 and {MAX_HOURS}",
            "max_whole_digits": f"Hours per week must be between 1 and {MAX_HOURS}",
            "max_decimal_places": "Enter hours per week to one decimal place, like 37.5",
        },
    )
    working_patterns = forms.MultipleChoiceField(
        label="Working patterns",
        choices=Vacancy.WorkingPattern.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={
            "required": "Choose at least one working pattern",
            "invalid_choice": "Choose working patterns from the list",
        },
    )

    site = LimitedTextField(
        label="Site or place of work",
        max_length=200,
        required=False,
        help_text="For example, St James's University Hospital.",
    )
    address = LimitedTextField(
        label="Address",
        max_length=500,
        required=False,
        widget=_textarea(3),
    )
    postcode = LimitedTextField(
        label="Postcode",
        max_length=10,
        required_message="Enter the postcode of the place of work",
        help_text="For example, LS9 7TF. Candidates search by the first half.",
        widget=forms.TextInput(
            attrs={"class": "nhsuk-input--width-10", "autocomplete": "postal-code"}
        ),
    )

    closing_date = forms.DateField(
        label="Closing date",
        help_text="The last day candidates can apply. For example, 27/03/2026.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y"],
        widget=forms.DateInput(
            attrs={"type": "date", "class": "nhsuk-input--width-10"}, format="%Y-%m-%d"
        ),
        error_messages={
            "required": "Enter a closing date",
            "invalid": "Enter a real closing date, like 27/03/2026",
        },
    )

    entry_level = forms.BooleanField(
        label="No experience needed",
        required=False,
        help_text="Shown to people looking for their first job in health and care.",
    )
    apprenticeship = forms.BooleanField(label="This is an apprenticeship", required=False)
    trial_shift_available = forms.BooleanField(
        label="Trial shift available",
        required=False,
        help_text="Candidates can try a shift before they decide.",
    )
    disability_confident = forms.BooleanField(
        label="We are a Disability Confident employer", required=False
    )
    visa_sponsorship = forms.BooleanField(label="Visa sponsorship available", required=False)

    questions = forms.CharField(
        label="Screening questions",
        required=False,
        widget=_textarea(5),
        help_text=(
            f"One question per line. Up to {MAX_QUESTIONS} questions, each up to "
            f"{MAX_QUESTION_LENGTH} characters. Every applicant answers them."
        ),
    )
    contact = forms.ModelChoiceField(
        label="Contact for applications",
        queryset=User.objects.none(),
        required=False,
        empty_label="No contact",
        help_text="A member of your organisation who hears about new applications.",
        error_messages={"invalid_choice": "Choose a contact from the list"},
    )
    application_alerts = forms.ChoiceField(
        label="How should the contact hear about new applications?",
        choices=Vacancy.ApplicationAlerts.choices,
        widget=forms.RadioSelect,
        initial=Vacancy.ApplicationAlerts.IMMEDIATELY,
        error_messages={
            "required": "Choose how the contact hears about new applications",
            "invalid_choice": "Choose how the contact hears about new applications",
        },
    )

    anonymised_shortlisting = forms.BooleanField(
        label="Anonymised shortlisting",
        required=False,
        help_text="Hide applicants' names and contact details until you shortlist them, so "
        "you judge applications on what they say.",
    )
    guaranteed_interview_routes = forms.MultipleChoiceField(
        label="Guarantee an interview to applicants who meet the essential criteria and come "
        "through",
        choices=FairRoute.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply, or none. Only an admin can reject these applicants "
        "before interview, and must say why.",
        error_messages={"invalid_choice": "Choose routes from the list"},
    )

    FIELDSETS = (
        ("The job", None, ("title", "reference", "staff_group", "contract_type")),
        ("Pay", "An Agenda for Change band, or another pay scale.", (
            "band", "pay_scale", "salary_min", "salary_max", "salary_period",
        )),
        ("Hours and working patterns", None, ("hours_per_week", "working_patterns")),
        ("Location", None, ("site", "address", "postcode")),
        ("About the job", "Select all that apply.", (
            "entry_level",
            "apprenticeship",
            "trial_shift_available",
            "disability_confident",
            "visa_sponsorship",
        )),
        ("What candidates read", None, (
            "summary", "description", "essential_criteria", "desirable_criteria",
        )),
        ("Applying", None, ("closing_date", "questions", "contact", "application_alerts")),
        ("Fair recruitment", None, ("anonymised_shortlisting", "guaranteed_interview_routes")),
    )  # fmt: skip
    # Fields (and so the error summary) in the order the fieldsets show them.
    field_order = [name for _, _, names in FIELDSETS for name in names]

    def __init__(self, *args, organisation: Organisation, vacancy: Vacancy | None = None, **kw):
        self.organisation = organisation
        self.vacancy = vacancy
        if vacancy is not None and "initial" not in kw:
            kw["initial"] = self.initial_from(vacancy)
        super().__init__(*args, **kw)
        self.fields["contact"].queryset = User.objects.filter(
            memberships__organisation=organisation, is_active=True
        ).order_by("name", "email")
        self.fields["contact"].label_from_instance = lambda user: (
            f"{user.name} ({user.email})" if user.name else user.email
        )

    @staticmethod
    def initial_from(vacancy: Vacancy) -> dict:
        initial = {field: getattr(vacancy, field) for field in VACANCY_EDITABLE_FIELDS}
        initial["staff_group"] = vacancy.staff_group_id
        initial["contact"] = vacancy.contact_id
        initial["questions"] = "\n".join(q.text for q in vacancy.questions.all())
        return initial

    def fieldsets(self):
        """[(legend, hint, [bound fields])] for the template."""
        return [
            (legend, hint, [self[name] for name in names]) for legend, hint, names in self.FIELDSETS
        ]

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_postcode(self):
        try:
            postcode, _ = normalise_postcode(self.cleaned_data["postcode"])
        except ValidationError:
            raise ValidationError("Enter a real postcode, like LS9 7TF") from None
        return postcode

    def clean_hours_per_week(self):
        hours = self.cleaned_data["hours_per_week"]
        if hours is not None and not 1 <= hours <= MAX_HOURS:
            raise ValidationError(f"Hours per week must be between 1 and {MAX_HOURS}")
        return hours

    def clean_closing_date(self):
        closing = self.cleaned_data["closing_date"]
        unchanged = self.vacancy is not None and closing == self.vacancy.closing_date
        if closing < timezone.localdate() and not unchanged:
            raise ValidationError("The closing date must be today or in the future")
        if closing.year > timezone.localdate().year + 2:
            raise ValidationError("The closing date must be within the next 2 years")
        return closing

    def clean_questions(self):
        lines = self.cleaned_data["questions"].splitlines()
        try:
            return clean_questions(lines)
        except ValidationError as error:
            raise ValidationError(error.message_dict["questions"]) from None

    def clean(self):
        cleaned = super().clean()
        pay_fields = ("band", "pay_scale", "salary_min", "salary_max", "hours_per_week")
        if all(field in cleaned for field in pay_fields):
            for field, message in pay_and_hours_errors(
                **{field: cleaned[field] for field in pay_fields}
            ).items():
                self.add_error(field, message)
        return cleaned

    def vacancy_fields(self) -> dict:
        """The cleaned fields as the services take them (questions apart)."""
        return {field: self.cleaned_data[field] for field in VACANCY_EDITABLE_FIELDS}


class ReturnToDraftForm(forms.Form):
    reason = forms.CharField(
        label="Why are you returning the vacancy?",
        max_length=MAX_REASON_LENGTH,
        widget=_textarea(5),
        help_text="The person who wrote the vacancy gets this by email, so they can change it.",
        error_messages={
            "required": "Enter the reason for returning the vacancy",
            "max_length": f"The reason must be {MAX_REASON_LENGTH} characters or fewer",
        },
    )


STATUS_CHOICES = [("", "All"), *Vacancy.Status.choices]


class VacancyListFilterForm(forms.Form):
    """The list's status tab and title search; anything unexpected is ignored."""

    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    q = forms.CharField(label="Search by job title or reference", max_length=100, required=False)

    def values(self) -> tuple[str, str]:
        if self.is_valid():
            return self.cleaned_data["status"], self.cleaned_data["q"].strip()
        status = self.data.get("status", "")
        return (status if status in Vacancy.Status.values else ""), ""
