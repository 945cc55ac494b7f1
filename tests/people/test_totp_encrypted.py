"""The TOTP secret is stored encrypted (core.encryption, FIELD_ENCRYPTION_KEY): the column never holds the
secret, codes still verify, a wrong key refuses every code (fails closed), the migration encrypts secrets
stored before it, and production refuses to start without the key."""

import os
import subprocess
import sys
import time

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from tests.conftest import make_person, make_user
from ventanilla.core import encryption
from ventanilla.core.errors import DomainError
from ventanilla.people import services, totp
from ventanilla.people.models import Role, SecondFactor

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(consulate_la):
    return make_user(Role.DERECHOHABIENTE, person=make_person(consulate_la))


def stored_column(factor) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret_encrypted FROM people_secondfactor WHERE id = %s", [factor.pk])
        return cursor.fetchone()[0]


def test_the_stored_value_is_not_the_secret_and_codes_still_verify(citizen):
    factor = services.start_totp_enrolment(citizen)
    secret = SecondFactor.objects.get(pk=factor.pk).secret
    raw = stored_column(factor)
    assert len(secret) == 32 and secret not in raw and raw.startswith(encryption.PREFIX)
    services.confirm_totp_enrolment(citizen, totp.code_at(secret, time.time()), client_ip="203.0.113.5")
    assert services.has_totp(citizen)
    assert f"secret={secret}" in services.totp_uri(SecondFactor.objects.get(pk=factor.pk))


def test_a_wrong_key_fails_closed(citizen, settings, caplog):
    factor = services.start_totp_enrolment(citizen)
    secret = factor.secret
    settings.FIELD_ENCRYPTION_KEY = Fernet.generate_key().decode()  # the key the secret was not encrypted with
    with pytest.raises(encryption.DecryptionError):
        SecondFactor.objects.get(pk=factor.pk).secret  # noqa: B018 (reading is what fails)
    with pytest.raises(DomainError) as refused:
        services.confirm_totp_enrolment(citizen, totp.code_at(secret, time.time()), client_ip="203.0.113.5")
    assert refused.value.errors[0].code == "wrong" and not services.has_totp(citizen)
    assert "check FIELD_ENCRYPTION_KEY" in caplog.text and secret not in caplog.text
    # A rotated key list (new key first, old one kept) reads it again.
    settings.FIELD_ENCRYPTION_KEY = f"{settings.FIELD_ENCRYPTION_KEY},{encryption.derive_key(settings.SECRET_KEY)}"
    assert SecondFactor.objects.get(pk=factor.pk).secret == secret


def test_a_tampered_or_plaintext_value_is_refused(citizen):
    factor = services.start_totp_enrolment(citizen)
    secret = factor.secret
    SecondFactor.objects.filter(pk=factor.pk).update(secret_encrypted=secret)  # a plaintext left behind
    with pytest.raises(DomainError):
        services.confirm_totp_enrolment(citizen, totp.code_at(secret, time.time()), client_ip="203.0.113.5")
    token = encryption.encrypt(secret)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt(tampered)


def test_the_migration_encrypts_secrets_stored_in_clear(citizen, settings):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("ventanilla.people.migrations.0003_second_factor_encrypted")
    secret = totp.new_secret()
    factor = SecondFactor.objects.create(user=citizen, secret_encrypted=secret)  # as before the migration
    migration.encrypt_stored_secrets(apps, None)
    migration.encrypt_stored_secrets(apps, None)  # a second run does not encrypt twice
    factor.refresh_from_db()
    assert factor.secret_encrypted != secret and factor.secret == secret
    migration.decrypt_stored_secrets(apps, None)  # the way back
    factor.refresh_from_db()
    assert factor.secret_encrypted == secret


@pytest.mark.parametrize(("value", "message"), [
    ("", "FIELD_ENCRYPTION_KEY must be set when DEBUG is off"),
    ("not-a-key", "FIELD_ENCRYPTION_KEY: key 1 is not a Fernet key"),
])
def test_production_refuses_to_start_without_a_good_key(value, message):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "FIELD_ENCRYPTION_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "ventanilla.settings", "SECRET_KEY": "x" * 50,
                "FIELD_ENCRYPTION_KEY": value})
    result = subprocess.run([sys.executable, "-m", "ventanilla", "check"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and message in result.stderr
    assert not value or value not in result.stderr  # the key itself is never printed
