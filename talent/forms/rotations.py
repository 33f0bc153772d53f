"""Forms the lead organisation fills in for a rotation scheme: the scheme, its placements
(a formset: change, add, remove and reorder) and each participant. They clean what was
typed and say plainly what is wrong; `talent.services.rotations` decides the rest."""

from django import forms
from django.db.models import Q

from hub.forms import date_field
from hub.models import Organisation
from talent.models import RotationParticipant, RotationPlacement, RotationScheme, StaffGroup
from talent.services.rotations import MAX_PLACEMENTS, MAX_WEEKS, MIN_WEEKS, PlacementPlan

EXTRA_PLACEMENT_ROWS = 2  # blank rows offered for new placements; more after saving


class SchemeForm(forms.Form):
    name = forms.CharField(
        label="Name of the scheme",
        max_length=150,
        help_text="For example, Newly qualified nurse preceptorship rotation.",
        error_messages={
            "required": "Enter the scheme's name",
            "max_length": "The name must be 150 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=2000,
        help_text="Who it is for, how long it lasts and what participants learn.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The description must be 2000 characters or fewer"},
    )
    staff_group = forms.ModelChoiceField(
        label="Staff group",
        queryset=StaffGroup.objects.all(),
        required=False,
        empty_label="More than one staff group",
        error_messages={"invalid_choice": "Choose a staff group from the list"},
    )

    @classmethod
    def initial_for(cls, scheme: RotationScheme) -> dict:
        return {
            "name": scheme.name,
            "description": scheme.description,
            "staff_group": scheme.staff_group_id,
        }


