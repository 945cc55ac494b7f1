"""Writes about payment references and payments. One transaction and one audit entry each.

Services here do not check roles: the owner domains (imss, infonavit) decide who may ask for a reference,
and the API and screens check who may record payments or import files. Money is Decimal throughout.
"""

import codecs
import csv
import hashlib
import io
import logging
import queue
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit
from ventanilla.core.errors import ConflictError, DomainError, FieldError
from ventanilla.payments import registry, rules, store
from ventanilla.payments.models import (
    Payment,
    PaymentFile,
    PaymentFileLine,
    PaymentReference,
    RemittanceCompany,
    RemittancePayment,
)
from ventanilla.payments.references import (
    is_valid_reference,
    new_reference_code,
    new_reference_codes,
    normalize_reference,
)

logger = logging.getLogger(__name__)

CODE_ATTEMPTS = 5  # a collision of 90-bit random codes is rare; five in a row means something is broken
CHUNK_SIZE = 5_000  # lines of a payment file per transaction
FUTURE_TOLERANCE = timedelta(minutes=10)  # clock skew between a bank and us
WINDOW_CHANNELS = (Payment.Channel.WINDOW, Payment.Channel.API, Payment.Channel.SPEI, Payment.Channel.REMITTANCE)

# Every reason a payment or a file line is refused: the field it concerns and the message. Codes are unique
# across fields, so a file line stores only its code (plus the Spanish message, for the record).
REFUSALS = {
    "missing_column": ("line", _("Faltan columnas en la línea.")),
    "malformed_line": ("line", _("La línea no se puede leer como CSV.")),
    "invalid_reference": ("reference", _("La referencia no es válida: son 20 caracteres y los dos últimos "
                                         "son dígitos verificadores.")),
    "not_found": ("reference", _("La referencia no existe.")),
    "cancelled": ("reference", _("La referencia fue cancelada.")),
    "already_paid": ("reference", _("La referencia ya está pagada.")),
    "expired": ("reference", _("El pago es posterior a la fecha límite de la referencia.")),
    "invalid_amount": ("amount", _("El importe debe ser un número positivo con punto decimal y a lo más dos "
                                   "decimales.")),
    "wrong_amount": ("amount", _("El importe no coincide con el de la referencia.")),
    "invalid_date": ("paid_at", _("La fecha de pago no es válida (AAAA-MM-DD o fecha y hora ISO 8601).")),
    "future_date": ("paid_at", _("La fecha de pago es posterior al momento actual.")),
    "invalid_operation_id": ("operation_id", _("El número de operación debe tener de 1 a 64 letras, dígitos o "
                                               "los signos . _ - / : #.")),
    "duplicate_in_file": ("operation_id", _("El número de operación se repite en el mismo archivo.")),
    "operation_conflict": ("operation_id", _("El número de operación ya se registró con otros datos.")),
}


def refusal(code: str) -> FieldError:
    field, message = REFUSALS[code]
    return FieldError(field, code, message)


def refusal_message(code: str) -> str:
    """The message for a refusal code in the active language ("" for codes we do not know)."""
    entry = REFUSALS.get(code)
    return str(entry[1]) if entry else ""


class OperationConflictError(ConflictError):
    """The operation number was already recorded with another reference, amount or date (409)."""

    field = "operation_id"


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- references -------------------------------------------------------------------------------------------


def _clean_reference_fields(*, owner_kind, owner_id, amount, due_date, period_start, period_end,
                            description) -> dict:
    registry.handler_for(owner_kind)  # UnknownOwnerKind: a reference nobody could settle is never issued
    errors = []
    value = _decimal(amount)
    if value is None or not rules.is_valid_amount(value):
        errors.append(FieldError("amount", "invalid_amount", REFUSALS["invalid_amount"][1]))
    for field, day in (("due_date", due_date), ("period_start", period_start), ("period_end", period_end)):
        if not isinstance(day, date) or isinstance(day, datetime):
            errors.append(FieldError(field, "invalid_date", _("Use una fecha válida (AAAA-MM-DD).")))
    if not errors and period_start > period_end:
        errors.append(FieldError("period_end", "before_start", _("El periodo termina antes de empezar.")))
    text = (description or "").strip()
    if not text or len(text) > 200:
        errors.append(FieldError("description", "invalid", _("El concepto debe tener de 1 a 200 caracteres.")))
    owner = str(owner_id)
    if not owner or len(owner) > 64:
        errors.append(FieldError("owner_id", "invalid", _("El identificador del registro no es válido.")))
    if errors:
        raise DomainError(errors)
    return {"owner_kind": owner_kind, "owner_id": owner, "amount": value, "due_date": due_date,
            "period_start": period_start, "period_end": period_end, "description": text}


def _decimal(value) -> Decimal | None:
    if isinstance(value, float | bool):  # a binary float never becomes money
        return None
    if isinstance(value, str):
        return rules.parse_amount_text(value)
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def _create_with_fresh_code(fields: dict) -> PaymentReference:
    """Insert a reference under a new random code, drawing again on the (rare) unique-code collision."""
    for _attempt in range(CODE_ATTEMPTS):
        code = new_reference_code()
        try:
            with transaction.atomic():
                return PaymentReference.objects.create(code=code, **fields)
        except IntegrityError:
            if not PaymentReference.objects.filter(code=code).exists():
                raise
            logger.warning("payment reference code collision; drawing another")
    raise RuntimeError(f"no free payment reference code after {CODE_ATTEMPTS} draws")


