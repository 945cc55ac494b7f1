"""The first-run path of `make run`: an empty SQLite file is migrated, seeded and served."""

import os
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_demo_from_an_empty_sqlite_file_serves_the_home_page(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "ventanilla.settings", "DEBUG": "1", "VENTANILLA_HOME": str(tmp_path)})
    server = subprocess.Popen(
        [sys.executable, "-m", "ventanilla", "demo", "--persons", "40", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 120
        body, status = "", None
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    status, body = response.status, response.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                time.sleep(0.5)
        assert status == 200
        assert "Ventanilla" in body
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.read() == b'{"status": "ok"}'
        assert (tmp_path / "var" / "ventanilla.sqlite3").exists()
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "Demo log-ins" in output and "consul.la" in output
