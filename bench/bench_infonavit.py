"""The Infonavit portfolio at Infonavit's size (PostgreSQL): 6,200,000 credits (shared/domain/infonavit.md,
"about 6.2 M mortgage credits"), two jobs, each timed with its peak memory (targets: under 30 s, under 4 GB):

1. `ventanilla infonavit adjust --year 2024`: the yearly VSM adjustment (4.66 %, the last year before the
   freeze), about 1.1 M active unfrozen VSM credits.
2. `ventanilla infonavit campaign --as-of 2026-11-30`: every credit's nine relief solutions, results table,
   Parquet file and figures.

Then the reference point: the same campaign query written directly in DuckDB over the campaign's own Parquet
file of credit facts (and, for a like-for-like figure, our Polars rules on that same file), with the ratio
ours / DuckDB. DuckDB's answer is checked against ours credit by credit.

Environment: BENCH_DATABASE_URL (default .../ventanilla_bench_infonavit, dropped and re-created),
BENCH_CREDITS (default 6200000), BENCH_PERSONS (default 1000000 borrowers, as the IMSS bench seeds persons:
credits draw their borrowers among them), BENCH_HOME (default /tmp/ventanilla_bench_infonavit: the Parquet
file goes under its var/), BENCH_KEEP=1 keeps the database, BENCH_REUSE=1 measures on a database a
previous run kept (no re-seeding; the adjustment is measured only if that year was not applied yet).
Seeding, and the VACUUM ANALYZE and CHECKPOINT after it (bench.support.settle), are set-up, reported but not
targets.
"""

import os
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

from bench.support import admin_url, bench_env, drop, recreate, settle

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_infonavit"
AS_OF = "2026-11-30"
ADJUST_YEAR = "2024"
TARGET_SECONDS = 30
TARGET_BYTES = 4 * 1024**3


def _postgres_rss() -> int:
    """The summed resident memory of the PostgreSQL server's processes, in bytes (shared buffers are counted
    in each process that touched them, so this is an upper bound)."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if "\nName:\tpostgres" not in "\n" + text:
            continue
        for line in text.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
    return total


def _backends_cpu(database: str) -> dict[int, float]:
    """CPU seconds (user + system) so far of each PostgreSQL process serving `database` (its sessions: the
    process title names the database), by pid."""
    tick, seconds = os.sysconf("SC_CLK_TCK"), {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            title = (stat.parent / "cmdline").read_bytes()
            if not title.startswith(b"postgres:") or f" {database} ".encode() not in title:
                continue
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / tick
    return seconds


def timed(args: list[str], env: dict[str, str]) -> dict:
    """Run `ventanilla args` as a child; its wall time, its own peak RSS and CPU seconds (wait4: all its
    threads), the peak of the PostgreSQL processes' RSS above where it started and the CPU seconds of the
    server's sessions on the bench database, sampled every 0.1 s. The CPU seconds are what the job costs
    whatever else runs on the machine: on a shared machine the wall time grows with the others' load."""
    database = env["DATABASE_URL"].rsplit("/", 1)[1]
    baseline, peak, done = _postgres_rss(), [0], threading.Event()
    before = _backends_cpu(database)
    server: dict[int, float] = {}

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _postgres_rss())
            server.update(_backends_cpu(database))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ventanilla.cli", *args], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    done.set()
    sampler.join()
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"ventanilla {' '.join(args)} failed")
    server_cpu = sum(seconds - before.get(pid, 0.0) for pid, seconds in server.items())
    return {"seconds": elapsed, "rss": usage.ru_maxrss * 1024, "postgres_peak": peak[0],
            "postgres_above": max(peak[0] - baseline, 0), "cpu": usage.ru_utime + usage.ru_stime,
            "server_cpu": server_cpu, "load": os.getloadavg()[0]}


