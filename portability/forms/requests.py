"""Forms for staff requests and offers. They clean what was typed and say plainly what is
wrong; the services decide the rest (dates within the mobilisation, who may offer)."""

import re

from django import forms
from django.utils import timezone

from hub.forms import date_field
from portability.models import DbsLevel, RegistrationBody
from portability.services.requests import MAX_PEOPLE_PER_REQUEST
from talent.models import StaffGroup

# What each register's numbers look like, and how to say so.
REGISTRATION_FORMATS = {
    RegistrationBody.NMC: (
        r"\d{2}[A-Z]\d{4}[A-Z]",
        "2 numbers, a letter, 4 numbers and a letter, like 12A3456E",
    ),
    RegistrationBody.HCPC: (r"[A-Z]{2}\d{5,6}", "2 letters and 5 or 6 numbers, like PA123456"),
    RegistrationBody.GMC: (r"\d{7}", "7 numbers, like 1234567"),
    RegistrationBody.SWE: (r"SW\d{1,6}", "SW and up to 6 numbers, like SW12345"),
    RegistrationBody.GPHC: (r"\d{7}", "7 numbers, like 2012345"),
    RegistrationBody.GDC: (r"\d{1,6}", "up to 6 numbers, like 123456"),
}

REGISTRATION_FILTER_CHOICES = [
    ("", "Any"),
    ("none", "No registration needed"),
    *[(value, label) for value, label in RegistrationBody.choices if value],
]


