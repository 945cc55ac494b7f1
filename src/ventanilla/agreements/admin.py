"""Agreements in the Django admin, read-only for administrators: they are reference data with their sources;
actions change on the working group's screens, through agreements.services (audited)."""

from django.contrib import admin

from ventanilla.agreements.models import Agreement
from ventanilla.people.admin_site import RoleAdminMixin
from ventanilla.people.models import Role


@admin.register(Agreement)
class AgreementAdmin(RoleAdminMixin, admin.ModelAdmin):
    viewer_roles = frozenset({Role.ADMINISTRATOR})
    list_display = ("name", "parties", "signed_on", "valid_to")
