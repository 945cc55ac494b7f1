"""IMSS staff keep what the programme decides by hand: the family clinic (UMF), weeks from earlier formal
employment, and the progress of AFORE re-activation requests. Every save goes through imss.services."""

from django.contrib import admin

from ventanilla.imss import services
from ventanilla.imss.models import Affiliation, AforeReactivationRequest, PriorWeeks
from ventanilla.people import access
from ventanilla.people.access import STAFF_ROLES
from ventanilla.people.admin_site import RoleAdminMixin
from ventanilla.people.models import Role

IMSS_EDITORS = frozenset({Role.IMSS_STAFF, Role.ADMINISTRATOR})


class PriorWeeksInline(admin.TabularInline):
    model = PriorWeeks
    extra = 1
    fields = ("weeks", "last_contribution_date", "source", "recorded_by", "recorded_at")
    readonly_fields = ("recorded_by", "recorded_at")

    def has_view_permission(self, request, obj=None):
        return access.has_role(request.user, STAFF_ROLES)

    def has_add_permission(self, request, obj=None):
        return access.has_role(request.user, IMSS_EDITORS)

    def has_change_permission(self, request, obj=None):
        return False  # recorded weeks are corrected by a new row, never edited

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Affiliation)
class AffiliationAdmin(RoleAdminMixin, admin.ModelAdmin):
    editor_roles = IMSS_EDITORS
    viewer_roles = STAFF_ROLES
    list_display = ("person", "status", "consulate", "zone", "periodicity", "family_clinic", "enrolled_on")
    list_filter = ("status", "zone", "periodicity", "channel")
    search_fields = ("person__curp", "person__nss", "person__last_name_1")
    list_select_related = ("person", "consulate")
    fields = ("person", "status", "consulate", "zone", "periodicity", "occupation", "family_clinic", "enrolled_on")
    readonly_fields = ("person", "status", "consulate", "zone", "periodicity", "occupation", "enrolled_on")
    inlines = [PriorWeeksInline]

    def has_add_permission(self, request):
        return False  # enrolment happens at the window or in the portal

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.assign_family_clinic(request.user, obj, obj.family_clinic)

    def save_formset(self, request, form, formset, change):
        for row in formset.save(commit=False):
            services.record_prior_weeks(request.user, form.instance, weeks=row.weeks,
                                        last_contribution_date=row.last_contribution_date, source=row.source)


@admin.register(AforeReactivationRequest)
class AforeReactivationRequestAdmin(RoleAdminMixin, admin.ModelAdmin):
    editor_roles = IMSS_EDITORS
    viewer_roles = STAFF_ROLES
    list_display = ("affiliation", "afore_name", "status", "requested_at", "updated_at")
    list_filter = ("status",)
    fields = ("affiliation", "afore_name", "status", "notes", "requested_at")
    readonly_fields = ("affiliation", "afore_name", "requested_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        services.update_afore_request(request.user, obj, obj.status, obj.notes)
