"""IMSS abroad at portfolio scale (PostgreSQL), three figures:

1. The monthly job: quote and issue the next reference for 1,000,000 affiliates (target < 60 s).
2. PDF slips per second on one core (target >= 100).
3. A bank file of 1,000,000 payment lines: first import (target < 60 s), then the same file again (no change,
   not slower than the first).

Environment: BENCH_DATABASE_URL (default .../ventanilla_bench_imss, dropped and re-created), BENCH_AFFILIATES
(default 1000000), BENCH_SLIPS (default 500), BENCH_KEEP=1 keeps the database.
The seeding (persons and affiliations) is set-up, reported but not a target here; so is the VACUUM ANALYZE
and CHECKPOINT after it (bench.support.settle), which production's autovacuum would have done long before a
monthly job runs.
"""

import os
import subprocess
import sys
import time

from bench.support import admin_url, bench_env, drop, recreate, settle, ventanilla

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/ventanilla_bench_imss"


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    affiliates = int(os.environ.get("BENCH_AFFILIATES", "1000000"))
    persons = int(affiliates / 0.84) + 1000  # about 85 % of demo persons have an NSS
    maintenance_url, name = admin_url(url)
    env = bench_env(url)
    recreate(maintenance_url, name)
    try:
        ventanilla(["migrate", "--verbosity", "0"], env)
        seconds, _ = ventanilla(["seed", "--persons", str(persons), "--seed", "1", "--no-accounts",
                                 "--imss-affiliates", str(affiliates), "--credits", "0", "--no-history"], env)
        print(f"set-up: {persons:,} persons and up to {affiliates:,} affiliations seeded in {seconds:.1f} s", flush=True)
        print(f"set-up: VACUUM ANALYZE and CHECKPOINT in {settle(url):.1f} s", flush=True)
        subprocess.run([sys.executable, "-m", "bench.bench_imss", "--measure"], env=env, check=True)
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            drop(maintenance_url, name)


def measure() -> None:
    """Runs inside a process set up for the bench database."""
    import resource
    import tempfile
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    django.setup()
    from django.db import connection

    from ventanilla.imss.demo import bank_file_for
    from ventanilla.imss.models import ContributionPeriod
    from ventanilla.imss.services import issue_monthly_references
    from ventanilla.payments.models import Payment, PaymentReference
    from ventanilla.payments.pdf import reference_slip_pdf
    from ventanilla.payments.services import import_payment_file
    from ventanilla.people.services import system_account

    actor = system_account()
    on = date(2026, 11, 5)  # issues December 2026, due 20 November: every seeded enrolment is before it
    started = time.perf_counter()
    result = issue_monthly_references(actor, on=on)
    elapsed = time.perf_counter() - started
    print(f"monthly job: {result['issued']:,} periods quoted and issued in {elapsed:.1f} s "
          f"({result['issued'] / elapsed:,.0f}/s; {result['distinct_quotes']:,} distinct quotes; "
          f"target < 60 s for 1,000,000: {'met' if elapsed < 60 else 'NOT met'})", flush=True)
    again = time.perf_counter()
    second = issue_monthly_references(actor, on=on)
    print(f"monthly job again: {second['issued']:,} issued in {time.perf_counter() - again:.1f} s", flush=True)

    references = list(PaymentReference.objects.select_related("person").order_by("pk")[:int(os.environ.get(
        "BENCH_SLIPS", "500"))])
    reference_slip_pdf(references[0])  # warm-up: fonts and styles
    started = time.perf_counter()
    for reference in references:
        reference_slip_pdf(reference)
    elapsed = time.perf_counter() - started
    rate = len(references) / elapsed
    print(f"pdf slips: {len(references)} in {elapsed:.2f} s = {rate:,.0f} per second on one core "
          f"(target >= 100: {'met' if rate >= 100 else 'NOT met'})", flush=True)

    periods = ContributionPeriod.objects.filter(period_start=date(2026, 12, 1)).values_list(
        "pk", "reference__code", "amount").order_by("pk")
    paid_at = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
        content = bank_file_for(periods.iterator(chunk_size=50_000), paid_at, "BANK")
        handle.write(content)
        path = handle.name
    lines = content.count(b"\n") - 1
    del content
    # The file arrives days after the job: autovacuum would have visited the million new rows by then.
    print(f"VACUUM ANALYZE and CHECKPOINT after the job: {settle(os.environ['DATABASE_URL']):.1f} s", flush=True)
    print(f"bank file: {lines:,} lines, {os.path.getsize(path) / 2**20:,.1f} MiB", flush=True)
    timings = []
    for attempt in ("first", "second"):
        before = Payment.objects.count()
        started = time.perf_counter()
        with open(path, "rb") as stream:
            imported = import_payment_file(actor, filename="bench.csv", content=stream)
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        after = Payment.objects.count()
        print(f"import ({attempt}): {elapsed:.1f} s ({lines / elapsed:,.0f} lines/s); file summary: applied "
              f"{imported.lines_applied:,}, duplicate {imported.lines_duplicate:,}, rejected "
              f"{imported.lines_rejected:,}; payments added by this run: {after - before:,}", flush=True)
    os.unlink(path)
    paid = ContributionPeriod.objects.filter(period_start=date(2026, 12, 1), status="paid").count()
    print(f"periods paid: {paid:,}; first import target < 60 s: {'met' if timings[0] < 60 else 'NOT met'}; "
          f"second not slower: {'yes' if timings[1] <= timings[0] else 'no'}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the measuring process: {peak:,.0f} MiB; database: {connection.settings_dict['NAME']}")


if __name__ == "__main__":
    if "--measure" in sys.argv:
        measure()
    else:
        main()
