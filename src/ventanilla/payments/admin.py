"""Infonavit staff keep the allied remittance companies of Sin Fronteras here; every save goes through
payments.services (validated, audited). Companies are never deleted: payments keep pointing at them."""

from django.contrib import admin

from ventanilla.payments import services
from ventanilla.payments.models import RemittanceCompany
from ventanilla.people.admin_site import RoleAdminMixin
from ventanilla.people.models import Role

REMITTANCE_EDITORS = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})


@admin.register(RemittanceCompany)
class RemittanceCompanyAdmin(RoleAdminMixin, admin.ModelAdmin):
    editor_roles = REMITTANCE_EDITORS
    list_display = ("code", "name", "active", "joined_on", "commission_usd", "commission_assumed")
    list_filter = ("active", "commission_assumed")
    fields = ("code", "name", "active", "joined_on", "commission_usd", "commission_assumed", "source")

    def get_readonly_fields(self, request, obj=None):
        # The code prefixes the company's operation numbers: fixed once it has payments (the service refuses too).
        if obj is not None and obj.pk and obj.payments.exists():
            return ("code",)
        return ()

    def save_model(self, request, obj, form, change):
        services.save_remittance_company(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a company leaves the alliance by being made inactive
