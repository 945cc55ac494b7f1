"""Borrón y Cuenta Nueva (BCN): missed payments are added to the balance, the monthly payment stays, and
keeping up earns a reward.

Source: shared/domain/infonavit.md, "Relief solutions" (BCN row); seed 001 ("los pagos atrasados se suman
al total de la deuda ... se puede obtener un beneficio económico para reducir la deuda").
"""

from decimal import Decimal

from ventanilla.core.money import to_centavos
from ventanilla.core.reasons import Reason, money
from ventanilla.infonavit.rules.solutions.base import (
    DEFAULT_TERMS,
    CreditFacts,
    SolutionResult,
    SolutionTerms,
    fund_not_used_up,
    fund_used_up,
    legal_proceedings,
    no_balance,
    present_value,
    result,
)
from ventanilla.reference.params import ParamSnapshot

BCN_MIN_MISSED = 1  # shared/domain/infonavit.md, BCN: 1-9 missed payments
BCN_MAX_MISSED = 9
BCN_ONE_PAYMENT_REWARD_MAX_MISSED = 2  # BCN: 1-2 missed → one monthly payment credited to capital
BCN_MIN_MONTHS_LEFT = 12  # BCN: ≥ 12 payments left
BCN_MAX_USES_PER_YEAR = 2  # BCN: at most twice a year
BCN_INDEPENDENT_PAYMENTS_FOR_REWARD = 3  # BCN: 3 consecutive full payments for independents


def reward_by_employer_payment(facts: CreditFacts) -> bool:
    """Whether the BCN reward comes after a full bimonthly employer payment (payroll discount) rather than 3
    consecutive full payments of the borrower's own (shared/domain/infonavit.md, BCN): the credit's regime
    when known, else the declared formal job (ASSUMED: who has one is repaid by payroll)."""
    return facts.payroll if facts.payroll is not None else facts.employed


def estimated_arrears(facts: CreditFacts) -> Decimal:
    # ASSUMED_TERMS "bcn_arrears_estimate": missed installments, no default interest, never above the balance
    if facts.arrears is not None:
        return min(facts.arrears, facts.balance)
    return min(facts.missed_payments * facts.installment, facts.balance)


def bcn_reward(facts: CreditFacts) -> Decimal:
    """The reward for keeping up after BCN (shared/domain/infonavit.md, BCN), to centavos, never above the
    balance: 1-2 missed → one monthly payment without insurance and fees; 3-9 missed → the interest generated
    from the 3rd missed payment on, plus the insurance and fees owed (ledger figures, or estimates:
    ASSUMED_TERMS "bcn_reward_estimate")."""
    if facts.missed_payments <= BCN_ONE_PAYMENT_REWARD_MAX_MISSED:
        reward = facts.monthly_payment
    else:
        interest = facts.arrears_interest_from_third_missed
        if interest is None:
            interest = (facts.missed_payments - BCN_ONE_PAYMENT_REWARD_MAX_MISSED) * facts.balance * facts.rate / 1200
        fees = facts.arrears_insurance_and_fees
        if fees is None:
            fees = facts.missed_payments * facts.monthly_insurance_and_fees
        reward = interest + fees
    return min(to_centavos(reward), facts.balance)


def borron_y_cuenta_nueva(facts: CreditFacts, params: ParamSnapshot,
                          terms: SolutionTerms = DEFAULT_TERMS) -> SolutionResult:
    """BCN: `capitalized` is the overdue amount moved into the balance to be repaid (the balance owed does
    not change: arrears are already part of it); `reward` what keeping up will credit to capital."""
    reasons = no_balance(facts)
    # shared/domain/infonavit.md, BCN: 1-9 missed payments
    if facts.missed_payments < BCN_MIN_MISSED:
        reasons.append(Reason("no_missed_payments", "El crédito no tiene pagos omitidos.",
                              "The credit has no missed payments."))
    elif facts.missed_payments > BCN_MAX_MISSED:
        reasons.append(Reason(
            "too_many_missed_payments",
            f"Aplica con hasta {BCN_MAX_MISSED} pagos omitidos; hay {facts.missed_payments}.",
            f"It applies with up to {BCN_MAX_MISSED} missed payments; there are {facts.missed_payments}."))
    # BCN: unemployment fund used up (how it is read: ASSUMED_TERMS "fpp_from")
    if not fund_used_up(facts, terms):
        reasons.append(fund_not_used_up(facts))
    # BCN: payable within the original term with the monthly payment unchanged
    repayable = to_centavos(present_value(facts.monthly_payment, facts.rate, facts.remaining_months))
    if repayable < facts.balance:
        reasons.append(Reason(
            "not_payable_within_term",
            f"Con el pago mensual actual, las {facts.remaining_months} mensualidades que quedan cubren "
            f"{money(repayable)} pesos, menos que el saldo de {money(facts.balance)}.",
            f"At the current monthly payment, the {facts.remaining_months} payments left cover "
            f"{money(repayable)} pesos, less than the balance of {money(facts.balance)}."))
    # BCN: ≥ 12 payments left
    if facts.remaining_months < BCN_MIN_MONTHS_LEFT:
        reasons.append(Reason(
            "too_few_months_left",
            f"Deben quedar al menos {BCN_MIN_MONTHS_LEFT} mensualidades; quedan {facts.remaining_months}.",
            f"At least {BCN_MIN_MONTHS_LEFT} monthly payments must be left; {facts.remaining_months} are."))
    # BCN: no legal proceedings
    reasons += legal_proceedings(facts)
    # BCN: no other active solution
    if facts.active_solutions:
        listed = ", ".join(sorted(facts.active_solutions))
        reasons.append(Reason("active_solution", f"El crédito tiene otra solución en curso ({listed}).",
                              f"The credit has another solution in force ({listed})."))
    # BCN: at most twice a year
    used = facts.uses_last_12_months.get("BCN", 0)
    if used >= BCN_MAX_USES_PER_YEAR:
        reasons.append(Reason(
            "uses_exhausted",
            f"Se otorga hasta {BCN_MAX_USES_PER_YEAR} veces en 12 meses; ya se otorgó {used} veces.",
            f"It is granted up to {BCN_MAX_USES_PER_YEAR} times in 12 months; it was granted {used} times."))
    if reasons:
        return result("BCN", reasons, {}, {})
    capitalized = to_centavos(estimated_arrears(facts))
    reward = bcn_reward(facts)
    new_terms = {
        "balance": facts.balance, "arrears": to_centavos(0), "monthly_payment": facts.monthly_payment,
        "monthly_insurance_and_fees": facts.monthly_insurance_and_fees,
        "remaining_months": facts.remaining_months,
        # BCN: reward after a full bimonthly employer payment, or 3 consecutive full payments for independents
        "reward_after": ("bimonthly_employer_payment" if reward_by_employer_payment(facts)
                         else "three_consecutive_payments"),
    }
    return result("BCN", [], {"capitalized": capitalized, "reward": reward}, new_terms)
