"""Reads of the housing subaccount (SCV), employment history, voluntary deposits and SCV refunds.

Who reads them: the same as credits (infonavit.selectors.CREDIT_READER_ROLES): the person (own), consular
officers (their consulate's persons, through people.access), Infonavit staff and administrators (all). IMSS staff
and supervisors none.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from ventanilla.core.errors import NotFoundError
from ventanilla.core.models import AuditEntry
from ventanilla.core.money import ZERO
from ventanilla.infonavit.models import (
    SAVINGS_PERIODS,
    Credit,
    EmploymentRelation,
    RefundRequest,
    SavingsMovement,
    VoluntaryDeposit,
)
from ventanilla.infonavit.rules import refunds as refund_rules
from ventanilla.infonavit.rules import savings as rules
from ventanilla.infonavit.selectors import CREDIT_READER_ROLES
from ventanilla.people import access
from ventanilla.people.models import Person, Role

SAVINGS_READER_ROLES = CREDIT_READER_ROLES
REFUND_DECIDER_ROLES = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})


def visible_savers(user) -> QuerySet[Person]:
    if not access.has_role(user, SAVINGS_READER_ROLES):
        return Person.objects.none()
    return access.visible_persons(user)


def get_visible_saver(user, person_id) -> Person:
    """A person whose subaccount `user` may see, or NotFoundError (one answer for absent and not visible)."""
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise NotFoundError("person") from None
    person = visible_savers(user).filter(pk=person_id).first() if 0 < person_id < 2**63 else None
    if person is None:
        raise NotFoundError("person")
    return person


@dataclass(frozen=True)
class PeriodBalance:
    code: str
    label: str
    balance: Decimal


@dataclass(frozen=True)
class SavingsSummary:
    person_id: int
    total: Decimal
    periods: tuple[PeriodBalance, ...]
    contributions: Decimal
    voluntary: Decimal
    returns: Decimal
    last_movement_on: date | None
    yearly_return_percent: Decimal
    return_rate_assumed: bool


def balances(person_id: int) -> dict[str, Decimal]:
    rows = (SavingsMovement.objects.filter(person_id=person_id).values("savings_period")
            .annotate(total=Sum("amount")).values_list("savings_period", "total"))
    return rules.balances_by_period(rows)


def savings_summary(person: Person) -> SavingsSummary:
    by_period = balances(person.pk)
    by_kind = dict(SavingsMovement.objects.filter(person_id=person.pk).values("kind")
                   .annotate(total=Sum("amount")).values_list("kind", "total"))
    last = SavingsMovement.objects.filter(person_id=person.pk).order_by("-sequence").values_list(
        "posted_on", flat=True).first()
    labels = dict(SAVINGS_PERIODS)
    return SavingsSummary(
        person_id=person.pk, total=sum(by_period.values(), ZERO),
        periods=tuple(PeriodBalance(code, str(labels[code]), by_period[code]) for code in rules.PERIOD_CODES),
        contributions=by_kind.get("contribution", ZERO), voluntary=by_kind.get("voluntary", ZERO),
        returns=by_kind.get("returns", ZERO), last_movement_on=last,
        yearly_return_percent=rules.ASSUMED_YEARLY_RETURN_PERCENT, return_rate_assumed=True)


def movements(person: Person) -> QuerySet[SavingsMovement]:
    """Newest first (the screens page through them)."""
    return SavingsMovement.objects.filter(person_id=person.pk).order_by("-sequence")


def employment_history(person: Person) -> QuerySet[EmploymentRelation]:
    return EmploymentRelation.objects.filter(person=person).order_by("-started_on", "-id")


def deposits(person: Person) -> QuerySet[VoluntaryDeposit]:
    return VoluntaryDeposit.objects.filter(person=person).select_related("reference").order_by("-requested_at", "-id")


def get_visible_deposit(user, deposit_id) -> VoluntaryDeposit:
    deposit = VoluntaryDeposit.objects.filter(pk=deposit_id, person__in=visible_savers(user)).select_related(
        "reference", "person").first() if 0 < int(deposit_id) < 2**63 else None
    if deposit is None:
        raise NotFoundError("deposit")
    return deposit


def has_current_credit(person: Person) -> bool:
    return Credit.objects.filter(borrower=person, status=Credit.Status.ACTIVE).exists()


# --- refunds ------------------------------------------------------------------------------------------------

def visible_refunds(user) -> QuerySet[RefundRequest]:
    refunds = RefundRequest.objects.select_related("person")
    if access.has_role(user, REFUND_DECIDER_ROLES):
        return refunds
    return refunds.filter(person__in=visible_savers(user))


def get_visible_refund(user, refund_id) -> RefundRequest:
    try:
        refund_id = int(refund_id)
    except (TypeError, ValueError):
        raise NotFoundError("refund") from None
    refund = visible_refunds(user).filter(pk=refund_id).first() if 0 < refund_id < 2**63 else None
    if refund is None:
        raise NotFoundError("refund")
    return refund


def refund_queue(status: str | None = None) -> QuerySet[RefundRequest]:
    """The staff queue: open requests first, oldest first (the deadline runs from approval)."""
    refunds = RefundRequest.objects.select_related("person").prefetch_related("documents")
    if status:
        return refunds.filter(status=status).order_by("requested_at", "id")
    return refunds.filter(status__in=(RefundRequest.Status.PENDING, RefundRequest.Status.APPROVED)).order_by(
        "due_on", "requested_at", "id")


def refund_is_overdue(refund: RefundRequest, today: date) -> bool:
    return refund_rules.is_overdue(refund.due_on, today, refund.status == RefundRequest.Status.PAID)


# --- an approved refund the balance no longer covers (fix5c) ------------------------------------------------

def refund_balance_short(refund: RefundRequest) -> bool:
    """An approved refund whose subaccount now holds less than an approved amount: it cannot be paid and
    staff send it back to review (refunds_services.reopen_refund)."""
    if refund.status != RefundRequest.Status.APPROVED:
        return False
    held = balances(refund.person_id)
    return any(held.get(period, ZERO) < Decimal(amount) for period, amount in refund.approved_amounts.items())


def refund_reopenings(refund: RefundRequest) -> list[dict]:
    """Each time the refund went back to review: when, why, and the amounts of the approval it undid (the
    audit entries of reopen_refund, oldest first)."""
    entries = AuditEntry.objects.filter(action="infonavit.reopen_refund", object_type="infonavit.refundrequest",
                                        object_id=str(refund.pk)).order_by("at", "id")
    return [{"at": entry.at, "reason": (entry.after or {}).get("reason", ""),
             "amount": sum((Decimal(a) for a in (entry.before or {}).get("amounts", {}).values()), ZERO)}
            for entry in entries]
