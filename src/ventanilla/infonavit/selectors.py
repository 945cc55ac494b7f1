"""Reads of Infonavit credits: who may see which credit, what a credit owes, its movements."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from ventanilla.core.calendar import add_months, last_business_day
from ventanilla.core.errors import NotFoundError
from ventanilla.core.money import ZERO, to_centavos
from ventanilla.infonavit.models import Credit, LedgerEntry
from ventanilla.infonavit.rules import credit_number
from ventanilla.infonavit.rules import ledger as ledger_rules
from ventanilla.people import access
from ventanilla.people.models import Role

# Who reads credits: the borrower (own), consular officers (their consulate's borrowers, through
# people.access), Infonavit staff and administrators (all). IMSS staff and supervisors see none: a credit is
# not theirs to look at, and supervisors see figures, never a person.
CREDIT_READER_ROLES = frozenset({Role.DERECHOHABIENTE, Role.CONSULAR_OFFICER, Role.INFONAVIT_STAFF,
                                 Role.ADMINISTRATOR})
ALL_CREDITS_ROLES = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})


def visible_credits(user) -> QuerySet[Credit]:
    role = access.role_of(user)
    if role not in CREDIT_READER_ROLES:
        return Credit.objects.none()
    credits = Credit.objects.select_related("borrower")
    if role in ALL_CREDITS_ROLES:  # visible_persons is every person for them: skip the semi-join
        return credits
    return credits.filter(borrower__in=access.visible_persons(user))


def get_visible_credit(user, number: str) -> Credit:
    """A credit by its number, or NotFoundError when it does not exist, is not well formed or is not this
    user's to see (one answer for all three)."""
    normalised = credit_number.normalize(number)
    credit = visible_credits(user).filter(number=normalised).first() if credit_number.is_valid(normalised) else None
    if credit is None:
        raise NotFoundError("credit")
    return credit


# --- the ledger folded ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerState:
    """A credit's position (the fold of its entries) and where the next entry goes."""

    position: ledger_rules.Position
    next_sequence: int
    balance_after: Decimal  # the last entry's running balance (equals position.balance)
    monthly_payment: Decimal  # the payment in force: the last entry's monthly_payment_after
    last_accrued: date | None  # the latest month with an interest accrual


def ledger_state(credit: Credit) -> LedgerState:
    rows = (LedgerEntry.objects.filter(credit=credit).order_by("sequence")
            .values_list("sequence", "kind", "period", "capital", "interest", "insurance", "due", "balance_after",
                         "monthly_payment_after"))
    movements, last, last_accrued = [], (0, ZERO, credit.monthly_payment), None
    for sequence, kind, period, capital, interest, insurance, due, balance_after, payment in rows:
        movements.append(ledger_rules.Movement(capital, interest, insurance, due))
        last = (sequence, balance_after, payment)
        if kind == LedgerEntry.Kind.ACCRUAL_INTEREST and (last_accrued is None or period > last_accrued):
            last_accrued = period
    return LedgerState(ledger_rules.fold(movements), last[0] + 1, last[1], last[2], last_accrued)


def position(credit: Credit) -> ledger_rules.Position:
    return ledger_state(credit).position


def payment_due_date(month: date) -> date:
    """The day a month's payment falls due. ASSUMED: the last business day of the month (the deadline
    Infonavit publishes for the DLA payment; the general due day of a payment is not public)."""
    return last_business_day(month.year, month.month)


@dataclass(frozen=True)
class NextPayment:
    due_on: date
    amount: Decimal  # what to pay by due_on: arrears plus the month's installment, at most the balance
    installment: Decimal
    arrears: Decimal


@dataclass(frozen=True)
class CreditSummary:
    credit: Credit
    position: ledger_rules.Position
    monthly_payment: Decimal  # in force (without insurance and fees)
    installment: Decimal  # what falls due each month: the payment plus insurance and fees
    missed_payments: int
    next_payment: NextPayment | None

    @property
    def balance(self) -> Decimal:
        return self.position.balance

    @property
    def arrears(self) -> Decimal:
        return self.position.arrears


def credit_summary(credit: Credit, on: date) -> CreditSummary:
    """Balance, arrears and the next payment of a credit as of `on`."""
    state = ledger_state(credit)
    current = state.position
    installment = state.monthly_payment + credit.monthly_insurance_and_fees
    next_payment = None
    if credit.status == Credit.Status.ACTIVE and current.balance > 0:
        month = on.replace(day=1)
        if on > payment_due_date(month):
            month = add_months(month, 1)
        billed = state.last_accrued is not None and state.last_accrued >= month
        owed = current.arrears + (ZERO if billed else installment)
        next_payment = NextPayment(due_on=payment_due_date(month), amount=min(owed, current.balance),
                                   installment=installment, arrears=current.arrears)
    return CreditSummary(credit=credit, position=current, monthly_payment=state.monthly_payment,
                         installment=installment, missed_payments=ledger_rules.missed_payments(current, installment),
                         next_payment=next_payment)


@dataclass(frozen=True)
class Movements:
    opening_balance: Decimal
    entries: list[LedgerEntry]
    closing_balance: Decimal


def movements(credit: Credit, start: date, end: date) -> Movements:
    """Entries dated from `start` to `end` (inclusive) in posting order, with the balance before and after
    them (sums of amounts: the balance is the sum of the entries)."""
    entries = list(LedgerEntry.objects.filter(credit=credit, posted_on__gte=start, posted_on__lte=end)
                   .select_related("reverses").order_by("sequence"))
    opening = to_centavos(LedgerEntry.objects.filter(credit=credit, posted_on__lt=start)  # SQLite sums floats
                          .aggregate(total=Sum("amount"))["total"] or ZERO)
    closing = opening + sum((entry.amount for entry in entries), ZERO)
    return Movements(opening_balance=opening, entries=entries, closing_balance=closing)
