"""Indexes on the big tables are built CONCURRENTLY on PostgreSQL (inserts go on during a deploy) and plainly on
SQLite (core.migration_operations); the test databases themselves are built by these migrations."""

import io

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)  # sqlmigrate opens a schema editor: not inside the test transaction
def test_the_tablero_indexes_are_built_concurrently_on_postgresql():
    out = io.StringIO()
    call_command("sqlmigrate", "infonavit", "0010", stdout=out)
    statements = [line for line in out.getvalue().splitlines() if line.startswith("CREATE INDEX")]
    assert len(statements) == 2
    if connection.vendor == "postgresql":
        assert all(line.startswith("CREATE INDEX CONCURRENTLY") for line in statements)
        assert "BEGIN;" not in out.getvalue()  # not in a transaction: CONCURRENTLY refuses one
    else:
        assert not any("CONCURRENTLY" in line for line in statements)
