"""Reading the whole portfolio in bulk: every active credit's CreditFacts as one Polars frame, set-based.

One definition: these are infonavit.selectors.credit_facts's facts, read for every credit at once instead of
one credit at a time (tests/batch/test_portfolio.py holds the two equal on credits built through the real
services, field by field):
- the ledger's running state is the last entry's (balance_after, monthly_payment_after and the running
  position due_after, interest_after, insurance_after that the services carry on every entry): one row per
  credit, reached on PostgreSQL by a LATERAL backward scan of the (credit, sequence) unique index;
- payments made and in a row come from the payments (selectors._payments_by_month: applied amounts by month,
  reversed payments left out), read through the partial index of payment entries;
- DLA's balance of the 1st (selectors.balance_on) is today's less the entries dated after the 1st;
- solutions in force and earlier uses from the SolutionApplication rows (selectors._uses, in_force,
  _months_granted); the BCN reward's interest from the 3rd missed payment from the credit's last accruals.
The campaign runs as of today only (services.run_campaign): the ledger holds no other day's state.

PostgreSQL streams the main query with COPY ... TO STDOUT in binary, read by NumPy in blocks; SQLite (tests and
the demo) runs the same query through the ORM's cursor. Money comes out in integer centavos, the rate in
ten-thousandths of a percent (batch.solutions's columns).
"""

import functools
import io
from datetime import date

import numpy as np
import polars as pl
from django.db import connection, transaction

from ventanilla.batch.solutions import BIT, RATE_SCALE
from ventanilla.core.bulk import import_snapshot, in_sessions, parallel_sessions, shared_snapshot
from ventanilla.core.calendar import add_months
from ventanilla.infonavit.models import Credit, LedgerEntry, SolutionApplication
from ventanilla.people.models import MEXICAN_STATES, Person

CREDIT = Credit._meta.db_table
LEDGER = LedgerEntry._meta.db_table
PERSON = Person._meta.db_table
APPLICATION = SolutionApplication._meta.db_table

# Codes as enums: one small integer a row instead of a string each (millions of rows).
CODES = {
    "state": [code for code, _name in MEXICAN_STATES],
    "product": list(Credit.Product.values),
    "denomination": list(Credit.Denomination.values),
    "regime": list(Credit.Regime.values),
    "sex": list(Person.Sex.values),
}
PORTFOLIO_SCHEMA = {
    "credit_id": pl.Int64, "state": pl.Enum(CODES["state"]), "product": pl.Enum(CODES["product"]),
    "denomination": pl.Enum(CODES["denomination"]), "origination_date": pl.Date, "amount_lent": pl.Int64,
    "rate": pl.Int64, "term_months": pl.Int32, "monthly_insurance_and_fees": pl.Int64,
    "regime": pl.Enum(CODES["regime"]), "cofinanced_share": pl.Boolean, "frozen": pl.Boolean,
    "legal_proceedings": pl.Boolean, "borrower_birth_date": pl.Date, "borrower_sex": pl.Enum(CODES["sex"]),
    # the last entry's running state
    "balance": pl.Int64, "monthly_payment": pl.Int64, "due": pl.Int64, "interest": pl.Int64, "insurance": pl.Int64,
}
# PostgreSQL's binary COPY of the portfolio query: fixed-width columns, never null, so every row has the same
# size and NumPy reads a whole block at once (big-endian). Each code comes as hashtext(code), an int4 the
# server computes in a fraction of array_position's time (the read is the server's CPU: 20.1 s against 23.0 s
# at 6.2 M credits), mapped back through the same server's hashes of CODES (_code_hashes); the flags and the
# term share one bigint (_PACKED bit layout below), the two dates another (days since 2000-01-01).
_CODE_COLUMNS = ("state", "product", "denomination", "regime", "borrower_sex")
_BINARY_COLUMNS = (("credit_id", ">i8"), *((name, ">i4") for name in _CODE_COLUMNS), ("packed", ">i8"),
                   ("dates", ">i8"), *((name, ">i8") for name in ("amount_lent", "rate", "monthly_insurance_and_fees",
                                                                 "balance", "monthly_payment", "due", "interest",
                                                                 "insurance")))
