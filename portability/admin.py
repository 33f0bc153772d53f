"""The Django admin for portability: hub admins write and publish versions of the
framework here, and see every signature, mobilisation, request, offer, deployment and
check. Who did what, and when, is read-only: those fields are written by the services."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from portability.models import (
    CheckAcceptance,
    Deployment,
    FrameworkVersion,
    Mobilisation,
    PreDeploymentChecks,
    Signatory,
    StaffOffer,
    StaffRequest,
)
from portability.services.framework import framework_version_publish

TIMESTAMPS = ["created_at", "updated_at"]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "published_at", "raiser_may_activate", "created_at"]
    list_filter = ["raiser_may_activate", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "terms"]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # Organisations signed these words: once published, the text stays as it was.
        if obj is not None and obj.published_at is not None:
            return ["number", "title", "terms", "published_at", *TIMESTAMPS]
        return ["published_at", *TIMESTAMPS]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.published_at is not None:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Publish the selected versions")
    def publish(self, request, queryset):
        for version in queryset.order_by("number"):
            try:
                framework_version_publish(version=version, actor=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                self.message_user(request, f"Published version {version.number}.")


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    list_display = ["organisation", "version", "signed_at", "lead", "deputy", "withdrawn_at"]
    list_filter = [("withdrawn_at", admin.EmptyFieldListFilter), "version"]
    search_fields = ["organisation__name", "lead__email", "lead__name", "deputy__email"]
    list_select_related = ["organisation", "version", "lead", "deputy"]
    autocomplete_fields = ["organisation", "lead", "deputy"]
    readonly_fields = [
        "signed_by",
        "signed_at",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
        *TIMESTAMPS,
    ]
    date_hierarchy = "signed_at"


class StaffRequestInline(admin.TabularInline):
    model = StaffRequest
    extra = 0
    fields = ["role", "staff_group", "number_needed", "starts_on", "ends_on", "site", "status"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Mobilisation)
class MobilisationAdmin(admin.ModelAdmin):
    list_display = [
        "service",
        "organisation",
        "urgency",
        "status",
        "starts_on",
        "expected_end_on",
        "created_at",
    ]
    list_filter = ["status", "urgency", "organisation"]
    search_fields = ["service", "reason", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "status",
        "raised_by",
        "activated_at",
        "activated_by",
        "stood_down_at",
        "stood_down_by",
        "status_note",
        *TIMESTAMPS,
    ]
    date_hierarchy = "created_at"
    inlines = [StaffRequestInline]


@admin.register(StaffRequest)
class StaffRequestAdmin(admin.ModelAdmin):
    list_display = [
        "role",
        "mobilisation",
        "staff_group",
        "number_needed",
        "starts_on",
        "ends_on",
        "status",
    ]
    list_filter = ["status", "registration_needed", "staff_group"]
    search_fields = ["role", "site", "mobilisation__service", "mobilisation__organisation__name"]
    list_select_related = ["mobilisation__organisation", "staff_group"]
    raw_id_fields = ["mobilisation"]
    readonly_fields = ["status", "created_by", "filled_at", *TIMESTAMPS]


@admin.register(StaffOffer)
class StaffOfferAdmin(admin.ModelAdmin):
    list_display = ["staff_name", "organisation", "job_title", "request", "status", "created_at"]
    list_filter = ["status", "registration_body", "organisation"]
    search_fields = ["staff_name", "staff_email", "job_title", "organisation__name"]
    list_select_related = ["organisation", "request"]
    raw_id_fields = ["request"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "status",
        "staff_agreed_on",
        "agreement_recorded_by",
        "decided_by",
        "decided_at",
        "decline_reason",
        *TIMESTAMPS,
    ]


class PreDeploymentChecksInline(admin.StackedInline):
    model = PreDeploymentChecks
    extra = 0
    can_delete = False
    readonly_fields = ["home_recorded_by", "induction_recorded_by", *TIMESTAMPS]


@admin.register(Deployment)
class DeploymentAdmin(admin.ModelAdmin):
    list_display = ["offer", "home", "host", "status", "starts_on", "ends_on", "days_worked"]
    list_filter = ["status", "home", "host"]
    search_fields = ["offer__staff_name", "home__name", "host__name"]
    list_select_related = ["offer", "home", "host"]
    raw_id_fields = ["offer"]
    readonly_fields = [
        "status",
        "started_at",
        "started_by",
        "override_reason",
        "override_by",
        "returned_at",
        *TIMESTAMPS,
    ]
    date_hierarchy = "starts_on"
    inlines = [PreDeploymentChecksInline]


@admin.register(PreDeploymentChecks)
class PreDeploymentChecksAdmin(admin.ModelAdmin):
    list_display = ["deployment", "dbs_level", "registration_body", "updated_at"]
    list_filter = ["dbs_level", "registration_body"]
    search_fields = ["deployment__offer__staff_name", "registration_number"]
    list_select_related = ["deployment__offer", "deployment__host"]
    raw_id_fields = ["deployment"]
    readonly_fields = ["home_recorded_by", "induction_recorded_by", *TIMESTAMPS]


@admin.register(CheckAcceptance)
class CheckAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["organisation", "provider", "check_kind", "accepted", "valid_for_days"]
    list_filter = ["check_kind", "accepted", "organisation"]
    search_fields = ["organisation__name", "provider__name"]
    list_select_related = ["organisation", "provider"]
    autocomplete_fields = ["organisation", "provider"]
    readonly_fields = ["updated_by", *TIMESTAMPS]
