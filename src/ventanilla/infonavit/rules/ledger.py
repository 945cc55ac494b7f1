"""A credit's ledger arithmetic: pure functions over plain values (no Django, no database, no clock).

Every ledger entry is a `Movement`: the signed change it makes to the three parts of the debt (capital,
interest, insurance and fees) and to the amount due. Positive means the borrower owes more. The entry's
amount is the sum of the three parts, so "the balance is the sum of the entries" holds by construction,
and balance and arrears are never stored, only folded (`fold`).

- balance = capital + interest + insurance: what it takes to pay the credit off today.
- due: the part of the balance that has fallen due (monthly installments billed, less what was paid).
  Arrears are the positive part; a negative `due` is an advance (paid ahead).

Sources: Ley del Infonavit art. 44 (reform DOF 27-04-2016: interest on the balance at the rate the board
sets; VSM balances updated by the rise of the minimum wage, never above the UMA's);
shared/domain/infonavit.md and reference-values.md; issue 4 ("Credits and their ledger").
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from ventanilla.core.money import ZERO, percent, to_centavos

MONTHS_PER_YEAR = 12


@dataclass(frozen=True)
class Movement:
    """The signed change one entry makes: to capital, interest, insurance and fees, and the amount due."""

    capital: Decimal = ZERO
    interest: Decimal = ZERO
    insurance: Decimal = ZERO  # insurance and fees (seguros y comisiones)
    due: Decimal = ZERO

    @property
    def amount(self) -> Decimal:
        """The change of the balance: what the entry's `amount` column holds."""
        return self.capital + self.interest + self.insurance

    def reversed(self) -> "Movement":
        """The movement that undoes this one (a reversing entry)."""
        return Movement(-self.capital, -self.interest, -self.insurance, -self.due)


@dataclass(frozen=True)
class Position:
    """A credit after folding its entries."""

    capital: Decimal = ZERO
    interest: Decimal = ZERO
    insurance: Decimal = ZERO
    due: Decimal = ZERO

    @property
    def balance(self) -> Decimal:
        return self.capital + self.interest + self.insurance

    @property
    def arrears(self) -> Decimal:
        return max(self.due, ZERO)

    @property
    def advance(self) -> Decimal:
        return max(-self.due, ZERO)

    def after(self, movement: Movement) -> "Position":
        return Position(self.capital + movement.capital, self.interest + movement.interest,
                        self.insurance + movement.insurance, self.due + movement.due)


def fold(movements: Iterable[Movement], start: Position | None = None) -> Position:
    """The position after the movements, in posting order."""
    capital = interest = insurance = due = ZERO
    if start is not None:
        capital, interest, insurance, due = start.capital, start.interest, start.insurance, start.due
    for movement in movements:
        capital += movement.capital
        interest += movement.interest
        insurance += movement.insurance
        due += movement.due
    return Position(capital, interest, insurance, due)


def is_settled(position: Position) -> bool:
    """Paid off: nothing left to pay. (A credit is settled only once it was disbursed; the service knows.)"""
    return position.balance == ZERO


# --- origination -----------------------------------------------------------------------------------------

def level_payment_factor(rate_percent: Decimal, months: int) -> Decimal:
    """The level monthly payment per peso lent (French amortisation, monthly rate = yearly / 12): the
    payment is principal × factor. Pesos credits keep their payment for life (shared/domain/infonavit.md,
    "Prequalification and credit conditions")."""
    if months <= 0:
        raise ValueError("months must be positive")
    monthly = percent(rate_percent) / MONTHS_PER_YEAR
    if monthly == 0:
        return Decimal(1) / months
    return monthly / (1 - (1 + monthly) ** -months)


def level_payment(principal: Decimal, rate_percent: Decimal, months: int) -> Decimal:
    """The fixed monthly payment that repays `principal` in `months`, half-up to centavos."""
    return to_centavos(principal * level_payment_factor(rate_percent, months))


def disbursement(amount: Decimal) -> Movement:
    return Movement(capital=amount)


# --- monthly accrual -------------------------------------------------------------------------------------

