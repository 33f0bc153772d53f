"""Rotation schemes and career pathways in the Django admin.

Career pathways are written here by hub admins, with their steps inline in order. A
step's position only orders the steps: saving renumbers them 1, 2, 3... in the order
given, so two steps can swap places in one save.

Rotation schemes are run by their lead organisation on its own pages, which keep the
placements in order and the audit log; hub admins see them here read-only, with their
placements and participants (names and employers, not contact details).
"""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Count, F

from talent.models import (
    CareerPathway,
    PathwayStep,
    RotationParticipant,
    RotationPlacement,
    RotationScheme,
    Vacancy,
)

# Added to every step's position for a moment while the steps are renumbered, past any
# real position, so that no two steps share one half-way through.
RENUMBER_OFFSET = 10_000


class PathwayStepForm(forms.ModelForm):
    match_bands = forms.TypedMultipleChoiceField(
        label="Match bands",
        choices=Vacancy.Band.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Vacancies in any of these bands sit on the step. None ticked: any band.",
    )

    class Meta:
        model = PathwayStep
        fields = [
            "position",
            "role_title",
            "typical_band",
            "where",
            "typical_time",
            "entry_requirements",
            "training_to_next",
            "match_staff_group",
            "match_bands",
            "match_keywords",
        ]
        widgets = {
            "entry_requirements": forms.Textarea(attrs={"rows": 3}),
            "training_to_next": forms.Textarea(attrs={"rows": 3}),
        }


class PathwayStepInline(admin.StackedInline):
    model = PathwayStep
    form = PathwayStepForm
    extra = 1
    ordering = ["position"]
    autocomplete_fields = ["match_staff_group"]
    fieldsets = [
        (None, {"fields": ["position", "role_title", "typical_band", "where", "typical_time"]}),
        (None, {"fields": ["entry_requirements", "training_to_next"]}),
        (
            "Live vacancies on this step",
            {
                "description": "Every condition set must hold. A step with none set shows "
                "no vacancies.",
                "fields": ["match_staff_group", "match_bands", "match_keywords"],
            },
        ),
    ]


@admin.register(CareerPathway)
class CareerPathwayAdmin(admin.ModelAdmin):
    list_display = ["title", "published", "position", "steps_count", "updated_at"]
    list_editable = ["published", "position"]
    list_filter = ["published", "staff_group"]
    search_fields = ["title", "summary", "steps__role_title"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PathwayStepInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(steps_count=Count("steps"))

    @admin.display(description="steps", ordering="steps_count")
    def steps_count(self, pathway):
        return pathway.steps_count

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        """Save the steps, numbered 1, 2, 3... in the order of the positions given (the
        stock save would break the unique order of positions when two steps swap)."""
        if formset.model is not PathwayStep:
            return super().save_formset(request, form, formset, change)
        pathway = form.instance
        PathwayStep.objects.filter(pathway=pathway).update(position=F("position") + RENUMBER_OFFSET)
        formset.deleted_objects = []
        for step_form in formset.deleted_forms:
            if step_form.instance.pk:
                step_form.instance.delete()
                formset.deleted_objects.append(step_form.instance)
        kept = sorted(
            (step_form.cleaned_data["position"], number, step_form)
            for number, step_form in enumerate(formset.forms)
            if step_form.cleaned_data and step_form not in formset.deleted_forms
        )
        formset.new_objects, formset.changed_objects = [], []
        for position, (_given, _number, step_form) in enumerate(kept, start=1):
            is_new = step_form.instance.pk is None
            step = step_form.save(commit=False)
            step.pathway, step.position = pathway, position
            step.save()
            if is_new:
                formset.new_objects.append(step)
            elif step_form.has_changed():
                formset.changed_objects.append((step, step_form.changed_data))


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RotationPlacementInline(ReadOnlyInline):
    model = RotationPlacement
    fields = ["position", "organisation", "service", "weeks"]
    readonly_fields = fields
    ordering = ["position"]


class RotationParticipantInline(ReadOnlyInline):
    model = RotationParticipant
    fields = ["name", "employer", "starts_on", "first_position", "status", "left_on"]
    readonly_fields = fields


@admin.register(RotationScheme)
class RotationSchemeAdmin(admin.ModelAdmin):
    """Read-only: the lead organisation runs its scheme from its own pages."""

    list_display = ["name", "lead", "staff_group", "updated_at"]
    list_filter = ["staff_group", "lead"]
    search_fields = ["name", "lead__name", "participants__name"]
    list_select_related = ["lead", "staff_group"]
    inlines = [RotationPlacementInline, RotationParticipantInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
