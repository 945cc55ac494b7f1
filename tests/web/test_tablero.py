"""The tablero's figures: an officer sees only their consulate, and groups under five are not shown."""

import pytest

from tests.conftest import make_person, make_user
from ventanilla.people.models import Role
from ventanilla.reports.selectors import persons_by_consulate

pytestmark = pytest.mark.django_db


def test_officer_sees_only_their_consulate_and_small_groups_are_hidden(consulate_la, consulate_chicago):
    for _ in range(6):
        make_person(consulate_la)
    for _ in range(3):
        make_person(consulate_chicago)
    supervisor_rows = {r["code"]: r["persons"] for r in persons_by_consulate(make_user(Role.SUPERVISOR))}
    assert supervisor_rows == {"US-LOS-ANGELES": 6, "US-CHICAGO": None}  # 3 < 5: suppressed
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago)
    assert [r["code"] for r in persons_by_consulate(officer)] == ["US-CHICAGO"]


def test_tablero_page_never_prints_a_small_count(client, consulate_la, consulate_chicago):
    for _ in range(2):
        make_person(consulate_chicago)
    client.force_login(make_user(Role.SUPERVISOR))
    page = client.get("/tablero/").content.decode()
    assert "&lt;5" in page and ">2<" not in page
