"""Reading the whole portfolio in bulk: every active credit with its running state, as a Polars frame.

A credit's state is set-based here, one pass over the ledger grouped by credit, instead of
selectors.ledger_state's fold of one credit at a time (tests/batch/test_portfolio.py holds the two equal):
- balance and payment in force: the last entry's balance_after and monthly_payment_after (on PostgreSQL the
  maximum of the array [sequence, balance_after, monthly_payment_after] picks the last entry in the same
  aggregate; elsewhere a join back on the highest sequence);
- arrears: the sum of `due` (rules.ledger: the amount due is the fold of the entries' `due`), its positive
  part; missed payments as rules.ledger.missed_payments reads it (arrears in whole installments, rounded up);
- months billed: the interest accruals.

PostgreSQL streams the query with COPY ... TO STDOUT in binary, read by NumPy in blocks; SQLite (tests and the demo)
runs the same query through the ORM's cursor. Money comes out in integer centavos, the rate in ten-thousandths
of a percent (batch.solutions's columns).
"""

import io
from datetime import date

import numpy as np
import polars as pl
from django.db import connection, transaction

from ventanilla.batch.solutions import RATE_SCALE
from ventanilla.infonavit.models import Credit, LedgerEntry
from ventanilla.people.models import MEXICAN_STATES, Person

CREDIT = Credit._meta.db_table
LEDGER = LedgerEntry._meta.db_table
PERSON = Person._meta.db_table

LEDGER_STATE_SCHEMA = {"credit_id": pl.Int64, "balance": pl.Int64, "monthly_payment": pl.Int64, "due": pl.Int64,
                       "months_billed": pl.Int64}
# Codes as enums: one small integer a row instead of a string each (millions of rows).
CODES = {
    "state": [code for code, _name in MEXICAN_STATES],
    "product": list(Credit.Product.values),
    "denomination": list(Credit.Denomination.values),
    "regime": list(Credit.Regime.values),
}
PORTFOLIO_SCHEMA = {
    "credit_id": pl.Int64, "state": pl.Enum(CODES["state"]), "product": pl.Enum(CODES["product"]),
    "denomination": pl.Enum(CODES["denomination"]), "origination_date": pl.Date, "amount_lent": pl.Int64,
    "rate": pl.Int64, "term_months": pl.Int32, "monthly_insurance_and_fees": pl.Int64,
    "regime": pl.Enum(CODES["regime"]), "cofinanced": pl.Boolean, "borrower_birth_date": pl.Date,
    **{k: v for k, v in LEDGER_STATE_SCHEMA.items() if k != "credit_id"},
}
# PostgreSQL's binary COPY of the portfolio query: every column fixed-width and never null, so each row has
# the same size and NumPy reads a whole block at once (big-endian; codes as their 1-based position in CODES,
# dates as days since 2000-01-01).
_BINARY_COLUMNS = (("credit_id", ">i8"), ("state", ">i2"), ("product", ">i2"), ("denomination", ">i2"),
                   ("origination_date", ">i4"), ("amount_lent", ">i8"), ("rate", ">i8"), ("term_months", ">i4"),
                   ("monthly_insurance_and_fees", ">i8"), ("regime", ">i2"), ("cofinanced", "?"),
                   ("borrower_birth_date", ">i4"), ("balance", ">i8"), ("monthly_payment", ">i8"), ("due", ">i8"),
                   ("months_billed", ">i8"))
_BINARY_ROW = np.dtype([("fields", ">i2")] + [item for index, (name, kind) in enumerate(_BINARY_COLUMNS)
                                               for item in ((f"size{index}", ">i4"), (name, kind))])
_BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00"
_DAYS_1970_TO_2000 = 10_957
_CHUNK_BYTES = 64 * 1024 * 1024
READ_WORK_MEM = "256MB"


def _ledger_state_sql() -> str:
    if connection.vendor == "postgresql":
        return f"""
            SELECT credit_id, (last[2] * 100)::bigint AS balance, (last[3] * 100)::bigint AS monthly_payment,
                   due, months_billed
            FROM (SELECT credit_id,
                         max(ARRAY[sequence::numeric, balance_after, monthly_payment_after]) AS last,
                         (sum(due) * 100)::bigint AS due,
                         count(*) FILTER (WHERE kind = 'accrual_interest') AS months_billed
                  FROM {LEDGER} GROUP BY credit_id) AS s"""
    # SQLite keeps decimals as binary floats: rounded to whole centavos.
    return f"""
        SELECT s.credit_id, CAST(ROUND(l.balance_after * 100) AS INTEGER) AS balance,
               CAST(ROUND(l.monthly_payment_after * 100) AS INTEGER) AS monthly_payment, s.due, s.months_billed
        FROM (SELECT credit_id, MAX(sequence) AS last_sequence, CAST(ROUND(SUM(due) * 100) AS INTEGER) AS due,
                     SUM(CASE WHEN kind = 'accrual_interest' THEN 1 ELSE 0 END) AS months_billed
              FROM {LEDGER} GROUP BY credit_id) AS s
        JOIN {LEDGER} AS l ON l.credit_id = s.credit_id AND l.sequence = s.last_sequence"""