_BINARY_ROW = np.dtype([("fields", ">i2")] + [item for index, (name, kind) in enumerate(_BINARY_COLUMNS)
                                               for item in ((f"size{index}", ">i4"), (name, kind))])
# (column, first bit, bits): the flags in the low bits of `packed`, the term in the high 32.
_PACKED = (("cofinanced_share", 0, 1), ("frozen", 1, 1), ("legal_proceedings", 2, 1), ("term_months", 32, 31))
_BINARY_HEADER = b"PGCOPY\n\xff\r\n\x00"
_DAYS_1970_TO_2000 = 10_957
_CHUNK_BYTES = 64 * 1024 * 1024
READ_WORK_MEM = "256MB"
_CODED = {"borrower_sex": "sex"}  # columns coded by another name's list in CODES
_RUNNING = ("balance_after", "monthly_payment_after", "due_after", "interest_after", "insurance_after")


def _portfolio_sql(low: int | None = None, high: int | None = None) -> str:
    """The portfolio query; on PostgreSQL, with low and high, only the credits with low <= id < high."""
    if connection.vendor == "postgresql":
        sources = {"state": "c.state", "product": "c.product", "denomination": "c.denomination",
                   "regime": "c.regime", "borrower_sex": "p.sex", "cofinanced_share": "c.cofinanced_share > 0",
                   "frozen": "c.frozen", "legal_proceedings": "c.legal_proceedings", "term_months": "c.term_months"}
        hashed = ", ".join(f"hashtext({sources[name]})" for name in _CODE_COLUMNS)
        packed = " | ".join(f"(({sources[name]})::int::int8 << {first})" if bits == 1
                            else f"({sources[name]}::int8 << {first})" for name, first, bits in _PACKED)
        dates = ("(((c.origination_date - DATE '2000-01-01')::int8 << 32) "
                 "| ((p.birth_date - DATE '2000-01-01')::int8 & 4294967295))")
        cents = ", ".join(f"(e.{name} * 100)::bigint" for name in _RUNNING)
        columns = (f"c.id, {hashed}, {packed}, {dates}, (c.amount_lent * 100)::bigint, "
                   f"(c.rate * {RATE_SCALE})::bigint, (c.monthly_insurance_and_fees * 100)::bigint, {cents}")
        # The last entry of each credit: DISTINCT ON over the ledger in (credit, sequence) order, descending both
        # so the (credit, sequence) index can give that order without a sort (measured at 6.2 M credits: 15 s
        # with a sort, against 54 s for a LATERAL probe of the index per credit).
        ranged = low is not None and high is not None
        within = f"WHERE credit_id >= {int(low)} AND credit_id < {int(high)} " if ranged else ""
        last = (f"JOIN (SELECT DISTINCT ON (credit_id) credit_id, {', '.join(_RUNNING)} FROM {LEDGER} "
                f"{within}ORDER BY credit_id DESC, sequence DESC) AS e ON e.credit_id = c.id")
        if ranged:
            last += f" AND c.id >= {int(low)} AND c.id < {int(high)}"
    else:
        # SQLite keeps decimals as binary floats: rounded to whole centavos.
        cents = ", ".join(f"CAST(ROUND(e.{name} * 100) AS INTEGER)" for name in _RUNNING)
        columns = (f"c.id, c.state, c.product, c.denomination, c.origination_date, "
                   f"CAST(ROUND(c.amount_lent * 100) AS INTEGER), CAST(ROUND(c.rate * {RATE_SCALE}) AS INTEGER), "
                   f"c.term_months, CAST(ROUND(c.monthly_insurance_and_fees * 100) AS INTEGER), c.regime, "
                   f"c.cofinanced_share > 0, c.frozen, c.legal_proceedings, p.birth_date, p.sex, {cents}")
        last = (f"JOIN {LEDGER} AS e ON e.credit_id = c.id AND e.sequence = "
                f"(SELECT MAX(x.sequence) FROM {LEDGER} AS x WHERE x.credit_id = c.id)")
    return f"""
        SELECT {columns}
        FROM {CREDIT} AS c
        JOIN {PERSON} AS p ON p.id = c.borrower_id
        {last}
        WHERE c.status = 'active'"""