def issue_reference(actor, *, owner_kind: str, owner_id, person, amount, due_date: date, period_start: date,
                    period_end: date, description: str) -> PaymentReference:
    """A new reference for what `person` owes on an owner's record (e.g. an IMSS contribution period)."""
    fields = _clean_reference_fields(owner_kind=owner_kind, owner_id=owner_id, amount=amount, due_date=due_date,
                                     period_start=period_start, period_end=period_end, description=description)
    with transaction.atomic():
        reference = _create_with_fresh_code({**fields, "person": person, "issued_at": timezone.now()})
        audit.record(actor, "payment_reference.issue", reference, after=audit.snapshot(reference))
    return reference


def issue_references_bulk(rows: Iterable[dict], *, actor=None, batch_size: int = 5_000) -> list[int]:
    """Issue many references at once (portfolio jobs, benchmarks): `rows` are dicts with the keyword
    arguments of `issue_reference` (`person` or `person_id`). Returns the new references' ids in the order
    of `rows` (so an owner can link each of its records; `len()` is the count). Batches of `batch_size`
    rows are inserted with bulk_create (binary COPY on PostgreSQL); a batch that hits a code already taken
    draws new codes. One transaction, one audit entry for all."""
    issued_at = timezone.now()
    known_kinds: set[str] = set()
    ids: list[int] = []
    batch: list[list] = []

    def flush() -> None:
        for row, code in zip(batch, new_reference_codes(len(batch)), strict=True):
            row[0] = code
        for _attempt in range(CODE_ATTEMPTS):
            try:
                with transaction.atomic():
                    ids.extend(store.insert_references(batch))
                return
            except IntegrityError:
                codes = [row[0] for row in batch]
                if len(set(codes)) == len(codes) and not PaymentReference.objects.filter(code__in=codes).exists():
                    raise
                for row, code in zip(batch, new_reference_codes(len(batch)), strict=True):
                    row[0] = code  # a code collision: the whole batch draws new codes
        raise RuntimeError(f"no free payment reference codes after {CODE_ATTEMPTS} draws")

    issued = PaymentReference.Status.ISSUED
    with transaction.atomic():
        for index, row in enumerate(rows):
            kind = row["owner_kind"]
            if kind not in known_kinds:
                registry.handler_for(kind)
                known_kinds.add(kind)
            amount = _decimal(row["amount"])
            if amount is None or not rules.is_valid_amount(amount) or row["period_start"] > row["period_end"] \
                    or not 0 < len(str(row["owner_id"])) <= 64:
                raise DomainError(FieldError(f"rows[{index}]", "invalid", _("La fila no es válida.")))
            person = row.get("person")
            batch.append([  # store.NEW_REFERENCE_COLUMNS
                None, kind, str(row["owner_id"]), person.pk if person is not None else row["person_id"],
                row["description"][:200], amount, "MXN", row["period_start"], row["period_end"], row["due_date"],
                issued, issued_at, "",
            ])
            if len(batch) >= batch_size:
                flush()
                batch = []
        if batch:
            flush()
        audit.record(actor, "payment_reference.issue_bulk", object_type="payments.paymentreference",
                     after={"count": len(ids), "owner_kinds": sorted(known_kinds), "issued_at": issued_at})
    return ids


def _locked(reference: PaymentReference) -> PaymentReference:
    return PaymentReference.objects.select_for_update().get(pk=reference.pk)


def _refuse_unless_issued(reference: PaymentReference) -> None:
    if reference.status == PaymentReference.Status.PAID:
        raise DomainError(refusal("already_paid"))
    if reference.status == PaymentReference.Status.CANCELLED:
        raise DomainError(refusal("cancelled"))


def cancel_reference(actor, reference: PaymentReference, reason: str) -> PaymentReference:
    """Cancel a reference that is not paid; a later payment of it is refused as `cancelled`."""
    text = (reason or "").strip()
    if not text or len(text) > 200:
        raise DomainError(FieldError("reason", "required", _("Indique el motivo (hasta 200 caracteres).")))
    with transaction.atomic():
        current = _locked(reference)
        _refuse_unless_issued(current)
        before = audit.snapshot(current)
        current.status = PaymentReference.Status.CANCELLED
        current.cancelled_at = timezone.now()
        current.cancel_reason = text
        current.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        audit.record(actor, "payment_reference.cancel", current, before=before, after=audit.snapshot(current))
    return current


def cancel_references_bulk(actor, reference_ids, reason: str) -> int:
    """Cancel many unpaid references at once (a portfolio job lapsing periods nobody paid). `reference_ids`
    may be a list or a subquery of ids; paid ones are left alone. Runs in the caller's transaction."""
    count = PaymentReference.objects.filter(pk__in=reference_ids, status=PaymentReference.Status.ISSUED).update(
        status=PaymentReference.Status.CANCELLED, cancelled_at=timezone.now(), cancel_reason=reason[:200])
    if count:
        audit.record(actor, "payment_reference.cancel_bulk", object_type="payments.paymentreference",
                     after={"count": count, "reason": reason})
    return count


def reissue_reference(actor, reference: PaymentReference, *, due_date: date | None = None) -> PaymentReference:
    """Replace a reference by a new code for the same owner, person, amount and period (a lost slip, a new
    due date). The old one is cancelled; the new one points to it through `replaces`."""
    if due_date is not None and due_date < timezone.localdate():
        raise DomainError(FieldError("due_date", "in_past", _("La fecha límite no puede ser anterior a hoy.")))
    with transaction.atomic():
        old = _locked(reference)
        _refuse_unless_issued(old)
        before = audit.snapshot(old)
        old.status = PaymentReference.Status.CANCELLED
        old.cancelled_at = timezone.now()
        with translation.override("es"):
            old.cancel_reason = str(_("Sustituida por una nueva referencia."))
        old.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        audit.record(actor, "payment_reference.cancel", old, before=before, after=audit.snapshot(old))
        new = _create_with_fresh_code({
            "owner_kind": old.owner_kind, "owner_id": old.owner_id, "person_id": old.person_id,
            "description": old.description, "amount": old.amount, "currency": old.currency,
            "period_start": old.period_start, "period_end": old.period_end,
            "due_date": due_date or old.due_date, "issued_at": timezone.now(), "replaces": old,
        })
        audit.record(actor, "payment_reference.reissue", new, after=audit.snapshot(new))
    return new


