"""The portfolio campaign: every active credit's relief solutions as of a date, in one job.

`run_campaign(actor, as_of)` reads every active credit's facts in bulk (batch.portfolio: the facts the
borrower's screen reads, set-based), evaluates the nine rules vectorised (batch.solutions), writes a Parquet
file with every credit's facts and amounts (var/campaigns/), one CampaignResult row per credit with at least one
eligible solution (COPY on PostgreSQL), computes the figures by state and solution for the reports, and stores
them on a CampaignRun, audited. The ledger holds today's state only, so the campaign runs as of today.

Why result rows only for credits with a solution: the table is for acting on them (whom to offer what); a row
per credit without one says nothing the Parquet file (which keeps every credit) does not, and at 6.2 M credits
it was the biggest write of the job (its primary key included).

Running again for the same as_of replaces the earlier run: its result rows go in the same transaction, its
Parquet file once that transaction commits (a rollback keeps both), its CampaignRun row stays (with its
figures, who ran it and when) and points at the new one (`replaced_by`).
"""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.batch import portfolio
from ventanilla.batch.models import CampaignResult, CampaignRun
from ventanilla.batch.solutions import BIT, Params, evaluate
from ventanilla.core import audit
from ventanilla.core.bulk import copy_rows
from ventanilla.core.errors import DomainError, FieldError
from ventanilla.infonavit.models import Credit, LedgerEntry
from ventanilla.infonavit.rules.solutions import SOLUTION_CODES
from ventanilla.people import access
from ventanilla.people.models import Role
from ventanilla.reference.selectors import params_at

CAMPAIGN_ROLES = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})
RESULT_COLUMNS = ("run_id", "credit_id", "state", "eligible", "balance", "missed_payments", "rc_new_balance",
                  "rc_discount", "dla_amount_to_pay", "dla_discount", "bcn_reward")
# The amount summed per solution in the figures: what it forgives or credits (centavos).
SUMMED_AMOUNT = {"RC": "rc_discount", "DLA": "dla_discount", "BCN": "bcn_reward"}
_COPY_ROWS = 500_000

Progress = Callable[[str, int, int], None]  # (step, done, total)


def campaign_dir() -> Path:
    return Path(settings.VAR_DIR) / "campaigns"


def _pesos(centavos) -> str:
    return str(Decimal(int(centavos or 0)).scaleb(-2))


def run_campaign(actor, as_of: date, progress: Progress | None = None) -> CampaignRun:
    access.require_role(actor, CAMPAIGN_ROLES)
    if as_of != timezone.localdate():
        # The ledger's running state is today's: another day's campaign would read today's balances.
        raise DomainError(FieldError("as_of", "not_today", _("La campaña se evalúa con la fecha de hoy.")))
    step = progress or (lambda *_: None)
    timings: dict[str, float] = {}
    started_at = timezone.now()

    clock = time.perf_counter()
    step("read", 0, 1)
    facts = portfolio.read_facts(as_of)
    timings["read"] = time.perf_counter() - clock
    step("read", 1, 1)

    clock = time.perf_counter()
    results = evaluate(facts, Params.from_snapshot(params_at(as_of)))
    timings["evaluate"] = time.perf_counter() - clock
    step("evaluate", 1, 1)

    clock = time.perf_counter()
    figures = _figures(results, as_of)
    timings["figures"] = time.perf_counter() - clock

    with transaction.atomic():
        run = CampaignRun.objects.create(
            as_of=as_of, actor=actor, started_at=started_at, credits=results.height,
            eligible_credits=int((results["eligible"] != 0).sum()),
            rc_discount=Decimal(_pesos(results["rc_discount"].sum())),
            dla_discount=Decimal(_pesos(results["dla_discount"].sum())),
            figures=figures, assumed_facts=[list(fact) for fact in portfolio.ASSUMED_FACTS])
        path = campaign_dir() / f"campaign-{as_of.isoformat()}-{run.pk}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        clock = time.perf_counter()
        # The Parquet file is written by a second thread while this one copies the result rows: Polars writes
        # without holding the GIL and PostgreSQL takes the rows on its own core, so the two overlap.
        try:
            with ThreadPoolExecutor(max_workers=1) as pool:
                parquet = pool.submit(_write_parquet, results, path)
                _write_results(run, results, step)
                timings["write_results"] = time.perf_counter() - clock
                timings["write_parquet"] = parquet.result()
        except BaseException:
            path.unlink(missing_ok=True)  # this run's file never outlives its rows
            raise
        timings["write"] = time.perf_counter() - clock
        replaced = _replace_earlier(run)
        run.parquet_path = str(path)
        run.timings = {name: round(seconds, 3) for name, seconds in timings.items()}
        run.finished_at = timezone.now()
        run.save(update_fields=["parquet_path", "timings", "finished_at"])
        audit.record(actor, "batch.campaign", run, after={
            "as_of": as_of.isoformat(), "credits": run.credits, "eligible_credits": run.eligible_credits,
            "rc_discount": str(run.rc_discount), "dla_discount": str(run.dla_discount),
            "replaced_runs": replaced, "parquet_path": run.parquet_path})
    return run


def _write_parquet(results: pl.DataFrame, path: Path) -> float:
    """The run's Parquet file; the seconds it took. LZ4: written about a quarter faster than zstd (measured),
    for a file about a quarter bigger."""
    clock = time.perf_counter()
    results.write_parquet(path, compression="lz4")
    return time.perf_counter() - clock