def monthly_interest(capital: Decimal, rate_percent: Decimal) -> Decimal:
    """Interest of one month on the capital owed: capital × rate / 12, half-up to centavos.
    Ley del Infonavit art. 44 (interest on the balance at the board's yearly rate); the monthly twelfth and
    the rounding are issue 4's. Interest is not charged on unpaid interest (no anatocism: it is only
    capitalised by a solution that says so, e.g. BCN)."""
    if capital <= 0:
        return ZERO
    return to_centavos(capital * percent(rate_percent) / MONTHS_PER_YEAR)


@dataclass(frozen=True)
class Accrual:
    interest: Movement
    insurance: Movement

    @property
    def billed(self) -> Decimal:
        return self.interest.due + self.insurance.due


def monthly_accrual(position: Position, rate_percent: Decimal, monthly_payment: Decimal,
                    insurance_and_fees: Decimal) -> Accrual:
    """One month: interest on the capital, the month's insurance and fees, and the installment billed.

    The installment billed is the monthly payment plus insurance and fees, but never more than the balance
    left (the last installment is smaller): the amount due never exceeds the balance. Insurance and fees
    are billed first, like payments pay them first."""
    interest = monthly_interest(position.capital, rate_percent)
    fees = max(insurance_and_fees, ZERO)
    balance_after = position.balance + interest + fees
    due_after = min(position.due + monthly_payment + fees, balance_after)
    billed = max(due_after - position.due, ZERO)
    billed_fees = min(fees, billed)
    return Accrual(interest=Movement(interest=interest, due=billed - billed_fees),
                   insurance=Movement(insurance=fees, due=billed_fees))


def missed_payments(position: Position, installment: Decimal) -> int:
    """Installments owed, counting a partly paid one as missed. ASSUMED: Infonavit's count of "omisos" is
    not public; this reads the arrears in whole installments, rounded up."""
    if installment <= 0 or position.arrears <= 0:
        return 0
    return int((position.arrears / installment).to_integral_value(rounding=ROUND_CEILING))


# --- payments ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Allocation:
    """How a payment was applied. The four parts add up to the payment; none is negative."""

    insurance: Decimal
    interest: Decimal
    capital: Decimal
    excess: Decimal  # received above the balance: not applied (Infonavit refunds pagos en exceso)

    @property
    def applied(self) -> Decimal:
        return self.insurance + self.interest + self.capital

    def movement(self) -> Movement:
        return Movement(capital=-self.capital, interest=-self.interest, insurance=-self.insurance,
                        due=-self.applied)


def allocate_payment(amount: Decimal, position: Position) -> Allocation:
    """Apply a payment: insurance and fees first, then interest, then capital; the rest is excess.

    Interest before capital: Código Civil Federal art. 2094 and Código de Comercio art. 364 (payments on
    account of a debt with interest go to interest due before capital). Insurance and fees before interest:
    issue 4, as Infonavit's statements apply them (ASSUMED: the credit contract is not public)."""
    if amount <= 0:
        raise ValueError("a payment is positive")
    left = amount
    parts = []
    for owed in (position.insurance, position.interest, position.capital):
        part = min(left, max(owed, ZERO))
        parts.append(part)
        left -= part
    insurance, interest, capital = parts
    return Allocation(insurance=insurance, interest=interest, capital=capital, excess=left)


# --- yearly adjustment of VSM credits ----------------------------------------------------------------------

def vsm_adjustment(balance: Decimal, rate_percent: Decimal) -> Movement:
    """The January change of a VSM credit: balance × a, half-up to centavos, posted to capital.

    Ley del Infonavit art. 44 (DOF 27-04-2016) and shared/domain/reference-values.md ("UMI and the yearly
    adjustment"): balance and payment × (1 + a). The whole balance is revalued (a VSM debt is VSM in all
    its parts) and the change is capitalised. ASSUMED: amounts already due keep their pesos value."""
    if balance <= 0:
        return Movement()
    return Movement(capital=to_centavos(balance * percent(rate_percent)))


def vsm_adjusted_payment(monthly_payment: Decimal, rate_percent: Decimal) -> Decimal:
    """The monthly payment × (1 + a), half-up to centavos (same sources as `vsm_adjustment`)."""
    return to_centavos(monthly_payment * (1 + percent(rate_percent)))
