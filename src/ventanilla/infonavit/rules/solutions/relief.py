"""Solutions that lower or suspend the monthly payment for a while: Apoyo a Jubilados, Dictamen de Capacidad de
Pago (DCP), Solución a tu Medida (STM), Paro técnico, Fondo de Protección de Pagos (FPP) and Prórroga.

Source: shared/domain/infonavit.md, "Relief solutions" (one row each); seed 001 for Apoyo a Jubilados
("la mensualidad del crédito se ajusta al 25% de la pensión mensual ... más los seguros y comisiones";
VSM credits eligible too). Each `monthly_payment` answered is what the borrower pays a month, insurance and
fees included; `months` how long it lasts.
"""

from datetime import date
from decimal import Decimal

from ventanilla.core.ages import birthday
from ventanilla.core.money import ZERO, to_centavos
from ventanilla.core.reasons import Reason, date_en, date_es, money, number
from ventanilla.infonavit.rules.solutions.base import (
    DEFAULT_TERMS,
    FPP_MAX_MONTHS,
    CreditFacts,
    SolutionResult,
    SolutionTerms,
    already_active,
    fund_not_used_up,
    fund_used_up,
    legal_proceedings,
    no_balance,
    result,
)
from ventanilla.reference.params import ParamSnapshot

JUBILADOS_PENSION_SHARE = Decimal("0.25")  # infonavit.md, Apoyo a Jubilados; seed 001: 25 % of the pension
JUBILADOS_MIN_PAYMENTS = 120  # Apoyo a Jubilados: ≥ 120 complete monthly payments
JUBILADOS_MAX_USES = 3  # Apoyo a Jubilados: at most 3 times

DCP_MONTHS = 12  # infonavit.md, DCP: lower payment for 12 months
DCP_MIN_CREDIT_YEARS = 1  # DCP: ≥ 1 year since the credit

STM_MONTHS = 12  # infonavit.md, STM: lower payment for 12 months, renewable if paid on time
STM_MIN_CREDIT_YEARS = 2  # STM: employed, credit ≥ 2 years; not employed, VSM credit ≥ 2 years
STM_MIN_MONTHS_IN_JOB = 6  # STM: employed, 6 months in the same job

PARO_TECNICO_REDUCTION = Decimal("0.25")  # infonavit.md, Paro técnico: payment −25 % ...
PARO_TECNICO_MONTHS = 12  # ... for up to 12 months

FPP_BORROWER_SHARE = Decimal("0.10")  # infonavit.md, FPP: borrower pays 10 %, fund 90 %
FPP_MIN_MONTHS_EMPLOYED = 6  # FPP: employed ≥ 6 months before
FPP_MIN_MONTHS_UNEMPLOYED = 1  # FPP: unemployed ≥ 1 month
FPP_MAX_MISSED = 9  # FPP: ≤ 9 overdue payments

PRORROGA_MONTHS_AT_A_TIME = 12  # infonavit.md, Prórroga: 12 months at a time ...
PRORROGA_MONTHS_TOTAL = 24  # ... 24 in total for credits from 1 Jul 1997 (12 consecutive before)
PRORROGA_TOTAL_FROM = date(1997, 7, 1)
PRORROGA_MAX_MISSED = 3  # Prórroga: ≤ 3 missed payments
PRORROGA_AUTOMATIC_FROM = date(2025, 4, 1)  # Prórroga: automatic since April 2025


def _credit_too_recent(facts: CreditFacts, years: int) -> list[Reason]:
    old_enough = birthday(facts.origination_date, years)
    if facts.as_of >= old_enough:
        return []
    es_years, en_years = ("un año", "a year") if years == 1 else (f"{years} años", f"{years} years")
    return [Reason("credit_too_recent",
                   f"El crédito debe tener al menos {es_years} (lo cumple el {date_es(old_enough)}).",
                   f"The credit must be at least {en_years} old (it will be on {date_en(old_enough)}).")]


