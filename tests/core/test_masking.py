import logging

import pytest

from tests.conftest import make_user, valid_person_payload
from ventanilla.core.logging import mask_personal_data
from ventanilla.people import services
from ventanilla.people.models import Role


def test_mask_hides_each_kind_of_personal_data():
    text = ("curp BOXW310820HNERXN09 nss 92919084431 rfc GODE561231GR8 clabe 032180000118359719 "
            "mail maria.lopez@gmail.com")
    masked = mask_personal_data(text)
    for secret in ("BOXW310820HNERXN09", "92919084431", "GODE561231GR8", "032180000118359719", "maria.lopez"):
        assert secret not in masked
    assert "BOXW**************" in masked and "*******4431" in masked and "m***@gmail.com" in masked


@pytest.mark.django_db
def test_registering_a_person_logs_no_personal_data(caplog, consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    payload = valid_person_payload(seed=3)
    with caplog.at_level(logging.INFO):
        person = services.register_person(officer, payload)
        logging.getLogger("ventanilla.test").warning("lookup by %s / %s / %s / %s", person.curp, person.nss,
                                                     person.rfc, person.email)
    text = caplog.text
    assert "registered" in text  # the service did log
    for secret in filter(None, (person.curp, person.nss, person.rfc, person.email)):
        assert secret not in text