def _code_hashes() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """For each coded column: its codes' hashtext values sorted, and each one's position in CODES, as this
    server computes them (two codes of one list with the same hash would be told apart by nothing: refused)."""
    lists = {name: CODES[_CODED.get(name, name)] for name in _CODE_COLUMNS}
    with connection.cursor() as cursor:
        cursor.execute("SELECT array_agg(hashtext(code) ORDER BY n) FROM unnest(%s::text[]) WITH ORDINALITY "
                       "AS t(code, n)", [[code for codes in lists.values() for code in codes]])
        hashes = iter(cursor.fetchone()[0])
    mapped = {}
    for name, codes in lists.items():
        values = np.array([next(hashes) for _ in codes], dtype=np.int64)
        if len(set(values.tolist())) != len(codes):
            raise ValueError(f"two {name} codes share a hash on this server")
        order = np.argsort(values)
        mapped[name] = (values[order], order)
    return mapped


def _read_binary(sql: str) -> pl.DataFrame:
    """COPY (query) TO STDOUT in binary, read by NumPy about 64 MB of rows at a time."""
    parts, pending, started = [], bytearray(), False
    size = _BINARY_ROW.itemsize
    hashes = _code_hashes()
    widths = [np.dtype(kind).itemsize for _name, kind in _BINARY_COLUMNS]

    def parse(data: bytes) -> None:
        rows = np.frombuffer(data, dtype=_BINARY_ROW)
        if not ((rows["fields"] == len(_BINARY_COLUMNS)).all()
                and all((rows[f"size{index}"] == width).all() for index, width in enumerate(widths))):
            raise ValueError("unexpected row layout in the portfolio COPY (a null value?)")
        values = {name: rows[name].astype(np.int64) for name, _kind in _BINARY_COLUMNS}  # this machine's order
        columns = {}
        for name in PORTFOLIO_SCHEMA:
            if name in values and name not in hashes:
                columns[name] = pl.Series(name, values[name])
        for name, (known, positions) in hashes.items():
            found = np.minimum(np.searchsorted(known, values[name]), len(known) - 1)
            if (known[found] != values[name]).any():
                raise ValueError(f"unknown {name} code in the portfolio")
            columns[name] = pl.Series(name, CODES[_CODED.get(name, name)],
                                      dtype=PORTFOLIO_SCHEMA[name]).gather(positions[found])
        for name, first, bits in _PACKED:
            field = (values["packed"] >> first) & ((1 << bits) - 1)
            columns[name] = pl.Series(name, field).cast(PORTFOLIO_SCHEMA[name])
        days = values["dates"]
        for name, part in (("origination_date", days >> 32),
                           ("borrower_birth_date", (days & 0xFFFFFFFF).astype(np.uint32).view(np.int32))):
            columns[name] = pl.Series(name, part + _DAYS_1970_TO_2000, dtype=pl.Int32).cast(pl.Date)
        columns = {name: columns[name].cast(PORTFOLIO_SCHEMA[name]) for name in PORTFOLIO_SCHEMA}
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


def read_portfolio(snapshot: str | None = None) -> pl.DataFrame:
    """Every active credit: its terms, its borrower's birth date and sex, and its last entry's running state
    (PORTFOLIO_SCHEMA). On PostgreSQL outside a transaction (or in core.bulk.shared_snapshot()'s, whose
    `snapshot` every session imports) the credits are read in core.bulk.parallel_sessions() ranges of ids at
    once, one session each: the server's work (the ledger's last entries, the joins, the centavos) is most of
    the read's time, and each session gets a core."""
    if connection.vendor != "postgresql":
        return _read(_portfolio_sql(), PORTFOLIO_SCHEMA)
    sessions = parallel_sessions(snapshot)
    if sessions == 1:
        return _read_part(None, None)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {CREDIT}")
        first, last = cursor.fetchone()
    if first is None:
        return pl.DataFrame(schema=PORTFOLIO_SCHEMA)
    step = (last - first) // sessions + 1  # the ids are about dense: equal ranges are about equal parts
    parts = [functools.partial(_read_part, first + index * step, first + (index + 1) * step, snapshot)
             for index in range(sessions)]
    return pl.concat(sorted(in_sessions(parts, sessions), key=lambda part: part["credit_id"].min() or 0))


