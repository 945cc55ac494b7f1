"""The production server's settings: `gunicorn -c python:ventanilla.gunicorn_conf ventanilla.wsgi:application`
(README, "Configuration"; bench/bench_load.py starts the server with this same file).

A request is CPU-bound (sub-millisecond queries on a local database), so one worker process per core: more
processes only add switching (BENCHMARKS.md, "HTTP load", worker sweep). Threads let a worker overlap its
database and cache waits. Each setting can be overridden from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
keepalive = 5  # seconds: the TLS proxy keeps connections open to the workers
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
