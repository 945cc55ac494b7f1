"""The catalogue in the Django admin: read-only (a change is a new version, published through the staff
screens, /infonavit/ofertas/personal/, which go through services.publish_version)."""

from django.contrib import admin

from ventanilla.offers.models import Offer, OfferVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OfferVersionInline(admin.TabularInline):
    model = OfferVersion
    fields = ("version", "valid_from", "valid_to", "name_es", "change_note", "published_at", "published_by")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ("code", "kind", "position", "created_at")
    inlines = [OfferVersionInline]


@admin.register(OfferVersion)
class OfferVersionAdmin(ReadOnlyAdmin):
    list_display = ("offer", "version", "valid_from", "valid_to", "name_es", "published_at")
    list_filter = ("offer",)

