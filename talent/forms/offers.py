"""Forms for offers, pre-employment checks, the start date and the time-to-hire targets.
They clean what was typed and say plainly what is wrong; the services decide the rest."""

from django import forms
from django.utils import timezone

from hub.forms import date_field
from talent.models import PreEmploymentCheck
from talent.services.offers import (
    MAX_DETAIL_LENGTH,
    MAX_TERMS_LENGTH,
    TARGET_LABELS,
    TARGET_MAX_DAYS,
    TARGET_MIN_DAYS,
)


class ConditionalOfferForm(forms.Form):
    terms = forms.CharField(
        label="Terms of the offer",
        max_length=MAX_TERMS_LENGTH,
        help_text="The candidate reads these in the offer email: pay band or salary, hours, "
        "where they will work and anything you agreed.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Enter the terms of the offer",
            "max_length": f"The terms must be {MAX_TERMS_LENGTH} characters or fewer",
        },
    )


class CheckForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=PreEmploymentCheck.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the outcome of the check",
            "invalid_choice": "Select the outcome of the check",
        },
    )
    checked_on = date_field(
        label="Date of the check",
        help_text="For example, 27/03/2026.",
        name="date of the check",
    )
    detail = forms.CharField(
        label="Details",
        required=False,
        max_length=MAX_DETAIL_LENGTH,
        help_text="For example the DBS level and certificate date, or the register and "
        "number checked. The candidate does not see this.",
        error_messages={
            "max_length": f"The details must be {MAX_DETAIL_LENGTH} characters or fewer",
        },
    )

    def clean_checked_on(self):
        checked_on = self.cleaned_data["checked_on"]
        if checked_on > timezone.localdate():
            raise forms.ValidationError("The date of the check must be today or in the past")
        return checked_on


class StartDateForm(forms.Form):
    start_date = date_field(
        label="Start date",
        help_text="The candidate's first day. For example, 27/03/2026.",
        name="start date",
    )

    def clean_start_date(self):
        start_date = self.cleaned_data["start_date"]
        if start_date < timezone.localdate():
            raise forms.ValidationError("The start date must be today or in the future")
        return start_date


def _target_field(name: str, help_text: str = "") -> forms.IntegerField:
    label = TARGET_LABELS[name]
    out_of_range = f"{label} must be between {TARGET_MIN_DAYS} and {TARGET_MAX_DAYS}"
    return forms.IntegerField(
        label=label,
        min_value=TARGET_MIN_DAYS,
        max_value=TARGET_MAX_DAYS,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"Enter {label.lower()} as a whole number, like 5",
            "min_value": out_of_range,
            "max_value": out_of_range,
        },
    )


class HiringTargetsForm(forms.Form):
    closing_to_unconditional_days = _target_field(
        "closing_to_unconditional_days",
        "The NHS measures time to hire against 8 weeks (56 days).",
    )
    submitted_days = _target_field("submitted_days", "From the application to screening.")
    screening_days = _target_field("screening_days")
    shortlisted_days = _target_field("shortlisted_days")
    interview_days = _target_field("interview_days")
    offer_days = _target_field("offer_days")
    pre_employment_days = _target_field("pre_employment_days")
    due_within_days = _target_field(
        "due_within_days",
        "Applications are marked due this many days before they pass a target.",
    )
