"""Seeding persons into PostgreSQL: `ventanilla seed --persons N --seed 1 --no-accounts` on a fresh database.

Issue target: 1,000,000 persons in under 120 s. Environment:
  BENCH_DATABASE_URL  default postgresql://postgres@127.0.0.1:5432/ventanilla_bench (dropped and re-created)
  BENCH_PERSONS       default 1000000
  BENCH_KEEP=1        keep the database afterwards (otherwise it is dropped)
"""

import os

import psycopg

from bench.support import admin_url, bench_env, drop, recreate, ventanilla

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/ventanilla_bench"
TARGET_SECONDS = 120


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    persons = int(os.environ.get("BENCH_PERSONS", "1000000"))
    keep = os.environ.get("BENCH_KEEP") == "1"
    maintenance_url, name = admin_url(url)
    env = bench_env(url)

    with psycopg.connect(maintenance_url) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    print(f"database: {name} on PostgreSQL {server}; persons: {persons:,}", flush=True)
    recreate(maintenance_url, name)
    try:
        migrate_seconds, _ = ventanilla(["migrate", "--verbosity", "0"], env)
        print(f"migrate: {migrate_seconds:.1f} s", flush=True)
        seconds, peak_kib = ventanilla(["seed", "--persons", str(persons), "--seed", "1", "--no-accounts",
                                                 "--imss-affiliates", "0", "--no-history"], env)
        with psycopg.connect(url) as conn:
            loaded = conn.execute("SELECT count(*) FROM people_person").fetchone()[0]
            size = conn.execute("SELECT pg_total_relation_size('people_person')").fetchone()[0]
    finally:
        if not keep:
            drop(maintenance_url, name)
    if loaded != persons:
        raise RuntimeError(f"expected {persons:,} persons in the database, found {loaded:,}")

    print(f"persons:        {loaded:,}")
    print(f"seed wall time: {seconds:.1f} s (whole `ventanilla seed` process)")
    print(f"rate:           {loaded / seconds:,.0f} persons/s")
    print(f"peak RSS:       {peak_kib / 1024:,.0f} MiB (seed process)")
    print(f"table size:     {size / 2**20:,.0f} MiB (people_person with its indexes)")
    if persons == 1_000_000:
        verdict = "met" if seconds < TARGET_SECONDS else "NOT met"
    else:  # a smaller run says little about the target: fixed start-up costs dominate it
        per_million = seconds * 1_000_000 / persons if persons else 0.0
        verdict = f"not measured (ran {persons:,}; {per_million:.0f} s per million if it scaled linearly)"
    print(f"target:         1,000,000 persons < {TARGET_SECONDS} s: {verdict}")
    print(f"database {name} {'kept (BENCH_KEEP=1)' if keep else 'dropped'}")


if __name__ == "__main__":
    main()
