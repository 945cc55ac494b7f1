"""Reads of the notices on payroll discounts and of the carta de cancelación de hipoteca (the selectors of
infonavit/notices.py). Who may see a credit is infonavit.selectors.visible_credits: callers pass a credit
they got from it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError, FieldError, NotFoundError
from ventanilla.core.money import ZERO, to_centavos
from ventanilla.infonavit import selectors
from ventanilla.infonavit.models import Credit, LedgerEntry, Notice
from ventanilla.infonavit.rules import notices as rules

# The copies as they appear in URLs and file names (Spanish, like the other routes).
COPY_SLUGS = {"trabajador": rules.WORKER, "patron": rules.EMPLOYER}
SLUG_OF_COPY = {copy: slug for slug, copy in COPY_SLUGS.items()}


def notices_for(credit: Credit) -> QuerySet[Notice]:
    return credit.notices.select_related("employment", "application").order_by("-issued_on", "-id")


def get_notice(credit: Credit, notice_id: int) -> Notice:
    notice = notices_for(credit).filter(pk=notice_id).first() if 0 < notice_id < 2 ** 63 else None
    if notice is None:
        raise NotFoundError("notice")
    return notice


def copies(notice: Notice) -> tuple[str, ...]:
    """The copies of a notice: the employer's only for a credit paid by payroll when it was issued."""
    return rules.copies(notice.regime)


def copy_of(notice: Notice, slug: str) -> str:
    """The copy a URL slug names, or NotFoundError when the notice has no such copy."""
    copy = COPY_SLUGS.get(slug)
    if copy is None or copy not in copies(notice):
        raise NotFoundError("copy")
    return copy


@dataclass(frozen=True)
class CancellationLetter:
    """What the carta de cancelación de hipoteca states: the credit, when it was settled, and what paid it."""

    credit: Credit
    settled_on: date
    payments: Decimal  # everything paid (payments net of their reversals, excess included)
    discounts: Decimal  # forgiven by relief solutions (discounts and rewards)
    last_payment_on: date | None
    balance: Decimal


def cancellation_letter(credit: Credit) -> CancellationLetter:
    """The letter's figures, or DomainError when the credit is not settled (only a paid-off credit releases
    its mortgage)."""
    if credit.status != Credit.Status.SETTLED or credit.settled_on is None:
        raise DomainError(FieldError("credit", "not_settled", _(
            "Solo un crédito liquidado tiene carta de cancelación de hipoteca; este crédito está %(status)s.")
            % {"status": credit.get_status_display()}))
    entries = LedgerEntry.objects.filter(credit=credit)
    # A payment and its reversal cancel out: received = -(amount) + excess over both.
    paid = entries.filter(Q(kind=LedgerEntry.Kind.PAYMENT) | Q(reverses__kind=LedgerEntry.Kind.PAYMENT)) \
        .aggregate(amount=Sum("amount"), excess=Sum("excess"))
    last = entries.filter(kind=LedgerEntry.Kind.PAYMENT, reversed_by__isnull=True).aggregate(on=Max("posted_on"))
    # A discount or reward reversed with the payment that earned it cancels out, like the payments above.
    relief = (LedgerEntry.Kind.DISCOUNT, LedgerEntry.Kind.REWARD)
    forgiven = entries.filter(Q(kind__in=relief) | Q(reverses__kind__in=relief)).aggregate(
        amount=Sum("amount"))["amount"] or ZERO
    payments = to_centavos(-(paid["amount"] or ZERO) + (paid["excess"] or ZERO))
    return CancellationLetter(credit=credit, settled_on=credit.settled_on, payments=payments,
                              discounts=to_centavos(-forgiven), last_payment_on=last["on"],
                              balance=selectors.ledger_state(credit).balance_after)
