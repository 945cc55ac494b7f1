"""What every relief rule shares: the facts of a credit and its borrower, the answer, the assumed terms.

Source: shared/domain/infonavit.md, "Relief solutions (Cobranza Social)"; seed 001 (Cobranza Social
results, July 2024); issue 4, "Relief solutions". Pure: no Django, no database, no clock.

Vocabulary (the same as rules/ledger.py):
- `balance`: what it takes to pay the credit off today, in pesos (capital, interest, insurance and fees;
  for a VSM credit, already valued at today's VSM). Overdue amounts (arrears) are part of it.
- `monthly_payment`: the monthly payment of capital and interest, without insurance and fees.
- `installment`: what falls due each month, monthly_payment + monthly_insurance_and_fees. Every
  `monthly_payment` amount a solution answers is an installment: what the borrower pays a month, insurance
  and fees included.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from ventanilla.core.money import CENTAVO
from ventanilla.core.reasons import Reason

# The fixed order of every answer (issue 4).
SOLUTION_CODES = ("RC", "DLA", "BCN", "JUBILADOS", "DCP", "STM", "PARO_TECNICO", "FPP", "PRORROGA")
# The same codes as the Credit model's products (infonavit/models.py).
PRODUCTS = ("tradicional", "cofinavit", "unamos", "mejoravit", "infonavit_total", "construyo",
            "segundo_credito", "apoyo_infonavit", "arrendavit")
DENOMINATIONS = ("vsm", "pesos")
SEXES = ("H", "M")

MAX_AMOUNT = Decimal("1000000000000")  # a trillion pesos: above any credit, below Decimal's 28 digits of centavos

FPP_MAX_MONTHS = 6  # shared/domain/infonavit.md, FPP: up to 6 months every 5 years

_AMOUNTS = ("amount_lent", "balance", "monthly_payment", "monthly_insurance_and_fees", "monthly_income",
            "monthly_pension")
_OPTIONAL_AMOUNTS = ("arrears", "arrears_interest_from_third_missed", "arrears_insurance_and_fees",
                     "income_at_origination")
_COUNTS = ("remaining_months", "missed_payments", "payments_made", "fpp_months_used_last_5_years",
           "prorroga_months_used")
_OPTIONAL_COUNTS = ("consecutive_payments", "months_unemployed", "months_employed_before_job_loss",
                    "months_in_current_job")


@dataclass(frozen=True)
class CreditFacts:
    """The facts of one credit and its borrower on `as_of`: typed at the window (simulation) or read from a
    stored credit and its ledger. Amounts in pesos, Decimal, in centavos.

    For a cofinanced credit (Cofinavit, or `cofinanced`), every amount is Infonavit's part only.
    """

    as_of: date
    product: str  # one of PRODUCTS
    denomination: str  # "vsm" or "pesos"
    origination_date: date
    amount_lent: Decimal  # pesos lent at origination
    balance: Decimal  # see the module docstring: everything owed today, arrears included
    monthly_payment: Decimal  # capital and interest, without insurance and fees (the last one billed)
    monthly_insurance_and_fees: Decimal
    rate: Decimal  # percent a year: 10.45 is 10.45 %
    remaining_months: int  # monthly payments left in the original term
    missed_payments: int  # monthly installments overdue today
    payments_made: int  # complete monthly payments made since origination
    borrower_birth_date: date
    borrower_sex: str  # "H" or "M"; no relief rule reads it (the term limits of a new credit do)
    monthly_income: Decimal  # the borrower's income today (0 without income)
    monthly_pension: Decimal  # 0 when not retired or pensioned
    contributing_to_imss: bool  # a formal job or voluntary contributions registered with IMSS today
    employed: bool  # a formal job (an employer relationship registered in Mexico) today
    active_solutions: frozenset[str]  # codes of the solutions in force on the credit
    legal_proceedings: bool  # the credit is in a lawsuit (cobranza judicial)
    cofinanced: bool  # a bank or another lender finances part of the home
    frozen: bool  # no yearly VSM adjustment (the 2024-2025 freeze); no relief rule depends on it

    # Optional facts: the ledger and the borrower's file know them; the public simulator does not ask for
    # them, and a rule that needs one that is missing counts the condition as not shown (see ASSUMED_TERMS,
    # "unknown_facts").
    consecutive_payments: int | None = None
    """Complete monthly payments made in a row up to `as_of` (RC needs 24). None: payments_made when no
    payment is overdue, else 0 (ASSUMED_TERMS "rc_continuous_payments")."""
    arrears: Decimal | None = None
    """The overdue amount in the ledger (missed installments and their interest). None: estimated as
    missed_payments × installment (ASSUMED_TERMS "bcn_arrears_estimate")."""
    arrears_interest_from_third_missed: Decimal | None = None
    """Interest generated from the 3rd missed payment on (the BCN reward for 3-9 missed). None: estimated
    (ASSUMED_TERMS "bcn_reward_estimate")."""
    arrears_insurance_and_fees: Decimal | None = None
    """Insurance and fees owed (forgiven by the BCN reward for 3-9 missed). None: missed_payments ×
    monthly_insurance_and_fees."""
    months_unemployed: int | None = None
    """Complete months since the last formal job ended (FPP needs 1). None: unknown."""
    months_employed_before_job_loss: int | None = None
    """Months of formal employment just before the job was lost (FPP needs 6). None: unknown."""
    months_in_current_job: int | None = None
    """Months with the current employer (STM for an employed borrower needs 6). None: unknown."""
    income_at_origination: Decimal | None = None
    """Monthly income when the credit was granted (DCP and STM ask for a lower income today). None:
    unknown."""
    payroll: bool | None = None
    """The credit is repaid by payroll discount (the employer pays it bimonthly: the credit's regime). None:
    unknown (the simulator): a declared formal job stands for it (arrears.reward_by_employer_payment)."""
    employer_agreement_filed: bool = False
    """The employer's agreement for a paro técnico (temporary stoppage) has been filed with Infonavit."""
    fpp_months_used_last_5_years: int = 0
    """Months the Fondo de Protección de Pagos covered in the last 5 years (6 at most)."""
    prorroga_months_used: int = 0
    """Months of prórroga granted over the life of the credit."""
    uses_last_12_months: Mapping[str, int] = field(default_factory=dict)
    """Times each solution (by code) was granted in the 12 months before `as_of` (BCN: twice a year)."""
    uses_ever: Mapping[str, int] = field(default_factory=dict)
    """Times each solution (by code) was granted over the life of the credit (Jubilados: 3 times)."""

    def __post_init__(self):
        for name in _AMOUNTS + _OPTIONAL_AMOUNTS:
            value = getattr(self, name)
            if value is None and name in _OPTIONAL_AMOUNTS:
                continue
            value = _amount(value, name)
            if value != value.quantize(CENTAVO):
                raise ValueError(f"{name} must be in whole centavos")
            object.__setattr__(self, name, value)
        object.__setattr__(self, "rate", _amount(self.rate, "rate"))
        if self.rate >= 100:
            raise ValueError("rate is a yearly percentage below 100")
        for name in _COUNTS + _OPTIONAL_COUNTS:
            value = getattr(self, name)
            if value is None and name in _OPTIONAL_COUNTS:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number, not negative")
        if self.product not in PRODUCTS:
            raise ValueError(f"product must be one of {PRODUCTS}")
        if self.denomination not in DENOMINATIONS:
            raise ValueError(f"denomination must be one of {DENOMINATIONS}")
        if self.borrower_sex not in SEXES:
            raise ValueError(f"borrower_sex must be one of {SEXES}")
        if self.origination_date > self.as_of:
            raise ValueError("origination_date is after as_of")
        if self.borrower_birth_date > self.as_of:
            raise ValueError("borrower_birth_date is after as_of")
        object.__setattr__(self, "active_solutions", _codes(self.active_solutions, "active_solutions"))
        for name in ("uses_last_12_months", "uses_ever"):
            uses = dict(getattr(self, name))
            _codes(uses, name)
            if any(not isinstance(n, int) or n < 0 for n in uses.values()):
                raise ValueError(f"{name} counts must be whole numbers, not negative")
            object.__setattr__(self, name, MappingProxyType(uses))

    @property
    def installment(self) -> Decimal:
        """What falls due each month: payment plus insurance and fees."""
        return self.monthly_payment + self.monthly_insurance_and_fees


@dataclass(frozen=True)
class SolutionResult:
    """One solution for one credit: eligible or not, every unmet condition, and what it would change.

    `reasons` is empty exactly when `eligible`; `amounts` and `new_terms` are given only when eligible.
    """

    code: str
    eligible: bool
    reasons: tuple[Reason, ...] = ()
    amounts: dict[str, Decimal] = field(default_factory=dict)
    new_terms: dict = field(default_factory=dict)


def result(code: str, reasons: list[Reason], amounts: dict[str, Decimal], new_terms: dict) -> SolutionResult:
    if reasons:
        return SolutionResult(code, False, tuple(reasons))
    return SolutionResult(code, True, (), amounts, new_terms)


@dataclass(frozen=True)
class RateBand:
    """A row of an income table: incomes up to `upper` (a multiple of the monthly UMA; None: no limit)."""

    upper: Decimal | None
    rate: Decimal  # percent a year


# ASSUMED: the lower end of each band of Infonavit's June 2021 rate table by income in UMA
# (shared/domain/infonavit.md, "Prequalification and credit conditions"); the table's gaps (2.0-2.1 UMA...)
# join the band above. Below 1.5 UMA takes the first band's rate.
RC_RATE_BANDS = (
    RateBand(Decimal("2.0"), Decimal("1.91")),
    RateBand(Decimal("3.0"), Decimal("3.55")),
    RateBand(Decimal("4.0"), Decimal("5.70")),
    RateBand(Decimal("5.0"), Decimal("7.41")),
    RateBand(Decimal("6.0"), Decimal("9.03")),
    RateBand(None, Decimal("10.45")),
)


@dataclass(frozen=True)
class SolutionTerms:
    """Terms Infonavit has not published (or the domain note leaves open): each default is ASSUMED and
    described in ASSUMED_TERMS, so staff screens show it as such. Change them here, not in the rules."""

    rc_rate_bands: tuple[RateBand, ...] = RC_RATE_BANDS  # ASSUMED
    rc_rate_not_above_current: bool = True  # ASSUMED: a conversion never raises the rate
    rc_min_age: int = 40  # ASSUMED reading of "older than 40": from the 40th birthday on
    days_per_month: Decimal = Decimal("30.4")  # ASSUMED for the monthly minimum wage (as the UMA's)
    restructure_codes: frozenset[str] = frozenset({"BCN", "JUBILADOS", "DCP", "STM", "PARO_TECNICO"})  # ASSUMED
    dla_products: frozenset[str] = frozenset({"tradicional", "cofinavit"})  # ASSUMED (Cofinavit: Infonavit part)
    jubilados_payoff_months: int = 12  # ASSUMED: "about to be paid off" = 12 installments left or fewer
    dcp_payment_share: Decimal = Decimal("0.50")  # ASSUMED: pays 50 % of the installment, Infonavit the rest
    stm_payment_share: Decimal = Decimal("0.75")  # ASSUMED: pays 75 % of the installment
    fpp_from: date = date(2009, 1, 1)  # ASSUMED day: the note says "credits from 2009"


DEFAULT_TERMS = SolutionTerms()


@dataclass(frozen=True)
class AssumedTerm:
    """A term or reading no official text confirms; `name` is the SolutionTerms field when there is one."""

    name: str
    es: str
    en: str

    def text(self, language: str) -> str:
        return self.en if language.lower().startswith("en") else self.es


ASSUMED_TERMS = (
    AssumedTerm(
        "rc_rate_bands",
        "Tasa de Responsabilidad Compartida según el ingreso mensual en UMA mensuales: hasta 2.0 → 1.91 %, "
        "hasta 3.0 → 3.55 %, hasta 4.0 → 5.70 %, hasta 5.0 → 7.41 %, hasta 6.0 → 9.03 %, más → 10.45 % "
        "(inicio de cada banda de la tabla de tasas de junio de 2021).",
        "Responsabilidad Compartida rate by monthly income in monthly UMA: up to 2.0 → 1.91 %, up to 3.0 → "
        "3.55 %, up to 4.0 → 5.70 %, up to 5.0 → 7.41 %, up to 6.0 → 9.03 %, above → 10.45 % (the start of "
        "each band of the June 2021 rate table)."),
    AssumedTerm(
        "rc_rate_not_above_current",
        "La conversión nunca sube la tasa: se aplica la menor entre la de la banda y la actual del crédito.",
        "A conversion never raises the rate: the lower of the band's rate and the credit's current rate."),
    AssumedTerm(
        "rc_discount",
        "Descuento de Responsabilidad Compartida: el saldo en pesos menos el valor presente de los pagos "
        "mensuales que quedan del plazo (pago fijo igual al último, a la nueva tasa), nunca negativo.",
        "Responsabilidad Compartida discount: the balance in pesos less the present value of the monthly "
        "payments left in the term (payment fixed at the last one, at the new rate); never negative."),
    AssumedTerm(
        "rc_min_age",
        "«Mayor de 40 años» se lee desde el día en que se cumplen 40.",
        "\"Older than 40\" is read as from the 40th birthday on."),
    AssumedTerm(
        "rc_continuous_payments",
        "Sin el dato del historial, los pagos continuos son los pagos hechos si no hay mensualidades "
        "vencidas, y ninguno si las hay.",
        "Without the payment history, continuous payments are the payments made when none is overdue, "
        "and none otherwise."),
    AssumedTerm(
        "days_per_month",
        "Salario mínimo mensual = diario × 30.4 (como la UMA mensual); zona general.",
        "Monthly minimum wage = daily × 30.4 (as the monthly UMA); general zone."),
    AssumedTerm(
        "restructure_codes",
        "Cuentan como reestructura activa: Borrón y Cuenta Nueva, Apoyo a Jubilados, Dictamen de "
        "Capacidad de Pago, Solución a tu Medida y Paro técnico.",
        "An active restructure is any of: Borrón y Cuenta Nueva, Apoyo a Jubilados, Dictamen de "
        "Capacidad de Pago, Solución a tu Medida, Paro técnico."),
    AssumedTerm(
        "dla_products",
        "El Descuento por Liquidación Anticipada aplica al Crédito Infonavit tradicional y a la parte "
        "Infonavit de Cofinavit; el saldo se compara con el monto otorgado en pesos, también en créditos VSM.",
        "The early-payoff discount applies to Crédito Infonavit tradicional and to Cofinavit's Infonavit "
        "part; the balance is compared with the amount lent in pesos, VSM credits included."),
    AssumedTerm(
        "jubilados_payoff_months",
        "«Por liquidarse» = quedan 12 mensualidades o menos; Apoyo a Jubilados se ofrece solo si baja el "
        "pago mensual.",
        "\"About to be paid off\" = 12 installments left or fewer; Apoyo a Jubilados is offered only when "
        "it lowers the monthly payment."),
    AssumedTerm(
        "dcp_payment_share",
        "Dictamen de Capacidad de Pago: se paga el 50 % de la mensualidad por 12 meses. Requisitos: baja "
        "de ingresos o sin empleo formal, crédito de un año o más y, sin empleo, el Fondo de Protección de "
        "Pagos agotado.",
        "Dictamen de Capacidad de Pago: the borrower pays 50 % of the installment for 12 months. "
        "Conditions: lower income or no formal job, a credit at least a year old and, without a job, the "
        "Fondo de Protección de Pagos used up."),
    AssumedTerm(
        "stm_payment_share",
        "Solución a tu Medida: se paga el 75 % de la mensualidad por 12 meses.",
        "Solución a tu Medida: the borrower pays 75 % of the installment for 12 months."),
    AssumedTerm(
        "fpp_from",
        "El Fondo de Protección de Pagos cubre créditos otorgados desde el 1 de enero de 2009; el fondo se "
        "da por agotado cuando no le quedan meses, el crédito no lo tiene o la persona tiene empleo formal.",
        "The Fondo de Protección de Pagos covers credits granted from 1 January 2009; the fund counts as "
        "used up when no months are left, the credit has none, or the borrower has a formal job."),
    AssumedTerm(
        "bcn_arrears_estimate",
        "Sin el dato del estado de cuenta, lo vencido = mensualidades omitidas × mensualidad (sin "
        "intereses moratorios).",
        "Without the ledger figure, arrears = missed payments × installment (no default interest)."),
    AssumedTerm(
        "bcn_reward_estimate",
        "Sin el dato del estado de cuenta, los intereses desde el tercer pago omitido = (omitidos − 2) × "
        "saldo × tasa / 12.",
        "Without the ledger figure, the interest from the 3rd missed payment on = (missed − 2) × balance × "
        "rate / 12."),
    AssumedTerm(
        "unknown_facts",
        "Un dato que no se indicó (meses sin empleo, meses en el empleo, ingreso al obtener el crédito...) "
        "cuenta como requisito no acreditado.",
        "A fact not given (months without a job, months in the job, income at origination...) counts as a "
        "condition not shown."),
)


# --- helpers shared by the rules ---------------------------------------------------------------------

def _amount(value, name: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, not a float")
    value = Decimal(value)
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        raise ValueError(f"{name} must be a finite amount, not negative, below {MAX_AMOUNT}")
    return value


def _codes(codes, name: str) -> frozenset[str]:
    codes = frozenset(codes)
    unknown = codes - set(SOLUTION_CODES)
    if unknown:
        raise ValueError(f"{name} has unknown solution codes: {sorted(unknown)}")
    return codes


def present_value(payment: Decimal, annual_rate_percent: Decimal, months: int) -> Decimal:
    """What `months` monthly payments of `payment` at `annual_rate_percent` a year (compounded monthly)
    are worth today; not rounded."""
    if months <= 0:
        return Decimal(0)
    monthly = Decimal(annual_rate_percent) / 1200
    if monthly == 0:
        return payment * months
    return payment * (1 - (1 + monthly) ** -months) / monthly


def is_cofinanced(facts: CreditFacts) -> bool:
    """Cofinavit is cofinanced by definition; other products when the flag says so."""
    return facts.cofinanced or facts.product == "cofinavit"


def no_balance(facts: CreditFacts) -> list[Reason]:
    # A paid-off credit has nothing to relieve (issue 4: "a settled credit has balance zero").
    if facts.balance > 0:
        return []
    return [Reason("no_balance", "El crédito no tiene saldo por pagar.", "The credit has no balance to pay.")]


def legal_proceedings(facts: CreditFacts) -> list[Reason]:
    if not facts.legal_proceedings:
        return []
    return [Reason("legal_proceedings", "El crédito está en proceso judicial.", "The credit is in legal proceedings.")]


def already_active(facts: CreditFacts, code: str, es_name: str, en_name: str) -> list[Reason]:
    if code not in facts.active_solutions:
        return []
    return [Reason("already_active", f"El crédito ya tiene {es_name} en curso.",
                   f"The credit already has {en_name} in force.")]


def fund_used_up(facts: CreditFacts, terms: SolutionTerms) -> bool:
    """Whether the Fondo de Protección de Pagos is used up, as BCN and DCP ask (ASSUMED_TERMS "fpp_from"):
    no months left, or a credit without the fund, or a borrower with a formal job (it covers unemployment)."""
    return (facts.employed or facts.origination_date < terms.fpp_from
            or facts.fpp_months_used_last_5_years >= FPP_MAX_MONTHS)


def fund_not_used_up(facts: CreditFacts) -> Reason:
    left = FPP_MAX_MONTHS - facts.fpp_months_used_last_5_years
    return Reason(
        "unemployment_fund_available",
        f"Primero debe usarse el Fondo de Protección de Pagos (seguro de desempleo): le quedan {left} meses.",
        f"The Fondo de Protección de Pagos (unemployment cover) must be used first: {left} months are left.")
