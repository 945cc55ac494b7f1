"""The relief-solution screens through Django's test client: the public simulator, a stored credit's
solutions, preview, apply and letter, staff approvals, each refusal with its message, and who sees what."""

import re

import pytest
from django.test import Client

from tests.conftest import make_user
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db

SIMULATE = "/infonavit/soluciones/simular/"

# The RC example of tests/infonavit/test_api_solutions.py, as the simulator form sends it (GET).
FACTS = {
    "as_of": "2026-03-10", "product": "tradicional", "denomination": "vsm", "origination_date": "2005-06-15",
    "amount_lent": "250000.00", "balance": "520000.00", "monthly_payment": "3200.00",
    "monthly_insurance_and_fees": "150.00", "rate": "9.00", "remaining_months": "120", "missed_payments": "0",
    "payments_made": "240", "borrower_birth_date": "1975-05-02", "borrower_sex": "H", "monthly_income": "9000.00",
    "monthly_pension": "0", "contributing_to_imss": "on", "employed": "on",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def field_errors(response, field: str) -> str:
    """The error list rendered next to a field by web/_field.html."""
    match = re.search(rf'<ul class="errors" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return match.group(1) if match else ""


def solution(response, code: str) -> str:
    """The text of one solution's card."""
    match = re.search(rf'<article class="solution [a-z]+" id="solution-{code}".*?</article>',
                      response.content.decode(), re.S)
    assert match, f"no card for {code}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


# --- the simulator ------------------------------------------------------------------------------------

def test_simulator_answers_the_nine_solutions_without_an_account(client):
    response = client.get(SIMULATE, FACTS)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r'id="solution-([A-Z_]+)"', page) == ["RC", "DLA", "BCN", "JUBILADOS", "DCP", "STM",
                                                          "PARO_TECNICO", "FPP", "PRORROGA"]
    rc = solution(response, "RC")
    # The worked example of the API test: 3.55 % by income band, 322,840.15 repays the rest of the term.
    assert "Procede" in rc and "No procede" not in rc
    assert "$322,840.15 MXN" in rc and "$197,159.85 MXN" in rc and "3.55 %" in rc and "$3,350.00 MXN" in rc
    assert "31 de marzo de 2026" in rc  # apply by the last day of the month
    dla = solution(response, "DLA")
    assert "No procede" in dla
    assert "El saldo debe ser de hasta el 25 % del monto otorgado (62,500.00 pesos); es de 520,000.00." in dla
    # The assumed terms are listed for staff to see which values are assumed.
    assumed = text(response)
    assert "Valores supuestos" in assumed and "Dictamen de Capacidad de Pago: se paga el 50 %" in assumed


def test_simulator_lists_every_reason_of_a_refusal(client):
    response = client.get(SIMULATE, {**FACTS, "denomination": "pesos", "cofinanced": "on"})
    rc = solution(response, "RC")
    assert "No procede" in rc
    assert "Solo se convierten créditos en veces salario mínimo (VSM)." in rc
    assert "Los créditos cofinanciados no pueden convertirse a pesos." in rc


def test_simulator_speaks_english_when_asked(client):
    response = client.get(SIMULATE, {**FACTS, "denomination": "pesos"}, HTTP_ACCEPT_LANGUAGE="en")
    rc = solution(response, "RC")
    assert "Only credits in multiples of the minimum wage (VSM) convert." in rc
    assert "March 31, 2026" not in rc  # refused: no terms
    assert "Not eligible" in rc


def test_simulator_shows_its_form_first_then_errors_next_to_each_field(client):
    first = client.get(SIMULATE)
    assert first.status_code == 200 and 'id="results"' not in first.content.decode()
    response = client.get(SIMULATE, {**FACTS, "balance": "abc", "rate": "120", "amount_lent": "0",
                                     "borrower_birth_date": "2030-01-01"})
    assert response.status_code == 422 and 'id="results"' not in response.content.decode()
    assert "Escriba un importe en pesos" in field_errors(response, "balance")
    assert "menor que 100" in field_errors(response, "rate")
    assert "mayor que cero" in field_errors(response, "amount_lent")
    assert "posterior" in field_errors(response, "borrower_birth_date")
    too_long = client.get(SIMULATE, {**FACTS, "remaining_months": "900"})
    assert too_long.status_code == 422 and field_errors(too_long, "remaining_months")  # 600 months at most


def test_simulator_date_without_parameters_is_explained_next_to_the_date(client):
    response = client.get(SIMULATE, {**FACTS, "as_of": "1990-06-01", "origination_date": "1985-01-01",
                                     "borrower_birth_date": "1950-01-01"})
    assert response.status_code == 422
    assert "1990-06-01" in field_errors(response, "as_of")


def test_simulator_shares_the_public_rate_limit(client, settings, consulate_la):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 2
    assert [client.get(SIMULATE, FACTS).status_code for _ in range(3)] == [200, 200, 429]
    officer = signed_in(make_user(Role.CONSULAR_OFFICER, consulate=consulate_la))
    assert officer.get(SIMULATE, FACTS).status_code == 200  # staff at the window are not throttled
