"""The Django admin, opened to staff by role (not by Django's is_staff flag alone)."""

from django.contrib import admin

from ventanilla.people import access
from ventanilla.people.forms import ThrottledAdminLoginForm


class RoleAdminMixin:
    """Who may edit: `editor_roles`; who may only look: `viewer_roles`. Writes go through `save`/`remove`."""

    editor_roles: frozenset = frozenset()
    viewer_roles: frozenset = frozenset()

    def has_view_permission(self, request, obj=None):
        return access.has_role(request.user, self.editor_roles | self.viewer_roles)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return access.has_role(request.user, self.editor_roles)

    def has_change_permission(self, request, obj=None):
        return access.has_role(request.user, self.editor_roles)

    def has_delete_permission(self, request, obj=None):
        return access.has_role(request.user, self.editor_roles)


def admin_site_permission(request) -> bool:
    return access.has_role(request.user, access.STAFF_ROLES)


admin.site.has_permission = admin_site_permission
admin.site.login_form = ThrottledAdminLoginForm
admin.site.site_header = "Ventanilla · administración"
admin.site.site_title = "Ventanilla"
