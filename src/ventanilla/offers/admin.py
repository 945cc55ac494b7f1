"""The catalogue in the Django admin: read-only for Infonavit staff and administrators (a change is a new
version, published on the staff screens, /infonavit/ofertas/personal/, through services.publish_version)."""

from django.contrib import admin

from ventanilla.offers.models import Offer, OfferVersion
from ventanilla.offers.services import EDITOR_ROLES
from ventanilla.people.admin_site import RoleAdminMixin


class ReadOnlyCatalogueAdmin(RoleAdminMixin, admin.ModelAdmin):
    viewer_roles = EDITOR_ROLES  # they look here; they publish on the staff screens


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
class OfferAdmin(ReadOnlyCatalogueAdmin):
    list_display = ("code", "kind", "position", "created_at")
    inlines = [OfferVersionInline]


@admin.register(OfferVersion)
class OfferVersionAdmin(ReadOnlyCatalogueAdmin):
    list_display = ("offer", "version", "valid_from", "valid_to", "name_es", "published_at")
    list_filter = ("offer",)
