"""The shared talent pool in the Django admin for hub admins, read-only: a profile and its
consent are the candidate's to give, change and withdraw (from their account, through the
services that keep the audit log), and invitations are records of what partners sent."""

from django.contrib import admin
from django.utils.formats import date_format

from talent.models import PoolInvitation, TalentPoolProfile


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed, added or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConsentFilter(admin.SimpleListFilter):
    title = "consent"
    parameter_name = "consent"

    def lookups(self, request, model_admin):
        return [("in_pool", "In the pool"), ("left", "Left the pool"), ("never", "Never given")]

    def queryset(self, request, queryset):
        if self.value() == "in_pool":
            return queryset.in_pool()
        if self.value() == "left":
            return queryset.filter(consent_withdrawn_at__isnull=False)
        if self.value() == "never":
            return queryset.filter(consent_given_at__isnull=True)
        return queryset


class PoolInvitationInline(admin.TabularInline):
    model = PoolInvitation
    extra = 0
    can_delete = False
    fields = ["created_at", "organisation", "vacancy", "invited_by", "seen_at", "declined_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TalentPoolProfile)
class TalentPoolProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "headline", "postcode_district", "joined", "consent_state"]
    list_filter = [ConsentFilter, "joined", "no_nights", "no_weekends", "term_time_only"]
    search_fields = ["user__email", "user__name", "headline", "postcode_district"]
    list_select_related = ["user"]
    date_hierarchy = "consent_given_at"
    inlines = [PoolInvitationInline]

    @admin.display(description="consent")
    def consent_state(self, profile):
        if profile.consent_withdrawn_at:
            return f"Left on {date_format(profile.consent_withdrawn_at, 'j M Y')}"
        if profile.consent_given_at:
            return f"In the pool since {date_format(profile.consent_given_at, 'j M Y')}"
        return "Never given"


@admin.register(PoolInvitation)
class PoolInvitationAdmin(ReadOnlyAdmin):
    list_display = ["profile", "vacancy", "organisation", "created_at", "seen_at", "declined_at"]
    list_filter = ["organisation"]
    search_fields = ["vacancy__title", "vacancy__reference", "organisation__name"]
    list_select_related = ["profile__user", "vacancy", "organisation"]
    date_hierarchy = "created_at"
