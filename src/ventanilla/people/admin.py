from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ventanilla.core import audit
from ventanilla.core.models import AuditEntry
from ventanilla.people.admin_site import RoleAdminMixin
from ventanilla.people.models import Person, Role, User


@admin.register(User)
class UserAdmin(RoleAdminMixin, DjangoUserAdmin):
    editor_roles = frozenset({Role.ADMINISTRATOR})
    list_display = ("username", "role", "consulate", "is_active", "last_login")
    list_filter = ("role", "is_active")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Ventanilla", {"fields": ("role", "consulate", "person", "language")}))
    raw_id_fields = ("person",)

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        audit.record(request.user, "account.update" if change else "account.create", obj,
                     before=before, after=audit.snapshot(obj))


@admin.register(Person)
class PersonAdmin(RoleAdminMixin, admin.ModelAdmin):
    """Persons are registered through the ventanilla screens and API; the admin only shows them."""

    viewer_roles = frozenset({Role.ADMINISTRATOR})
    list_display = ("last_name_1", "last_name_2", "first_names", "curp", "nss", "consulate")
    search_fields = ("curp", "nss", "last_name_1")
    list_select_related = ("consulate",)
    readonly_fields = [f.name for f in Person._meta.fields]


@admin.register(AuditEntry)
class AuditEntryAdmin(RoleAdminMixin, admin.ModelAdmin):
    """Read-only for everyone (no editor roles: RoleAdminMixin refuses add, change and delete): the log is
    append-only."""

    viewer_roles = frozenset({Role.ADMINISTRATOR})
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "request_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "request_id")
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