def _income_not_lower(facts: CreditFacts) -> list[Reason]:
    """DCP and STM ask for a lower income than at origination; an unknown one is not shown (ASSUMED)."""
    if facts.income_at_origination is None:
        return [Reason("income_not_lower",
                       "Se requiere un ingreso menor que al obtener el crédito; no se indicó el ingreso de entonces.",
                       "An income lower than when the credit was granted is required; that income was not given.")]
    if facts.monthly_income < facts.income_at_origination:
        return []
    return [Reason(
        "income_not_lower",
        f"Se requiere un ingreso menor que al obtener el crédito ({money(facts.income_at_origination)} pesos); "
        f"es de {money(facts.monthly_income)}.",
        f"An income lower than when the credit was granted ({money(facts.income_at_origination)} pesos) is "
        f"required; it is {money(facts.monthly_income)}.")]


def _share_of_installment(facts: CreditFacts, share: Decimal) -> Decimal:
    return to_centavos(facts.installment * share)


# --- Apoyo a Jubilados --------------------------------------------------------------------------------

def apoyo_a_jubilados(facts: CreditFacts, params: ParamSnapshot,
                      terms: SolutionTerms = DEFAULT_TERMS) -> SolutionResult:
    """The installment becomes 25 % of the pension (to centavos) plus insurance and fees. Any credit, VSM
    included (seed 001; since Feb 2024). Ends when the borrower takes a formal job; at most 3 times."""
    reasons = no_balance(facts)
    # infonavit.md, Apoyo a Jubilados: retired or pensioned
    if facts.monthly_pension <= 0:
        reasons.append(Reason("no_pension", "Aplica a personas jubiladas o pensionadas con pensión mensual.",
                              "It applies to retired or pensioned borrowers with a monthly pension."))
    # Apoyo a Jubilados: not contributing to IMSS; ends with a formal job
    if facts.contributing_to_imss:
        reasons.append(Reason("contributing_to_imss", "La persona acreditada cotiza al IMSS.",
                              "The borrower contributes to IMSS."))
    if facts.employed:
        reasons.append(Reason("formal_job", "La persona acreditada tiene un empleo formal.",
                              "The borrower has a formal job."))
    # Apoyo a Jubilados: ≥ 120 complete monthly payments
    if facts.payments_made < JUBILADOS_MIN_PAYMENTS:
        reasons.append(Reason(
            "too_few_payments",
            f"Se requieren {JUBILADOS_MIN_PAYMENTS} mensualidades completas pagadas; hay {facts.payments_made}.",
            f"{JUBILADOS_MIN_PAYMENTS} complete monthly payments are required; there are {facts.payments_made}."))
    reasons += legal_proceedings(facts)
    # Apoyo a Jubilados: not about to be paid off (how near: ASSUMED, jubilados_payoff_months)
    if facts.remaining_months <= terms.jubilados_payoff_months:
        reasons.append(Reason(
            "about_to_be_paid_off",
            f"El crédito está por liquidarse: quedan {facts.remaining_months} mensualidades "
            f"({terms.jubilados_payoff_months} o menos).",
            f"The credit is about to be paid off: {facts.remaining_months} payments are left "
            f"({terms.jubilados_payoff_months} or fewer)."))
    # Apoyo a Jubilados: at most 3 times
    used = facts.uses_ever.get("JUBILADOS", 0)
    if used >= JUBILADOS_MAX_USES:
        reasons.append(Reason(
            "uses_exhausted", f"Se otorga hasta {JUBILADOS_MAX_USES} veces; ya se otorgó {used} veces.",
            f"It is granted up to {JUBILADOS_MAX_USES} times; it was granted {used} times."))
    reasons += already_active(facts, "JUBILADOS", "Apoyo a Jubilados", "Apoyo a Jubilados")
    # seed 001: 25 % of the monthly pension plus insurance and fees
    payment = to_centavos(JUBILADOS_PENSION_SHARE * facts.monthly_pension) + facts.monthly_insurance_and_fees
    # ASSUMED (ASSUMED_TERMS "jubilados_payoff_months"): offered only when it lowers the installment
    if facts.monthly_pension > 0 and payment >= facts.installment:
        reasons.append(Reason(
            "no_reduction",
            f"El 25 % de la pensión más seguros y comisiones ({money(payment)} pesos) no es menor que la "
            f"mensualidad actual ({money(facts.installment)}).",
            f"25 % of the pension plus insurance and fees ({money(payment)} pesos) is not less than the "
            f"current installment ({money(facts.installment)})."))
    if reasons:
        return result("JUBILADOS", reasons, {}, {})
    return result("JUBILADOS", [], {"monthly_payment": payment},
                  {"monthly_payment": payment, "ends_on_formal_job": True,
                   "uses_left": JUBILADOS_MAX_USES - used - 1})


