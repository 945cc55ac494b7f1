from django.contrib import admin

from ventanilla.core.admin_site import RoleAdminMixin
from ventanilla.core.models import AuditEntry
from ventanilla.people.models import Role


@admin.register(AuditEntry)
class AuditEntryAdmin(RoleAdminMixin, admin.ModelAdmin):
    """Read-only for everyone: the log is append-only."""

    viewer_roles = frozenset({Role.ADMINISTRATOR})
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "request_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "request_id")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
