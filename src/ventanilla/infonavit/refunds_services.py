"""Writes of the devolución del saldo de la SCV: the request with its documents, staff approval by a second
person (four eyes), the SPEI payment that empties the subaccount. One transaction and an audit entry each;
the CLABE is never logged nor put in the audit entry unmasked.
"""

import hashlib
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit
from ventanilla.core.errors import ConflictError, DomainError, FieldError
from ventanilla.core.identifiers import validate_clabe
from ventanilla.core.money import ZERO, parse_amount
from ventanilla.infonavit import savings_selectors as selectors
from ventanilla.infonavit.models import RefundDocument, RefundRequest
from ventanilla.infonavit.rules import refunds as rules
from ventanilla.infonavit.savings_services import NewMovement, append_movements
from ventanilla.people import access
from ventanilla.people.models import Role

# The worker asks in the portal (own subaccount); officers and staff file it for a worker or for an heir.
REFUND_REQUESTER_ROLES = selectors.SAVINGS_READER_ROLES
HEIR_FILER_ROLES = frozenset({Role.CONSULAR_OFFICER, Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})
MAX_DOCUMENT_BYTES = getattr(settings, "REFUND_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024)
# The kinds of file accepted, by their first bytes (the uploaded name and header are not trusted).
DOCUMENT_SIGNATURES = ((b"%PDF-", "application/pdf", "pdf"), (b"\xff\xd8\xff", "image/jpeg", "jpg"),
                       (b"\x89PNG\r\n\x1a\n", "image/png", "png"))


def _mask(clabe: str) -> str:
    return f"…{clabe[-4:]}" if clabe else ""


def _document_type(upload) -> str | None:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    return next((content_type for signature, content_type, _suffix in DOCUMENT_SIGNATURES
                 if head.startswith(signature)), None)


def document_suffix(content_type: str) -> str:
    """The file extension of a detected type: the stored and served name never takes the uploaded one (an
    x.html that starts like a PDF is a .pdf)."""
    return next((suffix for _signature, known, suffix in DOCUMENT_SIGNATURES if known == content_type), "bin")


def _check_document(field: str, upload) -> tuple[str, int]:
    if upload is None:
        raise DomainError(FieldError(field, "required", _("Adjunte el documento.")))
    if upload.size > MAX_DOCUMENT_BYTES or upload.size == 0:
        raise DomainError(FieldError(field, "too_large", _("El archivo debe pesar más de 0 y hasta 5 MB.")))
    content_type = _document_type(upload)
    if content_type is None:
        raise DomainError(FieldError(field, "bad_type", _("Solo se aceptan archivos PDF, JPEG o PNG.")))
    return content_type, upload.size


def facts_for(person, *, claimant: str, basis: str, incapacity_percent, afore: str, clabe_valid: bool,
              bank_statement_date: date, documents: frozenset[str], today: date) -> rules.RefundFacts:
    return rules.RefundFacts(
        today=today, claimant=claimant, basis=basis, incapacity_percent=incapacity_percent,
        has_current_credit=selectors.has_current_credit(person), afore=afore or "", clabe_valid=clabe_valid,
        bank_statement_date=bank_statement_date, balance=sum(selectors.balances(person.pk).values(), ZERO),
        documents=documents)


def request_refund(actor, person_id, *, claimant: str, claimant_name: str = "", basis: str,
                   incapacity_percent=None, afore: str, clabe: str, bank_statement_date: date,
                   documents: dict, idempotency_key: str, today: date | None = None) -> tuple[RefundRequest, bool]:
    """File a refund request with its documents ({kind: uploaded file}). Refused with every reason when the
    rules say it is not eligible (nothing is stored then). Returns (request, created); the same key again
    answers the first request."""
    access.require_role(actor, REFUND_REQUESTER_ROLES)
    person = selectors.get_visible_saver(actor, person_id)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise DomainError(FieldError("Idempotency-Key", "required", _("Falta la clave de idempotencia.")))
    existing = RefundRequest.objects.filter(requested_by=actor, idempotency_key=key).first()
    if existing is not None:
        if existing.person_id != person.pk:
            raise ConflictError("idempotency_key_reused", _("La clave Idempotency-Key ya se usó con otra solicitud."))
        return existing, False
    if claimant != rules.WORKER and not access.has_role(actor, HEIR_FILER_ROLES):
        raise DomainError(FieldError("claimant", "heir_at_window",
                                     _("Los beneficiarios presentan la solicitud en el consulado o con el Infonavit.")))
    if claimant in rules.HEIRS and not (claimant_name or "").strip():
        raise DomainError(FieldError("claimant_name", "required", _("Escriba el nombre del beneficiario.")))
    clabe = (clabe or "").strip().replace(" ", "")
    try:
        clabe_valid = bool(validate_clabe(clabe))
    except DomainError:
        clabe_valid = False
    incapacity = None
    if incapacity_percent not in (None, ""):
        try:
            incapacity = parse_amount(incapacity_percent)
        except (ValueError, TypeError):
            raise DomainError(FieldError("incapacity_percent", "invalid", _("Escriba un porcentaje válido."))) from None
        if not 0 <= incapacity <= 100:
            raise DomainError(FieldError("incapacity_percent", "invalid", _("Escriba un porcentaje válido.")))
    checked = {kind: _check_document(f"documents.{kind}", upload) for kind, upload in documents.items()
               if upload is not None}
    today = today or timezone.localdate()
    decision = rules.evaluate(facts_for(person, claimant=claimant, basis=basis, incapacity_percent=incapacity,
                                        afore=afore, clabe_valid=clabe_valid, bank_statement_date=bank_statement_date,
                                        documents=frozenset(checked), today=today))
    if not decision.eligible:
        raise DomainError([FieldError(_reason_field(reason.code), reason.code, reason.es) for reason in decision.reasons])
    written: list[RefundDocument] = []
    try:
        with transaction.atomic():
            refund = RefundRequest.objects.create(
                person=person, claimant=claimant, claimant_name=(claimant_name or "").strip()[:200], basis=basis,
                incapacity_percent=incapacity, afore=afore.strip()[:60], clabe=clabe,
                bank_statement_date=bank_statement_date, requested_by=actor, idempotency_key=key)
            for kind, (content_type, size) in checked.items():
                upload = documents[kind]
                upload.seek(0)
                digest = hashlib.sha256(upload.read()).hexdigest()
                upload.seek(0)
                document = RefundDocument(refund=refund, kind=kind, content_type=content_type, size=size,
                                          sha256=digest, uploaded_by=actor)
                written.append(document)
                document.file.save(f"{kind}.{document_suffix(content_type)}", upload, save=True)
            audit.record(actor, "infonavit.request_refund", refund,
                         after={"claimant": claimant, "basis": basis, "clabe": _mask(clabe),
                                "documents": sorted(checked)})
    except BaseException as exc:
        # The rows rolled back: the files written inside the transaction go too.
        for document in written:
            if document.file.name:
                document.file.storage.delete(document.file.name)
        if not isinstance(exc, IntegrityError):
            raise
        existing = RefundRequest.objects.filter(requested_by=actor, idempotency_key=key).first()
        if existing is not None:
            return existing, False
        raise DomainError(FieldError("person", "refund_in_progress",
                                     _("Ya hay una solicitud de devolución en trámite para esta subcuenta."))) from None
    return refund, True


_FIELDS = {"incapacity_below_minimum": "incapacity_percent", "no_pension_basis": "basis",
           "current_credit": "person", "no_afore": "afore", "clabe_invalid": "clabe",
           "bank_statement_too_old": "bank_statement_date", "bank_statement_future": "bank_statement_date",
           "nothing_to_refund": "person", "claimant_not_allowed": "claimant"}


def _reason_field(code: str) -> str:
    if code.startswith("missing_"):
        return f"documents.{code.removeprefix('missing_')}"
    return _FIELDS.get(code, "request")


def _locked_refund(refund_id: int) -> RefundRequest:
    return RefundRequest.objects.select_for_update().get(pk=refund_id)


def _require_second_person(actor, refund: RefundRequest) -> None:
    access.require_role(actor, selectors.REFUND_DECIDER_ROLES)
    if refund.requested_by_id == actor.pk:
        raise DomainError(FieldError("refund", "four_eyes",
                                     _("Quien presentó la solicitud no puede decidirla ni pagarla.")))


def approve_refund(actor, refund: RefundRequest, today: date | None = None) -> RefundRequest:
    """A second person approves: the 10-business-day deadline starts (core.calendar, bank days)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        refund = _locked_refund(refund.pk)
        _require_second_person(actor, refund)
        if refund.status != RefundRequest.Status.PENDING:
            raise DomainError(FieldError("refund", "not_pending", _("La solicitud ya fue decidida.")))
        if selectors.has_current_credit(refund.person):
            raise DomainError(FieldError("person", "current_credit", _("Tiene un crédito Infonavit vigente.")))
        # The amount is fixed now, per period: the instruction shows it and the payment posts exactly it.
        amounts = {period: balance for period, balance in sorted(selectors.balances(refund.person_id).items())
                   if balance > 0}
        if not amounts:
            raise DomainError(FieldError("person", "nothing_to_refund", _("La subcuenta de vivienda no tiene saldo.")))
        refund.status = RefundRequest.Status.APPROVED
        refund.decided_by, refund.decided_at = actor, timezone.now()
        refund.due_on = rules.payment_deadline(today)
        refund.approved_amounts = {period: str(amount) for period, amount in amounts.items()}
        refund.amount = sum(amounts.values(), ZERO)
        refund.save(update_fields=["status", "decided_by", "decided_at", "due_on", "approved_amounts", "amount"])
        audit.record(actor, "infonavit.approve_refund", refund,
                     after={"due_on": refund.due_on, "amounts": refund.approved_amounts})
    return refund


def refuse_refund(actor, refund: RefundRequest, reason: str) -> RefundRequest:
    text = (reason or "").strip()
    if not 3 <= len(text) <= 500:
        raise DomainError(FieldError("reason", "required", _("Escriba el motivo del rechazo (3 a 500 caracteres).")))
    with transaction.atomic():
        refund = _locked_refund(refund.pk)
        _require_second_person(actor, refund)
        if refund.status != RefundRequest.Status.PENDING:
            raise DomainError(FieldError("refund", "not_pending", _("La solicitud ya fue decidida.")))
        refund.status = RefundRequest.Status.REFUSED
        refund.decided_by, refund.decided_at, refund.refusal_reason = actor, timezone.now(), text
        refund.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        audit.record(actor, "infonavit.refuse_refund", refund, after={"reason": text})
    return refund


def payment_instruction(refund: RefundRequest) -> dict:
    """The SPEI instruction for an approved refund: the amount fixed at approval to the worker's (or heir's)
    CLABE."""
    return {"method": "SPEI", "clabe": refund.clabe, "amount": refund.amount, "due_on": refund.due_on,
            "concept": f"DEVOLUCION SCV {refund.pk}"}


def approved_amounts(refund: RefundRequest) -> dict[str, Decimal]:
    return {period: Decimal(amount) for period, amount in refund.approved_amounts.items()}


def mark_refund_paid(actor, refund: RefundRequest, *, spei_tracking: str, paid_on: date | None = None) -> RefundRequest:
    """The SPEI transfer was sent: each period of the subaccount is emptied by a refund movement. Once: the
    tracking key is unique and a paid request is not paid again (the same key again answers it)."""
    tracking = (spei_tracking or "").strip().upper()
    if not 1 <= len(tracking) <= 30 or not tracking.replace("-", "").isalnum():
        raise DomainError(FieldError("spei_tracking", "invalid",
                                     _("La clave de rastreo SPEI tiene de 1 a 30 letras o dígitos.")))
    paid_on = paid_on or timezone.localdate()
    with transaction.atomic():
        refund = _locked_refund(refund.pk)
        _require_second_person(actor, refund)
        if refund.status == RefundRequest.Status.PAID and refund.spei_tracking == tracking:
            return refund
        if refund.status != RefundRequest.Status.APPROVED:
            raise DomainError(FieldError("refund", "not_approved", _("Solo se paga una solicitud aprobada.")))
        # Exactly what was approved; refused when a period now holds less (a correction since): never below zero.
        amounts = approved_amounts(refund)
        balances = selectors.balances(refund.person_id)
        if any(balances.get(period, ZERO) < amount for period, amount in amounts.items()):
            raise DomainError(FieldError("refund", "balance_changed", _(
                "El saldo de la subcuenta es menor que el importe aprobado: no se puede pagar.")))
        movements = [NewMovement("refund", period, paid_on, -amount, refund_id=refund.pk, note=tracking)
                     for period, amount in amounts.items()]
        append_movements(actor, refund.person_id, movements)
        refund.status = RefundRequest.Status.PAID
        refund.amount = sum(amounts.values(), ZERO)
        refund.spei_tracking, refund.paid_on, refund.paid_by = tracking, paid_on, actor
        try:
            with transaction.atomic():
                refund.save(update_fields=["status", "amount", "spei_tracking", "paid_on", "paid_by"])
        except IntegrityError:
            raise DomainError(FieldError("spei_tracking", "duplicate",
                                         _("Esa clave de rastreo ya se usó en otro pago."))) from None
        audit.record(actor, "infonavit.pay_refund", refund,
                     after={"amount": refund.amount, "paid_on": paid_on, "overdue": rules.is_overdue(
                         refund.due_on, paid_on, False)})
    return refund


# --- an approved refund the balance no longer covers (fix5c) ------------------------------------------------

def reopen_refund(actor, refund: RefundRequest, reason: str) -> RefundRequest:
    """Send back to review an approved, unpaid refund whose subaccount now holds less than an approved amount
    (a correction since approval): it could be neither paid (balance_changed) nor refused (pending only).

    Chosen over cancelling it: the request, its documents and its eligibility still stand; only the amounts
    fixed at approval are stale. Back in review, a second person approves fresh amounts (four eyes again)
    and a new 10-business-day deadline starts from that approval. Infonavit staff other than the requester
    only, with a reason the borrower sees on the request; the first approval (amounts, deadline, approver)
    stays in the audit entry."""
    text = (reason or "").strip()
    if not 3 <= len(text) <= 500:
        raise DomainError(FieldError("reason", "required", _("Escriba el motivo (3 a 500 caracteres).")))
    with transaction.atomic():
        refund = _locked_refund(refund.pk)
        _require_second_person(actor, refund)
        if refund.status != RefundRequest.Status.APPROVED:
            raise DomainError(FieldError("refund", "not_approved",
                                         _("Solo se devuelve a revisión una solicitud aprobada y no pagada.")))
        balances = selectors.balances(refund.person_id)
        if all(balances.get(period, ZERO) >= amount for period, amount in approved_amounts(refund).items()):
            raise DomainError(FieldError("refund", "balance_covers", _(
                "El saldo cubre el importe aprobado: registre el pago en lugar de devolverla a revisión.")))
        before = {"status": refund.status, "amounts": refund.approved_amounts, "due_on": refund.due_on,
                  "decided_by": refund.decided_by_id, "decided_at": refund.decided_at}
        refund.status = RefundRequest.Status.PENDING
        refund.decided_by = refund.decided_at = refund.due_on = refund.amount = None
        refund.approved_amounts = {}
        refund.save(update_fields=["status", "decided_by", "decided_at", "due_on", "approved_amounts", "amount"])
        audit.record(actor, "infonavit.reopen_refund", refund, before=before,
                     after={"status": refund.status, "reason": text,
                            "balances": {period: str(amount) for period, amount in sorted(balances.items())}})
    return refund
