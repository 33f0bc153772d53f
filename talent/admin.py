"""Talent in the Django admin for hub admins: vacancies and reference data can be edited;
applications are personal data, shown read-only (their pipeline is run by partners)."""

from django.contrib import admin

from talent.models import (
    Application,
    ApplicationAnswer,
    CandidateProfile,
    SavedSearch,
    ScreeningQuestion,
    StaffGroup,
    StageChange,
    Vacancy,
)

# EqualityMonitoring is deliberately not registered: its answers are used only in
# aggregate reports, never looked at one person at a time.


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StaffGroup)
class StaffGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ScreeningQuestionInline(admin.TabularInline):
    model = ScreeningQuestion
    extra = 0


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organisation",
        "status",
        "staff_group",
        "band",
        "contract_type",
        "closing_date",
        "published_at",
    ]
    list_filter = [
        "status",
        "staff_group",
        "band",
        "contract_type",
        "entry_level",
        "apprenticeship",
        "trial_shift_available",
        "organisation__kind",
        "organisation",
    ]
    search_fields = ["title", "reference", "organisation__name", "postcode"]
    list_select_related = ["organisation", "staff_group"]
    autocomplete_fields = ["organisation", "contact", "created_by"]
    date_hierarchy = "closing_date"
    readonly_fields = [
        "postcode_district",
        "created_at",
        "updated_at",
        "published_at",
        "closed_at",
    ]
    inlines = [ScreeningQuestionInline]


class ApplicationAnswerInline(ReadOnlyInline):
    model = ApplicationAnswer
    fields = ["question", "answer"]
    readonly_fields = fields


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fields = ["created_at", "from_stage", "to_stage", "actor", "reason"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: candidates' personal data is changed by them or by their recruiter."""

    list_display = ["vacancy", "full_name", "stage", "source", "submitted_at", "anonymised_at"]
    list_filter = ["stage", "source", "vacancy__organisation"]
    search_fields = ["full_name", "email", "vacancy__title", "vacancy__reference", "campaign_code"]
    list_select_related = ["vacancy"]
    date_hierarchy = "submitted_at"
    inlines = [ApplicationAnswerInline, StageChangeInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CandidateProfile)
class CandidateProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "postcode", "right_to_work", "updated_at"]
    search_fields = ["user__email", "user__name", "postcode"]
    list_select_related = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "frequency", "active", "last_sent_at", "created_at"]
    list_filter = ["frequency", "active"]
    search_fields = ["name", "user__email", "query"]
    list_select_related = ["user"]
    readonly_fields = ["user", "query", "unsubscribe_token", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False  # candidates save searches from /jobs/, which gives each its token


# Mobility between partners registers its models from its own modules, one per area.
from talent import admin_pool, admin_rotations, admin_secondments  # noqa: E402, F401
