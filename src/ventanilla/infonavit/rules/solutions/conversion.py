"""Responsabilidad Compartida (RC): a VSM credit becomes a pesos credit with a fixed balance, payment and rate,
no more yearly adjustment, and usually a discount on the balance.

Source: shared/domain/infonavit.md, "Relief solutions" (2019 rules; permanent online programme since May
2022); seed 001 (26,300 RC restructures in Michoacán by June 2024). The discount formula and the rate by
income are not public: SolutionTerms holds the assumed ones (issue 4's default).
"""

from datetime import date, timedelta
from decimal import Decimal

from ventanilla.core.ages import age_on, birthday
from ventanilla.core.calendar import add_months
from ventanilla.core.money import to_centavos
from ventanilla.core.reasons import Reason, date_en, date_es, money, number
from ventanilla.infonavit.rules.solutions.base import (
    DEFAULT_TERMS,
    CreditFacts,
    SolutionResult,
    SolutionTerms,
    is_cofinanced,
    no_balance,
    present_value,
    result,
)
from ventanilla.reference.params import ParamSnapshot

RC_MAX_INCOME_SM = 4  # shared/domain/infonavit.md, RC 2019 rules: income ≤ 4 SM
RC_MIN_CONTINUOUS_PAYMENTS = 24  # RC 2019 rules: ≥ 24 months of continuous payments
RC_MIN_CREDIT_YEARS = 15  # RC 2019 rules: credit ≥ 15 years old
RC_DEBT_OVER_LENT = Decimal("1.5")  # RC 2019 rules: debt > 1.5 × the amount lent
RC_WINDOW_SINCE = date(2022, 5, 1)  # RC: permanent online programme since May 2022 ...
RC_WINDOW_FIRST_DAY = 9  # ... applied for from the 9th to the last day of each month


def rc_rate(facts: CreditFacts, params: ParamSnapshot, terms: SolutionTerms = DEFAULT_TERMS) -> Decimal:
    """The fixed rate of the converted credit: the band of the monthly income in monthly UMA (ASSUMED
    table, SolutionTerms.rc_rate_bands), never above the current rate (ASSUMED)."""
    income_in_uma = facts.monthly_income / params.require("uma_monthly")
    rate = next(band.rate for band in terms.rc_rate_bands if band.upper is None or income_in_uma <= band.upper)
    if terms.rc_rate_not_above_current:
        rate = min(rate, facts.rate)
    return rate


def continuous_payments(facts: CreditFacts) -> int:
    # ASSUMED_TERMS "rc_continuous_payments": without the history, the payments made when none is overdue
    if facts.consecutive_payments is not None:
        return facts.consecutive_payments
    return facts.payments_made if facts.missed_payments == 0 else 0


