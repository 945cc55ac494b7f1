"""The demo generator makes realistic, valid and deterministic persons."""

from collections import Counter

import pytest
from django.core.management import call_command
from stdnum import luhn
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

from ventanilla.people.demo import PERSON_COLUMNS, curp_stem, generate_persons
from ventanilla.people.models import Person, User

CONSULATES = [(1, "US-LOS-ANGELES", "US", "CA", "Los Angeles"), (2, "US-CHICAGO", "US", "IL", "Chicago"),
              (3, "ES-MADRID", "ES", "", "Madrid")]


def test_every_identifier_is_valid_and_unique():
    rows = [dict(zip(PERSON_COLUMNS, row, strict=True)) for row in generate_persons(5000, 7, CONSULATES)]
    for row in rows:
        stdnum_curp.validate(row["curp"])
        assert row["curp"][10] == row["sex"] and row["curp"][11:13] == row["mx_state"]
        if row["nss"]:
            assert luhn.is_valid(row["nss"]) and row["nss"][4:6] == f"{row['birth_date'].year % 100:02d}"
        if row["rfc"]:
            stdnum_rfc.validate(row["rfc"], validate_check_digits=True)
            assert row["rfc"][:10] == row["curp"][:10]
    assert len({r["curp"] for r in rows}) == len(rows)
    nss = [r["nss"] for r in rows if r["nss"]]
    assert len(set(nss)) == len(nss)


def test_same_seed_same_data_other_seed_other_data():
    first = list(generate_persons(300, 11, CONSULATES))
    assert first == list(generate_persons(300, 11, CONSULATES))
    assert first != list(generate_persons(300, 12, CONSULATES))


def test_consulates_are_weighted_toward_the_united_states():
    counts = Counter(row[-1] for row in generate_persons(3000, 5, CONSULATES))
    assert counts[1] > counts[2] > counts[3]


def test_curp_stem_follows_renapo_rules():
    from datetime import date

    # Compound surname skips its particles; MARIA is skipped as a first given name.
    assert curp_stem("MARIA LUISA", "DE LA CRUZ", "PEREZ", date(1990, 5, 17), "M", "JC") == "CUPL900517MJCRRS"
    assert curp_stem("JUAN", "PEREZ", "", date(2001, 1, 2), "H", "NE") == "PEXJ010102HNERXN"


@pytest.mark.django_db
def test_seed_command_loads_persons_and_one_account_per_role():
    call_command("seed", persons=120, seed=3)
    assert Person.objects.count() == 120
    assert set(User.objects.values_list("role", flat=True)) == {
        "administrator", "imss_staff", "infonavit_staff", "supervisor", "consular_officer", "derechohabiente"}
    citizen = User.objects.get(username="ciudadano")
    assert citizen.person is not None and citizen.person.consulate.code == "US-LOS-ANGELES"
    with pytest.raises(Exception, match="already holds persons"):
        call_command("seed", persons=10, seed=3)
