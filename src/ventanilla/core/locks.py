"""Transaction-level advisory locks (PostgreSQL): serialise writers of one thing that a row lock cannot cover,
such as replacing a whole set of rows (delete then insert). Each key is one constant here, so two uses never
share a number by accident."""

from django.db import connection

# reports.services.refresh_snapshots: IndicatorSnapshot and MonthlyRows replaced as one set.
REPORTS_PRECOMPUTED = 7_001_001


def hold_for_transaction(key: int) -> None:
    """Wait for, then hold until the current transaction ends, the advisory lock `key`. Call inside
    transaction.atomic(). SQLite has one writer at a time anyway: nothing to do there."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
