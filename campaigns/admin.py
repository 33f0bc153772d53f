"""Campaigns in the Django admin for hub admins. Neighbourhoods and their postcode
sectors are reference data the hub keeps here. Campaigns, events and tracking links can
be corrected. Residents are personal data: their list shows no contact details, and
consents and imports are records of what people agreed to and what was uploaded, so they
are read-only."""

from django.contrib import admin

from campaigns.models import (
    Campaign,
    ContactConsent,
    Engagement,
    Event,
    Neighbourhood,
    PostcodeSector,
    Resident,
    ResidentImport,
    TrackingLink,
)

TIMESTAMPS = ["created_at", "updated_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Every field shown, none changed, nothing added; deleting is left to the services
    (withdrawal, retention), which keep the audit log."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PostcodeSectorInline(admin.TabularInline):
    model = PostcodeSector
    extra = 3


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "ward", "imd_decile"]
    list_filter = ["imd_decile", "ward"]
    search_fields = ["name", "ward", "postcode_sectors__sector"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PostcodeSectorInline]


class TrackingLinkInline(admin.TabularInline):
    model = TrackingLink
    extra = 0
    fields = ["label", "code", "destination", "vacancy", "event", "visits"]
    readonly_fields = ["visits"]
    raw_id_fields = ["vacancy", "event"]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "lead_organisation", "starts_on", "ends_on", "is_public"]
    list_filter = ["is_public", "neighbourhoods", "lead_organisation"]
    search_fields = ["name", "slug", "lead_organisation__name"]
    list_select_related = ["lead_organisation"]
    autocomplete_fields = ["lead_organisation"]
    filter_horizontal = [
        "partner_organisations",
        "neighbourhoods",
        "target_staff_groups",
        "vacancies",
    ]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = TIMESTAMPS
    date_hierarchy = "starts_on"
    inlines = [TrackingLinkInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "kind", "starts_at", "organisation", "capacity", "status"]
    list_filter = ["status", "kind", "organisation"]
    search_fields = ["title", "venue_name", "postcode", "campaign__name"]
    list_select_related = ["campaign", "organisation"]
    raw_id_fields = ["campaign"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["cancelled_at", *TIMESTAMPS]
    date_hierarchy = "starts_at"


@admin.register(TrackingLink)
class TrackingLinkAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "campaign", "event", "destination", "visits"]
    list_filter = ["destination"]
    search_fields = ["code", "label", "campaign__name"]
    list_select_related = ["campaign", "event"]
    raw_id_fields = ["campaign", "event", "vacancy"]
    readonly_fields = ["visits", "created_by", *TIMESTAMPS]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin):
    """Journeys are recorded by partners; the admin may correct a step."""

    list_display = ["resident", "campaign", "engaged_on", "channel", "outcome", "organisation"]
    list_filter = ["channel", "outcome", "programme", "organisation"]
    search_fields = ["resident__name", "campaign__name"]
    list_select_related = ["resident", "campaign", "organisation"]
    raw_id_fields = ["campaign", "resident", "application", "tracking_link"]
    readonly_fields = ["organisation", "recorded_by", *TIMESTAMPS]
    date_hierarchy = "engaged_on"


class ContactConsentInline(admin.TabularInline):
    model = ContactConsent
    extra = 0
    can_delete = False
    fields = ["given_at", "captured_by", "recorded_by", "withdrawn_at", "wording"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Found by name; contact details only on a resident's own page."""

    list_display = ["name", "neighbourhood", "created_at", "anonymised_at"]
    list_filter = ["neighbourhood", ("anonymised_at", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    list_select_related = ["neighbourhood"]
    raw_id_fields = ["user"]
    readonly_fields = ["neighbourhood", "anonymised_at", *TIMESTAMPS]
    inlines = [ContactConsentInline]


@admin.register(ContactConsent)
class ContactConsentAdmin(ReadOnlyAdmin):
    list_display = ["resident", "captured_by", "given_at", "withdrawn_at"]
    list_filter = ["captured_by", ("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["resident__name"]
    list_select_related = ["resident"]
    date_hierarchy = "given_at"


@admin.register(ResidentImport)
class ResidentImportAdmin(ReadOnlyAdmin):
    list_display = [
        "filename",
        "campaign",
        "organisation",
        "status",
        "accepted_count",
        "created_at",
    ]
    list_filter = ["status", "organisation"]
    search_fields = ["filename", "campaign__name", "organisation__name"]
    list_select_related = ["campaign", "organisation"]
    exclude = ["accepted_rows"]

    def get_readonly_fields(self, request, obj=None):
        # The rows waiting to be confirmed hold personal data: not shown here.
        return [
            name for name in super().get_readonly_fields(request, obj) if name != "accepted_rows"
        ]
