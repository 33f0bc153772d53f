"""Forms of the hub, and the renderer that gives every form the NHS.UK look."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.renderers import TemplatesSetting

from hub.models import Membership, Organisation
from hub.services import ORGANISATION_EDITABLE_FIELDS
from hub.uploads import IMAGE_TYPES, random_name, validate_document

MAX_LOGO_BYTES = 1024 * 1024


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where it names one, so it
    shows in the error summary like the form's own errors."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def checked_logo(logo):
    """A newly chosen logo checked by the uploads checker and given a random name (it is
    public); the saved logo, or clearing it, as they are."""
    if isinstance(logo, UploadedFile):
        kind = validate_document(logo, allowed=IMAGE_TYPES, max_bytes=MAX_LOGO_BYTES)
        logo.name = random_name(kind)
    return logo


def posted_data(request):
    """The data for a bound form on POST (even when nothing at all was sent, so an empty
    submission shows its errors), None on GET."""
    return request.POST if request.method == "POST" else None


class PortalFormRenderer(TemplatesSetting):
    """Render forms and fields with the NHS.UK design system's markup (templates/forms/)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


class OrganisationProfileForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = list(ORGANISATION_EDITABLE_FIELDS)
        labels = {
            "name": "Organisation name",
            "kind": "Type of organisation",
            "vacancies_need_approval": "Vacancies need an admin's approval before they go live",
        }
        help_texts = {
            "description": "Shown to candidates on your vacancies and on the partners page.",
            "postcode": "For example, LS1 3EX.",
            "vacancies_need_approval": (
                "Staff submit vacancies for approval; an admin of the organisation publishes them."
            ),
        }
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "address": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_ods_code(self):
        return self.cleaned_data["ods_code"].strip().upper()

    def clean_postcode(self):
        return " ".join(self.cleaned_data["postcode"].upper().split())

    def clean_logo(self):
        return checked_logo(self.cleaned_data.get("logo"))


class OrganisationAdminForm(forms.ModelForm):
    """The Django admin's organisation form (the admin supplies the model and fields),
    checking a new logo as the profile page does."""

    def clean_logo(self):
        return checked_logo(self.cleaned_data.get("logo"))


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="We will send an invitation link that works once and expires in 7 days.",
    )
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices, initial="staff")


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)


class AcceptInvitationNewAccountForm(forms.Form):
    name = forms.CharField(label="Full name", max_length=150)
    # Not stripped: signing in (allauth) takes the password exactly as typed.
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password.",
    )
    password2 = forms.CharField(
        label="Confirm the password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match.")
        elif password1:
            try:
                password_validation.validate_password(
                    password1, user=_UnsavedUser(self.email, cleaned.get("name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class _UnsavedUser:
    """Enough of a user for the similarity validator to compare a password against."""

    def __init__(self, email, name):
        self.email, self.name = email, name


class SwitchOrganisationForm(forms.Form):
    organisation = forms.ChoiceField(label="Act for", widget=forms.RadioSelect)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            (m.organisation.slug, f"{m.organisation.name} ({m.get_role_display()})")
            for m in memberships
        ]


# Dates as people type them (27/03/2026, 27/3/26, 27-03-2026) or a date picker sends them.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y"]


def date_field(
    label: str = "Date", name: str = "", *, required: bool = True, help_text: str = "", **kwargs
) -> forms.DateField:
    """A date, typed or picked, whose errors name it: "Enter the start date", "Enter a
    real start date, like 27/03/2026". `name` defaults to the label in lower case."""
    name = name or label.lower()
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text or "For example, 27/03/2026.",
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "nhsuk-input--width-10"}, format="%Y-%m-%d"
        ),
        error_messages={
            "required": f"Enter the {name}",
            "invalid": f"Enter a real {name}, like 27/03/2026",
        },
        **kwargs,
    )