def _read_part(low: int | None, high: int | None, snapshot: str | None = None) -> pl.DataFrame:
    with transaction.atomic(), connection.cursor() as cursor:
        import_snapshot(snapshot)  # the same moment as the other parts and the side reads
        # The join with a million persons hashes in memory instead of spilling to disk in batches.
        cursor.execute(f"SET LOCAL work_mem = '{READ_WORK_MEM}'")
        # Parallel workers would each sort the whole ledger again (the DISTINCT ON below a hash join).
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        part = _read_binary(_portfolio_sql(low, high))
        if connection.savepoint_ids:  # inside shared_snapshot()'s transaction: SET LOCAL would outlive this read
            cursor.execute("SET LOCAL work_mem TO DEFAULT")
            cursor.execute("SET LOCAL max_parallel_workers_per_gather TO DEFAULT")
        return part


def _cents(expression: str) -> str:
    if connection.vendor == "postgresql":
        return f"({expression} * 100)::bigint"
    return f"CAST(ROUND({expression} * 100) AS INTEGER)"  # SQLite sums binary floats


def _day(value: date) -> str:
    return f"DATE '{value.isoformat()}'" if connection.vendor == "postgresql" else f"'{value.isoformat()}'"


def _payments(as_of: date) -> pl.DataFrame:
    """selectors._payments_by_month for every credit: each payment applied up to as_of, reversed ones left out
    (centavos, positive)."""
    return _read(f"""
        SELECT p.credit_id, p.posted_on, {_cents('-p.amount')}
        FROM {LEDGER} AS p
        WHERE p.kind = 'payment' AND p.posted_on <= {_day(as_of)}
          AND NOT EXISTS (SELECT 1 FROM {LEDGER} AS r WHERE r.reverses_id = p.id)""",
                 {"credit_id": pl.Int64, "posted_on": pl.Date, "paid": pl.Int64})


def _moved_since(day: date) -> pl.DataFrame:
    """What the entries dated after `day` changed each credit's balance by: today's balance less this is
    selectors.balance_on(credit, day). Read through the index on posted_on (few entries)."""
    return _read(f"SELECT credit_id, {_cents('SUM(amount)')} FROM {LEDGER} WHERE posted_on > {_day(day)} "
                 f"GROUP BY credit_id", {"credit_id": pl.Int64, "moved": pl.Int64})


def _application_facts(as_of: date) -> pl.DataFrame:
    """selectors._uses, in_force and _months_granted for every credit with an application: the solutions in
    force (bitmask) and the counts the rules read (BCN uses in 12 months, Jubilados uses ever, FPP months in
    5 years, prórroga months ever)."""
    from ventanilla.infonavit.selectors import GRANTED_STATUSES, in_force

    year_ago, five_years_ago = add_months(as_of, -12), add_months(as_of, -60)
    rows: dict[int, list[int]] = {}
    for application in SolutionApplication.objects.only(
            "credit_id", "code", "status", "starts_on", "ends_on", "new_terms").iterator():
        row = rows.setdefault(application.credit_id, [0, 0, 0, 0, 0])
        if in_force(application, as_of):
            row[0] |= BIT[application.code]
        if application.status not in GRANTED_STATUSES:
            continue
        months = int(application.new_terms.get("months", 0))
        if application.starts_on <= as_of:
            row[1] += application.code == "BCN" and application.starts_on > year_ago
            row[2] += application.code == "JUBILADOS"
        if application.code == "FPP" and application.starts_on > five_years_ago:
            row[3] += months
        if application.code == "PRORROGA":
            row[4] += months
    names = ("active_solutions", "bcn_uses_last_12_months", "jubilados_uses_ever", "fpp_months_used_last_5_years",
             "prorroga_months_used")
    return pl.DataFrame([[credit, *values] for credit, values in rows.items()],
                        schema={"credit_id": pl.Int64, **dict.fromkeys(names, pl.Int64)}, orient="row")


