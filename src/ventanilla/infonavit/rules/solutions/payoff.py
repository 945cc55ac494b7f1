"""Descuento por Liquidación Anticipada (DLA): 50 % off the balance of a credit that is nearly paid off, for
one exact payment within the month.

Source: shared/domain/infonavit.md, "Relief solutions" (DLA row); seed 001 ("un saldo restante del 25% o
menos a su deuda inicial, pueden recibir un descuento del 50%"; 8,000+ DLA beneficiaries in Michoacán).
"""

from dataclasses import dataclass
from decimal import Decimal

from ventanilla.core.calendar import last_business_day
from ventanilla.core.money import ZERO, to_centavos
from ventanilla.core.reasons import Reason, money
from ventanilla.infonavit.rules.solutions.base import (
    DEFAULT_TERMS,
    CreditFacts,
    SolutionResult,
    SolutionTerms,
    is_cofinanced,
    no_balance,
    result,
)
from ventanilla.reference.params import ParamSnapshot

DLA_DISCOUNT = Decimal("0.50")  # shared/domain/infonavit.md, DLA; seed 001: 50 % off the current balance
DLA_MAX_BALANCE_SHARE = Decimal("0.25")  # DLA; seed 001: remaining balance ≤ 25 % of the original credit
DLA_SHOWN_FROM_DAY = 10  # DLA: balances checked on the 1st, amounts published from the 10th


def early_payoff_discount(facts: CreditFacts, params: ParamSnapshot,
                          terms: SolutionTerms = DEFAULT_TERMS) -> SolutionResult:
    """DLA. The caller passes the balance of the 1st of the month (the amount is fixed on the 1st).

    amount_to_pay = half the balance, rounded half-up to centavos (the figure published and paid exactly);
    discount = balance − amount_to_pay, so the two always add up to the balance.
    """
    reasons = no_balance(facts)
    # DLA: Crédito Infonavit tradicional only; cofinanced: Infonavit part only (products: ASSUMED)
    if facts.product not in terms.dla_products:
        reasons.append(Reason(
            "product_excluded",
            "El descuento por liquidación anticipada aplica solo al Crédito Infonavit tradicional (en "
            "créditos cofinanciados, a la parte Infonavit).",
            "The early-payoff discount applies to Crédito Infonavit tradicional only (in cofinanced "
            "credits, to Infonavit's part)."))
    # DLA; seed 001: balance ≤ 25 % of the original credit (in pesos, VSM credits too: ASSUMED)
    limit = DLA_MAX_BALANCE_SHARE * facts.amount_lent
    if facts.balance > limit:
        reasons.append(Reason(
            "balance_above_quarter",
            f"El saldo debe ser de hasta el 25 % del monto otorgado ({money(to_centavos(limit))} pesos); es "
            f"de {money(facts.balance)}.",
            f"The balance must be at most 25 % of the amount lent ({money(to_centavos(limit))} pesos); it is "
            f"{money(facts.balance)}."))
    if reasons:
        return result("DLA", reasons, {}, {})
    amount_to_pay = to_centavos(facts.balance * (1 - DLA_DISCOUNT))
    discount = facts.balance - amount_to_pay
    first = facts.as_of.replace(day=1)
    new_terms = {
        "fixed_on": first,
        "shown_from": first.replace(day=DLA_SHOWN_FROM_DAY),
        "pay_by": last_business_day(first.year, first.month),  # DLA: by the last business day of the month
        "single_exact_payment": True,
        "infonavit_part_only": is_cofinanced(facts),
    }
    return result("DLA", [], {"discount": discount, "amount_to_pay": amount_to_pay}, new_terms)


@dataclass(frozen=True)
class DlaPaymentOutcome:
    """How one payment made in the DLA month is treated.

    kind: "exact" (settles with the discount), "less" (ordinary payment, no discount), "more" (settles
    with the discount, the excess is not refunded), "full_balance" (the undiscounted balance or more:
    ordinary payment, no benefit).
    """

    kind: str
    with_discount: bool  # the payment settles the credit with the DLA discount
    discount: Decimal  # the discount to post (balance − eligible amount), 0 without one
    settlement: Decimal  # the part of the payment that settles the credit, 0 without the discount
    ordinary_payment: Decimal  # what is posted as an ordinary payment, 0 with the discount
    not_refunded: Decimal  # paid above the eligible amount and kept ("more"), 0 otherwise


def dla_payment_outcome(eligible_amount: Decimal, balance: Decimal, paid: Decimal) -> DlaPaymentOutcome:
    """The DLA rule for a payment (shared/domain/infonavit.md, DLA): exact → settles with the discount;
    less → ordinary payment; more → settles, the excess not refunded; the full undiscounted balance (or
    more) → ordinary payment, no benefit (what exceeds the balance is the ledger's usual overpayment)."""
    for name, value in (("eligible_amount", eligible_amount), ("balance", balance), ("paid", paid)):
        if isinstance(value, float):
            raise TypeError(f"{name} must be a Decimal, not a float")
    eligible_amount, balance, paid = Decimal(eligible_amount), Decimal(balance), Decimal(paid)
    if not ZERO < eligible_amount <= balance:
        raise ValueError("eligible_amount must be above zero and not above the balance")
    if paid <= 0:
        raise ValueError("paid must be above zero")
    discount = balance - eligible_amount
    if paid >= balance:
        return DlaPaymentOutcome("full_balance", False, ZERO, ZERO, paid, ZERO)
    if paid < eligible_amount:
        return DlaPaymentOutcome("less", False, ZERO, ZERO, paid, ZERO)
    if paid == eligible_amount:
        return DlaPaymentOutcome("exact", True, discount, paid, ZERO, ZERO)
    return DlaPaymentOutcome("more", True, discount, eligible_amount, ZERO, paid - eligible_amount)
