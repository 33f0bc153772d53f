"""Forms for tracking links: making one (staff) and typing a code from a poster (the
public). They clean what was typed; `campaigns.services.links` decides the rest (codes
not taken, the vacancy one the campaign recruits for)."""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from campaigns.models import Campaign, TrackingLink
from campaigns.services.links import CODE_HELP, CODE_MAX_LENGTH
from talent.attribution import CAMPAIGN_CODE

Destination = TrackingLink.Destination


class VacancyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, vacancy):
        return f"{vacancy.title}, {vacancy.organisation.name}"


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, event):
        starts = timezone.localtime(event.starts_at)
        return f"{event.title}, {date_format(starts, 'j F Y')}"


def _clean_code(value: str) -> str:
    """Spaces around a code are dropped; anything else but letters, digits and hyphens
    is a mistake worth naming."""
    code = (value or "").strip()
    if code and not CAMPAIGN_CODE.match(code):
        raise forms.ValidationError(CODE_HELP)
    return code


class LinkForm(forms.Form):
    label = forms.CharField(
        label="Where it will be used",
        max_length=100,
        help_text="For example, poster in Armley library, or leaflets at the school gate.",
        error_messages={
            "required": "Enter where the link will be used, like a poster site",
            "max_length": "Where it will be used must be 100 characters or fewer",
        },
    )
    destination = forms.ChoiceField(
        label="Where the link goes",
        choices=Destination.choices,
        initial=Destination.CAMPAIGN,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the link goes"},
    )
    vacancy = VacancyChoiceField(
        label="Vacancy",
        queryset=None,
        required=False,
        empty_label="Choose a vacancy",
        help_text="Only if the link goes to a vacancy: one this campaign recruits for.",
        error_messages={"invalid_choice": "Choose one of the vacancies this campaign recruits for"},
    )
    event = EventChoiceField(
        label="Event",
        queryset=None,
        required=False,
        empty_label="Not for one event",
        help_text=(
            "For a poster about one event. A link to the campaign's page then opens the "
            "event's page until the event is over."
        ),
        error_messages={"invalid_choice": "Choose one of this campaign's events"},
    )
    code = forms.CharField(
        label="Code",
        required=False,
        max_length=CODE_MAX_LENGTH,
        help_text=(
            "What people type if they cannot scan the QR code: letters, numbers and "
            "hyphens. Leave blank and a code is made up for you."
        ),
        error_messages={"max_length": CODE_HELP},
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input--width-20",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vacancy"].queryset = campaign.vacancies.select_related(
            "organisation"
        ).order_by("title")
        self.fields["event"].queryset = campaign.events.order_by("starts_at")

    def clean_code(self):
        return _clean_code(self.cleaned_data.get("code"))

    def clean(self):
        cleaned = super().clean()
        needs_vacancy = cleaned.get("destination") == Destination.VACANCY
        if needs_vacancy and not cleaned.get("vacancy") and "vacancy" not in self.errors:
            self.add_error("vacancy", "Choose the vacancy the link goes to")
        return cleaned


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label="Enter the code from the poster",
        max_length=CODE_MAX_LENGTH,
        help_text="It is under the QR code, like ARMLEY-7KQ2M. Capital letters or not, it works.",
        error_messages={
            "required": "Enter the code from the poster or leaflet",
            "max_length": CODE_HELP,
        },
        widget=forms.TextInput(
            attrs={
                "class": "nhsuk-input--width-20",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self):
        return _clean_code(self.cleaned_data.get("code"))
