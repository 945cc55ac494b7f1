"""Infonavit staff look credits, their ledgers and the yearly adjustment runs up here. Credits are
read-only but for the freeze of the yearly adjustment, which goes through infonavit.services (audited);
the ledger is never edited (corrections are reversing entries)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ventanilla.infonavit import services
from ventanilla.infonavit.models import AdjustmentRun, Credit, LedgerEntry
from ventanilla.people import access
from ventanilla.people.admin_site import RoleAdminMixin

INFONAVIT_EDITORS = services.CREDIT_MANAGER_ROLES


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    fk_name = "credit"
    extra = 0
    ordering = ("sequence",)
    fields = ("sequence", "kind", "posted_on", "period", "amount", "capital", "interest", "insurance", "due",
              "excess", "balance_after", "monthly_payment_after", "operation_id", "channel", "reverses", "note")
    readonly_fields = fields
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return access.has_role(request.user, INFONAVIT_EDITORS)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CreditForm(forms.ModelForm):
    frozen_reason = forms.CharField(label=_("motivo del cambio de congelamiento"), required=False, max_length=200)

    class Meta:
        model = Credit
        fields = ("frozen",)

    def clean(self):
        data = super().clean()
        if "frozen" in self.changed_data and not (data.get("frozen_reason") or "").strip():
            self.add_error("frozen_reason", _("Indique el motivo."))
        return data


@admin.register(Credit)
class CreditAdmin(RoleAdminMixin, admin.ModelAdmin):
    editor_roles = INFONAVIT_EDITORS
    form = CreditForm
    list_display = ("number", "borrower", "product", "denomination", "origination_date", "status", "frozen", "state")
    list_filter = ("status", "denomination", "product", "frozen", "regime", "state")
    search_fields = ("=number", "=borrower__curp", "=borrower__nss")  # exact: millions of rows
    list_select_related = ("borrower",)
    show_full_result_count = False
    readonly_fields = ("number", "borrower", "product", "denomination", "origination_date", "amount_lent",
                       "amount_lent_vsm", "rate", "term_months", "monthly_payment", "monthly_insurance_and_fees",
                       "regime", "cofinanced_share", "status", "settled_on", "state", "created_at")
    fields = ("number", "borrower", "product", "denomination", "origination_date", "amount_lent", "amount_lent_vsm",
              "rate", "term_months", "monthly_payment", "monthly_insurance_and_fees", "regime", "cofinanced_share",
              "frozen", "frozen_reason", "status", "settled_on", "state", "created_at")
    inlines = [LedgerEntryInline]

    def has_add_permission(self, request):
        return False  # credits are originated by infonavit.services.originate_credit

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if "frozen" in form.changed_data:
            services.set_frozen(request.user, obj, obj.frozen, form.cleaned_data["frozen_reason"])

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # the ledger inline is read-only: nothing of it is ever written


@admin.register(AdjustmentRun)
class AdjustmentRunAdmin(RoleAdminMixin, admin.ModelAdmin):
    """Written by the adjustment job only: no editor roles, so nobody adds, changes or deletes a run."""

    viewer_roles = INFONAVIT_EDITORS
    list_display = ("year", "rate", "decided_by", "rate_assumed", "credits", "total_change", "frozen_skipped",
                    "started_at", "finished_at")
    readonly_fields = list_display + ("actor",)
