"""Forms for raising a mobilisation, and the notes when one is declined or stood down."""

from django import forms
from django.utils import timezone

from hub.forms import date_field
from portability.models import Mobilisation
from portability.services.mobilisations import MAX_NOTE_LENGTH, MAX_SERVICE_LENGTH


class MobilisationForm(forms.Form):
    service = forms.CharField(
        label="Service that needs staff",
        max_length=MAX_SERVICE_LENGTH,
        help_text="For example: Ward 12 (acute medicine), St James's University Hospital.",
        error_messages={
            "required": "Enter the service that needs staff",
            "max_length": f"The service must be {MAX_SERVICE_LENGTH} characters or fewer",
        },
    )
    reason = forms.CharField(
        label="Why is there critical service need?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter why the service needs staff"},
    )
    urgency = forms.ChoiceField(
        label="How urgent is it?",
        choices=Mobilisation.Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how urgent it is",
            "invalid_choice": "Select how urgent it is",
        },
    )
    starts_on = date_field(label="From when", name="start date")
    expected_end_on = date_field(label="Expected end", name="expected end date")

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        if starts_on < timezone.localdate():
            raise forms.ValidationError("The start date must be today or in the future")
        return starts_on

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("expected_end_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error(
                "expected_end_on", "The expected end date must be the same as or after the start"
            )
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter a note",
            "max_length": f"The note must be {MAX_NOTE_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args, label: str, required_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].label = label
        self.fields["note"].error_messages["required"] = required_message
