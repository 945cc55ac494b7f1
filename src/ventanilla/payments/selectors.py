"""Reads about references, payments and payment files, always through the access funnel for persons."""

from django.db.models import QuerySet

from ventanilla.core.errors import NotFoundError
from ventanilla.payments.models import PaymentFile, PaymentFileLine, PaymentReference
from ventanilla.payments.references import normalize_reference
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