def _recent_interest(credit_ids: list[int], months: pl.DataFrame) -> pl.DataFrame:
    """selectors._interest_from_third_missed before its cap: for each credit in `months` (credit_id, take), the
    interest of its last `take` accruals."""
    if not credit_ids:
        return pl.DataFrame(schema={"credit_id": pl.Int64, "recent_interest": pl.Int64})
    frames = []
    chunk = 100_000 if connection.vendor == "postgresql" else 500
    for start in range(0, len(credit_ids), chunk):
        listed = ", ".join(str(int(pk)) for pk in credit_ids[start:start + chunk])
        frames.append(_read(f"SELECT credit_id, period, {_cents('amount')} FROM {LEDGER} "
                            f"WHERE kind = 'accrual_interest' AND credit_id IN ({listed})",
                            {"credit_id": pl.Int64, "period": pl.Date, "amount": pl.Int64}))
    accruals = pl.concat(frames).join(months, on="credit_id")
    return (accruals.sort("credit_id", "period", descending=[False, True])
            .filter(pl.int_range(pl.len()).over("credit_id") < pl.col("take"))
            .group_by("credit_id").agg(pl.col("amount").sum().alias("recent_interest")))


def missed_payments(due: pl.Expr, installment: pl.Expr) -> pl.Expr:
    """rules.ledger.missed_payments column-wise: the arrears (positive part of due) in whole installments,
    rounded up; 0 without arrears or without an installment."""
    arrears = pl.max_horizontal(due, 0)
    return (pl.when((installment > 0) & (arrears > 0)).then((arrears + installment - 1) // installment)
            .otherwise(0))


def _attach(frame: pl.DataFrame, side: pl.DataFrame) -> pl.DataFrame:
    """`side`'s columns (null where a credit has no row) added to `frame` by credit_id, in frame's order. Only
    the key column is joined, so the wide portfolio frame is never copied; an empty side adds null columns."""
    names = [name for name in side.columns if name != "credit_id"]
    if side.height == 0:
        return frame.with_columns(pl.lit(None, dtype=side.schema[name]).alias(name) for name in names)
    joined = frame.select("credit_id").join(side, on="credit_id", how="left", maintain_order="left")
    return frame.with_columns(joined.get_column(name) for name in names)


def _month_number(day: pl.Expr) -> pl.Expr:
    return day.dt.year().cast(pl.Int64) * 12 + day.dt.month().cast(pl.Int64) - 1


# What the campaign assumes for the facts a borrower declares on the screen (selectors.DECLARABLE_FACTS; shown
# to staff with each run). Every other fact is read as the borrower's screen reads it.
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
    ("declared", "Meses sin empleo, en el empleo actual, ingreso al otorgamiento y convenio de paro técnico: no "
                 "declarados (los valores por omisión de las reglas).",
     "Months unemployed, in the current job, income at origination and paro técnico agreement: not declared "
     "(the rules' defaults)."),
)


def assumed_declared(payroll: bool) -> dict:
    """ASSUMED_FACTS as the declared facts selectors.credit_facts takes (the equality test passes these)."""
    return {"employed": payroll, "contributing_to_imss": payroll}


