"""HTTP load on loopback (issue 5, "Speed"): a borrower's statement and the offers feed served by gunicorn with
production settings on a fresh PostgreSQL database, loaded by wrk; requests per second and p50/p99 per case.

Set-up: re-create `BENCH_DATABASE_URL` (default ventanilla_loadbench on 127.0.0.1), `ventanilla migrate`,
`ventanilla seed --persons 2000` (the demo accounts, the demo citizen's two credits), VACUUM ANALYZE. The server:
`gunicorn ventanilla.wsgi` on 127.0.0.1 with DEBUG off, a SECRET_KEY, ALLOWED_HOSTS, `BEHIND_TLS_PROXY=1` (wrk
sends `X-Forwarded-Proto: https` as the TLS proxy would, so the HTTPS redirect, secure cookies and CSRF checks
stay on) and `REDIS_URL` (default redis://127.0.0.1:6379/0), so every worker serves the feed from one cache, and
`NUM_PROXIES=1`: wrk sends each request from one of 65,536 X-Forwarded-For addresses, so the public feed keeps
production's per-address rate limit (120 a minute) as many real clients would meet it.
The demo citizen logs in through the real form (/entrar/, CSRF token and all) for the statement page; the API
statement uses a bearer token from `ventanilla api_token`.

The server runs with the production settings of ventanilla.gunicorn_conf (one worker per core, gthread).
Cases: the statement page (session) and API (bearer token) warm (served from the statement cache) and cold
(every request a period the cache has not seen, so each computes the statement as the first request after a
new ledger entry would), the API's 304 to If-None-Match, and the offers and feed. `BENCH_WORKERS` (e.g.
2,3,4,5) first sweeps the statement page over those worker counts and `BENCH_CLASSES` (default sync,gthread;
gthread with `BENCH_THREADS`, default 4). Each case is `BENCH_SECONDS`
(default 10) of wrk with `BENCH_CONNECTIONS` (default 16) connections on one wrk thread, after 2 s of warm-up;
wrk's Lua hooks count every response whose status is not the expected one (200, or 304 to If-None-Match),
and a case with any is reported as failed. wrk runs on the same cores as the server and PostgreSQL. Each case
also prints the server's CPU per request: user + system time of the gunicorn workers and of the PostgreSQL
backends of the bench database (/proc), divided by the requests, in all and each apart; on a machine other jobs share, that figure
still says what a request costs (Redis, shared with other users, is not counted).
Before the server starts, bench/statement_inprocess.py prints Django's own CPU per statement request in
process (test client, no HTTP): the figure least disturbed by whatever else the machine runs.
`BENCH_KEEP=1` keeps the database.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

from bench import support

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/ventanilla_loadbench"
HOST = "127.0.0.1"
PROXY = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy adds in production

# wrk counts statuses in each thread; `done` sums them and prints one JSON line the bench parses.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  expected = tonumber(args[1]); ok = 0; bad = 0; last_bad = 0; n = 0
  cold_param = args[2]; cold_from = tonumber(args[3] or "0")
end
-- many clients behind the TLS proxy: each request from one of 65,536 addresses (X-Forwarded-For), so the
-- public feed's per-address rate limit (production's 120 a minute) applies as it would to real clients
function request()
  n = n + 1
  wrk.headers["X-Forwarded-For"] = string.format("10.77.%d.%d", math.floor(n / 256) % 256, n % 256)
  if cold_param then
    -- cold: every request asks for a period starting on another day before the credit existed (same
    -- movements, a key the cache has never seen), so each one computes the statement as after a new entry
    local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
    return wrk.format(nil, wrk.path .. sep .. cold_param .. "=" .. os.date("!%Y-%m-%d", (cold_from + n) * 86400))
  end
  return wrk.format()
end
function response(status, headers, body)
  if status == expected then ok = ok + 1 else bad = bad + 1; last_bad = status end
end
function done(summary, latency, requests)
  local ok_all, bad_all, last = 0, 0, 0
  for _, t in ipairs(threads) do
    ok_all = ok_all + t:get("ok"); bad_all = bad_all + t:get("bad")
    if t:get("last_bad") ~= 0 then last = t:get("last_bad") end
  end
  local e = summary.errors
  io.write(string.format('WRK {"requests": %d, "seconds": %f, "p50_us": %d, "p99_us": %d, "ok": %d, ' ..
    '"bad": %d, "last_bad": %d, "socket_errors": %d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), ok_all, bad_all, last,
    e.connect + e.read + e.write + e.timeout))
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _request(port: int, method: str, path: str, headers: dict, body: str = ""):
    conn = HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body or None, headers={**PROXY, "Host": f"{HOST}:{port}", **headers})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _cookies(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key] = rest.split(";", 1)[0]
    return found


def log_in(port: int, username: str, password: str) -> str:
    """The real log-in form: GET for the CSRF cookie and token, POST the form; returns the Cookie header."""
    status, headers, page = _request(port, "GET", "/entrar/", {})
    if status != 200:
        raise RuntimeError(f"GET /entrar/ answered {status}")
    cookies = _cookies(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    origin = f"https://{HOST}:{port}"
    status, headers, _ = _request(port, "POST", "/entrar/", {
        "Cookie": f"csrftoken={cookies['csrftoken']}", "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin, "Referer": origin + "/entrar/"},
        urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password}))
    cookies.update(_cookies(headers))
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"log-in of {username} answered {status} without a session")
    return f"sessionid={cookies['sessionid']}"


class Server:
    """gunicorn as a subprocess with production settings (ventanilla.gunicorn_conf, the production server's
    one definition; `overrides`: its environment variables, for the worker sweep), waited for until /healthz
    answers."""

    def __init__(self, env: dict[str, str], overrides: dict[str, str] | None = None):
        self.port = _free_port()
        self.database_url = env["DATABASE_URL"]
        self.database = support.admin_url(self.database_url)[1]
        args = [sys.executable, "-m", "gunicorn", "-c", "python:ventanilla.gunicorn_conf", "ventanilla.wsgi:application"]
        self.proc = subprocess.Popen(args, env={**env, **(overrides or {}), "GUNICORN_BIND": f"{HOST}:{self.port}"})
        deadline = time.monotonic() + 60
        while True:
            try:
                if _request(self.port, "GET", "/healthz", {})[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wrk(port: int, path: str, headers: dict[str, str], expected: int, seconds: int, connections: int,
        script: str, cold: tuple[str, int] | None = None) -> dict:
    """`cold`: (the period's start parameter, the first day after 1970-01-01 to ask for): every request
    misses the cache (see WRK_SCRIPT)."""
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script]
    for name, value in {**PROXY, **headers}.items():
        args += ["-H", f"{name}: {value}"]
    extra = [cold[0], str(cold[1])] if cold else []
    out = subprocess.run([*args, f"http://{HOST}:{port}{path}", "--", str(expected), *extra], capture_output=True,
                         text=True, timeout=seconds + 60, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    return json.loads(line[4:])


TICK = os.sysconf("SC_CLK_TCK")
COLD_FROM_DAY = 5000  # 1983-09-09: the warm-up's days come before; the demo credit dates from 2009


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (/proc/<pid>/stat); a process gone meanwhile counts 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / TICK


def _server_pids(server: Server, database: str) -> tuple[list[int], list[int]]:
    """The gunicorn workers and the PostgreSQL backends serving the bench database: the CPU a request costs
    on the server side, whatever else the machine runs (the load average says how much that is)."""
    import psycopg

    workers = [int(pid) for pid in subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True,
                                                  text=True).stdout.split()]
    with psycopg.connect(server.database_url, autocommit=True) as conn:
        backends = [row[0] for row in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database])]
    return workers, backends


def _measure(server: Server, case: tuple, seconds: int, connections: int, script: str) -> dict:
    label, path, headers, expected, *cold = case
    # warm-up (connections, caches); a cold case's warm-up asks for days the measured run never asks for
    wrk(server.port, path, headers, expected, 2, connections, script, (cold[0], 0) if cold else None)
    workers, backends = _server_pids(server, server.database)
    load_before, workers_before, backends_before = os.getloadavg()[0], _cpu_seconds(workers), _cpu_seconds(backends)
    found = wrk(server.port, path, headers, expected, seconds, connections, script,
                (cold[0], COLD_FROM_DAY) if cold else None)
    requests = max(found["requests"], 1)
    workers_ms = (_cpu_seconds(workers) - workers_before) * 1000 / requests
    backends_ms = (_cpu_seconds(backends) - backends_before) * 1000 / requests
    found.update(label=label, load=(load_before, os.getloadavg()[0]), rate=found["requests"] / found["seconds"],
                 cpu_ms=workers_ms + backends_ms, workers_ms=workers_ms, backends_ms=backends_ms)
    return found


def _print(found: dict, prefix: str = "") -> None:
    verdict = "ok" if not found["bad"] and not found["socket_errors"] else (
        f"ERRORS: {found['bad']} unexpected statuses (last {found['last_bad']}), "
        f"{found['socket_errors']} socket errors")
    print(f"{prefix}{found['label']:<34} {found['rate']:>7,.0f} req/s  p50 {found['p50_us'] / 1000:7.2f} ms  "
          f"p99 {found['p99_us'] / 1000:7.2f} ms  {found['requests']:>6} requests  server CPU "
          f"{found['cpu_ms']:5.2f} ms/request (gunicorn {found['workers_ms']:.2f}, PostgreSQL "
          f"{found['backends_ms']:.2f})  load {found['load'][0]:.1f}->{found['load'][1]:.1f}  {verdict}",
          flush=True)


def _machine(url: str) -> None:
    import psycopg

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "?")
    with psycopg.connect(url) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    print(f"machine: {os.cpu_count()} CPUs ({model}); PostgreSQL {version}; {wrk_version.strip()}; "
          f"Python {sys.version.split()[0]}", flush=True)


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    admin, name = support.admin_url(url)
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    threads = os.environ.get("BENCH_THREADS", "4")
    workers = [n for n in os.environ.get("BENCH_WORKERS", "").split(",") if n]
    classes = os.environ.get("BENCH_CLASSES", "sync,gthread").split(",")
    env = {**support.bench_env(url), "DJANGO_SETTINGS_MODULE": "ventanilla.settings", "ALLOWED_HOSTS": HOST,
           "SECURE_SSL_REDIRECT": "1", "BEHIND_TLS_PROXY": "1", "NUM_PROXIES": "1",
           "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0"),
           # Production recycles a database connection after 60 s; a backend that exits during a case takes its
           # CPU out of /proc, and the figure came out low or even negative (the first 304 rows). The bench keeps
           # its connections for the whole run instead: one connection set-up a minute per thread is not counted.
           "CONN_MAX_AGE": "3600"}
    support.recreate(admin, name)
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(WRK_SCRIPT)
    script.close()
    try:
        support.ventanilla(["migrate", "--verbosity", "0"], env)
        seeded, _ = support.ventanilla(["seed", "--persons", "2000"], {**env, "SECURE_SSL_REDIRECT": "0"})
        print(f"set-up: seed in {seeded:.1f} s, settle {support.settle(url):.1f} s", flush=True)
        _machine(url)
        token = subprocess.run([sys.executable, "-m", "ventanilla.cli", "api_token", "ciudadano", "--name", "bench"],
                               env=env, capture_output=True, text=True, check=True).stdout.strip()
        number = _demo_credit(url)
        # Django's own CPU per statement, no HTTP (bench/statement_inprocess.py); the test client's host name
        subprocess.run([sys.executable, "-m", "bench.statement_inprocess", number], check=True,
                       env={**env, "ALLOWED_HOSTS": "testserver"})
        for worker_class in classes if workers else []:  # the sweep, only when BENCH_WORKERS asks for it
            for count in workers:
                overrides = {"WEB_CONCURRENCY": count, "GUNICORN_WORKER_CLASS": worker_class,
                             "GUNICORN_THREADS": threads}
                server = Server(env, overrides)
                try:
                    cookie = log_in(server.port, "ciudadano", "ventanilla-demo-2026")
                    found = _measure(server, ("statement page", f"/infonavit/creditos/{number}/",
                                              {"Cookie": cookie}, 200), seconds, connections, script.name)
                finally:
                    server.stop()
                kind = f"{worker_class} x{threads} threads" if worker_class == "gthread" else worker_class
                _print(found, f"{count} {kind:<18} ")
        print(f"production settings (ventanilla.gunicorn_conf); every case with {connections} connections, "
              f"{seconds} s", flush=True)
        server = Server(env)
        try:
            cookie = log_in(server.port, "ciudadano", "ventanilla-demo-2026")
            offers, feed = "/api/v1/infonavit/offers?date=2026-03-01&language=es", \
                "/api/v1/infonavit/offers/feed.json?language=es"
            page, api = f"/infonavit/creditos/{number}/", f"/api/v1/infonavit/credits/{number}/statement"
            bearer = {"Authorization": f"Bearer {token}"}
            etags = {path: dict((k.lower(), v) for k, v in _request(server.port, "GET", path, headers)[1])["etag"]
                     for path, headers in ((offers, {}), (feed, {}), (api, bearer))}
            cases = [
                ("statement page, warm", page, {"Cookie": cookie}, 200),
                ("statement page, cold", page, {"Cookie": cookie}, 200, "inicio"),
                ("statement API, warm", api, bearer, 200),
                ("statement API, cold", api, bearer, 200, "start"),
                ("statement API, 304 If-None-Match", api, {**bearer, "If-None-Match": etags[api]}, 304),
                ("offers, 200 from the cache", offers, {}, 200),
                ("offers, 304 If-None-Match", offers, {"If-None-Match": etags[offers]}, 304),
                ("feed.json, 200 from the cache", feed, {}, 200),
                ("feed.json, 304 If-None-Match", feed, {"If-None-Match": etags[feed]}, 304),
            ]
            failed = []
            for case in cases:
                found = _measure(server, case, seconds, connections, script.name)
                _print(found)
                if found["bad"] or found["socket_errors"]:
                    failed.append(case[0])
        finally:
            server.stop()
        if failed:
            raise RuntimeError(f"cases with errors: {', '.join(failed)}")
    finally:
        os.unlink(script.name)
        if not os.environ.get("BENCH_KEEP"):
            support.drop(admin, name)


def _demo_credit(url: str) -> str:
    """The demo citizen's credit with the most ledger entries (the longest statement)."""
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT c.number FROM infonavit_credit c JOIN people_user u ON u.person_id = c.borrower_id"
            " JOIN infonavit_ledgerentry e ON e.credit_id = c.id WHERE u.username = 'ciudadano'"
            " GROUP BY c.number ORDER BY count(*) DESC, c.number LIMIT 1").fetchone()[0]