class PlacementForm(forms.Form):
    """One row of the placements: where, which service, how many weeks, its place in
    the order, or removed. A blank row is left out."""

    placement = forms.IntegerField(required=False, widget=forms.HiddenInput)
    organisation = forms.TypedChoiceField(
        label="Organisation",
        coerce=int,
        error_messages={
            "required": "Choose the organisation of the placement",
            "invalid_choice": "Choose an organisation from the list",
        },
    )
    service = forms.CharField(
        label="Ward, team or service",
        max_length=150,
        error_messages={
            "required": "Enter the ward, team or service",
            "max_length": "The ward, team or service must be 150 characters or fewer",
        },
    )
    weeks = forms.IntegerField(
        label="Weeks",
        min_value=MIN_WEEKS,
        max_value=MAX_WEEKS,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many weeks the placement lasts",
            "invalid": "Enter the weeks as a whole number, like 16",
            "min_value": f"A placement must last at least {MIN_WEEKS} week",
            "max_value": f"A placement must last {MAX_WEEKS} weeks or fewer",
        },
    )
    order = forms.IntegerField(
        label="Order",
        required=False,
        min_value=1,
        max_value=MAX_PLACEMENTS,
        help_text="1 is first.",
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the order as a whole number, like 2",
            "min_value": "The order must be 1 or more",
            "max_value": f"The order must be {MAX_PLACEMENTS} or less",
        },
    )
    remove = forms.BooleanField(label="Remove this placement", required=False)

    def __init__(self, *args, organisation_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [
            ("", "Choose an organisation"),
            *organisation_choices,
        ]


class BasePlacementFormSet(forms.BaseFormSet):
    """The scheme's placements, one row each, then blank rows for new ones. Rows are
    saved in the order typed in their Order boxes (rows without one keep their place
    after those with one); a removed or blank row is left out."""

    def __init__(self, *args, scheme: RotationScheme, organisations, **kwargs):
        self.existing = {placement.pk: placement for placement in scheme.placements.all()}
        self.organisations = {organisation.pk: organisation for organisation in organisations}
        choices = [(pk, organisation.name) for pk, organisation in self.organisations.items()]
        kwargs.setdefault("form_kwargs", {})["organisation_choices"] = choices
        if not args or args[0] is None:
            kwargs.setdefault(
                "initial",
                [
                    {
                        "placement": placement.pk,
                        "organisation": placement.organisation_id,
                        "service": placement.service,
                        "weeks": placement.weeks,
                        "order": placement.position,
                    }
                    for placement in sorted(self.existing.values(), key=lambda p: p.position)
                ],
            )
        super().__init__(*args, **kwargs)

    def _rows(self):
        """(order, row number, form) of every kept row, in the order to save them."""
        rows = []
        for number, form in enumerate(self.forms):
            data = form.cleaned_data
            if not data or data.get("remove"):
                continue
            order = data.get("order") or MAX_PLACEMENTS + number
            rows.append((order, number, form))
        return sorted(rows, key=lambda row: row[:2])

    def clean(self):
        if any(self.errors):
            return
        for form in self.forms:
            placement = form.cleaned_data.get("placement")
            if placement is not None and placement not in self.existing:
                raise forms.ValidationError(
                    "A placement was changed by someone else: reload the page and try again"
                )
        if not self._rows():
            raise forms.ValidationError("Add at least one placement")

    def plans(self) -> list[PlacementPlan]:
        return [
            PlacementPlan(
                organisation=self.organisations[form.cleaned_data["organisation"]],
                service=form.cleaned_data["service"],
                weeks=form.cleaned_data["weeks"],
                existing=self.existing.get(form.cleaned_data.get("placement")),
            )
            for _order, _number, form in self._rows()
        ]


PlacementFormSet = forms.formset_factory(
    PlacementForm,
    formset=BasePlacementFormSet,
    extra=EXTRA_PLACEMENT_ROWS,
    max_num=MAX_PLACEMENTS,
    validate_max=True,
)


def placement_organisations(scheme: RotationScheme):
    """Organisations a placement may be at: every active partner, and any a placement is
    at already (so the row shows it, and the service says why it must change)."""
    return Organisation.objects.filter(
        Q(active=True) | Q(pk__in=scheme.placements.values("organisation_id"))
    ).order_by("name")


class ParticipantForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={
            "required": "Enter the participant's name",
            "max_length": "The name must be 150 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Work email address",
        required=False,
        help_text="Seen only by your organisation, which leads the scheme.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"invalid": "Enter an email address like name@nhs.net"},
    )
    employer = forms.ModelChoiceField(
        label="Employer",
        queryset=Organisation.objects.none(),
        empty_label="Choose their employer",
        error_messages={
            "required": "Choose who employs them",
            "invalid_choice": "Choose an employer from the list",
        },
    )
    starts_on = date_field(
        label="Start date",
        name="start date",
        help_text="The first day of their first placement. For example, 27/03/2026.",
    )
    first_position = forms.TypedChoiceField(
        label="First placement",
        coerce=int,
        help_text="Where they start. They then go through the placements in order, "
        "going back to the first after the last.",
        error_messages={
            "required": "Choose their first placement",
            "invalid_choice": "Choose their first placement from the list",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        choices=RotationParticipant.Status.choices,
        initial=RotationParticipant.Status.ON_SCHEME,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose their status",
            "invalid_choice": "Choose their status from the list",
        },
    )
    left_on = date_field(
        label="Date they left",
        name="date they left",
        required=False,
        help_text="Only if they left the scheme. For example, 27/03/2026.",
    )

    def __init__(self, *args, placements, participant: RotationParticipant | None = None, **kwargs):
        if participant is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": participant.name,
                "email": participant.email,
                "employer": participant.employer_id,
                "starts_on": participant.starts_on,
                "first_position": participant.first_position,
                "status": participant.status,
                "left_on": participant.left_on,
            }
        super().__init__(*args, **kwargs)
        current = participant.employer_id if participant is not None else None
        self.fields["employer"].queryset = Organisation.objects.filter(
            Q(active=True) | Q(pk=current)
        ).order_by("name")
        self.fields["first_position"].choices = [
            ("", "Choose their first placement"),
            *((p.position, _placement_label(p)) for p in placements),
        ]


def _placement_label(placement: RotationPlacement) -> str:
    return (
        f"{placement.position}. {placement.service}, {placement.organisation.name} "
        f"({placement.weeks} weeks)"
    )