def to_facts(portfolio: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """The columns batch.solutions.evaluate reads, from read_portfolio's, the payments, the entries after the
    1st and the applications: selectors.credit_facts(credit, as_of, assumed_declared(...)) for every credit."""
    c = pl.col
    installment = c("monthly_payment") + c("monthly_insurance_and_fees")
    month_now = as_of.year * 12 + as_of.month - 1
    frame = portfolio.with_columns(installment=installment, payroll=c("regime") == Credit.Regime.PAYROLL)

    # payments made (everything paid over the installment, rounded down) and in a row (months back from this one,
    # or the last one if this one is not paid in full yet, each paid in full): selectors.credit_facts
    by_month = (_payments(as_of).group_by("credit_id", _month_number(c("posted_on")).alias("month"))
                .agg(c("paid").sum())
                .join(frame.select("credit_id", "installment"), on="credit_id"))
    paid = by_month.group_by("credit_id").agg(c("paid").sum(), c("installment").first())
    full = by_month.filter((c("installment") > 0) & (c("paid") >= c("installment")))
    streaks = (full.with_columns(
        last=pl.when((c("month") == month_now).any().over("credit_id")).then(month_now).otherwise(month_now - 1),
        rank=c("month").rank("ordinal", descending=True).over("credit_id").cast(pl.Int64) - 1)
        .group_by("credit_id").agg(((c("month") + c("rank")) == c("last")).sum().alias("consecutive_payments")))
    for side in (paid.select("credit_id", total_paid=c("paid")), streaks, _moved_since(as_of.replace(day=1)),
                 _application_facts(as_of)):
        frame = _attach(frame, side)

    missed = missed_payments(c("due"), c("installment"))
    born = c("origination_date")
    # ASSUMED (selectors.credit_facts): one installment a month from the month after origination
    elapsed = (as_of.year - born.dt.year().cast(pl.Int64)) * 12 + (as_of.month - born.dt.month().cast(pl.Int64))
    cofinanced = c("cofinanced_share") | c("product").cast(pl.String).is_in(list(Credit.COFINANCED_PRODUCTS))
    frame = frame.with_columns(
        missed_payments=missed,
        payments_made=pl.when(c("installment") > 0).then(c("total_paid").fill_null(0) // c("installment"))
        .otherwise(0),
        consecutive_payments=c("consecutive_payments").fill_null(0).cast(pl.Int64),
        remaining_months=pl.max_horizontal(c("term_months") - elapsed, 0),
        arrears=pl.max_horizontal(c("due"), 0),
        arrears_insurance_and_fees=pl.max_horizontal(c("insurance"), 0),
        # shared/domain/infonavit.md, DLA: the amount is fixed on the balance of the 1st (selectors.balance_on)
        dla_balance=pl.max_horizontal(c("balance") - c("moved").fill_null(0), 0),
        balance=pl.max_horizontal(c("balance"), 0),
        cofinanced=cofinanced,
        **{name: c(name).fill_null(0) for name in ("active_solutions", "bcn_uses_last_12_months",
                                                     "jubilados_uses_ever", "fpp_months_used_last_5_years",
                                                     "prorroga_months_used")},
        monthly_income=pl.lit(None, dtype=pl.Int64),
        monthly_pension=pl.lit(0, dtype=pl.Int64),
        employed=c("payroll"), contributing_to_imss=c("payroll"),
    )
    # the BCN reward's interest from the 3rd missed payment: the last (missed - 2) accruals' interest, never
    # more than the interest still owed (selectors._interest_from_third_missed)
    third = frame.filter(c("missed_payments") >= 3).select("credit_id", take=c("missed_payments") - 2)
    recent = _recent_interest(third["credit_id"].to_list(), third)
    frame = _attach(frame, recent).with_columns(
        arrears_interest_from_third_missed=pl.when(c("missed_payments") >= 3)
        .then(pl.min_horizontal(c("recent_interest").fill_null(0), pl.max_horizontal(c("interest"), 0)))
        .otherwise(0))
    return frame.drop("installment", "total_paid", "moved", "recent_interest")


def read_facts(as_of: date) -> pl.DataFrame:
    """Every active credit's facts as of `as_of` (to_facts of read_portfolio), all read at one moment: the
    parallel parts of the main read and the payments, entries and applications read after it."""
    with shared_snapshot() as snapshot:
        return to_facts(read_portfolio(snapshot), as_of)
