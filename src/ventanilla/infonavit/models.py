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
            # The tablero's VSM credits still in force by state (reports.selectors_infonavit.vsm_figures), frozen
            # ones included: read from the index alone instead of a scan of 6.2 M credits (issue 6, speed).
            models.Index(fields=["state", "borrower"], name="credit_vsm_active_by_state",
                         condition=models.Q(denomination="vsm", status="active")),
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
        # The part of the month's installment a third party pays while FPP or DCP is in force (rules/solutions/
        # effects.py COVERED_BY): posted with the accrual, applied like a payment, the amount due unchanged.
        COVERED_FPP = "covered_fpp", _("Cubierto por el Fondo de Protección de Pagos")
        COVERED_DCP = "covered_dcp", _("Cubierto por Infonavit (Dictamen de Capacidad de Pago)")

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
    # batchfix: the rest of the running position (rules.ledger.fold of the entries up to this one), so the
    # portfolio campaign reads one row per credit, the last entry, instead of summing the whole ledger.
    due_after = models.DecimalField(_("exigible acumulado"), default=0, **MONEY)
    interest_after = models.DecimalField(_("intereses acumulados"), default=0, **MONEY)
    insurance_after = models.DecimalField(_("seguros y comisiones acumulados"), default=0, **MONEY)
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
    # The payment whose arrival posted this relief entry (the DLA discount, the BCN reward): reversing the
    # payment reverses it too.
    caused_by = models.ForeignKey("self", verbose_name=_("originado por"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="caused", db_index=False)

    class Meta:
        ordering = ["credit", "sequence"]
        # batchfix: the campaign's set-based facts read the payments (payments made and in a row) and the
        # entries dated after the 1st of the month (DLA's balance of the 1st) without scanning the ledger.
        indexes = [
            models.Index(fields=["credit", "posted_on"], condition=models.Q(kind="payment"),
                         name="ledger_payments_by_credit"),
            models.Index(fields=["posted_on"], name="ledger_posted_on"),
            # The tablero's relief granted and RC conversions (reports.selectors_infonavit): a few entries among
            # the millions of accruals and payments, found without scanning the ledger (issue 6, speed).
            models.Index(fields=["credit"], condition=models.Q(kind__in=["discount", "reward", "conversion"]),
                         name="ledger_relief_by_credit"),
        ]
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


# --- housing subaccount (SCV), employment history, voluntary deposits, refunds ---------------------------
# Subaccount periods: shared/domain/infonavit.md, "Devolución del saldo de la SCV".
SAVINGS_PERIODS = (
    ("fondo_72", _("Fondo de Ahorro 1972–1992")),
    ("scv_92", _("SCV 1992 (mar 1992–jun 1997)")),
    ("scv_97", _("SCV 1997 (desde jul 1997)")),
)


class EmploymentRelation(models.Model):
    """A relación laboral: who employed the person, when, at which SBC. The employer contributions to the
    SCV (5 % of the SBC each bimester) are computed from these rows."""

    person = models.ForeignKey(Person, verbose_name=_("persona"), on_delete=models.PROTECT,
                               related_name="employment_relations")
    employer_name = models.CharField(_("patrón"), max_length=200)
    registro_patronal = models.CharField(_("registro patronal"), max_length=11)
    started_on = models.DateField(_("alta"))
    ended_on = models.DateField(_("baja"), null=True, blank=True)
    daily_sbc = models.DecimalField(_("salario base de cotización diario"), max_digits=10, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "-started_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_on__isnull=True)
                                   | models.Q(ended_on__gte=models.F("started_on")),
                                   name="employment_ends_after_start"),
            models.CheckConstraint(condition=models.Q(daily_sbc__gt=0), name="employment_sbc_positive"),
        ]
        verbose_name = _("relación laboral")
        verbose_name_plural = _("relaciones laborales")

    def __str__(self) -> str:
        return f"{self.registro_patronal} {self.started_on}"