# --- Dictamen de Capacidad de Pago ---------------------------------------------------------------------

def dictamen_capacidad_de_pago(facts: CreditFacts, params: ParamSnapshot,
                               terms: SolutionTerms = DEFAULT_TERMS) -> SolutionResult:
    """DCP: a lower installment for 12 months (the share is ASSUMED), Infonavit covers the rest; a missed
    payment ends it. The note's conditions are read as: (lower income or no formal job) and a credit at least
    a year old and, without a job, the unemployment fund used up (ASSUMED_TERMS "dcp_payment_share")."""
    reasons = no_balance(facts)
    # infonavit.md, DCP: lower income, or no formal job
    if facts.employed:
        reasons += _income_not_lower(facts)
    # DCP: ≥ 1 year since the credit
    reasons += _credit_too_recent(facts, DCP_MIN_CREDIT_YEARS)
    # DCP: unemployment fund used up
    if not fund_used_up(facts, terms):
        reasons.append(fund_not_used_up(facts))
    reasons += already_active(facts, "DCP", "un Dictamen de Capacidad de Pago", "a Dictamen de Capacidad de Pago")
    if reasons:
        return result("DCP", reasons, {}, {})
    payment = _share_of_installment(facts, terms.dcp_payment_share)
    return result("DCP", [], {"monthly_payment": payment},
                  {"monthly_payment": payment, "months": DCP_MONTHS, "infonavit_covers": facts.installment - payment,
                   "ends_on_missed_payment": True})


# --- Solución a tu Medida -----------------------------------------------------------------------------

def solucion_a_tu_medida(facts: CreditFacts, params: ParamSnapshot,
                         terms: SolutionTerms = DEFAULT_TERMS) -> SolutionResult:
    """STM: a lower installment for 12 months (the share is ASSUMED), renewable if paid on time."""
    reasons = no_balance(facts)
    if facts.employed:
        # infonavit.md, STM employed: credit ≥ 2 years, 6 months in the same job, income below origination's
        reasons += _credit_too_recent(facts, STM_MIN_CREDIT_YEARS)
        months = facts.months_in_current_job
        if months is None:
            reasons.append(Reason(
                "too_few_months_in_job",
                f"Se requieren {STM_MIN_MONTHS_IN_JOB} meses en el mismo empleo; no se indicó la antigüedad.",
                f"{STM_MIN_MONTHS_IN_JOB} months in the same job are required; the time in the job was not given."))
        elif months < STM_MIN_MONTHS_IN_JOB:
            reasons.append(Reason(
                "too_few_months_in_job",
                f"Se requieren {STM_MIN_MONTHS_IN_JOB} meses en el mismo empleo; hay {months}.",
                f"{STM_MIN_MONTHS_IN_JOB} months in the same job are required; there are {months}."))
        reasons += _income_not_lower(facts)
    elif facts.denomination == "vsm":
        # STM not employed: a VSM credit ≥ 2 years old, or any pesos credit
        reasons += _credit_too_recent(facts, STM_MIN_CREDIT_YEARS)
    renewal = "STM" in facts.active_solutions
    # STM: renewable if paid on time
    if renewal and facts.missed_payments > 0:
        reasons.append(Reason(
            "not_paid_on_time",
            f"Se renueva solo si se pagó a tiempo; hay {facts.missed_payments} pagos omitidos.",
            f"It renews only when paid on time; there are {facts.missed_payments} missed payments."))
    if reasons:
        return result("STM", reasons, {}, {})
    payment = _share_of_installment(facts, terms.stm_payment_share)
    return result("STM", [], {"monthly_payment": payment},
                  {"monthly_payment": payment, "months": STM_MONTHS, "renewal": renewal})


