"""Shared helpers of the benchmarks: a throw-away PostgreSQL database and `ventanilla` subprocesses."""

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/ventanilla_bench"


def admin_url(url: str) -> tuple[str, str]:
    """The server's maintenance database (to create and drop the bench one) and the bench database's name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"BENCH_DATABASE_URL names no database: {url}")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def ventanilla(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run a `ventanilla` command; return its wall time and peak RSS in KiB (this child only, via wait4)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "ventanilla.cli", *args], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"ventanilla {' '.join(args)} exited with {proc.returncode}")
    return elapsed, usage.ru_maxrss




def bench_env(url: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-only-secret-key-not-for-any-real-deployment",
            "FIELD_ENCRYPTION_KEY": "YmVuY2gtb25seS1maWVsZC1rZXktbm90LWZvci11c2U=",  # bench only, like SECRET_KEY
            "DEBUG": "0", "SECURE_SSL_REDIRECT": "0"}

def settle(url: str) -> float:
    """VACUUM ANALYZE and CHECKPOINT a freshly seeded database, so a measurement starts where production
    would be: visibility and hint bits set, statistics current, no pending dirty pages from the load. Without
    it the first job after a million-row COPY pays for all of that (the IMSS monthly job measured 101 s
    instead of about 45 s). Returns the seconds it took."""
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")
    return time.perf_counter() - started
