"""Forms of the HR pipeline: moving one application or many, the essential criteria
judgement, internal notes, and the organisation's email templates. They clean input and
say what is wrong in plain words; the pipeline's services decide the rest."""

from django import forms

from talent.models import Application, OrganisationEmailTemplate, RejectionReason, Vacancy
from talent.services.pipeline import (
    MAX_BODY_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_REASON_LENGTH,
    MAX_SUBJECT_LENGTH,
    PIPELINE_MOVE_TARGETS,
    email_template_errors,
)

Stage = Application.Stage
REJECTION_REASON_REQUIRED = "Select why the application was unsuccessful"


class MoveForm(forms.Form):
    """Move one application: to one of the stages it may go to next."""

    to_stage = forms.ChoiceField(
        label="Move to",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where to move the application",
            "invalid_choice": "Choose a stage from the list",
        },
    )
    rejection_reason = forms.ChoiceField(
        label="Why was it unsuccessful? (needed for Unsuccessful, optional otherwise)",
        choices=[("", "Choose a reason"), *RejectionReason.choices],
        required=False,
        help_text="The applicant is told this reason.",
        error_messages={"invalid_choice": "Choose a reason from the list"},
    )
    reason = forms.CharField(
        label="Comment for the record",
        required=False,
        max_length=MAX_REASON_LENGTH,
        help_text="Kept with the move; the applicant does not see it. An admin rejecting an "
        "applicant guaranteed an interview must say why here.",
        error_messages={
            "max_length": f"The comment must be {MAX_REASON_LENGTH} characters or fewer"
        },
    )

    def __init__(self, *args, targets=PIPELINE_MOVE_TARGETS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].choices = [(stage, Stage(stage).label) for stage in targets]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_stage") == Stage.REJECTED and not cleaned.get("rejection_reason"):
            self.add_error("rejection_reason", REJECTION_REASON_REQUIRED)
        return cleaned

    def move_fields(self) -> dict:
        """What `application_move` takes from the form."""
        rejecting = self.cleaned_data["to_stage"] == Stage.REJECTED
        return {
            "to_stage": self.cleaned_data["to_stage"],
            "rejection_reason": self.cleaned_data["rejection_reason"] if rejecting else "",
            "reason": self.cleaned_data["reason"],
        }


class BulkMoveForm(MoveForm):
    """Move the applicants ticked on the pipeline page, all to one stage."""

    applications = forms.ModelMultipleChoiceField(
        label="Applicants",
        queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one applicant",
            "invalid_choice": "Select applicants from the list",
            "invalid_pk_value": "Select applicants from the list",
        },
    )

    field_order = ["applications", "to_stage", "rejection_reason", "reason"]

    def __init__(self, *args, vacancy: Vacancy, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_stage"].label = "Move the selected applicants to"
        self.fields["to_stage"].error_messages["required"] = "Choose where to move the applicants"
        self.fields["to_stage"].widget = forms.Select()
        self.fields["to_stage"].choices = [
            ("", "Choose a stage"),
            *self.fields["to_stage"].choices,
        ]
        self.fields["applications"].queryset = Application.objects.filter(vacancy=vacancy).exclude(
            stage=Stage.DRAFT
        )


class EssentialCriteriaForm(forms.Form):
    CHOICES = [
        ("yes", "Yes, they meet them"),
        ("no", "No, they do not meet them"),
        ("unknown", "Not decided yet"),
    ]
    VALUES = {"yes": True, "no": False, "unknown": None}

    meets = forms.ChoiceField(
        label="Does the applicant meet the essential criteria?",
        choices=CHOICES,
        widget=forms.RadioSelect,
        help_text="An applicant from a guaranteed route keeps their interview unless you "
        "answer No.",
        error_messages={
            "required": "Select whether the applicant meets the essential criteria",
            "invalid_choice": "Select whether the applicant meets the essential criteria",
        },
    )

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        value = application.meets_essential_criteria
        return {"meets": {True: "yes", False: "no", None: "unknown"}[value]}

    def value(self) -> bool | None:
        return self.VALUES[self.cleaned_data["meets"]]


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add an internal note",
        max_length=MAX_NOTE_LENGTH,
        help_text="Only your organisation sees notes. The applicant never does.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter a note",
            "max_length": f"The note must be {MAX_NOTE_LENGTH:,} characters or fewer",
        },
    )


class EmailTemplateForm(forms.Form):
    subject = forms.CharField(
        label="Subject",
        max_length=MAX_SUBJECT_LENGTH,
        error_messages={
            "required": "Enter a subject",
            "max_length": f"The subject must be {MAX_SUBJECT_LENGTH} characters or fewer",
        },
    )
    body = forms.CharField(
        label="Text of the email",
        max_length=MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        error_messages={
            "required": "Enter the text of the email",
            "max_length": f"The text must be {MAX_BODY_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean(self):
        cleaned = super().clean()
        if "subject" in cleaned and "body" in cleaned:
            errors = email_template_errors(
                kind=self.kind, subject=cleaned["subject"], body=cleaned["body"]
            )
            for name, messages in errors.items():
                for message in messages:
                    self.add_error(name, message)
        return cleaned

    @staticmethod
    def initial_from(template: OrganisationEmailTemplate) -> dict:
        return {"subject": template.subject, "body": template.body}
