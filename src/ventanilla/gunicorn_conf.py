"""The production server's settings: `gunicorn -c python:ventanilla.gunicorn_conf ventanilla.wsgi:application`
(README, "Configuration"; bench/bench_load.py starts the server with this same file).

A request is CPU-bound (sub-millisecond queries on a local database). Sync workers, one more than the cores
(the extra one runs while another waits on the database or the cache), behind the TLS proxy, which buffers slow
clients. Not gthread: its workers keep each keep-alive connection they accepted, and one worker could end up
with every connection while the others idle (seen under load: one worker at 87 % CPU, the other at 0 %, half
the throughput; BENCHMARKS.md, "HTTP load"); a sync worker answers one request per connection, so the kernel
hands each new one to whichever worker is free. Each setting can be overridden from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One more than the cores: 2 x cores + 1 (gunicorn's rule of thumb) measured worse, its p99 1.4 s (BENCHMARKS.md).
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 2) + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# gunicorn would quietly run gthread workers instead (GUNICORN_CMD_ARGS and command-line flags still override
# this file: don't pass --threads there).
if (worker_class == "sync" or worker_class.endswith("SyncWorker")) and threads > 1:
    raise SystemExit("GUNICORN_THREADS > 1 runs gthread workers: set GUNICORN_WORKER_CLASS=gthread to mean it")
keepalive = 5  # seconds; used by the threaded worker classes only (a sync worker closes after each response)
# A sync worker busy longer than this is killed. Payment and settlement files are imported in the request and can
# take minutes at full size; a killed import would stop between chunks. 5 minutes (assumed); the TLS proxy's own
# read timeout must not be shorter.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "300"))
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