def responsabilidad_compartida(facts: CreditFacts, params: ParamSnapshot,
                               terms: SolutionTerms = DEFAULT_TERMS) -> SolutionResult:
    """RC: eligibility by the 2019 rules and the window since 2022; amounts by the assumed default:
    new_balance = present value of the remaining payments (payment fixed at the last one, rate by income
    band), discount = balance − new_balance, never negative."""
    reasons = no_balance(facts)
    # shared/domain/infonavit.md, RC 2019 rules: a VSM Crédito Tradicional ...
    if facts.denomination != "vsm":
        reasons.append(Reason("not_vsm", "Solo se convierten créditos en veces salario mínimo (VSM).",
                              "Only credits in multiples of the minimum wage (VSM) convert."))
    if facts.product != "tradicional":
        reasons.append(Reason("not_tradicional", "Solo aplica al Crédito Infonavit tradicional.",
                              "It applies to Crédito Infonavit tradicional only."))
    # RC since 2022: cofinanced VSM credits cannot convert
    if is_cofinanced(facts):
        reasons.append(Reason("cofinanced", "Los créditos cofinanciados no pueden convertirse a pesos.",
                              "Cofinanced credits cannot convert to pesos."))
    # RC 2019 rules: borrower older than 40 (ASSUMED reading: from the 40th birthday, SolutionTerms.rc_min_age)
    if facts.as_of < birthday(facts.borrower_birth_date, terms.rc_min_age):
        age = age_on(facts.borrower_birth_date, facts.as_of)
        reasons.append(Reason(
            "too_young", f"La persona acreditada debe tener al menos {terms.rc_min_age} años; tiene {age}.",
            f"The borrower must be at least {terms.rc_min_age} years old; they are {age}."))
    # RC 2019 rules: income ≤ 4 SM (monthly SM = daily × 30.4, general zone: ASSUMED, days_per_month)
    income_limit = RC_MAX_INCOME_SM * params.sm_general * terms.days_per_month
    if facts.monthly_income > income_limit:
        reasons.append(Reason(
            "income_too_high",
            f"El ingreso mensual debe ser de hasta {RC_MAX_INCOME_SM} salarios mínimos "
            f"({money(to_centavos(income_limit))} pesos); es de {money(facts.monthly_income)}.",
            f"Monthly income must be at most {RC_MAX_INCOME_SM} minimum wages "
            f"({money(to_centavos(income_limit))} pesos); it is {money(facts.monthly_income)}."))
    # RC 2019 rules: ≥ 24 months of continuous payments
    streak = continuous_payments(facts)
    if streak < RC_MIN_CONTINUOUS_PAYMENTS:
        reasons.append(Reason(
            "too_few_continuous_payments",
            f"Se requieren {RC_MIN_CONTINUOUS_PAYMENTS} pagos mensuales continuos; hay {streak}.",
            f"{RC_MIN_CONTINUOUS_PAYMENTS} monthly payments in a row are required; there are {streak}."))
    # RC 2019 rules: credit ≥ 15 years old
    old_enough = birthday(facts.origination_date, RC_MIN_CREDIT_YEARS)
    if facts.as_of < old_enough:
        reasons.append(Reason(
            "credit_too_recent",
            f"El crédito debe tener al menos {RC_MIN_CREDIT_YEARS} años (los cumple el {date_es(old_enough)}).",
            f"The credit must be at least {RC_MIN_CREDIT_YEARS} years old (it will be on {date_en(old_enough)})."))
    # RC 2019 rules: debt > 1.5 × the amount lent
    debt_floor = to_centavos(RC_DEBT_OVER_LENT * facts.amount_lent)
    if facts.balance <= RC_DEBT_OVER_LENT * facts.amount_lent:
        reasons.append(Reason(
            "debt_not_high_enough",
            f"La deuda debe ser mayor que {number(RC_DEBT_OVER_LENT)} veces el monto otorgado "
            f"({money(debt_floor)} pesos); es de {money(facts.balance)}.",
            f"The debt must be more than {number(RC_DEBT_OVER_LENT)} times the amount lent "
            f"({money(debt_floor)} pesos); it is {money(facts.balance)}."))
    # RC since May 2022: applied for from the 9th to the last day of each month
    window_opens = facts.as_of.replace(day=RC_WINDOW_FIRST_DAY)
    if facts.as_of >= RC_WINDOW_SINCE and facts.as_of < window_opens:
        reasons.append(Reason(
            "outside_window",
            f"Se solicita del {RC_WINDOW_FIRST_DAY} al último día de cada mes; podrá solicitarse desde el "
            f"{date_es(window_opens)}.",
            f"It is applied for from the {RC_WINDOW_FIRST_DAY}th to the last day of each month; it opens on "
            f"{date_en(window_opens)}."))
    # RC since 2022: an active restructure must be cancelled first (which codes count: ASSUMED)
    restructures = sorted(facts.active_solutions & terms.restructure_codes)
    if restructures:
        listed = ", ".join(restructures)
        reasons.append(Reason(
            "active_restructure", f"Primero debe cancelarse la reestructura en curso ({listed}).",
            f"The restructure in force ({listed}) must be cancelled first."))
    # issue 4's default: repaid within the remaining term, so there must be one
    if facts.remaining_months == 0:
        reasons.append(Reason("no_remaining_term", "No quedan mensualidades en el plazo del crédito.",
                              "No monthly payments are left in the credit's term."))
    # issue 4's default fixes the payment at the last one: without one, nothing would be repaid
    if facts.monthly_payment == 0:
        reasons.append(Reason("no_monthly_payment",
                              "La conversión fija el pago en el último pago mensual, y el crédito no tiene uno.",
                              "The conversion fixes the payment at the last monthly payment, and the credit "
                              "has none."))
    if reasons:
        return result("RC", reasons, {}, {})

    # issue 4's default (ASSUMED, ASSUMED_TERMS "rc_discount"): the balance in pesos at today's VSM is what
    # is converted; the payment stays the last one; the new balance is what the remaining payments repay at
    # the band's rate, to centavos; the rest is discounted.
    rate = rc_rate(facts, params, terms)
    repayable = to_centavos(present_value(facts.monthly_payment, rate, facts.remaining_months))
    new_balance = min(facts.balance, repayable)
    discount = facts.balance - new_balance
    amounts = {"new_balance": new_balance, "discount": discount, "monthly_payment": facts.installment,
               "rate": rate}
    new_terms = {
        "denomination": "pesos", "balance": new_balance, "rate": rate,
        "monthly_payment": facts.monthly_payment,
        "monthly_insurance_and_fees": facts.monthly_insurance_and_fees,
        "remaining_months": facts.remaining_months, "yearly_adjustment": False,
        "apply_by": add_months(facts.as_of.replace(day=1), 1) - timedelta(days=1),  # the month's last day
    }
    return result("RC", [], amounts, new_terms)
