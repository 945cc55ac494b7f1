"""The offers API and its feed in process (Django's test client, no HTTP server: the project has no
production WSGI server yet), on a fresh PostgreSQL database: requests per second and p50/p99 latency of a
cached 200, a 304 to If-None-Match, and an answer built with the cache cleared before each request.

`BENCH_DATABASE_URL` (default ventanilla_bench on 127.0.0.1) names the throw-away database; `BENCH_REQUESTS`
the requests per case (default 2000)."""

import os
import statistics
import subprocess
import sys
import time

from bench import support

URL = "/api/v1/infonavit/offers?date=2026-03-01&language=es"
FEED = "/api/v1/infonavit/offers/feed.json?language=es"


def _figures(name: str, timings: list[float]) -> None:
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"{name:<32} {len(timings) / sum(timings):>9,.0f} req/s  p50 {statistics.median(timings) * 1000:6.2f} ms"
          f"  p99 {p99 * 1000:6.2f} ms", flush=True)


def measure() -> None:
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    count = int(os.environ.get("BENCH_REQUESTS", "2000"))
    client = Client(HTTP_HOST="localhost")

    def run(path: str, *, clear: bool = False, **headers) -> list[float]:
        timings = []
        for _ in range(count):
            if clear:
                cache.clear()
            started = time.perf_counter()
            response = client.get(path, **headers)
            timings.append(time.perf_counter() - started)
            assert response.status_code in (200, 304), response.status_code
        return timings

    for path, label in ((URL, "offers"), (FEED, "feed")):
        etag = client.get(path)["ETag"]
        _figures(f"{label}: built each time (no cache)", run(path, clear=True))
        _figures(f"{label}: 200 from the cache", run(path))
        _figures(f"{label}: 304 (If-None-Match)", run(path, HTTP_IF_NONE_MATCH=etag))


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL", support.DEFAULT_URL)
    admin, name = support.admin_url(url)
    support.recreate(admin, name)
    env = {**support.bench_env(url), "PUBLIC_RATE_LIMIT_PER_MINUTE": "100000000", "ALLOWED_HOSTS": "localhost",
           "DJANGO_SETTINGS_MODULE": "ventanilla.settings"}
    try:
        support.ventanilla(["migrate", "--verbosity", "0"], env)
        subprocess.run([sys.executable, "-c", "from bench.bench_offers import measure; measure()"], env=env,
                       check=True)
    finally:
        if not os.environ.get("BENCH_KEEP"):
            support.drop(admin, name)