class SavingsMovement(AppendOnlyModel):
    """One movement of a person's housing subaccount, in posting order (`sequence`), append-only like the
    credit ledger: signed amount (positive adds to the savings), `balance_after` the subaccount's running
    total after it. The balance of each period (Fondo 72, SCV 92, SCV 97) is the sum of its movements."""

    class Kind(models.TextChoices):
        OPENING = "opening", _("Saldo inicial")
        CONTRIBUTION = "contribution", _("Aportación patronal bimestral")
        VOLUNTARY = "voluntary", _("Aportación extraordinaria")
        RETURNS = "returns", _("Rendimientos")
        REFUND = "refund", _("Devolución del saldo")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="savings_movements", db_index=False)
    sequence = models.PositiveIntegerField()
    kind = models.CharField(_("movimiento"), max_length=12, choices=Kind.choices)
    savings_period = models.CharField(_("periodo de la subcuenta"), max_length=8, choices=SAVINGS_PERIODS)
    posted_on = models.DateField(_("fecha"))
    # The bimester (its first day) of a contribution, the month (first day) of a returns crediting.
    period = models.DateField(_("periodo"), null=True, blank=True)
    amount = models.DecimalField(_("importe"), **MONEY)
    balance_after = models.DecimalField(_("saldo"), **MONEY)
    employment = models.ForeignKey(EmploymentRelation, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="contributions", db_index=False)
    deposit = models.ForeignKey("VoluntaryDeposit", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="movements", db_index=False)
    refund = models.ForeignKey("RefundRequest", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="movements", db_index=False)
    operation_id = models.CharField(_("número de operación"), max_length=64, blank=True)
    note = models.CharField(_("nota"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["person", "sequence"], name="savings_person_sequence_unique"),
            models.UniqueConstraint(fields=["operation_id"], condition=~models.Q(operation_id=""),
                                    name="savings_operation_unique"),
            # Idempotency of the periodic jobs: one contribution per relation and bimester, one crediting of
            # returns per subaccount period and month, one deposit and one refund movement each.
            models.UniqueConstraint(fields=["employment", "period"], condition=models.Q(kind="contribution"),
                                    name="savings_contribution_once"),
            models.UniqueConstraint(fields=["person", "savings_period", "period"],
                                    condition=models.Q(kind="returns"), name="savings_returns_once"),
            models.UniqueConstraint(fields=["deposit"], condition=models.Q(deposit__isnull=False),
                                    name="savings_deposit_once"),
            models.UniqueConstraint(fields=["refund", "savings_period"], condition=models.Q(refund__isnull=False),
                                    name="savings_refund_once"),
            models.CheckConstraint(condition=models.Q(balance_after__gte=0), name="savings_balance_not_negative"),
            models.CheckConstraint(condition=~models.Q(kind__in=("contribution", "returns"))
                                   | models.Q(period__isnull=False), name="savings_periodic_has_period"),
        ]
        verbose_name = _("movimiento de la subcuenta de vivienda")
        verbose_name_plural = _("movimientos de la subcuenta de vivienda")

    def __str__(self) -> str:
        return f"{self.person_id}#{self.sequence} {self.kind} {self.amount}"


