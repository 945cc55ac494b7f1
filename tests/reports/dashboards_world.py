"""The data set of the dashboards' tests: 7 persons at Los Angeles (1 from Jalisco, the others from Michoacán), 5 at Chicago, 2 at Houston
(suppressed: under five), 5 at San Diego (suppressed as Houston's complement)."""

import pytest

from tests.conftest import make_person
from ventanilla.reference.models import Consulate


@pytest.fixture
def persons(db, consulate_la, consulate_chicago):
    houston = Consulate.objects.get(code="US-HOUSTON")
    for index in range(7):
        make_person(consulate_la, mx_state="JC" if index == 0 else "MN")
    for _ in range(5):
        make_person(consulate_chicago, mx_state="MN")
    for _ in range(2):
        make_person(houston, mx_state="MN")
    # Houston's 2 hidden alone would come back as the total minus the rows shown: the complementary
    # suppression hides San Diego's 5 too (the smallest row, last of the equals).
    san_diego = Consulate.objects.get(code="US-SAN-DIEGO")
    for _ in range(5):
        make_person(san_diego, mx_state="MN")
    return {"la": consulate_la, "chicago": consulate_chicago, "houston": houston, "san_diego": san_diego}
