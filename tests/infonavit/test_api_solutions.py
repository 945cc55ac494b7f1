"""POST /api/v1/infonavit/solutions/simulate: public, strict about its keys, bilingual reasons."""

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

URL = "/api/v1/infonavit/solutions/simulate"

# A VSM Crédito Tradicional from 2005 that meets every RC condition on 10 March 2026 (as in
# test_rules_solutions.RC_BASE, here as the request sends it).
CREDIT = {
    "as_of": "2026-03-10", "product": "tradicional", "denomination": "vsm", "origination_date": "2005-06-15",
    "amount_lent": "250000.00", "balance": "520000.00", "monthly_payment": "3200.00",
    "monthly_insurance_and_fees": "150.00", "rate": "9.00", "remaining_months": 120, "missed_payments": 0,
    "payments_made": 240, "borrower_birth_date": "1975-05-02", "borrower_sex": "H", "monthly_income": "9000.00",
    "monthly_pension": "0", "contributing_to_imss": True, "employed": True, "active_solutions": [],
    "legal_proceedings": False, "cofinanced": False, "frozen": False,
}


def post(client, payload, **extra):
    return client.post(URL, data=json.dumps(payload), content_type="application/json", **extra)


def errors(response) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


def by_code(body) -> dict:
    return {s["code"]: s for s in body["solutions"]}


def test_an_eligible_conversion_without_an_account(client):
    response = post(client, CREDIT)
    assert response.status_code == 200, response.content
    body = response.json()
    assert [s["code"] for s in body["solutions"]] == ["RC", "DLA", "BCN", "JUBILADOS", "DCP", "STM",
                                                        "PARO_TECNICO", "FPP", "PRORROGA"]
    rc = by_code(body)["RC"]
    assert rc["eligible"] is True and rc["reasons"] == []
    # 9,000 ÷ 3,566.22 = 2.52 UMA → 3.55 %; 120 × 3,200 at 3.55 %/12: factor 100.887548 → 322,840.15;
    # 520,000 − 322,840.15 = 197,159.85; the monthly payment 3,200 + 150 insurance and fees.
    assert rc["amounts"] == {"new_balance": "322840.15", "discount": "197159.85", "monthly_payment": "3350.00",
                             "rate": "3.55"}
    assert rc["new_terms"]["denomination"] == "pesos" and rc["new_terms"]["apply_by"] == "2026-03-31"
    assert body["params"]["as_of"] == "2026-03-10" and body["params"]["uma_monthly"] == "3566.22"
    assert body["params"]["sm_general"] == "315.04"
    assumed = {term["name"]: term for term in body["assumed"]}
    assert assumed["dcp_payment_share"]["value"] == "0.50"
    assert assumed["rc_rate_bands"]["value"][0] == {"upper": "2.0", "rate": "1.91"}
    assert assumed["rc_discount"]["value"] is None and assumed["rc_discount"]["description"]


def test_refusals_list_every_reason_in_spanish(client):
    body = post(client, {**CREDIT, "denomination": "pesos", "cofinanced": True}).json()
    rc = by_code(body)["RC"]
    assert rc["eligible"] is False and rc["amounts"] == {} and rc["new_terms"] == {}
    assert rc["reasons"] == [
        {"code": "not_vsm", "message": "Solo se convierten créditos en veces salario mínimo (VSM)."},
        {"code": "cofinanced", "message": "Los créditos cofinanciados no pueden convertirse a pesos."},
    ]
    dla = by_code(body)["DLA"]
    # 25 % of 250,000 = 62,500 against a balance of 520,000
    assert dla["reasons"] == [{"code": "balance_above_quarter", "message": (
        "El saldo debe ser de hasta el 25 % del monto otorgado (62,500.00 pesos); es de 520,000.00.")}]


def test_a_nearly_paid_credit_gets_the_early_payoff_discount(client):
    body = post(client, {**CREDIT, "denomination": "pesos", "amount_lent": "400000.00", "balance": "80000.01",
                         "as_of": "2026-05-15"}).json()
    dla = by_code(body)["DLA"]
    # half of 80,000.01 = 40,000.005 → 40,000.01 to pay, 40,000.00 discounted; paid by Friday 29 May 2026
    assert dla["eligible"] is True and dla["amounts"] == {"discount": "40000.00", "amount_to_pay": "40000.01"}
    assert dla["new_terms"]["pay_by"] == "2026-05-29" and dla["new_terms"]["shown_from"] == "2026-05-10"


def test_reasons_follow_accept_language(client):
    body = post(client, {**CREDIT, "denomination": "pesos"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert by_code(body)["RC"]["reasons"] == [
        {"code": "not_vsm", "message": "Only credits in multiples of the minimum wage (VSM) convert."}]
    assert by_code(body)["PRORROGA"]["reasons"][0]["message"] == (
        "The extension is for borrowers without a formal job.")
    descriptions = {term["name"]: term["description"] for term in body["assumed"]}
    assert descriptions["stm_payment_share"].startswith("Solución a tu Medida: the borrower pays 75 %")


def test_an_unknown_key_is_named(client):
    response = post(client, {**CREDIT, "colour": "red"})
    assert response.status_code == 422
    assert errors(response) == {("colour", "unknown_field")}


def test_a_missing_key_is_named(client):
    payload = {key: value for key, value in CREDIT.items() if key not in {"balance", "frozen"}}
    response = post(client, payload)
    assert response.status_code == 422
    assert errors(response) == {("balance", "required"), ("frozen", "required")}


@pytest.mark.parametrize(("changes", "expected"), [
    ({"balance": "abc"}, {("balance", "invalid_number")}),
    ({"balance": "12000,50"}, {("balance", "invalid_number")}),  # not twelve hundred thousand pesos
    ({"monthly_payment": "3200.001"}, {("monthly_payment", "invalid_number")}),  # centavos at most
    ({"monthly_income": "-1"}, {("monthly_income", "negative")}),
    ({"balance": "1e30"}, {("balance", "out_of_range")}),  # a typo, not a debt (and no 500)
    ({"rate": "9.12345"}, {("rate", "invalid_number")}),
    ({"rate": "100"}, {("rate", "out_of_range")}),
    ({"amount_lent": "0"}, {("amount_lent", "not_positive")}),
    ({"monthly_payment": "0.00"}, {("monthly_payment", "not_positive")}),
    ({"balance": "x", "monthly_pension": "y"}, {("balance", "invalid_number"), ("monthly_pension", "invalid_number")}),
    ({"product": "hipoteca"}, {("product", "invalid_choice")}),
    ({"active_solutions": ["XYZ"]}, {("active_solutions.0", "invalid_choice")}),
    ({"origination_date": "2026-03-11"}, {("origination_date", "after_as_of")}),
    ({"borrower_birth_date": "1975-02-30"}, {("borrower_birth_date", "invalid_date")}),
    ({"as_of": "2010-03-10", "origination_date": "2005-06-15"}, {("as_of", "out_of_range")}),  # no UMA in 2010
])
def test_bad_values_are_named(client, changes, expected):
    response = post(client, {**CREDIT, **changes})
    assert response.status_code == 422, response.content
    assert errors(response) == expected
    assert all(e["message"] for e in response.json()["errors"])


@override_settings(PUBLIC_RATE_LIMIT_PER_MINUTE=2)
def test_the_simulator_is_rate_limited(client):
    assert [post(client, CREDIT).status_code for _ in range(3)] == [200, 200, 429]