def _text(label: str, *, required_message: str, max_length: int, help_text: str = ""):
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        error_messages={
            "required": required_message,
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


class StaffRequestForm(forms.Form):
    role = _text(
        "Role",
        required_message="Enter the role you need people for",
        max_length=200,
        help_text="For example, Band 5 staff nurse, acute medicine.",
    )
    staff_group = forms.ModelChoiceField(
        label="Staff group",
        queryset=StaffGroup.objects.all(),
        empty_label="Choose a staff group",
        error_messages={
            "required": "Select a staff group",
            "invalid_choice": "Select a staff group",
        },
    )
    registration_needed = forms.ChoiceField(
        label="Professional registration needed",
        choices=RegistrationBody.choices,
        required=False,
        error_messages={"invalid_choice": "Select a professional register"},
    )
    dbs_level_needed = forms.ChoiceField(
        label="DBS level needed",
        choices=[("", "No DBS check needed"), *DbsLevel.choices],
        required=False,
        help_text="A host that accepts the home organisation's DBS still needs it at this level.",
        error_messages={"invalid_choice": "Select a DBS level from the list"},
    )
    number_needed = forms.IntegerField(
        label="How many people",
        min_value=1,
        max_value=MAX_PEOPLE_PER_REQUEST,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many people you need",
            "invalid": "Enter how many people you need as a number, like 3",
            "min_value": "Enter at least 1 person",
            "max_value": f"Enter {MAX_PEOPLE_PER_REQUEST} people or fewer",
        },
    )
    starts_on = date_field(label="From", name="start date")
    ends_on = date_field(label="Until", name="end date")
    shift_pattern = _text(
        "Shift pattern",
        required_message="Enter the shift pattern",
        max_length=200,
        help_text="For example: long days, 3 a week, 07:30 to 20:00.",
    )
    site = _text(
        "Site",
        required_message="Enter where they will work",
        max_length=300,
        help_text="The hospital, home or service, and the ward or team.",
    )
    notes = forms.CharField(
        label="Notes for the organisations offering staff",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Notes must be 2000 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The end date must be the same as or after the start date")
        return cleaned


class CancelRequestForm(forms.Form):
    reason = forms.CharField(
        label="Why are you cancelling the request?",
        max_length=500,
        help_text="Organisations with offers waiting see that their offers were declined.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are cancelling the request",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


class StaffOfferForm(forms.Form):
    staff_name = _text("Full name", required_message="Enter the person's full name", max_length=150)
    staff_email = forms.EmailField(
        label="Work email address",
        help_text="We email them where to go and when if the offer is accepted.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the person's work email address",
            "invalid": "Enter an email address in the correct format, like name@nhs.net",
        },
    )
    job_title = _text("Job title", required_message="Enter the person's job title", max_length=200)
    registration_body = forms.ChoiceField(
        label="Professional register",
        choices=RegistrationBody.choices,
        required=False,
        error_messages={"invalid_choice": "Select a professional register"},
    )
    registration_number = forms.CharField(
        label="Registration number",
        required=False,
        max_length=30,
        help_text="NMC PINs look like 12A3456E; HCPC numbers like PA123456; GMC numbers "
        "have 7 digits.",
        widget=forms.TextInput(
            attrs={"class": "nhsuk-input--width-10", "spellcheck": "false", "autocomplete": "off"}
        ),
        error_messages={"max_length": "The registration number must be 30 characters or fewer"},
    )
    staff_agreed_on = date_field(
        label="Date the person agreed to be offered",
        name="date the person agreed",
        help_text="For example, 27/03/2026. It cannot be in the future.",
    )
    staff_agreed = forms.BooleanField(
        label="They agreed to be offered for this request",
        help_text="Only offer someone who has said yes to working at this organisation for "
        "these dates.",
        error_messages={"required": "Confirm that the person agreed to be offered"},
    )

    def __init__(self, *args, staff_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff_request = staff_request
        needed = staff_request.registration_needed
        if needed:
            body = self.fields["registration_body"]
            body.required = True
            body.choices = [(needed, RegistrationBody(needed).label)]
            body.initial = needed
            body.error_messages["required"] = "Select the professional register"
            number = self.fields["registration_number"]
            number.required = True
            number.error_messages["required"] = "Enter the person's registration number"
            number.help_text = (
                f"{RegistrationBody(needed).label}: {REGISTRATION_FORMATS[needed][1]}."
            )
        if not self.is_bound:
            self.initial.setdefault("staff_agreed_on", timezone.localdate())

    def clean_registration_number(self):
        return re.sub(r"\s+", "", self.cleaned_data["registration_number"]).upper()

    def clean_staff_agreed_on(self):
        agreed_on = self.cleaned_data["staff_agreed_on"]
        if agreed_on > timezone.localdate():
            raise forms.ValidationError("The date the person agreed must be today or in the past")
        return agreed_on

    def clean(self):
        cleaned = super().clean()
        body, number = cleaned.get("registration_body"), cleaned.get("registration_number")
        if number and not body:
            self.add_error("registration_body", "Select the register the number belongs to")
        elif body and number and body in REGISTRATION_FORMATS:
            pattern, hint = REGISTRATION_FORMATS[body]
            if not re.fullmatch(pattern, number):
                self.add_error(
                    "registration_number",
                    f"Enter the registration number in the right format: {hint}",
                )
        elif body and not number and "registration_number" not in self.errors:
            self.add_error("registration_number", "Enter the person's registration number")
        return cleaned

    def offer_fields(self) -> dict:
        fields = dict(self.cleaned_data)
        fields.pop("staff_agreed")
        return fields


class DeclineOfferForm(forms.Form):
    reason = forms.CharField(
        label="Why are you declining the offer?",
        max_length=300,
        help_text="The organisation that offered the person reads this.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are declining the offer",
            "max_length": "The reason must be 300 characters or fewer",
        },
    )


class BoardFilterForm(forms.Form):
    staff_group = forms.ModelChoiceField(
        label="Staff group",
        queryset=StaffGroup.objects.all(),
        required=False,
        empty_label="Any",
        to_field_name="slug",
    )
    registration = forms.ChoiceField(
        label="Professional registration",
        choices=REGISTRATION_FILTER_CHOICES,
        required=False,
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "staff_group": self.cleaned_data.get("staff_group"),
            "registration": self.cleaned_data.get("registration") or None,
        }
