"""Django's own CPU for a borrower's statement, in process (no HTTP server, no wrk): what bench_load runs
before it starts gunicorn, with the same environment (DATABASE_URL, REDIS_URL, DEBUG off).

`python -m bench.statement_inprocess <credit number>`: the demo citizen's statement page (session) and API
(bearer token), warm (from the statement cache) and cold (each request a period never asked for, so each
computes the statement), through Django's test client. CPU is `time.process_time` of this process over
ROUNDS rounds of REQUESTS requests; the least round is printed (the one least disturbed by other work on the
machine), with the median and the queries of one warm request."""

import os
import sys
import time
from datetime import date, timedelta

ROUNDS, REQUESTS = 7, 100


def main(number: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ventanilla.people.models import User
    from ventanilla.people.services import issue_api_token

    user = User.objects.get(username="ciudadano")
    proxy = {"secure": True, "HTTP_X_FORWARDED_PROTO": "https"}  # as behind the TLS proxy (BEHIND_TLS_PROXY)
    page_client, api_client = Client(**proxy), Client(**proxy)
    page_client.force_login(user)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issue_api_token(user, user, 'bench in process')[1]}"}
    days = iter(range(2000, 1_000_000))  # bench_load's wrk asks for days 0-1999 (warm-up) and from 5000

    def cold_start() -> str:  # a day before the credit existed, never asked for before
        return (date(1970, 1, 1) + timedelta(days=next(days))).isoformat()

    cases = [
        ("page, warm", page_client, lambda: f"/infonavit/creditos/{number}/", {}),
        ("page, cold", page_client, lambda: f"/infonavit/creditos/{number}/?inicio={cold_start()}", {}),
        ("API, warm", api_client, lambda: f"/api/v1/infonavit/credits/{number}/statement", bearer),
        ("API, cold", api_client, lambda: f"/api/v1/infonavit/credits/{number}/statement?start={cold_start()}",
         bearer),
    ]
    for label, client, path, headers in cases:
        assert client.get(path(), **headers).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(path(), **headers)
        count = len(queries.captured_queries)  # now: each request clears the log (request_started)
        rounds = []
        for _ in range(ROUNDS):
            started = time.process_time()
            for _ in range(REQUESTS):
                client.get(path(), **headers)
            rounds.append((time.process_time() - started) * 1000 / REQUESTS)
        rounds.sort()
        print(f"in process: statement {label:<11} {rounds[0]:6.2f} ms CPU/request (median of {ROUNDS} rounds "
              f"{rounds[ROUNDS // 2]:.2f}), {count} queries, load "
              f"{os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
