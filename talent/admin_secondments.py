"""Secondments in the Django admin for hub admins. Opportunities and named approvers can
be corrected here; interests and agreements are read-mostly: their states, approvals and
dates are written by the services (talent/services/secondments.py), which check the rules
and keep the audit log, so the admin only shows them."""

from django.contrib import admin

from talent.models import (
    SecondmentAgreement,
    SecondmentApprover,
    SecondmentInterest,
    SecondmentOpportunity,
)

TIMESTAMPS = ["created_at", "updated_at"]


@admin.register(SecondmentOpportunity)
class SecondmentOpportunityAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "host",
        "status",
        "arrangement",
        "open_to_all",
        "starts_on",
        "duration_months",
        "closing_date",
    ]
    list_filter = ["status", "arrangement", "open_to_all", "staff_group", "host"]
    search_fields = ["title", "description", "host__name"]
    list_select_related = ["host"]
    autocomplete_fields = ["host", "contact", "eligible_organisations"]
    date_hierarchy = "starts_on"
    readonly_fields = ["status", "published_at", *TIMESTAMPS]


@admin.register(SecondmentApprover)
class SecondmentApproverAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "named_by", "named_at"]
    list_filter = ["organisation"]
    search_fields = ["user__email", "user__name", "organisation__name"]
    list_select_related = ["user", "organisation", "named_by"]
    autocomplete_fields = ["user", "organisation"]
    readonly_fields = ["named_by", "named_at"]


@admin.register(SecondmentInterest)
class SecondmentInterestAdmin(admin.ModelAdmin):
    """Read-only: the person, their home and the host decide these."""

    list_display = ["person", "opportunity", "home", "status", "created_at"]
    list_filter = ["status", "home", "opportunity__host"]
    search_fields = ["person__email", "person__name", "opportunity__title"]
    list_select_related = ["person", "home", "opportunity__host"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(SecondmentAgreement)
class SecondmentAgreementAdmin(admin.ModelAdmin):
    """Read-mostly: only the right to return and its terms can be corrected; status,
    approvals and dates move through the services, which keep the rules and the audit
    log."""

    list_display = [
        "person",
        "role_title",
        "home",
        "host",
        "status",
        "arrangement",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["status", "arrangement", "right_to_return", "home", "host"]
    search_fields = ["person__email", "person__name", "role_title", "home__name", "host__name"]
    list_select_related = ["person", "home", "host"]
    date_hierarchy = "starts_on"
    EDITABLE = {"right_to_return", "return_terms"}

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields if field.name not in self.EDITABLE]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
