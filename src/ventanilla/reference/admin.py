"""Staff keep parameters here. Every save goes through reference.services (validated, audited)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ventanilla.people.access import PARAMETER_EDITOR_ROLES
from ventanilla.people.admin_site import RoleAdminMixin
from ventanilla.people.models import Role
from ventanilla.reference import models, services


class ParameterAdmin(RoleAdminMixin, admin.ModelAdmin):
    editor_roles = PARAMETER_EDITOR_ROLES
    viewer_roles = frozenset({Role.SUPERVISOR})
    list_filter = ("assumed",)
    date_hierarchy = "valid_from"

    def save_model(self, request, obj, form, change):
        services.save_parameter(request.user, obj)

    def delete_model(self, request, obj):
        services.delete_parameter(request.user, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.delete_parameter(request.user, obj)

    @admin.display(description=_("supuesto"), boolean=True)
    def is_assumed(self, obj):
        return obj.assumed


@admin.register(models.Uma)
class UmaAdmin(ParameterAdmin):
    list_display = ("valid_from", "valid_to", "daily", "monthly", "annual", "is_assumed", "source")


@admin.register(models.MinimumWage)
class MinimumWageAdmin(ParameterAdmin):
    list_display = ("valid_from", "valid_to", "general", "zlfn", "is_assumed", "source")


@admin.register(models.VsmAdjustment)
class VsmAdjustmentAdmin(ParameterAdmin):
    list_display = ("valid_from", "valid_to", "rate", "decided_by", "umi_daily", "note", "is_assumed")


@admin.register(models.ImssBranchRate)
class ImssBranchRateAdmin(ParameterAdmin):
    list_display = ("branch", "article", "base", "employer_rate", "worker_rate", "valid_from", "valid_to")
    list_filter = ("branch", "assumed")


@admin.register(models.CeavEmployerRate)
class CeavEmployerRateAdmin(ParameterAdmin):
    list_display = ("valid_from", "valid_to", "band", "minimum_wage_only", "upper_uma", "rate")


@admin.register(models.WorkRiskPremium)
class WorkRiskPremiumAdmin(ParameterAdmin):
    list_display = ("risk_class", "premium", "valid_from", "valid_to", "source")


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(ParameterAdmin):
    list_display = ("currency", "rate", "valid_from", "valid_to", "is_assumed", "source")


@admin.register(models.ProgramFlag)
class ProgramFlagAdmin(ParameterAdmin):
    list_display = ("key", "enabled", "valid_from", "valid_to", "is_assumed", "source")


class ConsulateServiceInline(admin.TabularInline):
    model = models.ConsulateService
    extra = 0


@admin.register(models.Consulate)
class ConsulateAdmin(RoleAdminMixin, admin.ModelAdmin):
    editor_roles = frozenset({Role.ADMINISTRATOR})
    viewer_roles = PARAMETER_EDITOR_ROLES | {Role.SUPERVISOR}
    list_display = ("code", "name_es", "city", "region", "country", "kind", "active")
    list_filter = ("country", "kind", "active")
    search_fields = ("code", "name_es", "city")
    inlines = [ConsulateServiceInline]

    def save_model(self, request, obj, form, change):
        services.save_parameter(request.user, obj)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            services.delete_parameter(request.user, obj)
        for obj in instances:
            services.save_parameter(request.user, obj)

    def delete_model(self, request, obj):
        services.delete_parameter(request.user, obj)