_BINARY_RESULT = np.dtype([("fields", ">i2"),
                           ("s0", ">i4"), ("run_id", ">i8"), ("s1", ">i4"), ("credit_id", ">i8"),
                           ("s2", ">i4"), ("state", "S2"), ("s3", ">i4"), ("eligible", ">i2"),
                           ("s4", ">i4"), ("balance", ">i8"), ("s5", ">i4"), ("missed_payments", ">i4"),
                           *[item for index, name in enumerate(RESULT_COLUMNS[6:], start=6)
                             for item in ((f"s{index}", ">i4"), (name, ">i8"))]])


def _write_results(run: CampaignRun, results: pl.DataFrame, step: Progress) -> None:
    """One CampaignResult row per credit with an eligible solution; amounts of solutions not eligible are 0.
    PostgreSQL: binary COPY of fixed-width rows built by NumPy (no text to format or parse); elsewhere
    core.bulk.copy_rows."""
    table = results.filter(pl.col("eligible") != 0).select(pl.lit(run.pk, dtype=pl.Int64).alias("run_id"), pl.col("credit_id"),
                           pl.col("state").cast(pl.String), pl.col("eligible"), pl.col("balance"),
                           pl.col("missed_payments"), *[pl.col(name).fill_null(0) for name in RESULT_COLUMNS[6:]])
    total = table.height
    if connection.vendor != "postgresql":
        copy_rows(CampaignResult, RESULT_COLUMNS, table.iter_rows())
        step("write", total, total)
        return
    columns = ", ".join(RESULT_COLUMNS)
    with connection.cursor() as cursor, connection.wrap_database_errors, \
            cursor.cursor.copy(f"COPY {CampaignResult._meta.db_table} ({columns}) FROM STDIN (FORMAT binary)") as copy:
        copy.write(b"PGCOPY\n\xff\r\n\x00" + bytes(8))  # signature, flags, no header extension
        for start in range(0, total, _COPY_ROWS):
            part = table.slice(start, _COPY_ROWS)
            rows = np.zeros(part.height, dtype=_BINARY_RESULT)
            rows["fields"] = len(RESULT_COLUMNS)
            for index, name in enumerate(RESULT_COLUMNS):
                rows[f"s{index}"] = _BINARY_RESULT[name].itemsize
                values = part[name]
                rows[name] = (values.to_numpy().astype("S2") if name == "state" else values.to_numpy())
            copy.write(rows.tobytes())
            step("write", min(start + _COPY_ROWS, total), total)
        copy.write(b"\xff\xff")


def _replace_earlier(run: CampaignRun) -> list[int]:
    earlier = list(CampaignRun.objects.select_for_update().filter(as_of=run.as_of, replaced_by__isnull=True)
                   .exclude(pk=run.pk))
    for old in earlier:
        CampaignResult.objects.filter(run_id=old.pk).delete()
        if old.parquet_path:
            # Only once the replacement is committed: a rollback keeps the old rows and their file.
            transaction.on_commit(lambda path=Path(old.parquet_path): path.unlink(missing_ok=True))
        old.replaced_by = run
        old.save(update_fields=["replaced_by"])
    return [old.pk for old in earlier]


def _figures(results: pl.DataFrame, as_of: date) -> dict:
    """For the reports: per solution the eligible credits (potential beneficiaries) and the pesos it
    forgives or credits, the same by state, and the payments at the window by year (seed 001)."""
    flags = [((pl.col("eligible") & BIT[code]) != 0).sum().alias(code) for code in SOLUTION_CODES]
    sums = [pl.col(column).sum().alias(f"{code}_amount") for code, column in SUMMED_AMOUNT.items()]
    totals = results.select(pl.len().alias("credits"), *flags, *sums).row(0, named=True)
    # Grouped by the state's code (an Enum), named afterwards: casting 6.2 M rows to strings first took seconds.
    by_state = (results.group_by("state").agg(pl.len().alias("credits"), *flags, *sums)
                .with_columns(pl.col("state").cast(pl.String)).sort("state"))

    def shape(row: dict) -> dict:
        return {code: {"eligible": int(row[code]),
                       **({"amount": _pesos(row[f"{code}_amount"])} if code in SUMMED_AMOUNT else {})}
                for code in SOLUTION_CODES}

    return {
        "credits": int(totals["credits"]),
        "solutions": shape(totals),
        "by_state": [{"state": row["state"], "credits": int(row["credits"]), "solutions": shape(row)}
                     for row in by_state.iter_rows(named=True)],
        "window_payments": window_payments(as_of),
    }


def window_payments(as_of: date) -> list[dict]:
    """Payments taken at the window (channel "window"), by year and state of the home, up to as_of: what the
    borrower handed over (applied plus excess), reversed payments left out, with the distinct borrowers who paid
    (people: what the report suppresses small groups on). Seed 001 reports "333 M paid at
    the window in H1 2024" this way."""
    ledger, credit = LedgerEntry._meta.db_table, Credit._meta.db_table
    year = "EXTRACT(YEAR FROM p.posted_on)" if connection.vendor == "postgresql" else "strftime('%%Y', p.posted_on)"
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT CAST({year} AS INTEGER) AS year, c.state, COUNT(*), COUNT(DISTINCT c.borrower_id),
                   SUM(p.excess - p.amount)
            FROM {ledger} AS p JOIN {credit} AS c ON c.id = p.credit_id
            WHERE p.kind = 'payment' AND p.channel = 'window' AND p.posted_on <= %s
              AND NOT EXISTS (SELECT 1 FROM {ledger} AS r WHERE r.reverses_id = p.id)
            GROUP BY 1, 2 ORDER BY 1, 2""", [as_of])
        rows = cursor.fetchall()
    return [{"year": int(y), "state": state, "payments": int(count), "people": int(people),
             "amount": _pesos(round(Decimal(str(total)) * 100))}
            for y, state, count, people, total in rows]