class VoluntaryDeposit(models.Model):
    """An aportación extraordinaria from abroad: a payment reference (payments) that, once paid, is credited
    to the SCV 1997 by the payments registry handler."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Referencia emitida")
        PAID = "paid", _("Pagada y abonada")

    person = models.ForeignKey(Person, verbose_name=_("persona"), on_delete=models.PROTECT,
                               related_name="voluntary_deposits")
    amount = models.DecimalField(_("importe"), **MONEY)
    reference = models.ForeignKey("payments.PaymentReference", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", db_index=False)
    status = models.CharField(_("estado"), max_length=8, choices=Status.choices, default=Status.ISSUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    requested_at = models.DateTimeField(_("solicitada el"), default=timezone.now)
    paid_at = models.DateTimeField(_("pagada el"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=128)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["requested_by", "idempotency_key"], name="voluntary_deposit_idempotent"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="voluntary_deposit_amount_positive"),
        ]
        verbose_name = _("aportación extraordinaria")
        verbose_name_plural = _("aportaciones extraordinarias")

    def __str__(self) -> str:
        return f"{self.person_id} {self.amount} ({self.status})"


class RefundRequest(models.Model):
    """A devolución del saldo de la SCV asked by the worker or an heir; Infonavit staff other than the
    requester approve or refuse it (four eyes), then it is paid by SPEI to the CLABE within 10 business days
    of the approval (shared/domain/infonavit.md)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En revisión")
        APPROVED = "approved", _("Aprobada, por pagar")
        REFUSED = "refused", _("Rechazada")
        PAID = "paid", _("Pagada")

    class Basis(models.TextChoices):
        PENSION_RESOLUTION = "pension_resolution", _("Resolución de pensión del IMSS")
        PENSION_DENIAL = "pension_denial", _("Negativa de pensión (incapacidad de 50 % o más)")

    class Claimant(models.TextChoices):
        WORKER = "worker", _("La persona trabajadora")
        SPOUSE = "spouse", _("Cónyuge")
        CHILD = "child", _("Hija o hijo")
        PARENT = "parent", _("Madre o padre")

    person = models.ForeignKey(Person, verbose_name=_("titular de la subcuenta"), on_delete=models.PROTECT,
                               related_name="savings_refunds")
    claimant = models.CharField(_("solicitante"), max_length=8, choices=Claimant.choices)
    claimant_name = models.CharField(_("nombre del beneficiario"), max_length=200, blank=True)
    basis = models.CharField(_("fundamento"), max_length=20, choices=Basis.choices)
    incapacity_percent = models.DecimalField(_("incapacidad (%)"), max_digits=5, decimal_places=2, null=True,
                                             blank=True)
    afore = models.CharField(_("AFORE"), max_length=60)
    clabe = models.CharField(_("CLABE"), max_length=18)
    bank_statement_date = models.DateField(_("fecha del estado de cuenta"))
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     db_index=False)
    requested_at = models.DateTimeField(_("solicitada el"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", db_index=False)
    decided_at = models.DateTimeField(_("decidida el"), null=True, blank=True)
    refusal_reason = models.CharField(_("motivo del rechazo"), max_length=500, blank=True)
    # Paid within 10 business days after approval (core.calendar.add_business_days).
    due_on = models.DateField(_("fecha límite de pago"), null=True, blank=True)
    amount = models.DecimalField(_("importe devuelto"), null=True, blank=True, **MONEY)
    # Fixed at approval (fix5b): {savings period: "amount"}; the SPEI instruction and the payment use exactly
    # these, whatever the balance does later.
    approved_amounts = models.JSONField(default=dict, blank=True)
    spei_tracking = models.CharField(_("clave de rastreo SPEI"), max_length=30, blank=True)
    paid_on = models.DateField(_("pagada el"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    idempotency_key = models.CharField(max_length=128)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["requested_by", "idempotency_key"], name="refund_request_idempotent"),
            # One request in progress per subaccount.
            models.UniqueConstraint(fields=["person"], condition=models.Q(status__in=("pending", "approved")),
                                    name="refund_one_open_per_person"),
            models.UniqueConstraint(fields=["spei_tracking"], condition=~models.Q(spei_tracking=""),
                                    name="refund_spei_tracking_unique"),
        ]
        indexes = [
            models.Index(fields=["requested_at"], name="refund_open_idx",
                         condition=models.Q(status__in=("pending", "approved"))),
        ]
        verbose_name = _("devolución del saldo de la SCV")
        verbose_name_plural = _("devoluciones del saldo de la SCV")

    def __str__(self) -> str:
        return f"{self.person_id} {self.status}"


def refund_document_path(document: "RefundDocument", filename: str) -> str:
    # The stored name never carries the uploaded name (personal data): the request and a random token.
    import secrets
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"infonavit/refunds/{document.refund_id}/{document.kind}-{secrets.token_hex(8)}.{suffix}"


class RefundDocument(models.Model):
    """A file attached to a refund request, stored under MEDIA_ROOT (size and type checked by the service)."""

    class Kind(models.TextChoices):
        PENSION_RESOLUTION = "pension_resolution", _("Resolución o negativa de pensión")
        BANK_STATEMENT = "bank_statement", _("Estado de cuenta bancario con CLABE")
        IDENTIFICATION = "identification", _("Identificación oficial")
        DEATH_CERTIFICATE = "death_certificate", _("Acta de defunción")
        KINSHIP = "kinship", _("Acta que acredita el parentesco")

    refund = models.ForeignKey(RefundRequest, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("documento"), max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to=refund_document_path, max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["refund", "kind", "id"]
        verbose_name = _("documento de la devolución")
        verbose_name_plural = _("documentos de la devolución")

    def __str__(self) -> str:
        return f"{self.refund_id} {self.kind}"


# --- notices on payroll discounts (avisos de retención, suspensión y modificación) -----------------------

class Notice(models.Model):
    """An aviso de retención, suspensión o modificación de descuentos, issued in the same transaction as the
    event of its credit that triggers it (rules/notices.py; infonavit/notices.py). One per event: the event
    key (e.g. "new_credit", "payoff:57", "application:12:start") is unique per credit."""

    class Kind(models.TextChoices):
        RETENTION = "retention", _("Aviso de retención de descuentos")
        SUSPENSION = "suspension", _("Aviso de suspensión de descuentos")
        MODIFICATION = "modification", _("Aviso de modificación de descuentos")

    class Event(models.TextChoices):
        NEW_CREDIT = "new_credit", _("Crédito nuevo")
        EMPLOYER_CHANGE = "employer_change", _("Cambio de patrón")
        CONVERSION = "conversion", _("Conversión a pesos")
        RESTRUCTURE = "restructure", _("Reestructura del pago")
        RESTRUCTURE_ENDED = "restructure_ended", _("Fin de la reestructura")
        PAYOFF = "payoff", _("Crédito liquidado")
        PRORROGA = "prorroga", _("Prórroga")
        PRORROGA_ENDED = "prorroga_ended", _("Fin de la prórroga")

    class DiscountType(models.TextChoices):
        SDI_PERCENT = "sdi_percent", _("Porcentaje del salario diario integrado")
        FIXED_AMOUNT = "fixed_amount", _("Cuota fija mensual")
        UMI_FACTOR = "umi_factor", _("Factor de descuento (veces UMI)")

    # The unique (credit, event_key) indexes the credit first: no separate index on credit.
    credit = models.ForeignKey(Credit, verbose_name=_("crédito"), on_delete=models.PROTECT, related_name="notices",
                               db_index=False)
    kind = models.CharField(_("aviso"), max_length=12, choices=Kind.choices)
    event = models.CharField(_("motivo"), max_length=20, choices=Event.choices)
    event_key = models.CharField(max_length=80)
    issued_on = models.DateField(_("emitido el"))
    effective_from = models.DateField(_("aplica desde"))
    discount_type = models.CharField(_("tipo de descuento"), max_length=12, choices=DiscountType.choices)
    # Percent of the SDI, pesos, or the factor of UMI, as the type says.
    discount_value = models.DecimalField(_("valor del descuento"), max_digits=14, decimal_places=4)
    monthly_amount = models.DecimalField(_("descuento mensual"), **MONEY)
    previous_amount = models.DecimalField(_("descuento anterior"), null=True, blank=True, **MONEY)
    regime = models.CharField(_("régimen de pago"), max_length=8, choices=Credit.Regime.choices)
    employment = models.ForeignKey(EmploymentRelation, verbose_name=_("relación laboral"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="notices", db_index=False)
    application = models.ForeignKey(SolutionApplication, verbose_name=_("solución"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="notices", db_index=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["credit", "event_key"], name="notice_once_per_event"),
            models.CheckConstraint(condition=models.Q(discount_value__gte=0, monthly_amount__gte=0),
                                   name="notice_amounts_not_negative"),
            models.CheckConstraint(condition=models.Q(effective_from__gt=models.F("issued_on")),
                                   name="notice_effective_after_issue"),
        ]
        verbose_name = _("aviso de descuentos")
        verbose_name_plural = _("avisos de descuentos")

    def __str__(self) -> str:
        return f"{self.kind} {self.credit_id} {self.event_key}"