def _portfolio_sql() -> str:
    if connection.vendor == "postgresql":
        def position(column: str) -> str:
            listed = ", ".join(f"'{code}'" for code in CODES[column.split(".")[1]])
            return f"COALESCE(array_position(ARRAY[{listed}], {column}::text), 0)::int2"

        columns = (f"c.id, {position('c.state')}, {position('c.product')}, {position('c.denomination')}, "
                   f"c.origination_date, (c.amount_lent * 100)::bigint, (c.rate * {RATE_SCALE})::bigint, "
                   f"c.term_months::int4, (c.monthly_insurance_and_fees * 100)::bigint, {position('c.regime')}, "
                   f"c.cofinanced_share > 0, p.birth_date, s.balance, s.monthly_payment, s.due, s.months_billed")
    else:
        columns = (f"c.id, c.state, c.product, c.denomination, c.origination_date, "
                   f"CAST(ROUND(c.amount_lent * 100) AS INTEGER), CAST(ROUND(c.rate * {RATE_SCALE}) AS INTEGER), "
                   f"c.term_months, CAST(ROUND(c.monthly_insurance_and_fees * 100) AS INTEGER), c.regime, "
                   f"c.cofinanced_share > 0, p.birth_date, s.balance, s.monthly_payment, s.due, s.months_billed")
    return f"""
        SELECT {columns}
        FROM {CREDIT} AS c
        JOIN ({_ledger_state_sql()}) AS s ON s.credit_id = c.id
        JOIN {PERSON} AS p ON p.id = c.borrower_id
        WHERE c.status = 'active'"""


def _read_binary(sql: str) -> pl.DataFrame:
    """COPY (query) TO STDOUT in binary, read by NumPy about 64 MB of rows at a time."""
    parts, pending, started = [], bytearray(), False
    size = _BINARY_ROW.itemsize

    def parse(data: bytes) -> None:
        rows = np.frombuffer(data, dtype=_BINARY_ROW)
        expected = [np.dtype(kind).itemsize for _name, kind in _BINARY_COLUMNS]
        if not ((rows["fields"] == len(_BINARY_COLUMNS)).all()
                and all((rows[f"size{index}"] == width).all() for index, width in enumerate(expected))):
            raise ValueError("unexpected row layout in the portfolio COPY (a null value?)")
        columns = {}
        for name, _kind in _BINARY_COLUMNS:
            values = rows[name].astype(rows[name].dtype.newbyteorder("="))
            if name in CODES:
                if (values < 1).any():
                    raise ValueError(f"unknown {name} code in the portfolio")
                columns[name] = pl.Series(name, CODES[name], dtype=PORTFOLIO_SCHEMA[name]).gather(values - 1)
            elif PORTFOLIO_SCHEMA[name] == pl.Date:
                columns[name] = pl.Series(name, values + _DAYS_1970_TO_2000, dtype=pl.Int32).cast(pl.Date)
            else:
                columns[name] = pl.Series(name, values).cast(PORTFOLIO_SCHEMA[name])
        parts.append(pl.DataFrame(columns))

    with connection.cursor() as cursor, connection.wrap_database_errors, \
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT binary)") as copy:
        for block in copy:
            pending += block
            if not started and len(pending) >= 19:
                if bytes(pending[:11]) != _BINARY_HEADER:
                    raise ValueError("not a binary COPY stream")
                extension = int.from_bytes(pending[15:19], "big")
                del pending[:19 + extension]
                started = True
            if started and len(pending) >= _CHUNK_BYTES:
                cut = len(pending) // size * size
                parse(bytes(pending[:cut]))
                del pending[:cut]
    if pending[-2:] != b"\xff\xff":
        raise ValueError("binary COPY stream without its trailer")
    del pending[-2:]
    if pending:
        parse(bytes(pending))
    return pl.concat(parts) if parts else pl.DataFrame(schema=PORTFOLIO_SCHEMA)


