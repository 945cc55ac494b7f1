import pytest
from django.utils import translation

from tests.conftest import make_person, make_user, valid_person_payload
from ventanilla.core.errors import DomainError, PermissionDeniedError
from ventanilla.people import services
from ventanilla.people.models import Person, Role

pytestmark = pytest.mark.django_db


def _codes(exc: DomainError) -> dict[str, str]:
    return {error.field: error.code for error in exc.errors}


def test_officer_registers_a_person_at_their_own_consulate(consulate_la, consulate_chicago):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    person = services.register_person(officer, valid_person_payload(seed=1, consulate=consulate_chicago.code))
    assert person.consulate == consulate_la  # an officer cannot file under another consulate
    assert len(person.curp) == 18


def test_every_invalid_field_is_reported_at_once(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    payload = valid_person_payload(seed=2, curp="BOXW310820HNERXN08", nss="92919084432", rfc="GODE561231GR9",
                                   mx_postal_code="123", email="not-an-email", first_names="")
    with pytest.raises(DomainError) as caught:
        services.register_person(officer, payload)
    assert _codes(caught.value) == {
        "first_names": "required", "curp": "invalid_check_digit", "nss": "invalid_check_digit",
        "rfc": "invalid_check_digit", "mx_postal_code": "invalid_format", "email": "invalid_format",
    }
    assert Person.objects.count() == 0


def test_birth_date_and_sex_must_agree_with_the_curp(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    payload = valid_person_payload(seed=3)
    payload["birth_date"] = "1990-01-01" if payload["birth_date"] != "1990-01-01" else "1991-01-01"
    payload["sex"] = "M" if payload["curp"][10] == "H" else "H"
    with pytest.raises(DomainError) as caught:
        services.register_person(officer, payload)
    assert _codes(caught.value) == {"birth_date": "curp_mismatch", "sex": "curp_mismatch"}


def test_duplicate_curp_or_nss_is_refused(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    existing = make_person(consulate_la)
    payload = valid_person_payload(seed=4, curp=existing.curp, birth_date=existing.birth_date.isoformat(),
                                   sex=existing.sex, rfc="", nss=existing.nss or "")
    with pytest.raises(DomainError) as caught:
        services.register_person(officer, payload)
    assert _codes(caught.value)["curp"] == "duplicate"
    if existing.nss:
        assert _codes(caught.value)["nss"] == "duplicate"
    with translation.override("en"):
        assert str(caught.value.errors[0].message) == "A person with this CURP is already registered."
    assert Person.objects.count() == 1


def test_roles_without_registration_rights_are_refused(db):
    for role in (Role.SUPERVISOR, Role.DERECHOHABIENTE):
        with pytest.raises(PermissionDeniedError):
            services.register_person(make_user(role), valid_person_payload(seed=5))


def test_passwords_are_hashed_with_argon2(consulate_la):
    user = services.create_account(None, username="nuevo", password="una-clave-larga-2026",
                                   role=Role.CONSULAR_OFFICER, consulate=consulate_la)
    assert user.password.startswith("argon2$")
    assert user.check_password("una-clave-larga-2026")


def test_officer_account_needs_a_consulate(db):
    with pytest.raises(DomainError) as caught:
        services.create_account(None, username="x", password="una-clave-larga-2026", role=Role.CONSULAR_OFFICER)
    assert caught.value.errors[0].field == "consulate"