# --- single payments --------------------------------------------------------------------------------------


def _paid_at(value, local: ZoneInfo) -> datetime | None:
    if isinstance(value, str):
        return rules.parse_paid_at(value, local)
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=local)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=local)
    return None


def _same_operation(payment: Payment, code: str, amount: Decimal, paid_at: datetime) -> bool:
    return payment.reference is not None and payment.reference.code == code and payment.amount == amount \
        and payment.paid_at == paid_at


def _replay(operation_id: str, code: str, amount: Decimal, paid_at: datetime) -> Payment | None:
    existing = Payment.objects.select_related("reference").filter(operation_id=operation_id).first()
    if existing is None:
        return None
    if not _same_operation(existing, code, amount, paid_at):
        raise OperationConflictError("operation_conflict", REFUSALS["operation_conflict"][1])
    return existing


def check_payment_fields(errors: list[FieldError], *, amount, paid_at, operation_id, channel: str,
                         channels=WINDOW_CHANNELS) -> tuple[Decimal | None, datetime | None, str]:
    """What every single payment carries, whoever it pays (a reference here, a credit in infonavit): the
    amount, the moment (aware, local when no offset is given), the operation number. Appends a refusal
    to `errors` for each bad field and returns the parsed values."""
    value = _decimal(amount)
    moment = _paid_at(paid_at, _local_zone())
    operation = operation_id.strip() if isinstance(operation_id, str) else ""
    if value is None or not rules.is_valid_amount(value):
        errors.append(refusal("invalid_amount"))
    if moment is None:
        errors.append(refusal("invalid_date"))
    elif moment > timezone.now() + FUTURE_TOLERANCE:
        errors.append(refusal("future_date"))
    if not rules.is_valid_operation_id(operation):
        errors.append(refusal("invalid_operation_id"))
    if channel not in channels:
        errors.append(FieldError("channel", "invalid_choice", _("El valor no está entre las opciones permitidas.")))
    return value, moment, operation