def _count(url: str, query: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchone()[0]


def _report(name: str, figures: dict, credits: int) -> None:
    gib = 1024**3
    met = figures["seconds"] < TARGET_SECONDS and figures["rss"] < TARGET_BYTES
    print(f"{name}: {figures['seconds']:.1f} s, {credits / figures['seconds']:,.0f} credits/s; peak RSS "
          f"{figures['rss'] / gib:.2f} GiB (ours), PostgreSQL processes {figures['postgres_peak'] / gib:.2f} GiB "
          f"summed peak (+{figures['postgres_above'] / gib:.2f} GiB during the job); "
          f"targets < {TARGET_SECONDS} s and < 4 GiB: {'met' if met else 'NOT met'}", flush=True)
    print(f"{name}: CPU {figures['cpu']:.1f} s ours (every thread) + {figures['server_cpu']:.1f} s PostgreSQL's "
          f"sessions; load average (1 min) at the end {figures['load']:.2f} on {os.cpu_count()} cores", flush=True)


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    credits = int(os.environ.get("BENCH_CREDITS", "6200000"))
    persons = int(os.environ.get("BENCH_PERSONS", "1000000"))
    maintenance_url, name = admin_url(url)
    env = bench_env(url)
    # The campaign's Parquet file goes under $VENTANILLA_HOME/var/campaigns: a scratch home, not the checkout's.
    env["VENTANILLA_HOME"] = os.environ.get("BENCH_HOME", "/tmp/ventanilla_bench_infonavit")
    (Path(env["VENTANILLA_HOME"]) / "var").mkdir(parents=True, exist_ok=True)
    reuse = os.environ.get("BENCH_REUSE") == "1"
    if not reuse:
        recreate(maintenance_url, name)
    try:
        subprocess.run([sys.executable, "-m", "ventanilla.cli", "migrate", "--verbosity", "0"], env=env, check=True)
        if not reuse:
            seed = timed(["seed", "--persons", str(persons), "--seed", "1", "--no-accounts", "--imss-affiliates",
                          "0", "--no-history", "--credits", str(credits)], env)
            print(f"set-up: {persons:,} persons and {credits:,} credits seeded in {seed['seconds']:.1f} s", flush=True)
        credits = _count(url, "SELECT count(*) FROM infonavit_credit")
        print(f"set-up: VACUUM ANALYZE and CHECKPOINT in {settle(url):.1f} s", flush=True)
        if _count(url, f"SELECT count(*) FROM infonavit_adjustmentrun WHERE year = {ADJUST_YEAR}"):
            print(f"adjust {ADJUST_YEAR}: already applied in this reused database (a second run changes nothing; "
                  f"see the first run's figure)", flush=True)
        else:
            adjust = timed(["infonavit", "adjust", "--year", ADJUST_YEAR], env)
            _report(f"adjust {ADJUST_YEAR}", adjust, credits)
            print(f"set-up: VACUUM ANALYZE and CHECKPOINT in {settle(url):.1f} s", flush=True)
        campaign = timed(["infonavit", "campaign", "--as-of", AS_OF], env)
        _report(f"campaign {AS_OF}", campaign, credits)
        reference(url, campaign["seconds"])
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            drop(maintenance_url, name)


# --- the reference point: DuckDB on the campaign's Parquet file ------------------------------------------------

def _birthday_before(column: str, years: int, as_of: str) -> str:
    """as_of < core.ages.birthday(column, years), with its 29 February rule, in SQL."""
    y = f"(year({column}) + {years})"
    leap = f"(({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0)"
    shifted = f"(month({column}) = 2 AND day({column}) = 29 AND NOT {leap})"
    key = (f"({y} * 10000 + CASE WHEN {shifted} THEN 301 ELSE month({column}) * 100 + day({column}) END)")
    return f"({as_of.replace('-', '')} < {key})"


def duckdb_campaign_sql(path: str, as_of: str) -> str:
    """The campaign's rules over the facts of the seeded portfolio (batch.portfolio.to_facts: income unknown, no
    pension; seeded credits have no payments, no entries after the 1st and no solutions applied, so DLA's balance
    of the 1st is the balance and nothing is in force), written directly in DuckDB SQL: the eligibility
    bitmask and the amounts summed in the figures, by state. RC (income unknown), Jubilados (no pension),
    Paro técnico (no agreement) and FPP (months unemployed unknown) cannot be eligible on these facts."""
    pv = ("CASE WHEN remaining_months <= 0 THEN 0 WHEN rate = 0 THEN monthly_payment * remaining_months "
          "ELSE monthly_payment * (1 - pow(1 + rate / 12000000.0, -remaining_months)) / (rate / 12000000.0) END")
    fund_used_up = "(employed OR origination_date < DATE '2009-01-01')"
    return f"""
    WITH f AS (SELECT *, monthly_payment + monthly_insurance_and_fees AS inst,
                      floor({pv} + 0.5)::BIGINT AS repay FROM read_parquet('{path}')),
    r AS (SELECT credit_id, state, balance,
      (CASE WHEN balance > 0 AND product IN ('tradicional', 'cofinavit') AND balance * 4 <= amount_lent
            THEN 2 ELSE 0 END)
      + (CASE WHEN balance > 0 AND missed_payments BETWEEN 1 AND 9 AND {fund_used_up} AND remaining_months >= 12
              AND repay >= balance THEN 4 ELSE 0 END)
      + (CASE WHEN balance > 0 AND NOT employed AND NOT {_birthday_before('origination_date', 1, as_of)}
              AND {fund_used_up} THEN 16 ELSE 0 END)
      + (CASE WHEN balance > 0 AND NOT employed AND (denomination <> 'vsm'
              OR NOT {_birthday_before('origination_date', 2, as_of)}) THEN 32 ELSE 0 END)
      + (CASE WHEN balance > 0 AND NOT employed AND missed_payments <= 3 THEN 256 ELSE 0 END) AS mask,
      CASE WHEN missed_payments <= 2 THEN monthly_payment
           ELSE (((missed_payments - 2) * balance * rate + missed_payments * monthly_insurance_and_fees * 12000000)
                 * 2 + 12000000) // 24000000 END AS reward_raw,
      (balance * 2 + 2) // 4 AS dla_pay
      FROM f)
    SELECT state, count(*) AS credits,
           sum(CASE WHEN mask & 2 <> 0 THEN balance - dla_pay END) AS dla_discount,
           sum(CASE WHEN mask & 4 <> 0 THEN least(reward_raw, balance) END) AS bcn_reward,
           {", ".join(f"count(*) FILTER (WHERE mask & {1 << i} <> 0) AS b{i}" for i in range(9))}
    FROM r GROUP BY state"""


def reference(url: str, campaign_seconds: float) -> None:
    import django
    import duckdb
    import polars as pl
    import psycopg

    os.environ.update(bench_env(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    django.setup()
    from ventanilla.batch.solutions import Params, evaluate
    from ventanilla.reference.selectors import params_at

    with psycopg.connect(url) as conn:
        path, figures = conn.execute("SELECT parquet_path, figures FROM batch_campaignrun ORDER BY id DESC LIMIT 1"
                                     ).fetchone()
    size = Path(path).stat().st_size
    started = time.perf_counter()
    by_state = duckdb.sql(duckdb_campaign_sql(path, AS_OF)).fetchall()
    duck = time.perf_counter() - started
    print(f"DuckDB {duckdb.__version__}: the campaign query on the Parquet file ({size / 1024**2:,.0f} MiB) in "
          f"{duck:.2f} s", flush=True)

    facts_columns = [c for c in pl.read_parquet_schema(path) if not c.startswith(("rc_", "dla_", "bcn_", "jubilados_",
                     "dcp_", "stm_", "paro_", "fpp_", "prorroga_")) and c != "eligible"]
    params = Params.from_snapshot(params_at(date.fromisoformat(AS_OF)))
    started = time.perf_counter()
    ours = evaluate(pl.read_parquet(path, columns=facts_columns), params)
    flags = [((pl.col("eligible") & (1 << i)) != 0).sum().alias(f"b{i}") for i in range(9)]
    ours_by_state = ours.group_by(pl.col("state").cast(pl.String)).agg(
        pl.len().alias("credits"), pl.col("dla_discount").sum(), pl.col("bcn_reward").sum(), *flags)
    polars_seconds = time.perf_counter() - started
    print(f"ours, Polars rules on the same file: {polars_seconds:.2f} s", flush=True)
    ours_rows = {row[0]: tuple(0 if value is None else value for value in row[1:])
                 for row in ours_by_state.iter_rows()}
    duck_rows = {str(row[0]): tuple(0 if value is None else int(value) for value in row[1:]) for row in by_state}
    same = ours_rows == duck_rows
    print(f"DuckDB's figures by state equal ours: {same}", flush=True)
    stored = {code: figure["eligible"] for code, figure in figures["solutions"].items()}
    print(f"campaign figures: {stored}", flush=True)
    print(f"ratio ours / DuckDB: whole campaign job {campaign_seconds / duck:.1f}x; rules on the Parquet file "
          f"{polars_seconds / duck:.1f}x", flush=True)


if __name__ == "__main__":
    main()