# --- Paro técnico -------------------------------------------------------------------------------------

def paro_tecnico(facts: CreditFacts, params: ParamSnapshot,
                 terms: SolutionTerms = DEFAULT_TERMS) -> SolutionResult:
    """Paro técnico (temporary stoppage by the employer): the installment −25 %, for up to 12 months."""
    reasons = no_balance(facts)
    # infonavit.md, Paro técnico: credit current
    if facts.missed_payments > 0:
        reasons.append(Reason(
            "payments_overdue", f"El crédito debe estar al corriente; hay {facts.missed_payments} pagos omitidos.",
            f"The credit must be up to date; there are {facts.missed_payments} missed payments."))
    # Paro técnico: no active restructure (which codes count: ASSUMED, restructure_codes)
    restructures = sorted(facts.active_solutions & terms.restructure_codes)
    if restructures:
        listed = ", ".join(restructures)
        reasons.append(Reason("active_restructure", f"El crédito tiene una reestructura en curso ({listed}).",
                              f"The credit has a restructure in force ({listed})."))
    # Paro técnico: employer's agreement filed
    if not facts.employer_agreement_filed:
        reasons.append(Reason(
            "no_employer_agreement", "Falta el convenio de paro técnico presentado por el patrón.",
            "The employer's paro técnico agreement has not been filed."))
    if reasons:
        return result("PARO_TECNICO", reasons, {}, {})
    payment = _share_of_installment(facts, 1 - PARO_TECNICO_REDUCTION)
    return result("PARO_TECNICO", [], {"monthly_payment": payment},
                  {"monthly_payment": payment, "months": PARO_TECNICO_MONTHS})


# --- Fondo de Protección de Pagos ---------------------------------------------------------------------

def fondo_de_proteccion_de_pagos(facts: CreditFacts, params: ParamSnapshot,
                                 terms: SolutionTerms = DEFAULT_TERMS) -> SolutionResult:
    """FPP (unemployment cover): the borrower pays 10 % of the installment (to centavos), the fund the rest,
    for the months left of 6 every 5 years."""
    reasons = no_balance(facts)
    # infonavit.md, FPP: credits from 2009 (the day: ASSUMED, fpp_from)
    if facts.origination_date < terms.fpp_from:
        reasons.append(Reason(
            "credit_without_fund",
            f"El Fondo de Protección de Pagos cubre créditos otorgados desde el {date_es(terms.fpp_from)}.",
            f"The Fondo de Protección de Pagos covers credits granted from {date_en(terms.fpp_from)}."))
    if facts.employed:
        reasons.append(Reason("employed", "La persona acreditada tiene un empleo formal.",
                              "The borrower has a formal job."))
    else:
        # FPP: unemployed ≥ 1 month
        months = facts.months_unemployed
        if months is None or months < FPP_MIN_MONTHS_UNEMPLOYED:
            have_es = "no se indicó desde cuándo" if months is None else f"lleva {months}"
            have_en = "how long was not given" if months is None else f"it has been {months}"
            reasons.append(Reason(
                "too_soon_unemployed",
                f"Se requiere al menos {FPP_MIN_MONTHS_UNEMPLOYED} mes sin empleo formal; {have_es}.",
                f"At least {FPP_MIN_MONTHS_UNEMPLOYED} month without a formal job is required; {have_en}."))
        # FPP: employed ≥ 6 months before
        worked = facts.months_employed_before_job_loss
        if worked is None or worked < FPP_MIN_MONTHS_EMPLOYED:
            have_es = "no se indicó" if worked is None else f"fueron {worked}"
            have_en = "it was not given" if worked is None else f"there were {worked}"
            reasons.append(Reason(
                "too_short_employment",
                f"Se requieren {FPP_MIN_MONTHS_EMPLOYED} meses de empleo formal antes de perderlo; {have_es}.",
                f"{FPP_MIN_MONTHS_EMPLOYED} months of formal employment before losing it are required; {have_en}."))
    # FPP: ≤ 9 overdue payments
    if facts.missed_payments > FPP_MAX_MISSED:
        reasons.append(Reason(
            "too_many_missed_payments",
            f"Aplica con hasta {FPP_MAX_MISSED} pagos vencidos; hay {facts.missed_payments}.",
            f"It applies with up to {FPP_MAX_MISSED} overdue payments; there are {facts.missed_payments}."))
    # FPP: no active solution
    if facts.active_solutions:
        listed = ", ".join(sorted(facts.active_solutions))
        reasons.append(Reason("active_solution", f"El crédito tiene otra solución en curso ({listed}).",
                              f"The credit has another solution in force ({listed})."))
    # FPP: up to 6 months every 5 years
    used = facts.fpp_months_used_last_5_years
    if used >= FPP_MAX_MONTHS:
        reasons.append(Reason(
            "fund_used_up",
            f"El fondo cubre hasta {FPP_MAX_MONTHS} meses cada 5 años; ya cubrió {used}.",
            f"The fund covers up to {FPP_MAX_MONTHS} months every 5 years; it has covered {used}."))
    if reasons:
        return result("FPP", reasons, {}, {})
    payment = _share_of_installment(facts, FPP_BORROWER_SHARE)
    months = FPP_MAX_MONTHS - used
    return result("FPP", [], {"monthly_payment": payment, "months": Decimal(months)},
                  {"monthly_payment": payment, "months": months, "fund_pays": facts.installment - payment})


