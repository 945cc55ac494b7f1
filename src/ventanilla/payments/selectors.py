"""Reads about references, payments and payment files, always through the access funnel for persons."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from ventanilla.core.errors import NotFoundError
from ventanilla.core.money import to_centavos
from ventanilla.payments.models import (
    PaymentFile,
    PaymentFileLine,
    PaymentReference,
    RemittanceCompany,
    RemittancePayment,
)
from ventanilla.payments.references import normalize_reference
from ventanilla.payments.rules import PAYER_KINDS
from ventanilla.payments.services import refusal_message
from ventanilla.people.access import visible_persons

MAX_LISTED_ERRORS = 1_000  # the API summary lists the first rejected lines; the screen pages through all


def visible_reference(user, code: str) -> PaymentReference:
    """A reference whose person this user may see, or NotFoundError (also when it does not exist)."""
    reference = (
        PaymentReference.objects.select_related("person", "replaces")
        .filter(code=normalize_reference(code), person__in=visible_persons(user))
        .first()
    )
    if reference is None:
        raise NotFoundError("payment_reference")
    return reference


def payment_files() -> QuerySet[PaymentFile]:
    return PaymentFile.objects.select_related("uploaded_by").order_by("-started_at", "-id")


def get_payment_file(file_id: int) -> PaymentFile:
    payment_file = PaymentFile.objects.select_related("uploaded_by").filter(pk=file_id).first()
    if payment_file is None:
        raise NotFoundError("payment_file")
    return payment_file


def rejected_lines(payment_file: PaymentFile) -> QuerySet[PaymentFileLine]:
    return PaymentFileLine.objects.filter(payment_file=payment_file, status=PaymentFileLine.Status.REJECTED) \
        .order_by("line_number")


def line_errors(payment_file: PaymentFile, limit: int = MAX_LISTED_ERRORS) -> list[dict]:
    """The first rejected lines as {line, code, message}, the message in the active language."""
    return [{"line": line.line_number, "code": line.error_code, "message": refusal_message(line.error_code)
             or line.error_message}
            for line in rejected_lines(payment_file)[:limit]]


# --- Infonavit Sin Fronteras -------------------------------------------------------------------------------

def remittance_companies(active_only: bool = True) -> QuerySet[RemittanceCompany]:
    companies = RemittanceCompany.objects.order_by("name")
    return companies.filter(active=True) if active_only else companies


def settlement_files() -> QuerySet[PaymentFile]:
    return (PaymentFile.objects.filter(remittance_company__isnull=False)
            .select_related("uploaded_by", "remittance_company").order_by("-started_at", "-id"))


def get_settlement_file(file_id: int) -> PaymentFile:
    payment_file = settlement_files().filter(pk=file_id).first()
    if payment_file is None:
        raise NotFoundError("payment_file")
    return payment_file


def settlement_lines(payment_file: PaymentFile, lines) -> list[PaymentFileLine]:
    """`lines` (a page of the file's lines) with `.remittance` (the payment an applied line made, or None)
    and `.reason` (a rejected line's message in the active language)."""
    lines = list(lines)
    numbers = [line.line_number for line in lines if line.status == PaymentFileLine.Status.APPLIED]
    made = {payment.line_number: payment for payment in
            RemittancePayment.objects.filter(payment_file=payment_file, line_number__in=numbers)}
    for line in lines:
        line.remittance = made.get(line.line_number)
        line.reason = (refusal_message(line.error_code) or line.error_message) if line.error_code else ""
    return lines


@dataclass(frozen=True)
class RemittanceFigure:
    month: date
    us_state: str
    operations: int
    credits: int
    payers: dict  # operations by who paid (borrower, relative, third_party)
    amount_usd: Decimal
    amount_mxn: Decimal


def remittance_figures(start: date | None = None, end: date | None = None) -> list[RemittanceFigure]:
    """Sin Fronteras figures for the reports (shared/domain/infonavit.md: operations, credits, pesos; seed 000):
    by month and US state, operations, distinct credits, payers by kind, dollars and pesos, oldest first."""
    rows = RemittancePayment.objects.all()
    if start is not None:
        rows = rows.filter(paid_on__gte=start)
    if end is not None:
        rows = rows.filter(paid_on__lte=end)
    grouped = (rows.annotate(month=TruncMonth("paid_on")).values("month", "us_state")
               .annotate(operations=Count("id"), credits=Count("credit_number", distinct=True),
                         usd=Sum("amount_usd"), mxn=Sum("amount_mxn"),
                         **{f"payer_{kind}": Count("id", filter=Q(payer=kind)) for kind in PAYER_KINDS})
               .order_by("month", "us_state"))
    return [RemittanceFigure(
        month=row["month"], us_state=row["us_state"], operations=row["operations"], credits=row["credits"],
        payers={kind: row[f"payer_{kind}"] for kind in PAYER_KINDS},
        amount_usd=to_centavos(row["usd"]), amount_mxn=to_centavos(row["mxn"]),  # SQLite sums floats
    ) for row in grouped]
