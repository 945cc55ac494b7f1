"""Second factor (TOTP, RFC 6238): enrol with a code, log-in asks for it, disable with a code; brute force on
the code and on the password is throttled; one person cannot reach another's pages."""

import time

import pytest
from django.conf import settings

from tests.conftest import PASSWORD, make_person, make_user
from ventanilla.core.models import AuditEntry
from ventanilla.people import services, totp
from ventanilla.people.models import Role, SecondFactor

pytestmark = pytest.mark.django_db


def test_rfc_6238_test_vectors():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # ASCII "12345678901234567890", RFC 6238 appendix B
    assert [totp.code_at(secret, t) for t in (59, 1111111109, 1234567890, 2000000000)] == [
        "287082", "081804", "005924", "279037"]  # the last six digits of the RFC's 8-digit SHA-1 values
    assert totp.matching_step(secret, "287082", 59) == 1
    assert totp.matching_step(secret, "287082", 59, after_step=1) is None  # used once already
    assert totp.matching_step(secret, "287082", 59 + 90) is None  # outside the one-step drift window


@pytest.fixture
def citizen(consulate_la):
    return make_user(Role.DERECHOHABIENTE, username="ana", person=make_person(consulate_la))


def _enrol(client, user) -> str:
    client.force_login(user)
    page = client.get("/cuenta/seguridad/totp/activar/")
    assert page.status_code == 200
    secret = SecondFactor.objects.get(user=user).secret
    html = page.content.decode()
    assert secret in html and "<svg" in html  # the secret as text and as a QR code
    response = client.post("/cuenta/seguridad/totp/activar/", {"code": totp.code_at(secret, time.time())})
    assert response.status_code == 302
    return secret


def _previous_step_code(secret):
    return totp.code_at(secret, time.time() - totp.STEP_SECONDS)


def test_enrol_then_log_in_asks_for_the_code(client, citizen):
    secret = _enrol(client, citizen)
    assert services.has_totp(citizen)
    client.logout()
    response = client.post("/entrar/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/cuenta/entrar/codigo/"
    assert client.get("/portal/").status_code == 302  # no session yet: the password alone is not enough
    wrong = client.post("/cuenta/entrar/codigo/", {"code": "12345"})
    assert wrong.status_code == 422
    # the enrolment used the current step; the previous step's code is older and so refused: use a fresh one
    factor = SecondFactor.objects.get(user=citizen)
    factor.last_used_step = 0
    factor.save()
    response = client.post("/cuenta/entrar/codigo/", {"code": totp.code_at(secret, time.time())})
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 200
    assert AuditEntry.objects.filter(action="account.login", after__second_factor=True).exists()


def test_a_code_cannot_be_used_twice(client, citizen):
    secret = _enrol(client, citizen)
    with pytest.raises(services.DomainError):
        services.check_totp(citizen, totp.code_at(secret, time.time()), client_ip="10.0.0.1")


def test_code_brute_force_is_throttled(client, citizen):
    secret = _enrol(client, citizen)
    SecondFactor.objects.filter(user=citizen).update(last_used_step=0)
    client.logout()
    client.post("/entrar/", {"username": "ana", "password": PASSWORD})
    for _ in range(services.TOTP_FAILURE_LIMIT):
        assert "El código no es correcto." in client.post("/cuenta/entrar/codigo/", {"code": "000001"}
                                                          ).content.decode()
    response = client.post("/cuenta/entrar/codigo/", {"code": totp.code_at(secret, time.time())})
    assert response.status_code == 422 and "Demasiados intentos" in response.content.decode()
    assert client.get("/portal/").status_code == 302


def test_disable_needs_a_right_code(client, citizen):
    secret = _enrol(client, citizen)
    SecondFactor.objects.filter(user=citizen).update(last_used_step=0)
    assert client.post("/cuenta/seguridad/totp/desactivar/", {"code": "000000" if totp.code_at(
        secret, time.time()) != "000000" else "111111"}).status_code == 422
    assert services.has_totp(citizen)
    response = client.post("/cuenta/seguridad/totp/desactivar/", {"code": totp.code_at(secret, time.time())})
    assert response.status_code == 302 and not services.has_totp(citizen)
    client.logout()
    response = client.post("/entrar/", {"username": "ana", "password": PASSWORD})
    assert response["Location"] == "/portal/"
    assert {"account.totp_enable", "account.totp_disable"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_staff_can_enrol_too(client):
    staff = make_user(Role.INFONAVIT_STAFF, username="staff-totp")
    _enrol(client, staff)
    assert services.has_totp(staff)


def test_password_brute_force_is_throttled(client, citizen):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert client.post("/entrar/", {"username": "ana", "password": "mala"}).status_code == 200
    response = client.post("/entrar/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 200 and "Demasiados intentos fallidos" in response.content.decode()
    assert client.get("/portal/").status_code == 302


def test_the_pending_second_step_does_not_outlive_five_minutes(client, citizen):
    _enrol(client, citizen)
    client.logout()
    client.post("/entrar/", {"username": "ana", "password": PASSWORD})
    session = client.session
    pending = session["pending_second_factor"]
    pending["at"] -= 301
    session["pending_second_factor"] = pending
    session.save()
    assert client.get("/cuenta/entrar/codigo/")["Location"] == "/entrar/"


UNREADABLE = "no puede comprobarse en este momento"


def test_an_unconfirmed_factor_that_no_longer_decrypts_is_replaced(client, citizen, settings):
    from cryptography.fernet import Fernet

    client.force_login(citizen)
    assert client.get("/cuenta/seguridad/totp/activar/").status_code == 200  # enrolment started, not confirmed
    old = SecondFactor.objects.get(user=citizen)
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()  # the key changed: the secret is unreadable
    page = client.get("/cuenta/seguridad/totp/activar/")
    assert page.status_code == 200
    new = SecondFactor.objects.get(user=citizen)
    assert new.pk != old.pk and new.secret in page.content.decode()  # a new secret under the new key
    assert AuditEntry.objects.filter(action="account.totp_enrol_discard_unreadable").count() == 1
    response = client.post("/cuenta/seguridad/totp/activar/", {"code": totp.code_at(new.secret, time.time())})
    assert response.status_code == 302 and services.has_totp(citizen)


def test_a_confirmed_factor_that_no_longer_decrypts_is_explained_and_reset_by_an_administrator(
        client, citizen, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from ventanilla.core.errors import PermissionDeniedError

    _enrol(client, citizen)
    assert UNREADABLE not in client.get("/cuenta/seguridad/").content.decode()
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()
    security = client.get("/cuenta/seguridad/")
    assert security.status_code == 200 and UNREADABLE in security.content.decode()
    client.logout()
    client.post("/entrar/", {"username": "ana", "password": PASSWORD})
    code_page = client.get("/cuenta/entrar/codigo/")
    assert code_page.status_code == 200 and UNREADABLE in code_page.content.decode()
    with pytest.raises(PermissionDeniedError):  # only administrators reset it
        services.reset_totp(make_user(Role.INFONAVIT_STAFF), citizen)
    call_command("reset_totp", "ana")
    assert not SecondFactor.objects.filter(user=citizen).exists()
    assert AuditEntry.objects.filter(action="account.totp_reset", object_id=str(citizen.pk)).exists()
    with pytest.raises(CommandError):
        call_command("reset_totp", "ana")  # nothing left to remove
    client.logout()
    assert client.post("/entrar/", {"username": "ana", "password": PASSWORD})["Location"] == "/portal/"
