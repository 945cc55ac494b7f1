"""Payments API: record a payment, read a reference and its slip, import a bank file.

Amounts travel as decimal strings ("1234.50"), never as JSON numbers. Refusals answer 422 with
`{"errors": [{"field", "code", "message"}]}`; an operation number already recorded with other data is a 409.
"""

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status, UploadedFile

from ventanilla.core import idempotency
from ventanilla.core.errors import DomainError, NotFoundError
from ventanilla.core.schemas import DecimalString
from ventanilla.payments import selectors, services
from ventanilla.payments.models import PaymentFile
from ventanilla.payments.pdf import slip_response
from ventanilla.payments.references import format_reference
from ventanilla.people import access
from ventanilla.people.api_auth import PRIVATE, private

router = Router(tags=["payments"])

# Money is received at consular windows and by the institutions; bank files come from the institutions only.
PAYMENT_RECORDER_ROLES = access.PERSON_REGISTRAR_ROLES
PAYMENT_FILE_ROLES = access.STAFF_ROLES


class PaymentIn(Schema):
    model_config = {"extra": "forbid"}

    reference: str = Field(..., description="The 20-character reference; spaces and dashes are ignored",
                           examples=["7K3M9QXP2D4H8RTV5W61"])
    amount: str = Field(..., description="Decimal string with a dot and at most two decimals; must equal the "
                                         "reference's amount", examples=["1234.50"])
    paid_at: str = Field(..., description="ISO 8601 date or date-time; without an offset it is Mexico City time",
                         examples=["2026-03-10T12:30:00-06:00"])
    operation_id: str = Field(..., description="The bank's or window's operation number (1-64 characters): "
                                               "the same number is never posted twice", examples=["SPEI-0042"])
    channel: Literal["window", "api", "spei", "remittance"] = "api"


class PaymentOut(Schema):
    id: int
    operation_id: str
    channel: str
    reference: str | None
    amount: DecimalString
    paid_at: datetime
    created_at: datetime

    @staticmethod
    def resolve_reference(obj) -> str | None:
        if isinstance(obj, dict):  # a replayed idempotent answer
            return obj.get("reference")
        return obj.reference.code if obj.reference_id else None


class ReferenceOut(Schema):
    code: str
    formatted: str
    status: str
    owner_kind: str
    owner_id: str
    person_id: int
    description: str
    amount: DecimalString
    currency: str
    period_start: date
    period_end: date
    due_date: date
    issued_at: datetime
    cancelled_at: datetime | None
    cancel_reason: str
    replaces: str | None = None
    slip_url: str

    @staticmethod
    def resolve_formatted(obj) -> str:
        return format_reference(obj.code)

    @staticmethod
    def resolve_replaces(obj) -> str | None:
        return obj.replaces.code if obj.replaces_id else None

    @staticmethod
    def resolve_slip_url(obj) -> str:
        return f"/api/v1/payments/references/{obj.code}/slip.pdf"


class LineError(Schema):
    line: int
    code: str
    message: str


class PaymentFileOut(Schema):
    id: int
    filename: str
    sha256: str
    status: str
    lines_total: int
    lines_applied: int
    lines_duplicate: int
    lines_rejected: int
    started_at: datetime
    finished_at: datetime | None
    errors: list[LineError] = Field(..., description=f"The first {selectors.MAX_LISTED_ERRORS} rejected lines, "
                                                     "by line number; messages in the request's language")


def _file_summary(payment_file: PaymentFile) -> dict:
    fields = ("id", "filename", "sha256", "status", "lines_total", "lines_applied", "lines_duplicate",
              "lines_rejected", "started_at", "finished_at")
    return {**{name: getattr(payment_file, name) for name in fields},
            "errors": selectors.line_errors(payment_file)}


@router.post("/payments", response={201: PaymentOut}, auth=private(PAYMENT_RECORDER_ROLES),
             summary="Record a payment of a reference (accepts an Idempotency-Key header)")
def record_payment(request: HttpRequest, payload: PaymentIn):
    """Posts the payment and lets the reference's owner (an IMSS period, an Infonavit credit) apply it.

    Idempotent twice over: an `Idempotency-Key` replays the first answer, and an `operation_id` already
    recorded with the same reference, amount and date returns that payment (with other data: 409).
    Refusal codes: `reference` invalid_reference, not_found, cancelled, already_paid, expired;
    `amount` invalid_amount, wrong_amount; `paid_at` invalid_date, future_date; `operation_id`
    invalid_operation_id."""
    body = payload.dict()
    try:  # an officer pays only references of persons they may see; others look unknown
        selectors.visible_reference(request.auth, payload.reference)
    except NotFoundError:
        raise DomainError(services.refusal("not_found")) from None

    def write():
        payment = services.record_payment(
            request.auth, reference_code=payload.reference, amount=payload.amount, paid_at=payload.paid_at,
            operation_id=payload.operation_id, channel=payload.channel,
        )
        return 201, PaymentOut.from_orm(payment).dict()

    status, answer = idempotency.run_once(
        request.headers.get("Idempotency-Key"), f"payments.record:{request.auth.pk}", body, write
    )
    return Status(status, answer)


@router.get("/references/{code}", response=ReferenceOut, auth=PRIVATE,
            summary="One payment reference (404 when its person is not yours to see)")
def get_reference(request: HttpRequest, code: str):
    return selectors.visible_reference(request.auth, code)


@router.get("/references/{code}/slip.pdf", auth=PRIVATE, summary="The printable slip of a reference (PDF)",
            openapi_extra={"responses": {200: {"description": "The slip", "content": {
                "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def get_reference_slip(request: HttpRequest, code: str):
    """One page with the reference, amount, period, due date, how to pay, a Code 128 barcode and a QR code.
    In the request's language (Accept-Language: es or en)."""
    return slip_response(selectors.visible_reference(request.auth, code))


@router.post("/files", response=PaymentFileOut, auth=private(PAYMENT_FILE_ROLES),
             summary="Import a payment file (CSV, multipart field `file`)")
def import_file(request: HttpRequest, file: File[UploadedFile]):
    """CSV with the header `reference,amount,paid_at,operation_id`. Good lines are applied; bad lines are
    reported by line number with a code. The same file again changes nothing (it is known by its SHA-256);
    an import that stopped half-way resumes where it stopped. Synchronous: about a minute per million lines."""
    payment_file = services.import_payment_file(request.auth, filename=file.name or "pagos.csv",
                                                content=file.file)
    return _file_summary(payment_file)


@router.get("/files/{file_id}", response=PaymentFileOut, auth=private(PAYMENT_FILE_ROLES),
            summary="The summary of an imported payment file")
def get_file(request: HttpRequest, file_id: int):
    return _file_summary(selectors.get_payment_file(file_id))