def record_payment(actor, *, reference_code: str, amount, paid_at, operation_id: str,
                   channel: str = Payment.Channel.WINDOW) -> Payment:
    """Record one payment of a reference (window, API, SPEI notice, remittance agent) and let the owner
    apply it. Idempotent per `operation_id`: the same operation again returns the stored payment; the same
    number with other data is an OperationConflictError (409)."""
    local = _local_zone()
    code = normalize_reference(reference_code if isinstance(reference_code, str) else "")
    errors = []
    if not is_valid_reference(code):
        errors.append(refusal("invalid_reference"))
    value, moment, operation = check_payment_fields(errors, amount=amount, paid_at=paid_at,
                                                    operation_id=operation_id, channel=channel)
    if errors:
        raise DomainError(errors)
    existing = _replay(operation, code, value, moment)
    if existing is not None:
        return existing
    if registry.operations_taken([operation]):  # an owner posted the number in its own ledger
        raise OperationConflictError("operation_conflict", REFUSALS["operation_conflict"][1])
    try:
        with transaction.atomic():
            reference = PaymentReference.objects.select_for_update().filter(code=code).first()
            if reference is None:
                raise DomainError(refusal("not_found"))
            reason = rules.refusal_for(reference.status, reference.amount, reference.due_date, value,
                                       moment.astimezone(local).date())
            if reason:
                raise DomainError(refusal(reason))
            payment = Payment.objects.create(
                operation_id=operation, channel=channel, reference=reference, amount=value, paid_at=moment,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            reference.status = PaymentReference.Status.PAID
            reference.save(update_fields=["status"])
            registry.handler_for(reference.owner_kind)([payment])
            audit.record(actor, "payment.record", payment, after={
                "operation_id": operation, "channel": channel, "reference": code, "amount": value,
                "paid_at": moment, "owner_kind": reference.owner_kind, "owner_id": reference.owner_id,
            })
    except IntegrityError:  # a concurrent request stored the same operation, or paid the reference, first
        existing = _replay(operation, code, value, moment)
        if existing is not None:
            return existing
        if Payment.objects.filter(reference__code=code).exists():
            raise DomainError(refusal("already_paid")) from None
        raise
    return payment


# --- payment files ----------------------------------------------------------------------------------------


def _binary(content: bytes | IO[bytes]) -> IO[bytes]:
    return io.BytesIO(content) if isinstance(content, bytes | bytearray | memoryview) else content


def _fingerprint(stream: IO[bytes]) -> str:
    """SHA-256 of the file, checking on the way that it is UTF-8 text without NUL bytes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while block := stream.read(1 << 20):
            digest.update(block)
            decoder.decode(block)
            if b"\x00" in block:
                raise UnicodeError("NUL")
        decoder.decode(b"", final=True)
    except UnicodeError as exc:
        raise DomainError(FieldError("file", "encoding", _("El archivo debe ser texto CSV en UTF-8."))) from exc
    stream.seek(0)
    return digest.hexdigest()


def _rows(reader) -> Iterator[tuple[int, list[str] | None]]:
    """(line number, fields) for every non-blank record; fields None when the CSV cannot be read there."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield reader.line_num, None
            continue
        if row and any(field.strip() for field in row):
            yield reader.line_num, row


def _chunks(rows: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _ReaderFailed:
    def __init__(self, error: BaseException):
        self.error = error


_END = object()


def _parsed_chunks(importer: "_ChunkImporter", rows: Iterator, chunk_size: int) -> Iterator[tuple[list, list]]:
    """Read and check the next chunk of lines in a background thread while the database works on the
    current one: the two cores of a server each do half of the work. The thread only parses (no database),
    and at most two parsed chunks wait in the queue, so memory stays bounded."""
    ready: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            for chunk in _chunks(rows, chunk_size):
                rejected: list[tuple] = []
                if not put((importer.parse(chunk, rejected), rejected)):
                    return
            put(_END)
        except BaseException as error:  # handed to the importing thread, which raises it
            put(_ReaderFailed(error))

    reader = threading.Thread(target=read, name="payment-file-reader", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not _END:
            if isinstance(item, _ReaderFailed):
                raise item.error
            yield item
    finally:
        stop.set()
        reader.join()


def _import_rows(actor, reader, *, sha256: str, filename: str, channel: str, chunk_size: int,
                 importer_class: type["_ChunkImporter"] | None = None, file_fields: dict | None = None) -> PaymentFile:
    importer_class = importer_class or _ChunkImporter
    rows = _rows(reader)
    header = next(rows, None)
    if header is None:
        raise DomainError(FieldError("file", "empty", _("El archivo está vacío.")))
    positions = importer_class.header_positions(header[1] or [])
    payment_file, created = _open_file(actor, sha256=sha256, filename=filename, channel=channel,
                                       file_fields=file_fields)
    if payment_file.status == PaymentFile.Status.DONE:
        return payment_file
    if not created:
        audit.record(actor, "payment_file.resume", payment_file, after={"filename": filename})
    importer = importer_class(actor, payment_file, positions)
    parsed = _parsed_chunks(importer, rows, chunk_size)
    try:
        for candidates, rejected in parsed:
            importer.run(candidates, rejected)
    finally:
        parsed.close()  # stops the reader thread when a chunk fails
    return payment_file


def _open_file(actor, *, sha256: str, filename: str, channel: str,
               file_fields: dict | None = None) -> tuple[PaymentFile, bool]:
    existing = PaymentFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            payment_file = PaymentFile.objects.create(
                filename=filename[:255], sha256=sha256, channel=channel, started_at=timezone.now(),
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None, **(file_fields or {}),
            )
            audit.record(actor, "payment_file.import", payment_file,
                         after={"filename": payment_file.filename, "sha256": sha256, "channel": channel})
    except IntegrityError:  # the same file uploaded twice at once: the other upload runs it
        return PaymentFile.objects.get(sha256=sha256), False
    return payment_file, True


def import_payment_file(actor, *, filename: str, content: bytes | IO[bytes], channel: str = "bank_file",
                        chunk_size: int = CHUNK_SIZE) -> PaymentFile:
    """Import a CSV of payments (header `reference,amount,paid_at,operation_id`, in any order).

    Good lines are applied and bad ones recorded with their line number and reason. Lines are read as a
    stream and handled in chunks of `chunk_size`, each in its own transaction with a handful of bulk
    queries. A file is known by its SHA-256: importing it again changes nothing, and an import that stopped
    half-way resumes after the last line it recorded. The same operation in another file is a `duplicate`.
    """
    if channel not in Payment.Channel.values:
        raise DomainError(FieldError("channel", "invalid_choice", _("El valor no está entre las opciones permitidas.")))
    return _import_stream(actor, filename=filename, content=content, channel=channel, chunk_size=chunk_size)


def _import_stream(actor, *, filename: str, content: bytes | IO[bytes], channel: str, chunk_size: int,
                   importer_class: type["_ChunkImporter"] | None = None, file_fields: dict | None = None) -> PaymentFile:
    """Fingerprint, read in chunks and finish a payment file, whichever importer judges its lines."""
    stream = _binary(content)
    sha256 = _fingerprint(stream)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        payment_file = _import_rows(actor, csv.reader(text), sha256=sha256, filename=filename, channel=channel,
                                    chunk_size=chunk_size, importer_class=importer_class, file_fields=file_fields)
    finally:
        text.detach()  # the caller's stream stays theirs to close
    if payment_file.status == PaymentFile.Status.DONE:
        return payment_file
    with transaction.atomic():
        finished = PaymentFile.objects.select_for_update().get(pk=payment_file.pk)
        if finished.status != PaymentFile.Status.DONE:
            finished.status = PaymentFile.Status.DONE
            finished.finished_at = timezone.now()
            finished.save(update_fields=["status", "finished_at"])
            audit.record(actor, "payment_file.done", finished, after={
                "lines_total": finished.lines_total, "lines_applied": finished.lines_applied,
                "lines_duplicate": finished.lines_duplicate, "lines_rejected": finished.lines_rejected,
            })
    logger.info("payment file %s: %s lines, %s applied, %s duplicate, %s rejected", finished.pk,
                finished.lines_total, finished.lines_applied, finished.lines_duplicate, finished.lines_rejected)
    return finished


class _ChunkImporter:
    """Validates a chunk of lines in Python against three bulk reads, then writes it with a few statements
    (store.py): no query per line, whatever the size of the file."""

    def __init__(self, actor, payment_file: PaymentFile, positions: dict[str, int]):
        self.actor = actor
        self.file_id = payment_file.pk
        self.channel = payment_file.channel
        self.local = _local_zone()
        self.horizon = timezone.now() + FUTURE_TOLERANCE
        self.columns = (positions["reference"], positions["amount"], positions["paid_at"],
                        positions["operation_id"])
        self.width = max(self.columns) + 1
        with translation.override("es"):
            self.spanish = {code: str(message) for code, (_field, message) in REFUSALS.items()}
        self.amounts: dict[str, Decimal | None] = {}
        self.moments: dict[str, tuple] = {}

    @staticmethod
    def header_positions(header: list[str]) -> dict[str, int]:
        positions, missing = rules.header_positions(header)
        if missing:
            raise DomainError(FieldError("file", "bad_header", _(
                "La primera línea debe nombrar las columnas reference, amount, paid_at y operation_id.")))
        return positions

    def run(self, candidates: list[tuple], rejected: list[tuple]) -> None:
        """Match and store one parsed chunk in its own transaction."""
        careful = False
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    self._run(candidates, rejected, careful)
                return
            except (store.ReferencesChanged, IntegrityError):
                # An operation number of the chunk was already posted (the optimistic pass does not look
                # first), or someone paid or cancelled one of its references meanwhile: everything rolled
                # back, and the chunk is matched again looking at every stored payment first.
                logger.info("payment file %s: a chunk met stored payments; matching it again", self.file_id)
                careful = True
        raise RuntimeError(f"payment file {self.file_id}: a chunk kept racing with other payments")

    def _run(self, candidates: list[tuple], rejected: list[tuple], careful: bool) -> None:
        store.commit_lazily()
        locked = PaymentFile.objects.select_for_update().get(pk=self.file_id)
        if locked.status == PaymentFile.Status.DONE:
            return
        done_up_to = PaymentFileLine.objects.filter(payment_file=locked).aggregate(last=Max("line_number"))["last"]
        if done_up_to is not None:  # a resumed import: chunks commit whole, so recorded lines are a prefix
            candidates = [item for item in candidates if item[0] > done_up_to]
            rejected = [line for line in rejected if line[1] > done_up_to]
        if not candidates and not rejected:
            return
        lines = list(rejected)  # a retried chunk starts again from what the reader produced
        payments, to_mark, claimed = self._match(candidates, lines, careful)
        self._apply_claimed(claimed, lines)
        self._write(locked, lines, payments, to_mark)

    def _apply_claimed(self, claimed: list[tuple], lines: list[tuple]) -> None:
        """Lines whose reference an owner claimed (registry.register_reference_format), one owner call per
        line, each in a savepoint so a refused line leaves the chunk's other lines alone."""
        if not claimed:
            return
        taken = store.stored_operations([item[6] for item in claimed])  # a number our references already used
        applied, duplicate = PaymentFileLine.Status.APPLIED, PaymentFileLine.Status.DUPLICATE
        for number, reference, raw_reference, amount, paid_at, _paid_on, operation, name in claimed:
            if operation in taken:
                lines.append(self._reject(number, "operation_conflict", raw_reference, operation))
                continue
            line = registry.ClaimedLine(reference=reference, amount=amount, paid_at=paid_at, operation_id=operation,
                                        channel=self.channel)
            try:
                with transaction.atomic():
                    posted = registry.line_handler(name)(self.actor, line)
            except ConflictError:
                lines.append(self._reject(number, "operation_conflict", raw_reference, operation))
            except DomainError as exc:
                error = exc.errors[0]
                with translation.override("es"):
                    message = str(error.message)
                lines.append((self.file_id, number, PaymentFileLine.Status.REJECTED, error.code[:40], message[:200],
                              operation[:64], raw_reference.strip()[:40]))
            else:
                lines.append((self.file_id, number, applied if posted else duplicate, "", "", operation, reference))

    def _first_of_each_operation(self, candidates, lines: list[tuple]) -> list[tuple]:
        """The candidates whose operation number is new to the file; a repeated one (in this chunk or in an
        earlier line not applied) loses to its first line as duplicate_in_file."""
        seen = store.operations_not_applied_in_file(self.file_id, [item[6] for item in candidates])
        first = []
        for item in candidates:
            if item[6] in seen:
                lines.append(self._reject(item[0], "duplicate_in_file", item[2], item[6]))
            else:
                seen.add(item[6])
                first.append(item)
        return first

    def _reject(self, number: int, code: str, raw_reference: str, operation: str) -> tuple:
        return (self.file_id, number, PaymentFileLine.Status.REJECTED, code, self.spanish[code], operation[:64],
                raw_reference.strip()[:40])

    def parse(self, chunk, lines: list[tuple]) -> list[tuple]:
        """Lines that are well formed, as (number, code, raw reference, amount, paid_at, local date paid,
        operation); the others go to `lines` as rejected. A bank file repeats few dates and amounts, so
        parsed values are memoised (bounded) per import."""
        candidates = []
        reject = self._reject
        i_ref, i_amount, i_paid, i_op = self.columns
        local, horizon, width = self.local, self.horizon, self.width
        amounts, moments = self.amounts, self.moments
        if len(amounts) > 50_000:
            amounts.clear()
        if len(moments) > 50_000:
            moments.clear()
        valid_operation, valid_reference = rules.is_valid_operation_id, is_valid_reference
        for number, row in chunk:
            if row is None:
                lines.append(reject(number, "malformed_line", "", ""))
                continue
            if len(row) < width:
                lines.append(reject(number, "missing_column", row[i_ref] if i_ref < len(row) else "",
                                    row[i_op].strip() if i_op < len(row) else ""))
                continue
            raw_reference, operation = row[i_ref], row[i_op].strip()
            code = normalize_reference(raw_reference)
            if not valid_operation(operation):
                lines.append(reject(number, "invalid_operation_id", raw_reference, ""))
                continue
            claimed = None
            if not valid_reference(code):
                claimed = registry.claim_reference(raw_reference)  # an owner's own format (registry.py)
                if claimed is None:
                    lines.append(reject(number, "invalid_reference", raw_reference, operation))
                    continue
            raw_amount = row[i_amount]
            if raw_amount not in amounts:
                parsed = rules.parse_amount_text(raw_amount)
                amounts[raw_amount] = parsed if parsed is not None and rules.is_valid_amount(parsed) else None
            amount = amounts[raw_amount]
            if amount is None:
                lines.append(reject(number, "invalid_amount", raw_reference, operation))
                continue
            raw_paid = row[i_paid]
            moment = moments.get(raw_paid)
            if moment is None:
                paid_at = rules.parse_paid_at(raw_paid, local)
                moment = moments[raw_paid] = (paid_at, paid_at.astimezone(local).date()) if paid_at else ()
            if not moment:
                lines.append(reject(number, "invalid_date", raw_reference, operation))
            elif moment[0] > horizon:
                lines.append(reject(number, "future_date", raw_reference, operation))
            elif claimed is not None:  # an eighth item: the format that takes the line
                candidates.append((number, claimed[1], raw_reference, amount, moment[0], moment[1], operation,
                                   claimed[0]))
            else:
                candidates.append((number, code, raw_reference, amount, moment[0], moment[1], operation))
        return candidates

    def _match(self, candidates, lines: list[tuple], careful: bool) -> tuple[list[Payment], list[int], list[tuple]]:
        """Decide every line of the chunk, in order. Returns the payments to store, the ids of the
        references still to be marked paid, and the lines an owner claimed (see _apply_claimed).

        Optimistic pass (the usual file: new operations for issued references): the first line of each
        reference is paid straight away by one UPDATE that applies the rule as SQL (store.pay_payable),
        saving a read per line; the other lines are judged here against what is stored. An operation number
        that was already posted makes the payment insert fail, and `run` matches the chunk again carefully
        (stored payments first), which is what the careful pass does from the start."""
        file_id, channel, db = self.file_id, self.channel, connection.alias
        # Numbers an owner already posted in its own ledger (registry.register_operation_check): one query.
        taken = registry.operations_taken([item[6] for item in candidates if len(item) == 7])
        unique, claimed = [], []
        for item in self._first_of_each_operation(candidates, lines):
            if len(item) == 7 and item[6] in taken:
                lines.append(self._reject(item[0], "operation_conflict", item[2], item[6]))
            else:
                (claimed if len(item) > 7 else unique).append(item)  # claimed lines go to their owner
        paid_up_front: dict[str, PaymentReference] = {}
        first_lines: dict[str, tuple] = {}
        if not careful:
            for item in unique:
                first_lines.setdefault(item[1], item)
            paid_up_front = store.pay_payable([(code, item[3], item[5]) for code, item in first_lines.items()])
        optimistic = {id(first_lines[code]) for code in paid_up_front}
        rest = [item for item in unique if id(item) not in optimistic]
        stored = store.stored_operations([item[6] for item in rest])
        references = store.references_by_code([code for code in {item[1] for item in rest}
                                               if code not in paid_up_front])
        references.update(paid_up_front)
        paid_now = {reference.id for reference in paid_up_front.values()}
        to_mark: list[int] = []
        payments: list[Payment] = []
        now = timezone.now()
        applied, duplicate = PaymentFileLine.Status.APPLIED, PaymentFileLine.Status.DUPLICATE
        for item in unique:
            number, code, raw_reference, amount, paid_at, paid_on, operation = item
            reference = references.get(code)
            if id(item) not in optimistic:
                if operation in stored:
                    earlier = stored[operation]
                    if earlier[3] == file_id:  # an applied line of this same file
                        lines.append(self._reject(number, "duplicate_in_file", raw_reference, operation))
                    elif earlier[:3] == (code, amount, paid_at):
                        lines.append((file_id, number, duplicate, "", "", operation, code))
                    else:
                        lines.append(self._reject(number, "operation_conflict", raw_reference, operation))
                    continue
                if reference is None:
                    lines.append(self._reject(number, "not_found", raw_reference, operation))
                    continue
                status = rules.PAID if reference.id in paid_now else reference.status
                reason = rules.refusal_for(status, reference.amount, reference.due_date, amount, paid_on)
                if reason:
                    lines.append(self._reject(number, reason, raw_reference, operation))
                    continue
                paid_now.add(reference.id)
                to_mark.append(reference.id)
            payments.append(store.loaded(Payment, {
                "id": None, "operation_id": operation, "channel": channel, "reference_id": reference.id,
                "amount": amount, "paid_at": paid_at, "payment_file_id": file_id, "recorded_by_id": None,
                "created_at": now,
            }, related={"reference": reference}, db=db))
            lines.append((file_id, number, applied, "", "", operation, code))
        return payments, to_mark, claimed

    def _write(self, locked: PaymentFile, lines: list[tuple], payments: list[Payment], to_mark: list[int]) -> None:
        if payments:
            store.insert_payments(payments)
            if store.mark_paid(to_mark) != len(to_mark):
                raise store.ReferencesChanged
            by_kind: dict[str, list[Payment]] = defaultdict(list)
            for payment in payments:
                payment.reference.status = PaymentReference.Status.PAID
                by_kind[payment.reference.owner_kind].append(payment)
            for kind, batch in by_kind.items():
                registry.handler_for(kind)(batch)
        lines.sort(key=lambda line: line[1])
        store.insert_lines(lines)
        counts = defaultdict(int)
        for line in lines:
            counts[line[2]] += 1
        applied, duplicate = counts[PaymentFileLine.Status.APPLIED], counts[PaymentFileLine.Status.DUPLICATE]
        rejected = counts[PaymentFileLine.Status.REJECTED]
        PaymentFile.objects.filter(pk=locked.pk).update(
            lines_total=F("lines_total") + len(lines), lines_applied=F("lines_applied") + applied,
            lines_duplicate=F("lines_duplicate") + duplicate, lines_rejected=F("lines_rejected") + rejected,
        )
        audit.record(self.actor, "payment_file.chunk", locked, after={
            "first_line": lines[0][1], "last_line": lines[-1][1], "applied": applied, "duplicate": duplicate,
            "rejected": rejected,
        })


# --- Infonavit Sin Fronteras: remittance companies and their settlement files ------------------------------
# shared/domain/infonavit.md, "Infonavit Sin Fronteras". A settlement file goes through the same machinery as a
# bank file (fingerprint, chunks, line report, resume); only the judging of its lines differs: each line is
# converted at the day's USD→MXN rate (stored on the payment) and posted, in pesos, to the owner of the credit
# number through payments.registry (infonavit), under the operation "<company code>:<company's number>".

REMITTANCE_REFUSALS = {
    "invalid_credit_number": ("credit_number", _("El número de crédito debe tener 10 dígitos.")),
    "invalid_amount_usd": ("amount_usd", _("El importe en dólares debe ser un número positivo con punto decimal "
                                           "y a lo más dos decimales.")),
    "invalid_payer": ("payer", _("Quién paga debe ser borrower, relative o third_party.")),
    "invalid_us_state": ("us_state", _("El estado de EUA debe ser una clave postal de dos letras (CA, TX…).")),
    "no_exchange_rate": ("paid_at", _("No hay tipo de cambio USD registrado para el día del pago.")),
}
REFUSALS.update(REMITTANCE_REFUSALS)  # one table of codes, so screens show every line's reason the same way


def usd_mxn_rate(on: date) -> Decimal | None:
    """Pesos per dollar in force on `on` (reference's effective-dated table), or None when there is none."""
    from ventanilla.reference.models import ExchangeRate

    row = (ExchangeRate.objects.filter(currency="USD", valid_from__lte=on)
           .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("-valid_from").first())
    return row.rate if row is not None else None


class _SettlementImporter(_ChunkImporter):
    """Lines of a remittance company's settlement file (rules.SETTLEMENT_COLUMNS). Parsing runs in the reader
    thread (no database); the rate, the stored payment and the ledger posting happen in _apply_claimed."""

    def __init__(self, actor, payment_file: PaymentFile, positions: dict[str, int]):
        self.actor = actor
        self.file_id = payment_file.pk
        self.channel = payment_file.channel
        self.company = RemittanceCompany.objects.get(pk=payment_file.remittance_company_id)
        self.local = _local_zone()
        self.horizon = timezone.now() + FUTURE_TOLERANCE
        self.positions = positions
        self.width = max(positions.values()) + 1
        with translation.override("es"):
            self.spanish = {code: str(message) for code, (_field, message) in REFUSALS.items()}
        self.rates: dict[date, Decimal | None] = {}

    @staticmethod
    def header_positions(header: list[str]) -> dict[str, int]:
        positions, missing = rules.header_positions(header, rules.SETTLEMENT_COLUMNS)
        if missing:
            raise DomainError(FieldError("file", "bad_header", _(
                "La primera línea debe nombrar las columnas operation_id, credit_number, paid_at, amount_usd, "
                "payer y us_state.")))
        return positions

    def parse(self, chunk, lines: list[tuple]) -> list[tuple]:
        """Well-formed lines as (number, credit number, raw credit number, dollars, paid_at, local day,
        operation, format name, payer, US state); the others go to `lines` as rejected."""
        at = self.positions
        reject, width, prefix = self._reject, self.width, self.company.code
        candidates = []
        for number, row in chunk:
            if row is None:
                lines.append(reject(number, "malformed_line", "", ""))
                continue
            if len(row) < width:
                lines.append(reject(number, "missing_column", "", ""))
                continue
            raw_credit, company_operation = row[at["credit_number"]], row[at["operation_id"]].strip()
            operation = rules.remittance_operation_id(prefix, company_operation)
            if not company_operation or not rules.is_valid_operation_id(operation):
                lines.append(reject(number, "invalid_operation_id", raw_credit, ""))
                continue
            claimed = registry.claim_reference(raw_credit)  # the credit number's owner (infonavit)
            if claimed is None:
                lines.append(reject(number, "invalid_credit_number", raw_credit, operation))
                continue
            usd = rules.parse_amount_text(row[at["amount_usd"]])
            if usd is None or not rules.is_valid_amount(usd):
                lines.append(reject(number, "invalid_amount_usd", raw_credit, operation))
                continue
            paid_at = rules.parse_paid_at(row[at["paid_at"]], self.local)
            if paid_at is None:
                lines.append(reject(number, "invalid_date", raw_credit, operation))
                continue
            if paid_at > self.horizon:
                lines.append(reject(number, "future_date", raw_credit, operation))
                continue
            payer, state = row[at["payer"]].strip().lower(), row[at["us_state"]].strip().upper()
            if payer not in rules.PAYER_KINDS:
                lines.append(reject(number, "invalid_payer", raw_credit, operation))
                continue
            if state not in rules.US_STATES:
                lines.append(reject(number, "invalid_us_state", raw_credit, operation))
                continue
            candidates.append((number, claimed[1], raw_credit, usd, paid_at, paid_at.astimezone(self.local).date(),
                               operation, claimed[0], payer, state))
        return candidates

    def _match(self, candidates, lines: list[tuple], careful: bool) -> tuple[list, list, list[tuple]]:
        """Every line goes to its owner (no references of ours here); a number repeated in the file loses."""
        return [], [], self._first_of_each_operation(candidates, lines)

    def _rate(self, on: date) -> Decimal | None:
        if on not in self.rates:
            self.rates[on] = usd_mxn_rate(on)
        return self.rates[on]

    def _apply_claimed(self, claimed: list[tuple], lines: list[tuple]) -> None:
        if not claimed:
            return
        operations = [item[6] for item in claimed]
        earlier = {payment.operation_id: payment
                   for payment in RemittancePayment.objects.filter(operation_id__in=operations)}
        taken = store.stored_operations(operations)  # a number one of our references already used
        applied, duplicate = PaymentFileLine.Status.APPLIED, PaymentFileLine.Status.DUPLICATE
        prefix_length = len(self.company.code) + 1
        for number, credit, raw_credit, usd, paid_at, paid_on, operation, name, payer, state in claimed:
            stored = earlier.get(operation)
            if stored is not None:  # the same operation in an earlier file (or an earlier chunk of this one)
                if stored.payment_file_id == self.file_id:
                    lines.append(self._reject(number, "duplicate_in_file", raw_credit, operation))
                elif (stored.credit_number, stored.amount_usd, stored.paid_at, stored.payer, stored.us_state) == \
                        (credit, usd, paid_at, payer, state):
                    lines.append((self.file_id, number, duplicate, "", "", operation, credit))
                else:
                    lines.append(self._reject(number, "operation_conflict", raw_credit, operation))
                continue
            if operation in taken:
                lines.append(self._reject(number, "operation_conflict", raw_credit, operation))
                continue
            rate = self._rate(paid_on)
            if rate is None:
                lines.append(self._reject(number, "no_exchange_rate", raw_credit, operation))
                continue
            pesos = rules.pesos_for(usd, rate)
            try:
                with transaction.atomic():
                    RemittancePayment.objects.create(
                        company=self.company, company_operation_id=operation[prefix_length:], operation_id=operation,
                        credit_number=credit, payer=payer, us_state=state, amount_usd=usd, usd_mxn_rate=rate,
                        amount_mxn=pesos, commission_usd=self.company.commission_usd, paid_at=paid_at,
                        paid_on=paid_on, payment_file_id=self.file_id, line_number=number)
                    posted = registry.line_handler(name)(self.actor, registry.ClaimedLine(
                        reference=credit, amount=pesos, paid_at=paid_at, operation_id=operation,
                        channel=self.channel))
            except (ConflictError, IntegrityError):
                # IntegrityError: a concurrent import stored the same operation first, or the company already
                # settled this number of its own (under an earlier code); only the savepoint rolled back.
                lines.append(self._reject(number, "operation_conflict", raw_credit, operation))
            except DomainError as exc:
                error = exc.errors[0]
                with translation.override("es"):
                    message = str(error.message)
                lines.append((self.file_id, number, PaymentFileLine.Status.REJECTED, error.code[:40], message[:200],
                              operation[:64], raw_credit.strip()[:40]))
            else:
                lines.append((self.file_id, number, applied if posted else duplicate, "", "", operation, credit))


def import_settlement_file(actor, *, company: RemittanceCompany, filename: str, content: bytes | IO[bytes],
                           chunk_size: int = CHUNK_SIZE) -> PaymentFile:
    """Import a remittance company's settlement CSV (header operation_id,credit_number,paid_at,amount_usd,
    payer,us_state, in any order). Like import_payment_file: good lines applied, bad ones recorded by line
    number with their reason, the same file again changes nothing, a stopped import resumes, and an operation
    the company already settled in another file is a `duplicate`."""
    if not isinstance(company, RemittanceCompany) or not company.active:
        raise DomainError(FieldError("company", "inactive", _("Elija una remesadora aliada activa.")))
    payment_file = _import_stream(actor, filename=filename, content=content, channel=Payment.Channel.REMITTANCE,
                                  chunk_size=chunk_size, importer_class=_SettlementImporter,
                                  file_fields={"remittance_company": company})
    if payment_file.remittance_company_id != company.pk:  # the same bytes were already another's file
        raise DomainError(FieldError("file", "other_company", _(
            "Este archivo ya se importó como liquidación de otra remesadora o como archivo bancario.")))
    return payment_file


def save_remittance_company(actor, company: RemittanceCompany) -> RemittanceCompany:
    """Staff add or edit an allied company (admin); audited with what changed."""
    code = (company.code or "").strip().upper()
    if not code or not code.isascii() or not code.isalnum():
        raise DomainError(FieldError("code", "invalid", _("La clave lleva solo letras y dígitos.")))
    company.code = code
    with transaction.atomic():
        stored = RemittanceCompany.objects.select_for_update().get(pk=company.pk) if company.pk else None
        before = audit.snapshot(stored) if stored is not None else None
        # Its operation numbers carry the code ("<code>:<number>"): fixed once the company has payments.
        if stored is not None and stored.code != code and stored.payments.exists():
            raise DomainError(FieldError("code", "code_in_use", _(
                "La clave no se puede cambiar: la remesadora ya tiene pagos registrados con ella.")))
        company.full_clean()
        company.save()
        audit.record(actor, "remittance_company.save", company, before=before, after=audit.snapshot(company))
    return company
