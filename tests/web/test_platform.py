import os
import subprocess
import sys

import pytest
from django.test import Client

from tests.conftest import PASSWORD, make_user
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_openapi_document_and_interactive_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/reference/params" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert b"cdn.jsdelivr" not in docs.content  # served from our static files: no third-party network


def test_request_id_is_returned_and_kept(client):
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32
    assert client.get("/healthz", HTTP_X_REQUEST_ID="consulado-la-42").headers["X-Request-ID"] == "consulado-la-42"


def test_login_lands_on_the_role_home(consulate_la):
    homes = {Role.CONSULAR_OFFICER: "/ventanilla/", Role.SUPERVISOR: "/tablero/", Role.IMSS_STAFF: "/personal/"}
    for role, home in homes.items():
        user = make_user(role, consulate=consulate_la if role == Role.CONSULAR_OFFICER else None)
        response = Client().post("/entrar/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302 and response.headers["Location"] == home


def test_login_is_throttled_after_repeated_failures(consulate_la):
    user = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    client = Client()
    for _ in range(5):
        failed = client.post("/entrar/", {"username": user.username, "password": "equivocada"})
        assert failed.status_code == 200
    locked = client.post("/entrar/", {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 200
    assert "Demasiados intentos fallidos" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_is_throttled_too(db):
    staff = make_user(Role.IMSS_STAFF)
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"username": staff.username, "password": "equivocada"})
    locked = client.post("/admin/login/", {"username": staff.username, "password": PASSWORD})
    assert locked.status_code == 200 and "Demasiados intentos fallidos" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_accounts_from_another_address_are_not_locked(consulate_la):
    victim = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    other = make_user(Role.SUPERVISOR)
    attacker = Client(REMOTE_ADDR="10.0.0.66")
    for _ in range(5):
        attacker.post("/entrar/", {"username": victim.username, "password": "x"})
    ok = Client(REMOTE_ADDR="10.0.0.7").post("/entrar/", {"username": other.username, "password": PASSWORD})
    assert ok.status_code == 302


def test_language_switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/").content.decode()
    assert 'lang="en"' in page and "Sign in" in page


def test_production_settings_pass_check_deploy(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "ventanilla.settings", "DEBUG": "0",
        "SECRET_KEY": "k9$Zq2!vW7@pL4#xR8^mT1&nB6*cY3(hJ0)dF5_gS2+aE7=uI4-oP9",
        "ALLOWED_HOSTS": "ventanilla.example", "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    })
    result = subprocess.run([sys.executable, "-m", "ventanilla", "check", "--deploy", "--fail-level", "WARNING"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env["DJANGO_SETTINGS_MODULE"] = "ventanilla.settings"
    result = subprocess.run([sys.executable, "-m", "ventanilla", "check"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_pager_keeps_the_search_term_across_pages():
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    page = Paginator(list(range(60)), 25).get_page(2)
    html = render_to_string("web/_pager.html", {"page": page, "param": "q", "value": "DE LA CRUZ"})
    assert 'href="?q=DE%20LA%20CRUZ&page=1"' in html and 'href="?q=DE%20LA%20CRUZ&page=3"' in html
    assert "Página 2 de 3" in html
    plain = render_to_string("web/_pager.html", {"page": page})
    assert 'href="?page=3"' in plain
