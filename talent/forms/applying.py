"""Forms of applying and the candidate's area: the application (with its screening
questions and the optional equality monitoring), the profile and saving a job alert."""

import re

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from hub.uploads import validate_document
from talent.models import (
    Application,
    CandidateProfile,
    EqualityMonitoring,
    FairRoute,
    SavedSearch,
)
from talent.services.applications import REQUIRED_TO_SUBMIT, answer_field_name

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")
PHONE_CHARACTERS = re.compile(r"^[0-9 +()\-]+$")
# The answer "none of these routes", kept on the application as a blank route.
NO_FAIR_ROUTE = "none"


def clean_postcode(value: str) -> str:
    """'ls13ex' → 'LS1 3EX'; blank stays blank."""
    compact = "".join(value.upper().split())
    if not compact:
        return ""
    postcode = f"{compact[:-3]} {compact[-3:]}"
    if not POSTCODE.match(postcode):
        raise forms.ValidationError("Enter a full UK postcode, like LS1 3EX")
    return postcode


def clean_phone(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    if not PHONE_CHARACTERS.match(value) or not 10 <= len(digits) <= 15:
        raise forms.ValidationError(
            "Enter a phone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
        )
    return value


class PersonalDetailsMixin:
    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_postcode(self):
        return clean_postcode(self.cleaned_data.get("postcode", ""))


def _full_name_field(**kwargs):
    return forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={
            "required": REQUIRED_TO_SUBMIT["full_name"],
            "max_length": "Full name must be 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
        **kwargs,
    )


def _phone_field(**kwargs):
    return forms.CharField(
        label="Phone number",
        max_length=30,
        help_text="For example, 07700 900 982. We will only use it about your applications.",
        error_messages={
            "required": REQUIRED_TO_SUBMIT["phone"],
            "max_length": "Phone number must be 30 characters or fewer",
        },
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "class": "nhsuk-input--width-20"}
        ),
        **kwargs,
    )


def _address_field():
    return forms.CharField(
        label="Address",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )


def _postcode_field():
    return forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        error_messages={"max_length": "Enter a full UK postcode, like LS1 3EX"},
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "class": "nhsuk-input--width-10"}
        ),
    )


def _right_to_work_field(**kwargs):
    return forms.ChoiceField(
        label="Do you have the right to work in the UK?",
        choices=CandidateProfile.RightToWork.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": REQUIRED_TO_SUBMIT["right_to_work"],
            "invalid_choice": REQUIRED_TO_SUBMIT["right_to_work"],
        },
        **kwargs,
    )


def _monitoring_choice(label: str, choices) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select an answer from the list"},
    )


MONITORING_QUESTIONS = {
    "age_band": ("What is your age?", EqualityMonitoring.AgeBand.choices),
    "sex": ("What is your sex?", EqualityMonitoring.Sex.choices),
    "gender_same_as_birth": (
        "Is the gender you identify with the same as your sex registered at birth?",
        EqualityMonitoring.YesNo.choices,
    ),
    "ethnic_group": ("What is your ethnic group?", EqualityMonitoring.EthnicGroup.choices),
    "disability": (
        "Do you have a disability or a long-term physical or mental health condition?",
        EqualityMonitoring.YesNo.choices,
    ),
    "religion": ("What is your religion or belief?", EqualityMonitoring.Religion.choices),
    "sexual_orientation": (
        "What is your sexual orientation?",
        EqualityMonitoring.SexualOrientation.choices,
    ),
}
MONITORING_PREFIX = "monitoring_"


