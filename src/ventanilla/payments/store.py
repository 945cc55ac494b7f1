"""Bulk reads and writes of the payment-file import: a handful of statements per chunk of 5,000 lines.

PostgreSQL (production, CI, the million-line benchmark) gets array parameters (`= ANY(%s)`, one parameter
instead of thousands), binary COPY for the inserts with primary keys drawn from the sequence up front, and
model instances built without running `Model.__init__` (the way Django itself unpickles rows: a third of
the cost). Other databases (the embedded SQLite demo) go through the ORM. Every function runs inside the
caller's transaction.
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model
from django.db.models.base import ModelState

from ventanilla.payments.models import Payment, PaymentFileLine, PaymentReference

# What matching and the owners need; other fields of these instances load on first access (deferred).
REFERENCE_COLUMNS = ("id", "code", "owner_kind", "owner_id", "person_id", "amount", "currency", "period_start",
                     "period_end", "due_date", "status")
PAYMENT_COLUMNS = tuple(field.attname for field in Payment._meta.concrete_fields)
LINE_COLUMNS = ("payment_file_id", "line_number", "status", "error_code", "error_message", "operation_id",
                "reference_text")


# Codes, operation numbers and ids never contain a comma (rules.py, references.py): a list travels as one
# comma-joined text parameter, which psycopg sends as is instead of quoting thousands of array elements.
_TEXT_ARRAY = "string_to_array(%s, ',')"


def _joined(values: Iterable[str]) -> str:
    return ",".join(values)


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
        cursor.execute(f"SELECT {columns} FROM payments_paymentreference WHERE code = ANY({_TEXT_ARRAY})",
                       [_joined(codes)])
        rows = cursor.fetchall()
    db = connection.alias
    return {row[1]: loaded(PaymentReference, dict(zip(REFERENCE_COLUMNS, row, strict=True)), db=db)
            for row in rows}


def stored_operations(operations: Sequence[str]) -> dict[str, tuple]:
    """operation_id → (reference code, amount, paid_at) of payments already recorded."""
    if not operations:
        return {}
    if not _postgres():
        return {op: (code, amount, paid_at) for op, code, amount, paid_at in Payment.objects.filter(
            operation_id__in=operations).values_list("operation_id", "reference__code", "amount", "paid_at")}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.operation_id, r.code, p.amount, p.paid_at FROM payments_payment p "
            f"LEFT JOIN payments_paymentreference r ON r.id = p.reference_id WHERE p.operation_id = ANY({_TEXT_ARRAY})",
            [_joined(operations)],
        )
        return {op: (code, amount, paid_at) for op, code, amount, paid_at in cursor.fetchall()}


def operations_in_file(file_id: int, operations: Sequence[str]) -> set[str]:
    """Which of these operation numbers earlier lines of the same file already carried."""
    if not operations:
        return set()
    if not _postgres():
        return set(PaymentFileLine.objects.filter(payment_file_id=file_id, operation_id__in=operations)
                   .values_list("operation_id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT operation_id FROM payments_paymentfileline WHERE payment_file_id = %s "
                       f"AND operation_id = ANY({_TEXT_ARRAY})", [file_id, _joined(operations)])
        return {row[0] for row in cursor.fetchall()}


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
    with connection.cursor() as cursor:
        cursor.execute("SELECT string_agg(nextval(pg_get_serial_sequence('payments_payment', 'id'))::text, ',') "
                       "FROM generate_series(1, %s)", [len(payments)])
        for payment, pk in zip(payments, cursor.fetchone()[0].split(","), strict=True):
            payment.id = int(pk)
    _copy("payments_payment", PAYMENT_COLUMNS,
          ([payment.__dict__[column] for column in PAYMENT_COLUMNS] for payment in payments))


NEW_REFERENCE_COLUMNS = ("code", "owner_kind", "owner_id", "person_id", "description", "amount", "currency",
                         "period_start", "period_end", "due_date", "status", "issued_at", "cancel_reason")


def insert_references(rows: list[Sequence]) -> None:
    """Store new references given in NEW_REFERENCE_COLUMNS order."""
    if not _postgres():
        PaymentReference.objects.bulk_create(
            [PaymentReference(**dict(zip(NEW_REFERENCE_COLUMNS, row, strict=True))) for row in rows])
        return
    _copy("payments_paymentreference", NEW_REFERENCE_COLUMNS, rows)


def insert_lines(rows: list[tuple]) -> None:
    """Store file lines given as tuples in LINE_COLUMNS order."""
    if not rows:
        return
    if not _postgres():
        PaymentFileLine.objects.bulk_create(
            [PaymentFileLine(**dict(zip(LINE_COLUMNS, row, strict=True))) for row in rows])
        return
    _copy("payments_paymentfileline", LINE_COLUMNS, rows)


def mark_paid(reference_ids: list[int]) -> int:
    """Issued references become paid; the count tells whether someone else changed one meanwhile."""
    if not reference_ids:
        return 0
    if not _postgres():
        return PaymentReference.objects.filter(pk__in=reference_ids, status=PaymentReference.Status.ISSUED) \
            .update(status=PaymentReference.Status.PAID)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE payments_paymentreference SET status = %s "
                       f"WHERE id = ANY({_TEXT_ARRAY}::bigint[]) AND status = %s",
                       [PaymentReference.Status.PAID, _joined(map(str, reference_ids)), PaymentReference.Status.ISSUED])
        return cursor.rowcount


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    column_list = ", ".join(columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column_list} FROM {table} LIMIT 0")
        types = [column.type_code for column in cursor.description]
        # The raw psycopg cursor: its errors are turned into Django's (IntegrityError…) as the ORM's are.
        with connection.wrap_database_errors, \
                cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