def _read(sql: str, schema: dict) -> pl.DataFrame:
    if connection.vendor == "postgresql":
        return _copy_out(sql, schema)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def _copy_out(sql: str, schema: dict) -> pl.DataFrame:
    """COPY (query) TO STDOUT as CSV, parsed by Polars about 64 MB at a time (cut at a line end)."""
    parts, pending = [], bytearray()
    names = list(schema)

    def parse(data: bytes) -> None:
        if data:
            parts.append(pl.read_csv(io.BytesIO(data), has_header=False, new_columns=names, schema=schema))

    with connection.cursor() as cursor, connection.wrap_database_errors, \
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
        for block in copy:
            pending += block
            if len(pending) >= _CHUNK_BYTES:
                cut = pending.rfind(b"\n") + 1
                parse(bytes(pending[:cut]))
                del pending[:cut]
    parse(bytes(pending))
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def ledger_states() -> pl.DataFrame:
    """Every credit's running state from its ledger (centavos): balance, monthly_payment, due, months_billed."""
    return _read(_ledger_state_sql(), LEDGER_STATE_SCHEMA)


def read_portfolio() -> pl.DataFrame:
    """Every active credit: its terms, its borrower's birth date and its ledger state (PORTFOLIO_SCHEMA)."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            # The join with a million persons hashes in memory instead of spilling to disk in batches.
            cursor.execute(f"SET LOCAL work_mem = '{READ_WORK_MEM}'")
            return _read_binary(_portfolio_sql())
    return _read(_portfolio_sql(), PORTFOLIO_SCHEMA)


def missed_payments(due: pl.Expr, installment: pl.Expr) -> pl.Expr:
    """rules.ledger.missed_payments column-wise: the arrears (positive part of due) in whole installments,
    rounded up; 0 without arrears or without an installment."""
    arrears = pl.max_horizontal(due, 0)
    return (pl.when((installment > 0) & (arrears > 0)).then((arrears + installment - 1) // installment)
            .otherwise(0))


# What the campaign assumes for the facts the portfolio does not hold (shown to staff with each run).
ASSUMED_FACTS = (
    ("monthly_income", "Ingreso mensual: desconocido; cuenta como requisito no acreditado (RC: ingreso de hasta "
                       "4 salarios mínimos).",
     "Monthly income: unknown; counts as a condition not shown (RC: income up to 4 minimum wages)."),
    ("monthly_pension", "Pensión mensual: ninguna registrada (Apoyo a Jubilados no se acredita).",
     "Monthly pension: none recorded (Apoyo a Jubilados not shown)."),
    ("employed", "Empleo formal y cotización al IMSS: se suponen cuando el crédito se paga por descuento de "
                 "nómina, y no cuando se paga por cuenta propia.",
     "Formal job and IMSS contributions: assumed when the credit is paid by payroll discount, not when "
     "the borrower pays on their own."),
    ("payments_made", "Pagos completos hechos: los meses facturados en el estado de cuenta menos los pagos "
                      "omitidos.",
     "Complete payments made: the months billed in the ledger less the missed payments."),
    ("remaining_months", "Mensualidades que quedan: el plazo menos los meses completos transcurridos desde el "
                         "otorgamiento.",
     "Payments left: the term less the whole months since origination."),
    ("balance", "Saldo: el del último movimiento al correr la campaña (el DLA lo fija el día 1 del mes).",
     "Balance: that of the last ledger entry when the campaign runs (DLA fixes it on the 1st of the month)."),
    ("no_records", "Sin registro de soluciones en curso, usos previos, juicios ni convenios de paro técnico: "
                   "ninguno (los valores por omisión de las reglas).",
     "No record of solutions in force, previous uses, lawsuits or paro técnico agreements: none (the rules' "
     "defaults)."),
)


def to_facts(portfolio: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """The columns batch.solutions.evaluate reads, from read_portfolio's, with ASSUMED_FACTS for what the
    portfolio does not know (the optional facts are left out: evaluate gives them CreditFacts' defaults)."""
    c = pl.col
    installment = c("monthly_payment") + c("monthly_insurance_and_fees")
    missed = missed_payments(c("due"), installment)
    born = c("origination_date")
    elapsed = ((as_of.year - born.dt.year().cast(pl.Int64)) * 12 + (as_of.month - born.dt.month().cast(pl.Int64))
               - (born.dt.day().cast(pl.Int64) > as_of.day).cast(pl.Int64))
    employed = c("regime") == Credit.Regime.PAYROLL
    return portfolio.with_columns(
        missed_payments=missed,
        payments_made=pl.max_horizontal(c("months_billed") - missed, 0),
        remaining_months=pl.max_horizontal(c("term_months") - elapsed, 0),
        arrears=pl.max_horizontal(c("due"), 0),
        monthly_income=pl.lit(None, dtype=pl.Int64),
        monthly_pension=pl.lit(0, dtype=pl.Int64),
        employed=employed, contributing_to_imss=employed,
    )
