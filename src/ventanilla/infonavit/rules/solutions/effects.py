"""What applying a relief solution does to a stored credit's ledger: the planned movements and the new terms,
as a pure function the preview shows and the service posts (no Django, no database, no clock).

Source: shared/domain/infonavit.md, "Relief solutions (Cobranza Social)" (one row per solution); issue 4,
"Applying a solution". Where the note does not say how a solution is booked, the reading is ASSUMED and
listed in EFFECT_ASSUMPTIONS.

    plan = solution_plan(result, facts, position)  # result: the solution's SolutionResult, eligible
    for planned in plan.movements: ...               # kind, movement (signed parts), note
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ventanilla.core.calendar import add_months
from ventanilla.core.money import ZERO
from ventanilla.core.reasons import Reason, date_en, date_es
from ventanilla.infonavit.rules.ledger import Movement, Position, allocate_payment
from ventanilla.infonavit.rules.solutions.arrears import (
    BCN_INDEPENDENT_PAYMENTS_FOR_REWARD,
    BCN_ONE_PAYMENT_REWARD_MAX_MISSED,
)
from ventanilla.infonavit.rules.solutions.base import CreditFacts, SolutionResult
from ventanilla.infonavit.rules.solutions.payoff import DLA_SHOWN_FROM_DAY

# Solutions whose money is forgiven at Infonavit's discretion wait for a second person (four eyes). The RC
# discount comes from a formula Infonavit does not publish (ASSUMED_TERMS "rc_discount") and is large. The
# DLA discount (a published 50 %, earned by paying the exact amount) and the BCN reward (a published rule,
# credited automatically when the borrower keeps up) need no one's judgement: no approval (our choice).
NEEDS_APPROVAL = frozenset({"RC"})

# Solutions that lower or suspend the payment for a while, and for how long (months) when the rule says.
PAYMENT_CHANGING = frozenset({"JUBILADOS", "DCP", "STM", "PARO_TECNICO", "FPP", "PRORROGA"})

EFFECT_ASSUMPTIONS = (
    Reason("rc_booking", "Responsabilidad Compartida: el descuento se registra como un movimiento de descuento "
           "(primero a capital) y la conversión como un movimiento sin importe que fija el pago; el crédito "
           "pasa a pesos con la nueva tasa y deja de actualizarse cada año.",
           "Responsabilidad Compartida: the discount is booked as a discount entry (capital first) and the "
           "conversion as an entry without amount that fixes the payment; the credit becomes a pesos credit "
           "at the new rate and is no longer adjusted every year."),
    Reason("bcn_booking", "Borrón y Cuenta Nueva: lo vencido pasa al saldo por pagar (sin cambiar el saldo) y "
           "la bonificación se acredita primero a capital (1-2 omitidos) o a seguros e intereses (3-9).",
           "Borrón y Cuenta Nueva: the overdue amount moves into the balance to be repaid (the balance does "
           "not change) and the reward goes to capital first (1-2 missed) or to insurance and interest (3-9)."),
    Reason("payment_share_booking", "Las soluciones que bajan el pago cambian el pago mensual vigente. Lo que "
           "cubre el Fondo de Protección de Pagos (90 %) o Infonavit con un Dictamen de Capacidad de Pago se "
           "registra cada mes, al generar los intereses, como un movimiento propio que se aplica como un pago "
           "(seguros, intereses, capital) sin cambiar lo exigible a la persona acreditada.",
           "Solutions that lower the payment change the monthly payment in force. What the Fondo de Protección "
           "de Pagos (90 %) or Infonavit under a Dictamen de Capacidad de Pago covers is booked every month, at "
           "the accrual, as an entry of its own applied like a payment (insurance, interest, capital) without "
           "changing what the borrower owes."),
    Reason("prorroga_booking", "Durante la prórroga no se cobran intereses, seguros ni mensualidad.",
           "During an extension no interest, insurance or installment is charged."),
)


@dataclass(frozen=True)
class PlannedMovement:
    """One ledger entry a solution posts: its kind (LedgerEntry.Kind value), signed parts and a note."""

    kind: str
    movement: Movement
    note: str = ""

    @property
    def amount(self) -> Decimal:
        return self.movement.amount


@dataclass(frozen=True)
class Plan:
    """Everything a solution changes when it takes effect on `starts_on`."""

    code: str
    movements: tuple[PlannedMovement, ...]
    monthly_payment: Decimal  # the payment in force afterwards, without insurance and fees
    starts_on: date
    ends_on: date | None  # the last day it is in force; None: until something ends it
    credit_changes: dict = field(default_factory=dict)  # RC: denomination, rate
    needs_approval: bool = False
    completes: bool = False  # done once posted (RC): nothing stays in force
    first_month: date | None = None  # payment-changing: the first month billed under the new terms

    @property
    def balance_change(self) -> Decimal:
        return sum((planned.amount for planned in self.movements), ZERO)


def forgiven(amount: Decimal, position: Position, *, capital_first: bool = True) -> Movement:
    """A discount or reward of `amount` (not above the balance) as a movement: it lowers the parts of the debt
    in the given order, and what is due only as far as the balance left requires (the amount due never
    exceeds the balance)."""
    if amount < 0:
        raise ValueError("a discount is not negative")
    amount = min(amount, max(position.balance, ZERO))
    order = ("capital", "interest", "insurance") if capital_first else ("insurance", "interest", "capital")
    left, parts = amount, {}
    for name in order:
        part = min(left, max(getattr(position, name), ZERO))
        parts[name] = -part
        left -= part
    if left > 0:  # a part is negative (an advance): take the rest from capital
        parts["capital"] -= left
    balance_after = position.balance - amount
    due = -max(position.due - balance_after, ZERO)
    return Movement(capital=parts["capital"], interest=parts["interest"], insurance=parts["insurance"], due=due)


def first_new_month(starts_on: date, last_accrued: date | None) -> date:
    """The first month whose installment new terms starting on `starts_on` bill: the start month, unless its
    installment was already billed (at the old terms): then the month after the last one billed."""
    month = starts_on.replace(day=1)
    if last_accrued is not None and last_accrued >= month:
        return add_months(last_accrued.replace(day=1), 1)
    return month


def _ends_on(first_month: date, months: int) -> date:
    """The last day of `months` monthly installments billed from `first_month` on."""
    return add_months(first_month, months) - timedelta(days=1)


def solution_plan(result: SolutionResult, facts: CreditFacts, position: Position,
                  last_accrued: date | None = None) -> Plan:
    """The plan of an eligible solution for a credit at `position` (its ledger folded) on facts.as_of;
    `last_accrued` is the latest month already billed (months are counted from the first one billed after)."""
    if not result.eligible:
        raise ValueError(f"{result.code} is not eligible: nothing to plan")
    code, amounts, terms, on = result.code, result.amounts, result.new_terms, facts.as_of
    fees = facts.monthly_insurance_and_fees
    if code == "RC":
        # shared/domain/infonavit.md, RC: to pesos, fixed balance, payment and rate, no yearly adjustment
        discount = amounts["discount"]
        movements = ()
        if discount > 0:
            movements = (PlannedMovement("discount", forgiven(discount, position), "RC"),)
        movements += (PlannedMovement("conversion", Movement(), f"RC {amounts['rate']} %"),)
        return Plan(code, movements, terms["monthly_payment"], on, None,
                    credit_changes={"denomination": "pesos", "rate": amounts["rate"]},
                    needs_approval=discount > 0, completes=True)
    if code == "DLA":
        # DLA: nothing moves until the exact payment of the month arrives (services.record_payment)
        return Plan(code, (), facts.monthly_payment, on, terms["pay_by"])
    if code == "BCN":
        # BCN: missed payments (with interest) added to the balance to be repaid: no longer due, the
        # balance unchanged (it already holds them), the payment unchanged
        movements = (PlannedMovement("capitalized_arrears", Movement(due=-position.arrears), "BCN"),)
        return Plan(code, movements, facts.monthly_payment, on, None)
    if code not in PAYMENT_CHANGING:
        raise ValueError(f"unknown solution {code}")
    installment = amounts["monthly_payment"]  # what the borrower pays a month, insurance and fees included
    payment = max(installment - fees, ZERO) if code != "PRORROGA" else ZERO
    months = terms.get("months")
    first_month = first_new_month(on, last_accrued)
    ends_on = None if months is None else _ends_on(first_month, int(months))
    movements = (PlannedMovement("restructure", Movement(), code),)
    return Plan(code, movements, payment, on, ends_on, first_month=first_month)


# What a third party pays of the installment while the solution is in force, and the ledger kind it is booked
# as (shared/domain/infonavit.md, "solution | effect": FPP "borrower pays 10 %, fund 90 %"; DCP "lower payment
# for 12 months, Infonavit covers the rest"), with the key of the solution's new_terms that holds the amount.
COVERED_BY = {"FPP": ("covered_fpp", "fund_pays"), "DCP": ("covered_dcp", "infonavit_covers")}


def covered_movement(covered: Decimal, position: Position) -> Movement:
    """The month's covered part as a movement on the position after the month's accrual: applied like a payment
    (insurance and fees, interest, then capital) but leaving the amount due alone, since the borrower was only
    billed their own lowered payment. Never more than the part of the balance not yet due, so the amount due
    never exceeds the balance (the last months of a credit are covered only as far as it has left)."""
    amount = min(max(covered, ZERO), max(position.balance - max(position.due, ZERO), ZERO))
    if amount <= 0:
        return Movement()
    split = allocate_payment(amount, position)
    return Movement(capital=-split.capital, interest=-split.interest, insurance=-split.insurance)


def reward_movement(reward: Decimal, missed_when_applied: int, position: Position) -> Movement:
    """The BCN reward posted when the borrower kept up: 1-2 missed → to capital; 3-9 → the interest and the
    insurance and fees forgiven first (shared/domain/infonavit.md, BCN)."""
    return forgiven(reward, position, capital_first=missed_when_applied <= BCN_ONE_PAYMENT_REWARD_MAX_MISSED)


def dla_not_shown_yet(as_of: date) -> Reason | None:
    """DLA amounts are published from the 10th (shared/domain/infonavit.md, DLA): before, no application."""
    shown_from = as_of.replace(day=DLA_SHOWN_FROM_DAY)
    if as_of >= shown_from:
        return None
    return Reason("not_shown_yet",
                  f"El importe del descuento de este mes se publica a partir del {date_es(shown_from)}.",
                  f"This month's discount amount is published from {date_en(shown_from)}.")


BCN_PAYROLL_PAYMENT_INSTALLMENTS = 2  # shared/domain/infonavit.md, BCN: a full bimonthly employer payment


def bcn_reward_earned(payments: list[Decimal], installment: Decimal, *, payroll: bool) -> bool:
    """Whether the payments made since Borrón y Cuenta Nueva (oldest first, amounts received) earn its reward
    (shared/domain/infonavit.md, BCN): by payroll discount, one full bimonthly payment (two installments);
    paying on their own, the last 3 payments each a full installment (ASSUMED: full = at least one
    installment, consecutive = one after another, with nothing overdue: the caller checks)."""
    if installment <= 0:
        return False
    if payroll:
        return any(paid >= BCN_PAYROLL_PAYMENT_INSTALLMENTS * installment for paid in payments)
    streak = 0
    for paid in payments:
        streak = streak + 1 if paid >= installment else 0
    return streak >= BCN_INDEPENDENT_PAYMENTS_FOR_REWARD
