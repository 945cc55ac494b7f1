"""Infonavit credits and their ledger.

The ledger is append-only: corrections are reversing entries. Balance and arrears are never stored on the
credit; they are the fold of its entries (rules/ledger.py). Each entry also carries the credit's running
state after it, computed by the service that appends it: `balance_after` (previous balance_after + amount)
and `monthly_payment_after` (the monthly payment in force, changed only by term-changing entries such as the
yearly VSM adjustment). So a statement or a portfolio job reads a credit's balance and payment from its last
entry instead of folding its history, and the yearly adjustment of millions of VSM credits is one INSERT per
credit, with no UPDATE of the credit rows. Tests hold balance_after equal to the sum of the entries.

Amounts are signed: positive means the borrower owes more (disbursement, interest, insurance and fees,
the yearly VSM adjustment), negative less (payments, discounts, rewards). `amount` is the sum of the split
columns capital + interest + insurance (a check constraint), so one SUM gives the balance and the split
says what a payment paid.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core.models import AppendOnlyModel
from ventanilla.infonavit.rules.solutions.base import SOLUTION_CODES
from ventanilla.payments.models import Payment
from ventanilla.people.models import MEXICAN_STATES, Person
from ventanilla.reference.models import VsmAdjustment

MONEY = {"max_digits": 14, "decimal_places": 2}
ACCRUAL_KINDS = ("accrual_interest", "accrual_insurance")
# Kinds that happen once per credit and period (month for accruals, 1 January for the yearly adjustment).
PERIODIC_KINDS = (*ACCRUAL_KINDS, "adjustment")
RATE = {"max_digits": 7, "decimal_places": 4}  # percent: 10.4500 is 10.45 % a year


class Credit(models.Model):
    """A housing credit. Terms (rate, payment) are typed; what is owed comes from the ledger."""

    class Product(models.TextChoices):
        TRADICIONAL = "tradicional", _("Crédito Infonavit tradicional")
        COFINAVIT = "cofinavit", "Cofinavit"
        UNAMOS = "unamos", _("Unamos Crédito")
        MEJORAVIT = "mejoravit", "Mejoravit"
        INFONAVIT_TOTAL = "infonavit_total", "Infonavit Total"
        CONSTRUYO = "construyo", "ConstruYO"
        SEGUNDO_CREDITO = "segundo_credito", _("Segundo crédito")
        APOYO_INFONAVIT = "apoyo_infonavit", "Apoyo Infonavit"
        ARRENDAVIT = "arrendavit", "Arrendavit"

    # Products financed together with a bank: only these have a cofinanced share.
    COFINANCED_PRODUCTS = (Product.COFINAVIT, Product.INFONAVIT_TOTAL)

    class Denomination(models.TextChoices):
        VSM = "vsm", _("Veces salario mínimo (VSM)")
        PESOS = "pesos", _("Pesos")

    class Regime(models.TextChoices):
        PAYROLL = "payroll", _("Descuento por nómina")
        OWN = "own", _("Pago por cuenta propia")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Vigente")
        SETTLED = "settled", _("Liquidado")
        CANCELLED = "cancelled", _("Cancelado")

    number = models.CharField(_("número de crédito"), max_length=10)  # unique: see Meta
    borrower = models.ForeignKey(Person, verbose_name=_("acreditado"), on_delete=models.PROTECT,
                                 related_name="infonavit_credits")
    product = models.CharField(_("producto"), max_length=16, choices=Product.choices)
    denomination = models.CharField(_("denominación"), max_length=5, choices=Denomination.choices)
    origination_date = models.DateField(_("fecha de otorgamiento"))
    amount_lent = models.DecimalField(_("monto otorgado (pesos)"), **MONEY)
    amount_lent_vsm = models.DecimalField(_("monto otorgado (VSM)"), max_digits=10, decimal_places=4,
                                          null=True, blank=True)
    rate = models.DecimalField(_("tasa anual (%)"), **RATE)
    term_months = models.PositiveSmallIntegerField(_("plazo (meses)"))
    # Agreed when the credit was granted, without insurance and fees. The payment in force is the ledger's
    # running state (LedgerEntry.monthly_payment_after; selectors.credit_summary), not this column.
    monthly_payment = models.DecimalField(_("pago mensual pactado"), **MONEY)
    monthly_insurance_and_fees = models.DecimalField(_("seguros y comisiones al mes"), default=0, **MONEY)
    regime = models.CharField(_("régimen de pago"), max_length=8, choices=Regime.choices)
    # The cofinancing bank's part of the home's financing, percent (0 when Infonavit lends alone).
    cofinanced_share = models.DecimalField(_("parte cofinanciada (%)"), max_digits=5, decimal_places=2, default=0)
    frozen = models.BooleanField(_("congelado"), default=False,
                                 help_text=_("Sin actualización anual (congelamiento de créditos VSM)."))
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    settled_on = models.DateField(_("liquidado el"), null=True, blank=True)
    state = models.CharField(_("entidad de la vivienda"), max_length=2, choices=MEXICAN_STATES)
    originated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      db_index=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Relief solutions: Infonavit's own flag (cobranza judicial); BCN and Jubilados refuse such credits
    # (shared/domain/infonavit.md). db_default: the demo seeder COPYs credits without this column.
    legal_proceedings = models.BooleanField(_("en proceso judicial"), default=False, db_default=False)

    class Meta:
        ordering = ["number"]
        constraints = [
            # A constraint rather than unique=True: no second, LIKE-able index on PostgreSQL (as payments).
            models.UniqueConstraint(fields=["number"], name="credit_number_unique"),
            models.CheckConstraint(condition=models.Q(amount_lent__gt=0), name="credit_amount_lent_positive"),
            models.CheckConstraint(condition=models.Q(rate__gte=0), name="credit_rate_not_negative"),
            models.CheckConstraint(condition=models.Q(term_months__gt=0), name="credit_term_positive"),
            models.CheckConstraint(condition=models.Q(monthly_payment__gt=0), name="credit_payment_positive"),
            models.CheckConstraint(condition=models.Q(monthly_insurance_and_fees__gte=0),
                                   name="credit_fees_not_negative"),
            models.CheckConstraint(condition=models.Q(cofinanced_share__gte=0, cofinanced_share__lt=100),
                                   name="credit_cofinanced_share_range"),
            models.CheckConstraint(
                condition=models.Q(denomination="vsm", amount_lent_vsm__gt=0)
                | models.Q(denomination="pesos", amount_lent_vsm__isnull=True),
                name="credit_vsm_amount_iff_vsm"),
        ]
        indexes = [
            # The yearly adjustment walks the active, unfrozen VSM credits in id order: about a third of the
            # portfolio, so a partial index instead of a scan of every credit.
            models.Index(fields=["id"], name="credit_vsm_adjustable_idx",
                         condition=models.Q(denomination="vsm", status="active", frozen=False)),
        ]
        verbose_name = _("crédito")
        verbose_name_plural = _("créditos")

    def __str__(self) -> str:
        return self.number


class LedgerEntry(AppendOnlyModel):
    """One movement of a credit, in posting order (`sequence`). Append-only (core.models.AppendOnlyModel;
    the PostgreSQL trigger is migration 0002): a correction is a reversing entry."""

    class Kind(models.TextChoices):
        DISBURSEMENT = "disbursement", _("Disposición del crédito")
        ACCRUAL_INTEREST = "accrual_interest", _("Intereses del mes")
        ACCRUAL_INSURANCE = "accrual_insurance", _("Seguros y comisiones del mes")
        PAYMENT = "payment", _("Pago")
        ADJUSTMENT = "adjustment", _("Actualización anual del saldo (VSM)")
        DISCOUNT = "discount", _("Descuento")
        CAPITALIZED_ARREARS = "capitalized_arrears", _("Capitalización de pagos omitidos")
        CONVERSION = "conversion", _("Conversión a pesos")
        REWARD = "reward", _("Bonificación")
        REVERSAL = "reversal", _("Corrección (reverso)")
        # Relief solutions: new terms only (amount 0, changes monthly_payment_after).
        RESTRUCTURE = "restructure", _("Reestructura (nuevas condiciones)")

    # The unique (credit, sequence) indexes the credit first: no separate index on credit.
    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, related_name="entries", db_index=False)
    sequence = models.PositiveIntegerField()
    kind = models.CharField(_("movimiento"), max_length=20, choices=Kind.choices)
    posted_on = models.DateField(_("fecha"))
    period = models.DateField(_("periodo"), null=True, blank=True)
    amount = models.DecimalField(_("importe"), **MONEY)  # signed change of the balance
    capital = models.DecimalField(_("capital"), default=0, **MONEY)
    interest = models.DecimalField(_("intereses"), default=0, **MONEY)
    insurance = models.DecimalField(_("seguros y comisiones"), default=0, **MONEY)
    due = models.DecimalField(_("exigible"), default=0, **MONEY)  # signed change of the amount due
    excess = models.DecimalField(_("pago en exceso"), default=0, **MONEY)  # received, not applied
    # The credit's running state after this entry, computed by the service that appends it (see above).
    balance_after = models.DecimalField(_("saldo"), **MONEY)
    monthly_payment_after = models.DecimalField(_("pago mensual vigente"), **MONEY)
    operation_id = models.CharField(_("número de operación"), max_length=64, blank=True)
    channel = models.CharField(_("canal"), max_length=12, choices=Payment.Channel.choices, blank=True)
    reverses = models.ForeignKey("self", verbose_name=_("corrige a"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reversed_by", db_index=False)
    note = models.CharField(_("nota"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The relief solution that posted this entry (its discount, capitalisation, new terms, reward).
    application = models.ForeignKey("SolutionApplication", verbose_name=_("solución"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="entries", db_index=False)

    class Meta:
        ordering = ["credit", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["credit", "sequence"], name="ledger_credit_sequence_unique"),
            # Money moves once per operation number, whatever the channel it comes in by.
            models.UniqueConstraint(fields=["operation_id"], condition=~models.Q(operation_id=""),
                                    name="ledger_operation_unique"),
            # One accrual of each kind per month, one yearly adjustment per year: the job can run twice.
            models.UniqueConstraint(fields=["credit", "kind", "period"],
                                    condition=models.Q(kind__in=PERIODIC_KINDS),
                                    name="ledger_once_per_period"),
            models.UniqueConstraint(fields=["credit"], condition=models.Q(kind="disbursement"),
                                    name="ledger_one_disbursement"),
            models.UniqueConstraint(fields=["reverses"], condition=models.Q(reverses__isnull=False),
                                    name="ledger_reversed_once"),
            # Rounded: SQLite keeps decimals as binary floats, whose sum can miss the stored amount by 1e-12.
            models.CheckConstraint(condition=models.Q(amount=Round(models.F("capital") + models.F("interest")
                                                                   + models.F("insurance"), 2)),
                                   name="ledger_amount_is_its_parts"),
            models.CheckConstraint(
                condition=~models.Q(kind__in=PERIODIC_KINDS)
                | models.Q(period__isnull=False), name="ledger_periodic_has_period"),
            models.CheckConstraint(condition=models.Q(kind="reversal") | models.Q(excess__gte=0),
                                   name="ledger_excess_not_negative"),
            models.CheckConstraint(condition=~models.Q(kind="reversal") | models.Q(reverses__isnull=False),
                                   name="ledger_reversal_names_entry"),
        ]
        verbose_name = _("movimiento del crédito")
        verbose_name_plural = _("movimientos del crédito")

    def __str__(self) -> str:
        return f"{self.credit_id}#{self.sequence} {self.kind} {self.amount}"


class AdjustmentRun(models.Model):
    """One yearly adjustment of VSM credits: what it applied and to how many credits. A second run of the
    same year adds to the same row (normally nothing: each credit is adjusted once per year)."""

    year = models.PositiveSmallIntegerField(_("año"), unique=True)
    rate = models.DecimalField(_("ajuste (%)"), **RATE)
    decided_by = models.CharField(_("decidido por"), max_length=8, choices=VsmAdjustment.DecidedBy.choices)
    rate_assumed = models.BooleanField(_("valor supuesto"), default=False)
    credits = models.PositiveIntegerField(_("créditos actualizados"), default=0)
    frozen_skipped = models.PositiveIntegerField(_("créditos congelados (sin cambio)"), default=0)
    total_change = models.DecimalField(_("cambio total de saldos"), max_digits=18, decimal_places=2, default=0)
    started_at = models.DateTimeField(_("inicio"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("actualización anual VSM")
        verbose_name_plural = _("actualizaciones anuales VSM")

    def __str__(self) -> str:
        return f"VSM {self.year}: {self.rate} % × {self.credits:,}"


# --- relief solutions (Cobranza Social) applied to stored credits ---------------------------------------

class SolutionApplication(models.Model):
    """A relief solution asked for on a stored credit: who asked, what they declared, what it changed.

    Where money is forgiven at Infonavit's discretion (the RC discount) it waits in pending_approval until a
    second person approves it (four eyes); the others take effect when applied. Amounts are decimal strings.
    """

    class Status(models.TextChoices):
        PENDING_APPROVAL = "pending_approval", _("En espera de aprobación")
        ACTIVE = "active", _("Vigente")
        REFUSED = "refused", _("Rechazada")
        ENDED = "ended", _("Terminada")
        COMPLETED = "completed", _("Concluida")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        WINDOW = "window", _("Ventanilla consular")
        STAFF = "staff", _("Personal del Infonavit")

    CODES = [(code, code) for code in SOLUTION_CODES]

    credit = models.ForeignKey(Credit, verbose_name=_("crédito"), on_delete=models.PROTECT,
                               related_name="solution_applications")
    code = models.CharField(_("solución"), max_length=12, choices=CODES)
    status = models.CharField(_("estado"), max_length=16, choices=Status.choices)
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    requested_at = models.DateTimeField(_("solicitada el"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    decided_at = models.DateTimeField(_("decidida el"), null=True, blank=True)
    refusal_reason = models.CharField(_("motivo del rechazo"), max_length=500, blank=True)
    starts_on = models.DateField(_("desde"))
    ends_on = models.DateField(_("hasta"), null=True, blank=True)
    ended_on = models.DateField(_("terminó el"), null=True, blank=True)
    end_reason = models.CharField(_("motivo de término"), max_length=32, blank=True)
    amounts = models.JSONField(_("importes"), default=dict, blank=True)
    new_terms = models.JSONField(_("nuevas condiciones"), default=dict, blank=True)
    declared = models.JSONField(_("datos declarados"), default=dict, blank=True)
    idempotency_key = models.CharField(max_length=128)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["requested_by", "idempotency_key"],
                                    name="solution_application_idempotent"),
            models.CheckConstraint(condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                                   name="solution_application_ends_after_start"),
        ]
        indexes = [
            # The approval queue: few rows among many decided ones.
            models.Index(fields=["requested_at"], name="solution_pending_idx",
                         condition=models.Q(status="pending_approval")),
        ]
        verbose_name = _("solución aplicada")
        verbose_name_plural = _("soluciones aplicadas")

    def __str__(self) -> str:
        return f"{self.code} {self.credit_id} ({self.status})"
