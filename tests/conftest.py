"""Shared fixtures: accounts per role, valid persons, API clients. Everything runs on the real database
(SQLite locally, PostgreSQL when DATABASE_URL says so)."""

import os
from datetime import date
from functools import lru_cache

import pytest
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.utils import translation

from ventanilla.people.demo import generate_persons
from ventanilla.people.models import Person, Role, User
from ventanilla.reference.models import Consulate

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "contrasena-de-prueba-2026"


@lru_cache(maxsize=1)
def password_hash() -> str:
    return make_password(PASSWORD)  # Argon2, computed once for the whole run


@pytest.fixture(autouse=True)
def _spanish_by_default():
    translation.activate("es")  # a request in English must not leave the next test in English
    yield
    translation.activate("es")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # rate limits and log-in throttles must not leak between tests
    yield
    cache.clear()


@pytest.fixture
def consulate_la(db):
    return Consulate.objects.get(code="US-LOS-ANGELES")


@pytest.fixture
def consulate_chicago(db):
    return Consulate.objects.get(code="US-CHICAGO")


_person_counter = iter(range(10_000_000))


def make_person(consulate: Consulate | None, seed: int | None = None, **overrides) -> Person:
    """A person with valid identifiers (built by the demo generator), stored directly as a fixture."""
    from ventanilla.people.demo import PERSON_COLUMNS

    seed = next(_person_counter) if seed is None else seed
    ref = (consulate.pk, consulate.code, consulate.country, consulate.region, consulate.city) if consulate else (
        None, "", "US", "CA", "Los Angeles")
    row = dict(zip(PERSON_COLUMNS, next(generate_persons(1, 1000 + seed, [ref])), strict=True))
    row.update(overrides)
    return Person.objects.create(**row)


def make_user(role: str, username: str | None = None, consulate=None, person=None) -> User:
    username = username or f"{role}-{next(_person_counter)}"
    return User.objects.create(username=username, role=role, consulate=consulate, person=person,
                               password=password_hash(), is_staff=role != Role.DERECHOHABIENTE)


@pytest.fixture
def world(db, consulate_la, consulate_chicago):
    """One account per role and persons at two consulates: the cast of the access tests."""
    person_la = make_person(consulate_la)
    other_la = make_person(consulate_la)
    person_chicago = make_person(consulate_chicago)
    users = {
        Role.DERECHOHABIENTE: make_user(Role.DERECHOHABIENTE, "ciudadano", person=person_la),
        Role.CONSULAR_OFFICER: make_user(Role.CONSULAR_OFFICER, "consul.la", consulate=consulate_la),
        Role.IMSS_STAFF: make_user(Role.IMSS_STAFF, "imss"),
        Role.INFONAVIT_STAFF: make_user(Role.INFONAVIT_STAFF, "infonavit"),
        Role.SUPERVISOR: make_user(Role.SUPERVISOR, "supervisor"),
        Role.ADMINISTRATOR: make_user(Role.ADMINISTRATOR, "admin"),
    }
    return {"users": users, "person_la": person_la, "other_la": other_la, "person_chicago": person_chicago}


def valid_person_payload(seed: int = 7, **overrides) -> dict:
    """An API/form payload with a valid CURP, NSS and RFC for a person not yet stored."""
    from ventanilla.people.demo import PERSON_COLUMNS

    row = dict(zip(PERSON_COLUMNS, next(generate_persons(1, 50_000 + seed, [(None, "", "US", "TX", "Houston")])),
                   strict=True))
    payload = {k: v for k, v in row.items() if k != "consulate_id"}
    payload["birth_date"] = row["birth_date"].isoformat()
    payload["nss"] = payload["nss"] or ""
    payload.update(overrides)
    return payload


@pytest.fixture
def today() -> date:
    return date(2026, 11, 22)


def payload_born(birth_date: date, sex: str, seed: int) -> dict:
    """A valid person payload with a chosen birth date and sex (CURP rebuilt to match)."""
    from stdnum.mx import curp as stdnum_curp

    from ventanilla.people.demo import curp_stem

    payload = valid_person_payload(seed=seed, rfc="")
    stem = curp_stem(payload["first_names"], payload["last_name_1"], payload["last_name_2"], birth_date, sex,
                     payload["mx_state"])
    body = stem + ("0" if birth_date.year < 2000 else "A")
    payload.update(curp=body + stdnum_curp.calc_check_digit(body), birth_date=birth_date.isoformat(), sex=sex)
    return payload
