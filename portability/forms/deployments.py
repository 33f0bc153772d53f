"""Forms for deployments: the home organisation's checks, the host's local induction,
the start (with an admin's override reason), the return and the home's feedback, and
the check acceptance of one other signatory. They clean what was typed and say plainly
what is wrong; the services decide the rest."""

from django import forms

from hub.forms import date_field
from portability.models import CheckAcceptance, PreDeploymentChecks, RegistrationBody
from portability.services.deployments import MAX_VALID_FOR_DAYS


class HomeChecksForm(forms.Form):
    """Every check the home organisation records. Leave a check blank until it is done."""

    identity_checked_on = date_field(
        "Identity checked on", "date identity was checked", required=False
    )
    right_to_work_checked_on = date_field(
        "Right to work checked on", "date right to work was checked", required=False
    )
    dbs_level = forms.ChoiceField(
        label="DBS level",
        required=False,
        choices=[("", "Not recorded yet"), *PreDeploymentChecks.DbsLevel.choices],
        error_messages={"invalid_choice": "Select the level of the DBS check"},
    )
    dbs_issued_on = date_field(
        "DBS certificate issued on", "DBS certificate's issue date", required=False
    )
    registration_body = forms.ChoiceField(
        label="Professional registration body",
        required=False,
        choices=RegistrationBody.choices,
        error_messages={"invalid_choice": "Select the professional registration body"},
    )
    registration_number = forms.CharField(
        label="Registration number",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
        error_messages={"max_length": "The registration number must be 30 characters or fewer"},
    )
    registration_expires_on = date_field(
        "Registration expires on",
        "registration expiry date",
        help_text="For example, 31/12/2027. It must not have passed.",
        required=False,
    )
    mandatory_training_on = date_field(
        "Mandatory training completed on", "date mandatory training was completed", required=False
    )
    occupational_health_cleared_on = date_field(
        "Occupational health clearance on", "date of occupational health clearance", required=False
    )
    indemnity_confirmed_on = date_field(
        "Indemnity confirmed on", "date indemnity was confirmed", required=False
    )


class InductionForm(forms.Form):
    local_induction_on = date_field(
        "Local induction given on", "date of the local induction", required=True
    )


class StartForm(forms.Form):
    override_reason = forms.CharField(
        label="Reason for starting before the checks are complete",
        required=False,
        max_length=2000,
        help_text="Only an admin can start a deployment before its checks are complete. "
        "The reason is kept with the deployment and written to the audit log.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "The reason must be 2000 characters or fewer"},
    )


class ReturnForm(forms.Form):
    days_worked = forms.IntegerField(
        label="Days worked",
        min_value=0,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
        error_messages={
            "required": "Enter the days worked",
            "invalid": "Enter the days worked as a whole number, like 5",
            "min_value": "Enter the days worked, 0 or more",
        },
    )
    hours_worked = forms.DecimalField(
        label="Hours worked",
        min_value=0,
        max_digits=6,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5", "step": "0.25"}),
        error_messages={
            "required": "Enter the hours worked",
            "invalid": "Enter the hours worked as a number, like 37.5",
            "min_value": "Enter the hours worked, 0 or more",
            "max_digits": "Enter the hours worked as a number under 10,000",
            "max_decimal_places": "Enter the hours worked to 2 decimal places at most",
            "max_whole_digits": "Enter the hours worked as a number under 10,000",
        },
    )
    recharge_amount = forms.DecimalField(
        label="Recharge due to the home organisation, in pounds",
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Enter 0 if nothing is due.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "step": "0.01"}),
        error_messages={
            "required": "Enter the recharge due, or 0",
            "invalid": "Enter the recharge as an amount in pounds, like 1250.00",
            "min_value": "Enter the recharge due, £0 or more",
            "max_digits": "Enter the recharge as an amount under £100,000,000",
            "max_decimal_places": "Enter the recharge in pounds and pence, like 1250.00",
            "max_whole_digits": "Enter the recharge as an amount under £100,000,000",
        },
    )
    feedback = forms.CharField(
        label="Your feedback on the deployment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter your feedback on the deployment",
            "max_length": "The feedback must be 4000 characters or fewer",
        },
    )


class HomeFeedbackForm(forms.Form):
    feedback = forms.CharField(
        label="Your feedback on the deployment",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter your feedback on the deployment",
            "max_length": "The feedback must be 4000 characters or fewer",
        },
    )


class CheckAcceptanceForm(forms.Form):
    """For each kind of check: accepted as it is or not, and within how many days of
    being done (blank for no limit)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in CheckAcceptance.Check.choices:
            self.fields[f"{kind}_accepted"] = forms.ChoiceField(
                label=f"Do you accept their {label.lower()} check as it is?",
                choices=[("yes", "Yes"), ("no", "No, we do our own")],
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Select whether you accept their {label.lower()} check",
                    "invalid_choice": f"Select whether you accept their {label.lower()} check",
                },
            )
            self.fields[f"{kind}_days"] = forms.IntegerField(
                label=f"{label}: accepted when done within this many days",
                required=False,
                min_value=1,
                max_value=MAX_VALID_FOR_DAYS,
                help_text="Leave blank for no limit. For example, 1095 for 3 years.",
                widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-5"}),
                error_messages={
                    "invalid": f"Enter the days for the {label.lower()} check as a whole number",
                    "min_value": f"Enter a number of days from 1 to {MAX_VALID_FOR_DAYS}",
                    "max_value": f"Enter a number of days from 1 to {MAX_VALID_FOR_DAYS}",
                },
            )

    def acceptances(self) -> dict[str, tuple[bool, int | None]]:
        return {
            kind: (
                self.cleaned_data[f"{kind}_accepted"] == "yes",
                self.cleaned_data[f"{kind}_days"],
            )
            for kind in CheckAcceptance.Check.values
        }

    @staticmethod
    def initial_from(rows: dict[str, CheckAcceptance]) -> dict:
        initial = {}
        for kind in CheckAcceptance.Check.values:
            row = rows.get(kind)
            initial[f"{kind}_accepted"] = "yes" if row and row.accepted else "no"
            initial[f"{kind}_days"] = row.valid_for_days if row else None
        return initial
