"""Infonavit staff look credits, their ledgers, the yearly adjustment runs, solutions, notices, refunds,
deposits and employment relations up here. Credits are read-only but for the freeze of the yearly adjustment,
which goes through infonavit.services (audited); employment relations are added through savings_services; the
ledger is never edited (corrections are reversing entries)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError
from ventanilla.infonavit import savings_services, services
from ventanilla.infonavit.models import (
    AdjustmentRun,
    Credit,
    EmploymentRelation,
    LedgerEntry,
    Notice,
    RefundRequest,
    SolutionApplication,
    VoluntaryDeposit,
)
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


# --- read-mostly admins for what the staff screens write --------------------------------------------------
# Solutions, refunds, deposits and notices are written only by their services (four eyes, audit, notices):
# here staff look them up. Nobody deletes a record that moved or forgave money.

def masked_nss(person) -> str:
    """The NSS shown as in the log masking (core.logging): only its last four digits."""
    nss = getattr(person, "nss", "") or ""
    return f"•••••••{nss[-4:]}" if nss else ""


class ReadOnlyAdmin(RoleAdminMixin, admin.ModelAdmin):
    """No editor roles (RoleAdminMixin then refuses every add, change and delete): Infonavit staff and
    administrators look."""

    viewer_roles = INFONAVIT_EDITORS
    show_full_result_count = False  # the tables hold millions of rows (a notice per credit event)
    ordering = ("-id",)  # newest first by the primary key: the models' date orderings have no index

    def lookup_allowed(self, lookup, value, request=None):
        """Only the declared filters. Django accepts a URL filter on any own field, so counting the rows of
        ?clabe__startswith=... prefix by prefix would read a masked CLABE; anything else is refused (400)."""
        declared = {self.date_hierarchy} - {None}
        for item in self.get_list_filter(request) if request is not None else self.list_filter:
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter):
                declared.add(item.parameter_name)
            else:
                declared.add(item[0] if isinstance(item, (list, tuple)) else item)
        for path in declared:
            if lookup == path:
                return True
            if lookup.startswith(path + "__"):
                # A declared field with the list filters' own lookups (or a relation's key), never a path on.
                rest = lookup[len(path) + 2:].split("__")
                if rest[-1] in FILTER_LOOKUPS:
                    rest.pop()
                if rest in ([], ["id"], ["pk"]):
                    return True
        return False


# What Django's field list filters and date hierarchy put in the URL after a declared field's path.
FILTER_LOOKUPS = {"exact", "isnull", "in", "gte", "gt", "lte", "lt", "year", "month", "day"}


@admin.register(SolutionApplication)
class SolutionApplicationAdmin(ReadOnlyAdmin):
    list_display = ("credit", "borrower_nss", "code", "status", "channel", "requested_at", "starts_on", "ends_on",
                    "ended_on")
    list_filter = ("code", "status", "channel")
    search_fields = ("=credit__number", "=credit__borrower__nss")  # exact: indexed lookups only
    list_select_related = ("credit__borrower",)
    fields = ("credit", "borrower_nss", "code", "status", "channel", "requested_by", "requested_at", "decided_by",
              "decided_at", "refusal_reason", "starts_on", "ends_on", "ended_on", "end_reason", "amounts",
              "new_terms", "declared")
    readonly_fields = fields

    @admin.display(description=_("NSS"))
    def borrower_nss(self, obj):
        return masked_nss(obj.credit.borrower)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("credit", "borrower_nss", "kind", "event", "issued_on", "effective_from", "discount_type",
                    "monthly_amount", "regime")
    list_filter = ("kind", "event", "discount_type", "regime")
    search_fields = ("=credit__number", "=credit__borrower__nss")
    list_select_related = ("credit__borrower",)
    fields = ("credit", "borrower_nss", "kind", "event", "issued_on", "effective_from", "discount_type",
              "discount_value", "monthly_amount", "previous_amount", "regime", "employment", "application",
              "actor", "created_at")
    readonly_fields = fields

    @admin.display(description=_("NSS"))
    def borrower_nss(self, obj):
        return masked_nss(obj.credit.borrower)


class PersonRecordAdmin(ReadOnlyAdmin):
    search_fields = ("=person__nss", "=person__curp")
    list_select_related = ("person",)

    @admin.display(description=_("NSS"))
    def person_nss(self, obj):
        return masked_nss(obj.person)


@admin.register(RefundRequest)
class RefundRequestAdmin(PersonRecordAdmin):
    list_display = ("person", "person_nss", "claimant", "basis", "status", "requested_at", "due_on", "amount",
                    "paid_on")
    list_filter = ("status", "basis", "claimant")
    # The CLABE is shown masked, as on the refund screen; decisions go through the staff screens (four eyes).
    fields = ("person", "person_nss", "claimant", "claimant_name", "basis", "incapacity_percent", "afore",
              "clabe_masked", "bank_statement_date", "status", "requested_by", "requested_at", "decided_by",
              "decided_at", "refusal_reason", "due_on", "amount", "approved_amounts", "spei_tracking", "paid_on",
              "paid_by")
    readonly_fields = fields

    @admin.display(description=_("CLABE"))
    def clabe_masked(self, obj):
        return f"•••• {obj.clabe[-4:]}" if obj.clabe else ""


@admin.register(VoluntaryDeposit)
class VoluntaryDepositAdmin(PersonRecordAdmin):
    list_display = ("person", "person_nss", "amount", "status", "requested_at", "paid_at")
    list_filter = ("status",)
    fields = ("person", "person_nss", "amount", "reference", "status", "requested_by", "requested_at", "paid_at")
    readonly_fields = fields


class EmploymentRelationForm(forms.ModelForm):
    """The service validates and writes in one step; its refusals are shown next to their fields. The write
    happens inside the admin's own transaction (changeform_view is atomic), so nothing is left half-done."""

    actor = None  # set by the admin before validation
    relation = None

    class Meta:
        model = EmploymentRelation
        fields = ("person", "employer_name", "registro_patronal", "started_on", "ended_on", "daily_sbc")

    def clean(self):
        data = super().clean()
        if self.errors or self.instance.pk is not None:
            return data
        try:
            self.relation = savings_services.record_employment(
                self.actor, data["person"], employer_name=data["employer_name"],
                registro_patronal=data["registro_patronal"], started_on=data["started_on"],
                ended_on=data.get("ended_on"), daily_sbc=data["daily_sbc"])
        except DomainError as refused:
            for error in refused.errors:
                self.add_error(error.field if error.field in self.fields else None, str(error.message))
        return data


@admin.register(EmploymentRelation)
class EmploymentRelationAdmin(PersonRecordAdmin):
    """Staff add a relación laboral through savings_services.record_employment (validated, audited, and the
    aviso de retención it triggers); a recorded relation is never edited nor deleted here."""

    form = EmploymentRelationForm
    list_display = ("person", "person_nss", "employer_name", "registro_patronal", "started_on", "ended_on",
                    "daily_sbc")
    list_filter = ("ended_on",)
    raw_id_fields = ("person",)
    readonly_fields = ("person_nss", "created_by", "created_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return EmploymentRelationForm.Meta.fields
        return ("person", "person_nss", "employer_name", "registro_patronal", "started_on", "ended_on", "daily_sbc",
                "created_by", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_add_permission(self, request):
        return access.has_role(request.user, savings_services.SAVINGS_MANAGER_ROLES)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        obj.pk = form.relation.pk  # written by the service in clean(); the admin's message names that row
