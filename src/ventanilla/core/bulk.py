"""Bulk writes for portfolio jobs, benchmarks and demo seeding: rows the caller built and trusts.

PostgreSQL gets binary COPY with the column types fixed up front (about five times less client CPU per
row than text COPY; BENCHMARKS.md); other databases get bulk_create. The caller holds the transaction.
"""

import os
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from django.db import connection, models, transaction

T = TypeVar("T")

# A list as one SQL parameter on PostgreSQL: `= ANY(string_to_array(%s, ','))` with the values comma-joined.
# Codes, operation numbers, ids and ISO dates never contain a comma; psycopg sends the one text as is
# instead of quoting thousands of array elements (Django's cursors bind on the client).
TEXT_ARRAY = "string_to_array(%s, ',')"


def joined(values: Iterable) -> str:
    return ",".join(map(str, values))


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple],
              batch_size: int = 20_000) -> int:
    table = model._meta.db_table
    total = 0
    if connection.vendor == "postgresql":
        column_list = ", ".join(columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {column_list} FROM {table} LIMIT 0")
            types = [column.type_code for column in cursor.description]
            # The raw psycopg cursor: its errors become Django's (IntegrityError…) as the ORM's do.
            with connection.wrap_database_errors, \
                    cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
                    total += 1
        return total
    attnames = [model._meta.get_field(c).attname if c != "id" else "id" for c in columns]
    batch: list[models.Model] = []
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) >= batch_size:
            model.objects.bulk_create(batch)
            total += len(batch)
            batch.clear()
    if batch:
        model.objects.bulk_create(batch)
        total += len(batch)
    return total


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for rows about to be copied, so related rows can point at them in the same pass.
    On PostgreSQL from the table's sequence; elsewhere after the current maximum (the caller must hold
    the write lock, as SQLite's IMMEDIATE transactions do)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')::regclass::oid", [table])
            sequence = cursor.fetchone()[0]  # resolved once: inside nextval() it costs a catalogue lookup a row
            cursor.execute("SELECT string_agg(nextval(%s::oid::regclass)::text, ',') FROM generate_series(1, %s)",
                           [sequence, count])
            return [int(pk) for pk in cursor.fetchone()[0].split(",")]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def parallel_sessions(snapshot: str | None = None) -> int:
    """How many database sessions a portfolio job may spread its work over. PostgreSQL runs each session in its
    own server process, so a job whose time is the server's (a 6.2 M-row read or insert) gets up to one core
    each (at most two: this machine has two, BENCHMARKS.md). One inside a transaction: another session would
    not see its uncommitted rows (the tests run in one), unless the transaction is shared_snapshot()'s, which
    has written nothing and whose snapshot the other sessions import; one on SQLite (one writer)."""
    if connection.vendor != "postgresql" or (connection.in_atomic_block and snapshot is None):
        return 1
    return max(1, min(2, os.cpu_count() or 1))


_SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")


@contextmanager
def shared_snapshot() -> Iterator[str | None]:
    """One moment for a read spread over several sessions: on PostgreSQL outside a transaction, this session
    opens a REPEATABLE READ transaction and exports its snapshot (pg_export_snapshot); each other session
    calls import_snapshot() first, so every part of the job reads the same committed state, as one session
    would. Yields the snapshot's id, or None where one session reads anyway (SQLite, or already inside a
    transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield None
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")  # must be the transaction's first
        cursor.execute("SELECT pg_export_snapshot()")
        yield cursor.fetchone()[0]


def import_snapshot(snapshot: str | None) -> None:
    """In a new transaction of another session (the first statements): read shared_snapshot()'s moment. Does
    nothing without a snapshot, or on the exporting session itself (already in that transaction)."""
    if snapshot is None or not connection.in_atomic_block or connection.savepoint_ids:
        return
    if not _SNAPSHOT_ID.fullmatch(snapshot):  # inlined below: SET takes no bound parameter
        raise ValueError(f"not a snapshot id: {snapshot!r}")
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")


def in_sessions(tasks: Sequence[Callable[[], T]], sessions: int) -> Iterator[T]:
    """Run each task (it uses django.db.connection as usual) and yield its result as it finishes, in completion
    order. With sessions > 1 the tasks run in that many threads, each with its own database connection (closed
    when the thread ends); the first failure stops the tasks not started yet and is raised here."""
    if sessions <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield task()
        return
    pending: queue.SimpleQueue = queue.SimpleQueue()
    for task in tasks:
        pending.put(task)
    results: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()

    def work() -> None:
        try:
            while not stop.is_set():
                try:
                    task = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    results.put((True, task()))
                except BaseException as exc:  # handed to the caller's thread
                    stop.set()
                    results.put((False, exc))
                    return
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=work, name=f"portfolio-session-{index}", daemon=True)
               for index in range(min(sessions, len(tasks)))]
    for thread in threads:
        thread.start()
    try:
        for _ in range(len(tasks)):
            ok, value = results.get()
            if not ok:
                raise value
            yield value
    finally:
        stop.set()
        for thread in threads:
            thread.join()
