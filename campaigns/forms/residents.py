"""Forms for residents: quick capture on a phone, the filters of a campaign's resident
list, and the steps of a journey. They clean what was typed; the services decide the rest
(postcodes, consent, which dates can be right)."""

from django import forms

from campaigns.models import Engagement, Neighbourhood
from campaigns.selectors.residents import Stage
from campaigns.services.residents import CONSENT_WORDING
from hub.forms import date_field

# Short labels for a phone screen; the values are the model's.
CAPTURE_CHANNELS = [
    (Engagement.Channel.FACE_TO_FACE, "Face to face"),
    (Engagement.Channel.SCHOOL, "At a school"),
    (Engagement.Channel.ONLINE, "Online"),
    (Engagement.Channel.REFERRAL, "Referred by another service"),
]


def _not_theirs(attrs: dict) -> dict:
    """Attributes for a field about someone else: the browser must not offer to fill in
    the outreach worker's own name, email or phone number."""
    return {"autocomplete": "off", **attrs}


class CaptureForm(forms.Form):
    """A person met in the community, in as few taps as possible."""

    name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(
            attrs=_not_theirs({"autocapitalize": "words", "spellcheck": "false"})
        ),
        error_messages={
            "required": "Enter the person's name",
            "max_length": "Name must be 150 characters or fewer",
        },
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs=_not_theirs({"type": "tel", "inputmode": "tel"})),
        error_messages={"max_length": "Enter a phone number, like 0113 496 0000"},
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs=_not_theirs({"inputmode": "email"})),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        help_text="It places them in a neighbourhood for the campaign's reports.",
        widget=forms.TextInput(
            attrs=_not_theirs(
                {
                    "autocapitalize": "characters",
                    "spellcheck": "false",
                    "class": "nhsuk-input--width-10",
                }
            )
        ),
        error_messages={"max_length": "Enter a real postcode, like LS12 3AB"},
    )
    channel = forms.ChoiceField(
        label="How did you meet them?",
        choices=CAPTURE_CHANNELS,
        initial=Engagement.Channel.FACE_TO_FACE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose how you met them",
            "invalid_choice": "Choose how you met them",
        },
    )
    consent = forms.BooleanField(
        label="They agree to be contacted",
        required=False,
        help_text=f"Read this to them: “{CONSENT_WORDING}”",
    )
    notes = forms.CharField(
        label="Note",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": "The note must be 1000 characters or fewer"},
    )


class ResidentFilterForm(forms.Form):
    """Search and filters of a campaign's resident list, read from the query string.
    Whatever does not make sense is ignored rather than refused."""

    q = forms.CharField(label="Name, email or postcode", required=False, max_length=100)
    stage = forms.ChoiceField(
        label="Furthest stage", choices=[("", "Any stage"), *Stage.choices], required=False
    )
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood",
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label="Any neighbourhood",
        to_field_name="slug",
    )

    def __init__(self, *args, neighbourhoods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods

    def filters(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "query": cleaned.get("q", ""),
            "stage": cleaned.get("stage", ""),
            "neighbourhood": cleaned.get("neighbourhood"),
        }


class SupportReferralForm(forms.Form):
    referred_for_support_on = date_field(
        label="Referred for one-to-one support on",
        name="date they were referred",
        required=False,
        help_text="For example, 27/03/2026. Leave it blank to clear a mistaken referral.",
    )


class ProgrammeReferralForm(forms.Form):
    programme = forms.ChoiceField(
        label="Programme",
        choices=[("", "Not referred"), *Engagement.Programme.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a programme from the list"},
    )
    programme_referred_on = date_field(
        label="Referred on", name="date they were referred", required=False
    )


class AppliedForm(forms.Form):
    applied_on = date_field(
        label="Applied on",
        name="date they applied",
        required=False,
        help_text="For a job applied for outside Workforce Hub. For example, 27/03/2026.",
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "No outcome yet"), *Engagement.Outcome.choices],
        required=False,
        error_messages={"invalid_choice": "Choose an outcome from the list"},
    )
    outcome_on = date_field(
        label="Began on",
        name="date it began",
        required=False,
        help_text="The first day of the job, training or support. For example, 27/03/2026.",
    )
    left_on = date_field(
        label="Left the job on",
        name="date they left",
        required=False,
        help_text="Only for someone who started a job and has left it.",
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Notes must be 5000 characters or fewer"},
    )
