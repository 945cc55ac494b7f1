"""Bulk reads and writes of the payment-file import: a handful of statements per chunk of 5,000 lines.

PostgreSQL (production, CI, the million-line benchmark) gets array parameters (`= ANY(%s)`, one parameter
instead of thousands), binary COPY for the inserts with primary keys drawn from the sequence up front, and
model instances built without running `Model.__init__` (the way Django itself unpickles rows: a third of
the cost). Other databases (the embedded SQLite demo) go through the ORM. Every function runs inside the
caller's transaction.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Model
from django.db.models.base import ModelState

from ventanilla.core.bulk import TEXT_ARRAY, allocate_ids, copy_rows, joined
from ventanilla.payments import rules
from ventanilla.payments.models import Payment, PaymentFileLine, PaymentReference

# What matching and the owners need; other fields of these instances load on first access (deferred).
REFERENCE_COLUMNS = ("id", "code", "owner_kind", "owner_id", "person_id", "amount", "currency", "period_start",
                     "period_end", "due_date", "status")
PAYMENT_COLUMNS = tuple(field.attname for field in Payment._meta.concrete_fields)
LINE_COLUMNS = ("payment_file_id", "line_number", "status", "error_code", "error_message", "operation_id",
                "reference_text")


class ReferencesChanged(Exception):
    """A reference was paid or cancelled by someone else between reading and marking it."""


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def loaded(model: type[Model], values: dict, related: dict | None = None, db: str = "default") -> Model:
    """A model instance as if read from the database (fields not in `values` are deferred), with related
    objects already cached."""
    instance = model.__new__(model)
    instance.__dict__.update(values)
    state = ModelState()
    state.adding = False
    state.db = db
    if related:
        state.fields_cache.update(related)
    instance._state = state
    return instance


def references_by_code(codes: Sequence[str]) -> dict[str, PaymentReference]:
    if not codes:
        return {}
    if not _postgres():
        return {reference.code: reference for reference in PaymentReference.objects.filter(code__in=codes)}
    columns = ", ".join(REFERENCE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM payments_paymentreference WHERE code = ANY({TEXT_ARRAY})",
                       [joined(codes)])
        rows = cursor.fetchall()
    db = connection.alias
    return {row[1]: loaded(PaymentReference, dict(zip(REFERENCE_COLUMNS, row, strict=True)), db=db)
            for row in rows}


def pay_payable(items: list[tuple[str, Decimal, date]]) -> dict[str, PaymentReference]:
    """Mark paid, in one statement, each reference that a payment of `amount` on local date `paid_on` may
    settle, and return them (status paid). `items` are (code, amount, paid_on), one per code.

    The SQL condition is rules.refusal_for(...) is None written as a query (issued, same amount, paid by
    the due date); tests/payments/test_store.py holds the two equal on 10,000 generated cases."""
    if not items:
        return {}
    if not _postgres():
        references = references_by_code([item[0] for item in items])
        payable = {code: references[code] for code, amount, paid_on in items if code in references
                   and rules.refusal_for(references[code].status, references[code].amount,
                                         references[code].due_date, amount, paid_on) is None}
        if mark_paid([reference.id for reference in payable.values()]) != len(payable):
            raise ReferencesChanged
        for reference in payable.values():
            reference.status = PaymentReference.Status.PAID
        return payable
    columns = ", ".join(f"r.{column}" for column in REFERENCE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE payments_paymentreference r SET status = 'paid' "
            f"FROM unnest({TEXT_ARRAY}, {TEXT_ARRAY}::numeric[], {TEXT_ARRAY}::date[]) AS v(code, amount, paid_on) "
            f"WHERE r.code = v.code AND r.status = 'issued' AND r.amount = v.amount AND v.paid_on <= r.due_date "
            f"RETURNING {columns}",
            [joined(item[0] for item in items), joined(str(item[1]) for item in items),
             joined(item[2].isoformat() for item in items)],
        )
        rows = cursor.fetchall()
    db = connection.alias
    return {row[1]: loaded(PaymentReference, dict(zip(REFERENCE_COLUMNS, row, strict=True)), db=db)
            for row in rows}


def stored_operations(operations: Sequence[str]) -> dict[str, tuple]:
    """operation_id → (reference code, amount, paid_at, payment file id) of payments already recorded."""
    if not operations:
        return {}
    if not _postgres():
        return {row[0]: row[1:] for row in Payment.objects.filter(operation_id__in=operations).values_list(
            "operation_id", "reference__code", "amount", "paid_at", "payment_file_id")}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.operation_id, r.code, p.amount, p.paid_at, p.payment_file_id FROM payments_payment p "
            f"LEFT JOIN payments_paymentreference r ON r.id = p.reference_id WHERE p.operation_id = ANY({TEXT_ARRAY})",
            [joined(operations)],
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def operations_not_applied_in_file(file_id: int, operations: Sequence[str]) -> set[str]:
    """Which of these operation numbers earlier duplicate or rejected lines of the same file carried (the
    applied ones are payments of the file: `stored_operations` finds them). Served by a partial index
    that leaves applied lines, nearly all of them, out."""
    if not operations:
        return set()
    if not _postgres():
        return set(PaymentFileLine.objects.filter(payment_file_id=file_id, operation_id__in=operations)
                   .exclude(status=PaymentFileLine.Status.APPLIED).values_list("operation_id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT operation_id FROM payments_paymentfileline WHERE payment_file_id = %s "
                       f"AND NOT (status = 'applied') AND operation_id = ANY({TEXT_ARRAY})",
                       [file_id, joined(operations)])
        return {row[0] for row in cursor.fetchall()}


def commit_lazily() -> None:
    """This transaction's commit does not wait for its WAL to reach the disk (PostgreSQL only). For chunks
    of a payment file: should the server crash right after, the chunk is lost whole (with its lines) and the
    import resumes there; the file is marked done by a normal commit, which flushes every chunk before it."""
    if _postgres() and len(connection.atomic_blocks) == 1:  # not when a caller's transaction holds ours
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def insert_payments(payments: list[Payment]) -> None:
    """Store payments built with `loaded` (id None); they get their primary keys."""
    if not payments:
        return
    if not _postgres():
        for payment in payments:
            payment._state.adding = True
        Payment.objects.bulk_create(payments)
        for payment in payments:
            payment._state.adding = False
        return
    for payment, pk in zip(payments, allocate_ids(Payment, len(payments)), strict=True):
        payment.id = pk
    copy_rows(Payment, PAYMENT_COLUMNS,
          ([payment.__dict__[column] for column in PAYMENT_COLUMNS] for payment in payments))


NEW_REFERENCE_COLUMNS = ("code", "owner_kind", "owner_id", "person_id", "description", "amount", "currency",
                         "period_start", "period_end", "due_date", "status", "issued_at", "cancel_reason")


def insert_references(rows: list[Sequence]) -> list[int]:
    """Store new references given in NEW_REFERENCE_COLUMNS order; their ids, in the same order."""
    if not rows:
        return []
    if not _postgres():
        created = PaymentReference.objects.bulk_create(
            [PaymentReference(**dict(zip(NEW_REFERENCE_COLUMNS, row, strict=True))) for row in rows])
        return [reference.pk for reference in created]
    ids = allocate_ids(PaymentReference, len(rows))
    copy_rows(PaymentReference, ("id", *NEW_REFERENCE_COLUMNS),
          ((pk, *row) for pk, row in zip(ids, rows, strict=True)))
    return ids


def insert_lines(rows: list[tuple]) -> None:
    """Store file lines given as tuples in LINE_COLUMNS order."""
    if not rows:
        return
    if not _postgres():
        PaymentFileLine.objects.bulk_create(
            [PaymentFileLine(**dict(zip(LINE_COLUMNS, row, strict=True))) for row in rows])
        return
    copy_rows(PaymentFileLine, LINE_COLUMNS, rows)


def mark_paid(reference_ids: list[int]) -> int:
    """Issued references become paid; the count tells whether someone else changed one meanwhile."""
    if not reference_ids:
        return 0
    if not _postgres():
        return PaymentReference.objects.filter(pk__in=reference_ids, status=PaymentReference.Status.ISSUED) \
            .update(status=PaymentReference.Status.PAID)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payments_paymentreference SET status = %s "
                       f"WHERE id = ANY({TEXT_ARRAY}::bigint[]) AND status = %s",
                       [PaymentReference.Status.PAID, joined(map(str, reference_ids)), PaymentReference.Status.ISSUED])
        return cursor.rowcount
