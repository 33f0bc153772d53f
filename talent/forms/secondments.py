"""Forms for secondments. They clean what was typed and say plainly what is wrong; the
services decide the rest (dates against today, who may apply, who may approve)."""

from django import forms

from hub.forms import date_field
from hub.models import Organisation, User
from talent.forms.vacancies import BAND_CHOICES, LimitedTextField
from talent.models import Arrangement, SecondmentOpportunity, StaffGroup
from talent.services.secondments import (
    MAX_DURATION_MONTHS,
    MAX_REASON_LENGTH,
    MAX_STATEMENT_LENGTH,
    OPPORTUNITY_FIELDS,
)

OPEN_TO_CHOICES = [("all", "Every partner"), ("chosen", "Only the partners I choose")]


def _reason_field(label: str, *, required_message: str = "", help_text: str = ""):
    return LimitedTextField(
        label=label,
        max_length=MAX_REASON_LENGTH,
        required=bool(required_message),
        required_message=required_message,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _person_label(user: User) -> str:
    return f"{user.name} ({user.email})" if user.name else user.email


class OpportunityForm(forms.Form):
    title = LimitedTextField(
        label="Role",
        max_length=200,
        required_message="Enter the role",
        help_text="For example, Clinical nurse specialist, frailty virtual ward.",
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
    band = forms.ChoiceField(
        label="Agenda for Change band",
        choices=BAND_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Choose a band from the list"},
    )
    description = LimitedTextField(
        label="Description",
        max_length=20000,
        required_message="Enter a description of the role",
        help_text="What the person will do, the team, and what they will learn.",
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    starts_on = date_field(label="Start date", name="start date")
    duration_months = forms.IntegerField(
        label="Duration in months",
        min_value=1,
        max_value=MAX_DURATION_MONTHS,
        help_text="Typically 3 to 24 months.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the duration in months",
            "invalid": "Enter the duration as a number of months, like 6",
            "min_value": "The duration must be at least 1 month",
            "max_value": f"The duration must be {MAX_DURATION_MONTHS} months or fewer",
        },
    )
    closing_date = date_field(
        label="Closing date",
        name="closing date",
        help_text="The last day staff can express interest. For example, 27/03/2026.",
    )
    open_to = forms.ChoiceField(
        label="Who can see it and express interest",
        choices=OPEN_TO_CHOICES,
        widget=forms.RadioSelect,
        initial="all",
        error_messages={
            "required": "Choose who can see the opportunity",
            "invalid_choice": "Choose who can see the opportunity",
        },
    )
    eligible_organisations = forms.ModelMultipleChoiceField(
        label="Partners whose staff may apply",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Only when you chose 'Only the partners I choose'.",
        error_messages={"invalid_choice": "Choose partners from the list"},
    )
    arrangement = forms.ChoiceField(
        label="Arrangement",
        choices=Arrangement.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a loan or a secondment",
            "invalid_choice": "Choose a loan or a secondment",
        },
    )
    recharge = LimitedTextField(
        label="Recharge",
        max_length=200,
        required=False,
        help_text="For a secondment: what the host repays, for example 100% of salary and "
        "on-costs.",
    )
    backfill = LimitedTextField(
        label="Backfill",
        max_length=2000,
        required=False,
        help_text="How the home organisation can cover the post while the person is away.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    contact = forms.ModelChoiceField(
        label="Contact",
        queryset=User.objects.none(),
        required=False,
        empty_label="No contact",
        help_text="A member of your organisation who hears when someone is released to apply.",
        error_messages={"invalid_choice": "Choose a contact from the list"},
    )

    FIELDSETS = (
        ("The role", None, ("title", "staff_group", "band", "description")),
        ("Dates", None, ("starts_on", "duration_months", "closing_date")),
        ("Who can apply", None, ("open_to", "eligible_organisations")),
        (
            "Pay and cover",
            "A loan is paid by the host. A secondment is paid by the home organisation, "
            "which recharges the host.",
            ("arrangement", "recharge", "backfill"),
        ),
        ("Contact", None, ("contact",)),
    )
    # Fields (and so the error summary) in the order the fieldsets show them.
    field_order = [name for _, _, names in FIELDSETS for name in names]

    def __init__(
        self, *args, host: Organisation, opportunity: SecondmentOpportunity | None = None, **kw
    ):
        if opportunity is not None and "initial" not in kw:
            kw["initial"] = self.initial_from(opportunity)
        super().__init__(*args, **kw)
        self.fields["eligible_organisations"].queryset = (
            Organisation.objects.filter(active=True).exclude(pk=host.pk).order_by("name")
        )
        self.fields["contact"].queryset = User.objects.filter(
            memberships__organisation=host, is_active=True
        ).order_by("name", "email")
        self.fields["contact"].label_from_instance = _person_label

    def fieldsets(self):
        """[(legend, hint, [bound fields])] for the template."""
        return [
            (legend, hint, [self[name] for name in names]) for legend, hint, names in self.FIELDSETS
        ]

    @staticmethod
    def initial_from(opportunity: SecondmentOpportunity) -> dict:
        initial = {name: getattr(opportunity, name) for name in OPPORTUNITY_FIELDS}
        initial["open_to"] = "all" if opportunity.open_to_all else "chosen"
        initial["eligible_organisations"] = list(opportunity.eligible_organisations.all())
        return initial

    def opportunity_fields(self) -> dict:
        """The cleaned values, as the services take them."""
        data = self.cleaned_data
        values = {name: data[name] for name in OPPORTUNITY_FIELDS if name != "open_to_all"}
        values["open_to_all"] = data["open_to"] == "all"
        values["eligible_organisations"] = list(data["eligible_organisations"])
        return values


class InterestForm(forms.Form):
    statement = LimitedTextField(
        label="Why are you interested?",
        max_length=MAX_STATEMENT_LENGTH,
        required_message="Say why you are interested",
        help_text="What you would bring, and what you hope to learn. Your home organisation "
        "and the host read this.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReleaseForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you release them for this secondment?",
        choices=[("release", "Yes, release them"), ("refuse", "No, do not release them")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether you release them",
            "invalid_choice": "Choose whether you release them",
        },
    )
    reason = _reason_field(
        "Reason", help_text="Needed when you do not release them. They will read it."
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why you are not releasing them")
        return cleaned


class DeclineForm(forms.Form):
    message = _reason_field(
        "Message to the person",
        help_text="For example, what they could do to be selected next time.",
    )


class HomeApprovalForm(forms.Form):
    """What the home organisation states with its approval: whether the person keeps a
    right to return, and to what."""

    right_to_return = forms.ChoiceField(
        label="Does the person have the right to return to their post?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether they have the right to return",
            "invalid_choice": "Choose whether they have the right to return",
        },
    )
    return_terms = LimitedTextField(
        label="What they return to",
        max_length=MAX_REASON_LENGTH,
        required=False,
        help_text="For example, their band 6 post on ward 12, or an equivalent one.",
    )

    def approval_fields(self) -> dict:
        return {
            "right_to_return": self.cleaned_data["right_to_return"] == "yes",
            "return_terms": self.cleaned_data["return_terms"],
        }


class ExtendForm(forms.Form):
    ends_on = date_field(label="New end date", name="new end date")
    reason = _reason_field("Reason for the extension")


class EndEarlyForm(forms.Form):
    ended_on = date_field(label="Date it ended", name="date it ended")
    reason = _reason_field("Why it ended early", required_message="Say why it ended early")


class CancelForm(forms.Form):
    reason = _reason_field(
        "Why you are cancelling the agreement",
        required_message="Say why you are cancelling the agreement",
    )


class ApproverForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Member of your organisation",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={
            "required": "Choose a member of your organisation",
            "invalid_choice": "Choose a member of your organisation from the list",
        },
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates
        self.fields["user"].label_from_instance = _person_label
