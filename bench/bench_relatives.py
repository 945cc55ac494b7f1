"""Issue 6, "relatives covered": the cost of reading each beneficiary's LSS art. 84 right on the report date
(reports.selectors.relatives_covered, through imss.selectors.right_on) against the plain GROUP BY it replaced,
which counted every registered relative, even a child past the age limit.

`ventanilla seed` makes no beneficiaries, so this seeds persons and IMSS affiliates, then gives each affiliation
one relative (another seeded person) in SQL: a third children (half of them over 16, some with proof of
studies), a third spouses, a third mothers; seed 004's ratio is 14,705 relatives for 15,375 workers.

Environment: BENCH_DATABASE_URL (default .../ventanilla_helper_d, dropped and re-created unless BENCH_REUSE=1),
BENCH_PERSONS (300000), BENCH_AFFILIATES (150000), BENCH_ROUNDS (5), BENCH_KEEP=1 keeps the database.
Not in CI.
"""

import os
import statistics
import subprocess
import sys
import time

from bench import support

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/ventanilla_helper_d"

BENEFICIARIES_SQL = """
INSERT INTO imss_beneficiary (affiliation_id, person_id, relationship, studying_until, disabled, lives_with_worker,
                              economically_dependent, years_together, child_in_common, registered_on, ended_on,
                              registered_by_id)
SELECT a.id, p.id,
       CASE a.id % 3 WHEN 0 THEN 'child' WHEN 1 THEN 'spouse' ELSE 'mother' END,
       CASE WHEN a.id % 6 = 3 THEN DATE '2027-06-30' END, false, true, true, NULL, false, a.enrolled_on, NULL,
       a.enrolled_by_id
FROM imss_affiliation a
JOIN people_person p ON p.id = (SELECT max(id) FROM people_person) - a.id + 1
"""


def measure() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    django.setup()
    from django.db import connection
    from django.db.models import Count, Q

    from ventanilla.imss.models import Beneficiary
    from ventanilla.reports import selectors
    from ventanilla.reports.indicators import Filters

    filters = Filters()
    on = selectors.report_date(filters)

    def group_by_only():  # the read before the art. 84 check (commit d1e61c3)
        affiliations = selectors.imss_affiliations(filters, dated=False).filter(enrolled_on__lte=on)
        return list(Beneficiary.objects.filter(affiliation__in=affiliations, registered_on__lte=on)
                    .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
                    .values("affiliation__consulate__code", "affiliation__consulate__name_es")
                    .annotate(workers=Count("affiliation", distinct=True), relatives=Count("id")))

    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM imss_beneficiary")
        registered = cursor.fetchone()[0]
    for label, read in (("GROUP BY only (before)", group_by_only),
                        ("art. 84 per relative (now)", lambda: selectors.relatives_covered(filters))):
        times = []
        for _ in range(rounds + 1):
            started = time.perf_counter()
            rows = read()
            times.append(time.perf_counter() - started)
        counted = sum(r["relatives"] for r in rows)
        print(f"{label}: first {times[0]:.2f} s, p50 {statistics.median(times[1:]):.2f} s, max {max(times[1:]):.2f} s;"
              f" {counted} of {registered} registered relatives counted, {len(rows)} consulates")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure()
        return
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    admin, name = support.admin_url(url)
    env = support.bench_env(url)
    persons = os.environ.get("BENCH_PERSONS", "300000")
    affiliates = os.environ.get("BENCH_AFFILIATES", "150000")
    try:
        if os.environ.get("BENCH_REUSE") != "1":
            support.recreate(admin, name)
            print(f"migrate: {support.ventanilla(['migrate', '-v', '0'], env)[0]:.1f} s")
            seconds, _rss = support.ventanilla(["seed", "--persons", persons, "--imss-affiliates", affiliates,
                                                "--no-history", "--credits", "0", "--no-accounts"], env)
            print(f"seed {persons} persons, {affiliates} affiliates: {seconds:.1f} s")
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                started = time.perf_counter()
                conn.execute("DELETE FROM imss_beneficiary")
                conn.execute(BENEFICIARIES_SQL)
                print(f"beneficiaries: {time.perf_counter() - started:.1f} s")
            print(f"settle: {support.settle(url):.1f} s")
        subprocess.run([sys.executable, "-m", "bench.bench_relatives", "--measure"], env=env, check=True)
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            support.drop(admin, name)


if __name__ == "__main__":
    main()
