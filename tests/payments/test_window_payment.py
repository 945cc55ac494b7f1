"""An officer records a payment received at the window; the period it pays becomes paid."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import make_person, make_user
from ventanilla.imss import services as imss
from ventanilla.imss.models import ContributionPeriod
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    affiliation = imss.enrol(officer, make_person(consulate_la, nss="92919084431"), occupation="x",
                             monthly_income="12000", periodicity="monthly", id_document_type="ine",
                             id_document_number="1", on=date(2026, 3, 1))
    return imss.issue_next_reference(officer, affiliation)


def form(period, **overrides):
    now = timezone.localtime()
    return {"reference": period.reference.code, "amount": str(period.amount),
            "paid_at": now.strftime("%Y-%m-%dT%H:%M"), "operation_id": "VEN-0001", "channel": "window", **overrides}


def test_officer_records_a_window_payment(period, consulate_la):
    client = Client()
    client.force_login(make_user(Role.CONSULAR_OFFICER, consulate=consulate_la))
    response = client.post("/pagos/registrar/", form(period))
    assert response.status_code == 200 and "Pago aplicado" in response.content.decode()
    period.refresh_from_db()
    assert period.status == ContributionPeriod.Status.PAID


def test_wrong_amount_is_shown_next_to_the_field_and_nothing_changes(period, consulate_la):
    client = Client()
    client.force_login(make_user(Role.CONSULAR_OFFICER, consulate=consulate_la))
    response = client.post("/pagos/registrar/", form(period, amount="1.00"))
    assert response.status_code == 422
    assert 'id="id_amount_error"' in response.content.decode()
    period.refresh_from_db()
    assert period.status == ContributionPeriod.Status.PENDING


def test_officer_of_another_consulate_cannot_pay_someone_elses_reference(period, consulate_chicago):
    client = Client()
    client.force_login(make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago))
    response = client.post("/pagos/registrar/", form(period))
    assert response.status_code == 422 and 'id="id_reference_error"' in response.content.decode()
    period.refresh_from_db()
    assert period.status == ContributionPeriod.Status.PENDING