# --- Prórroga -----------------------------------------------------------------------------------------

def prorroga(facts: CreditFacts, params: ParamSnapshot, terms: SolutionTerms = DEFAULT_TERMS) -> SolutionResult:
    """Prórroga: payments suspended while unemployed, without interest; 12 months at a time, 24 in total for
    credits from 1 Jul 1997 (12 at a time before, no total given by the note)."""
    reasons = no_balance(facts)
    # infonavit.md, Prórroga: while unemployed
    if facts.employed:
        reasons.append(Reason("employed", "La prórroga es para quien no tiene empleo formal.",
                              "The extension is for borrowers without a formal job."))
    # Prórroga: ≤ 3 missed payments
    if facts.missed_payments > PRORROGA_MAX_MISSED:
        reasons.append(Reason(
            "too_many_missed_payments",
            f"Aplica con hasta {PRORROGA_MAX_MISSED} pagos omitidos; hay {facts.missed_payments}.",
            f"It applies with up to {PRORROGA_MAX_MISSED} missed payments; there are {facts.missed_payments}."))
    reasons += already_active(facts, "PRORROGA", "una prórroga", "an extension")
    months = PRORROGA_MONTHS_AT_A_TIME
    # Prórroga: 24 months in total for credits from 1 Jul 1997
    if facts.origination_date >= PRORROGA_TOTAL_FROM:
        left = PRORROGA_MONTHS_TOTAL - facts.prorroga_months_used
        if left <= 0:
            reasons.append(Reason(
                "months_exhausted",
                f"Las prórrogas suman hasta {PRORROGA_MONTHS_TOTAL} meses; ya se usaron "
                f"{number(facts.prorroga_months_used)}.",
                f"Extensions add up to {PRORROGA_MONTHS_TOTAL} months at most; "
                f"{number(facts.prorroga_months_used)} have been used."))
        months = min(months, left)
    if reasons:
        return result("PRORROGA", reasons, {}, {})
    return result("PRORROGA", [], {"months": Decimal(months), "monthly_payment": ZERO},
                  {"months": months, "monthly_payment": ZERO, "interest_accrues": False,
                   "automatic": facts.as_of >= PRORROGA_AUTOMATIC_FROM})
