"""Devolución del saldo de la SCV (refund of the housing savings): who may have it, with reasons; when it
must be paid. Pure: no Django, no database, no clock.

Source: shared/domain/infonavit.md, "Devolución del saldo de la SCV": an IMSS pension resolution, or a pension
denial with incapacity of 50 % or more; no current Infonavit credit; an AFORE; a bank statement with an
18-digit CLABE in the worker's name, no older than 2 months; paid within 10 business days after approval;
heirs (spouse, children, parents) claim with a death certificate.

GAP (marked, not checked here): the note's "online: a valid e.firma". The portal has no e.firma (SAT) signature
check; a worker filing online is identified by the portal login only, and officers and staff file at the window.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ventanilla.core.calendar import add_business_days, add_months
from ventanilla.core.reasons import Reason, date_en, date_es, number

PENSION_RESOLUTION, PENSION_DENIAL = "pension_resolution", "pension_denial"
BASES = (PENSION_RESOLUTION, PENSION_DENIAL)
WORKER = "worker"
HEIRS = ("spouse", "child", "parent")
MIN_INCAPACITY_PERCENT = Decimal("50")  # domain note: denial for invalidez or incapacidad ≥ 50 %
STATEMENT_MAX_AGE_MONTHS = 2  # domain note: bank statement no older than 2 months
PAYMENT_BUSINESS_DAYS = 10  # domain note: paid within 10 business days after approval

# Documents each request needs (the death certificate and kinship only for heirs).
DOC_PENSION, DOC_BANK, DOC_DEATH = "pension_resolution", "bank_statement", "death_certificate"


@dataclass(frozen=True)
class RefundFacts:
    today: date
    claimant: str  # "worker" or an heir
    basis: str
    incapacity_percent: Decimal | None
    has_current_credit: bool
    afore: str
    clabe_valid: bool  # 18 digits with the Banxico check digit (core.identifiers.validate_clabe)
    bank_statement_date: date
    balance: Decimal
    documents: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class RefundDecision:
    eligible: bool
    reasons: tuple[Reason, ...]


def evaluate(facts: RefundFacts) -> RefundDecision:
    """Every unmet condition, each with its reason; eligible when there are none."""
    reasons: list[Reason] = []
    if facts.claimant != WORKER and facts.claimant not in HEIRS:
        reasons.append(Reason("claimant_not_allowed",
                              "Solo la persona trabajadora, su cónyuge, sus hijos o sus padres pueden solicitarla.",
                              "Only the worker, their spouse, children or parents may ask for it."))
    if facts.basis == PENSION_DENIAL:
        incapacity = facts.incapacity_percent
        if incapacity is None or incapacity < MIN_INCAPACITY_PERCENT:
            reasons.append(Reason(
                "incapacity_below_minimum",
                f"Con negativa de pensión se requiere una incapacidad de {number(MIN_INCAPACITY_PERCENT)} % o más.",
                f"With a pension denial, an incapacity of {number(MIN_INCAPACITY_PERCENT)} % or more is required."))
    elif facts.basis != PENSION_RESOLUTION:
        reasons.append(Reason("no_pension_basis",
                              "Se requiere una resolución de pensión del IMSS o una negativa de pensión.",
                              "An IMSS pension resolution or a pension denial is required."))
    if facts.has_current_credit:
        reasons.append(Reason("current_credit", "Tiene un crédito Infonavit vigente.",
                              "There is a current Infonavit credit."))
    if not facts.afore.strip():
        reasons.append(Reason("no_afore", "Se requiere la AFORE de la persona trabajadora.",
                              "The worker's AFORE is required."))
    if not facts.clabe_valid:
        reasons.append(Reason("clabe_invalid", "La CLABE debe tener 18 dígitos y un dígito verificador válido.",
                              "The CLABE must have 18 digits and a valid check digit."))
    oldest = add_months(facts.today, -STATEMENT_MAX_AGE_MONTHS)
    if facts.bank_statement_date < oldest:
        reasons.append(Reason(
            "bank_statement_too_old",
            f"El estado de cuenta debe ser del {date_es(oldest)} o posterior (máximo 2 meses).",
            f"The bank statement must be dated {date_en(oldest)} or later (2 months at most)."))
    elif facts.bank_statement_date > facts.today:
        reasons.append(Reason("bank_statement_future", "La fecha del estado de cuenta es posterior a hoy.",
                              "The bank statement is dated after today."))
    if facts.balance <= 0:
        reasons.append(Reason("nothing_to_refund", "La subcuenta de vivienda no tiene saldo.",
                              "The housing subaccount has no balance."))
    for kind in required_documents(facts.claimant):
        if kind not in facts.documents:
            reasons.append(Reason(f"missing_{kind}", f"Falta el documento: {DOCUMENT_NAMES[kind][0]}.",
                                  f"Missing document: {DOCUMENT_NAMES[kind][1]}."))
    return RefundDecision(not reasons, tuple(reasons))


DOCUMENT_NAMES = {
    DOC_PENSION: ("resolución o negativa de pensión", "pension resolution or denial"),
    DOC_BANK: ("estado de cuenta bancario", "bank statement"),
    DOC_DEATH: ("acta de defunción", "death certificate"),
}


def required_documents(claimant: str) -> tuple[str, ...]:
    return (DOC_PENSION, DOC_BANK) + ((DOC_DEATH,) if claimant in HEIRS else ())


def payment_deadline(approved_on: date) -> date:
    """The last day to pay: 10 business days (bank calendar) after the approval."""
    return add_business_days(approved_on, PAYMENT_BUSINESS_DAYS)


def is_overdue(due_on: date | None, today: date, paid: bool) -> bool:
    return due_on is not None and not paid and today > due_on
