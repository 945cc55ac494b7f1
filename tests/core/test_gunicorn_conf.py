"""The production server's settings (ventanilla.gunicorn_conf): sync workers, one more than the cores, and no
quiet switch to threads."""

import importlib
import os

import pytest


def load(monkeypatch, **env):
    for name in ("WEB_CONCURRENCY", "GUNICORN_WORKER_CLASS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    import ventanilla.gunicorn_conf as conf

    return importlib.reload(conf)


def test_sync_workers_one_more_than_the_cores(monkeypatch):
    conf = load(monkeypatch)
    assert (conf.worker_class, conf.threads, conf.workers) == ("sync", 1, (os.cpu_count() or 2) + 1)
    conf = load(monkeypatch, WEB_CONCURRENCY="4", GUNICORN_WORKER_CLASS="gthread", GUNICORN_THREADS="4")
    assert (conf.worker_class, conf.threads, conf.workers) == ("gthread", 4, 4)


def test_threads_without_saying_gthread_are_refused(monkeypatch):
    with pytest.raises(SystemExit, match="GUNICORN_WORKER_CLASS=gthread"):
        load(monkeypatch, GUNICORN_THREADS="4")
    with pytest.raises(SystemExit, match="GUNICORN_WORKER_CLASS=gthread"):
        load(monkeypatch, GUNICORN_THREADS="2", GUNICORN_WORKER_CLASS="gunicorn.workers.sync.SyncWorker")


def test_a_long_file_import_is_not_killed_at_30_seconds(monkeypatch):
    assert load(monkeypatch).timeout == 300