class ApplicationForm(PersonalDetailsMixin, forms.Form):
    """The whole application on one page. Submitting checks everything a recruiter needs;
    saving a draft (`saving_draft=True`) checks only what was given."""

    full_name = _full_name_field()
    phone = _phone_field()
    address = _address_field()
    postcode = _postcode_field()
    right_to_work = _right_to_work_field()
    supporting_statement = forms.CharField(
        label="Supporting statement",
        max_length=20000,
        help_text=(
            "Tell us why you want this job and how your experience, including caring, "
            "volunteering and life experience, matches what the job needs."
        ),
        error_messages={
            "required": REQUIRED_TO_SUBMIT["supporting_statement"],
            "max_length": "Supporting statement must be 20,000 characters or fewer",
        },
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    cv = forms.FileField(
        label="Your CV",
        required=False,
        help_text=(
            f"A PDF, Word (.docx) or OpenDocument text (.odt) file, smaller than "
            f"{filesizeformat(settings.CV_MAX_BYTES)}."
        ),
        error_messages={
            "invalid": "The selected file could not be read. Choose it again",
            "empty": "The selected file is empty",
        },
        widget=forms.FileInput(
            attrs={
                "accept": ".pdf,.docx,.odt,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document,"
                "application/vnd.oasis.opendocument.text"
            }
        ),
    )
    reasonable_adjustments = forms.CharField(
        label="Do you need any adjustments for the interview or assessment?",
        required=False,
        max_length=5000,
        help_text=(
            "For example, step-free access, extra time or a British Sign Language "
            "interpreter. Leave this blank if you need none."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    source = forms.ChoiceField(
        label="Where did you hear about this job?",
        choices=Application.Source.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select where you heard about this job"},
    )
    fair_route = forms.ChoiceField(
        label="Are you applying through one of these routes?",
        choices=[*FairRoute.choices, (NO_FAIR_ROUTE, "No, none of these")],
        required=False,
        widget=forms.RadioSelect,
        help_text="Some jobs guarantee an interview to people who meet the essential "
        "criteria and come through one of these routes. You do not have to answer.",
        error_messages={"invalid_choice": "Select a route from the list, or none of these"},
    )

    def __init__(self, *args, questions=(), saving_draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.saving_draft = saving_draft
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            self.fields[answer_field_name(question.pk)] = forms.CharField(
                label=question.text,
                max_length=5000,
                error_messages={
                    "required": f"Enter your answer to question {number}",
                    "max_length": f"Your answer to question {number} must be 5,000 "
                    "characters or fewer",
                },
                widget=forms.Textarea(attrs={"rows": 4}),
            )
        for name, (label, choices) in MONITORING_QUESTIONS.items():
            self.fields[MONITORING_PREFIX + name] = _monitoring_choice(label, choices)
        # The order of the page, which the error summary follows.
        self.order_fields(
            [
                "full_name",
                "phone",
                "address",
                "postcode",
                "right_to_work",
                "supporting_statement",
                *(answer_field_name(question.pk) for question in self.questions),
                "cv",
            ]
        )

    def full_clean(self):
        """A draft may leave anything blank: check only what was given."""
        if not self.saving_draft:
            return super().full_clean()
        required = {name: field.required for name, field in self.fields.items()}
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()
        finally:
            for name, was_required in required.items():
                self.fields[name].required = was_required

    def clean_fair_route(self):
        route = self.cleaned_data.get("fair_route", "")
        return "" if route == NO_FAIR_ROUTE else route

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        if upload:
            validate_document(upload, max_bytes=settings.CV_MAX_BYTES)
        return upload

    # The sections of the page, for the template.
    def question_fields(self):
        return [self[answer_field_name(question.pk)] for question in self.questions]

    def monitoring_fields(self):
        return [self[MONITORING_PREFIX + name] for name in MONITORING_QUESTIONS]

    # What the services take.
    def details(self) -> dict:
        fields = (
            "full_name",
            "phone",
            "address",
            "postcode",
            "right_to_work",
            "supporting_statement",
            "reasonable_adjustments",
            "source",
            "fair_route",
        )
        return {field: self.cleaned_data.get(field) or "" for field in fields}

    def answers(self) -> dict:
        return {
            question.pk: self.cleaned_data.get(answer_field_name(question.pk)) or ""
            for question in self.questions
        }

    def monitoring(self) -> dict:
        return {
            name: self.cleaned_data.get(MONITORING_PREFIX + name) or ""
            for name in MONITORING_QUESTIONS
        }

    @staticmethod
    def initial_from(application: Application) -> dict:
        """Everything a saved draft holds, to fill the form in again."""
        initial = {
            field: getattr(application, field)
            for field in (
                "full_name",
                "phone",
                "address",
                "postcode",
                "right_to_work",
                "supporting_statement",
                "reasonable_adjustments",
                "source",
                "fair_route",
            )
        }
        for answer in application.answers.all():
            initial[answer_field_name(answer.question_id)] = answer.answer
        monitoring = getattr(application, "monitoring", None)
        if monitoring is not None:
            for name in MONITORING_QUESTIONS:
                initial[MONITORING_PREFIX + name] = getattr(monitoring, name)
        return initial


class CandidateProfileForm(PersonalDetailsMixin, forms.Form):
    full_name = _full_name_field()
    phone = _phone_field(required=False)
    address = _address_field()
    postcode = _postcode_field()
    right_to_work = _right_to_work_field(required=False)


class SavedSearchForm(forms.Form):
    """Sent by the search page's "Get job alerts" form."""

    query = forms.CharField(required=False, max_length=2000)
    name = forms.CharField(
        label="Name this alert",
        required=False,
        max_length=100,
        error_messages={"max_length": "The name must be 100 characters or fewer"},
    )
    frequency = forms.ChoiceField(
        label="How often do you want emails?",
        choices=SavedSearch.Frequency.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select how often you want emails"},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Tell the employer why you are withdrawing",
        required=False,
        max_length=200,
        help_text="This helps them improve how they recruit. You do not have to give a reason.",
        error_messages={"max_length": "Your reason must be 200 characters or fewer"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
