"""POST /api/v1/infonavit/credit/simulate: public, strict about its keys, bilingual reasons."""

import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db

URL = "/api/v1/infonavit/credit/simulate"
# The worked example of test_prequal_rules: a 30-year-old man earning 3 UMA (2026).
PERSON = {"as_of": "2026-03-02", "birth_date": "1995-06-01", "sex": "H", "monthly_salary": "10698.66",
          "scv_balance": "40000.00", "continuous_bimesters": 12, "worker_type": "permanent", "employed": True,
          "owns_home": False}


def post(client, payload, **extra):
    return client.post(URL, data=json.dumps(payload), content_type="application/json", **extra)


def errors(response) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in response.json()["errors"]}


def test_a_prequalification_without_an_account(client):
    response = post(client, PERSON)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total_points"] == 115 and body["qualifies"] is True and body["model"] == "T100"
    assert body["points"]["age_salary"] == 235 and body["points"]["scv_savings"] == 77
    products = {p["product"]: p for p in body["products"]}
    assert list(products) == ["credito_infonavit", "cofinavit", "mejoravit"]  # Unamos only with a second person
    assert products["credito_infonavit"] == {
        "product": "credito_infonavit", "eligible": True, "max_amount": "634193.86", "rate": "4.49",
        "term_years": 30, "monthly_payment": "3209.60", "total_cost": "1155456.00"}
    assert {"code": "caps_assumed", "message": "Los montos máximos de 2026 no están publicados: se usan los de "
            "2025 (supuesto)."} in body["reasons"]
    assert {term["name"] for term in body["assumed"]} >= {"other_maximum", "payment_to_income", "rate_steps"}
    assert body["params"]["uma_monthly"] == "3566.22"


def test_unamos_with_a_second_person_and_english(client):
    second = {"birth_date": "1990-01-15", "sex": "M", "monthly_salary": "15000.00", "scv_balance": "80000.00",
              "continuous_bimesters": 20, "worker_type": "temporary", "employed": True}
    body = post(client, {**PERSON, "second_person": second}, HTTP_ACCEPT_LANGUAGE="en").json()
    unamos = next(p for p in body["products"] if p["product"] == "unamos")
    # Combined 25,698.66 = 7.2 UMA: 10.45 %; 30 % = 7,709.60 a month over 30 years (the shorter term).
    assert unamos["rate"] == "10.45" and unamos["term_years"] == 30 and unamos["monthly_payment"] == "7709.60"
    assert unamos["eligible"] is True and body["second_person_points"] > 0
    assert any(r["message"].startswith("Reaches 115 points") for r in body["reasons"])


def test_abroad_without_a_job_names_the_zero_variables(client):
    body = post(client, {**PERSON, "employed": False, "monthly_salary": "40000.00", "scv_balance": "300000.00"}).json()
    assert body["points"]["worker_type"] == 0 and body["qualifies"] is True
    assert {"zero_worker_type", "zero_job_stability", "zero_employer_record"} <= {r["code"] for r in body["reasons"]}


def test_unknown_and_missing_keys_are_named(client):
    payload = {**PERSON, "salary": "1"}
    del payload["owns_home"]
    response = post(client, payload)
    assert response.status_code == 422
    assert errors(response) == {("salary", "unknown_field"), ("owns_home", "required")}
    nested = post(client, {**PERSON, "second_person": {"sex": "X"}})
    assert ("second_person.sex", "invalid_choice") in errors(nested)
    assert ("second_person.birth_date", "required") in errors(nested)


def test_bad_values_are_refused_by_field(client):
    response = post(client, {**PERSON, "monthly_salary": "12,00", "scv_balance": "-5", "birth_date": "2027-01-01",
                             "continuous_bimesters": 999})
    assert response.status_code == 422
    assert errors(response) == {("monthly_salary", "invalid_number"), ("scv_balance", "negative"),
                                ("birth_date", "after_as_of"), ("continuous_bimesters", "out_of_range")}
    minor = post(client, {**PERSON, "birth_date": "2010-01-01"})
    assert errors(minor) == {("birth_date", "under_age")}
    early = post(client, {**PERSON, "as_of": "1990-01-01", "birth_date": "1960-01-01"})
    assert early.status_code == 422 and ("as_of", "out_of_range") in errors(early)


@override_settings(PUBLIC_RATE_LIMIT_PER_MINUTE=2)
def test_rate_limited_per_client(client):
    assert post(client, PERSON).status_code == 200
    assert post(client, PERSON).status_code == 200
    assert post(client, PERSON).status_code == 429


# --- review fix (fix5b): before May 2021 the T1000 model's 1,080 points did not apply ----------------------------

def test_a_date_before_the_t1000_model_is_refused_by_field(client):
    early = post(client, {**PERSON, "as_of": "2021-04-30", "birth_date": "1980-01-01"})
    assert early.status_code == 422 and ("as_of", "before_t1000") in errors(early)


def test_the_month_and_the_low_rate_are_listed_as_assumed(client):
    from ventanilla.infonavit.rules.prequalification import ASSUMED_TERMS
    assert {"month_days", "rate_below_1_5_uma"} <= {term.name for term in ASSUMED_TERMS}


def test_bienestar_short_of_points_is_its_own_path_in_the_answer(client):
    # 12,000 a month is 1-2 SM in 2026 with a formal job, no home and 3 bimesters: Bienestar applies; 74 points
    # on T100 (minimum 100) open none of the point-gated products.
    body = post(client, {**PERSON, "monthly_salary": "12000.00", "continuous_bimesters": 3},
                HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["total_points"], body["minimum_points"], body["qualifies"]) == (74, 100, False)
    assert [p["eligible"] for p in body["products"]] == [False, False, False]
    assert body["bienestar"]["eligible"] is True
    assert [r["code"] for r in body["bienestar"]["reasons"]] == ["bienestar_met"]
    told = next(r["message"] for r in body["reasons"] if r["code"] == "bienestar")
    assert told.startswith("Without the points the products below are not available, but Vivienda para el "
                           "Bienestar applies")
    owner = post(client, {**PERSON, "owns_home": True}).json()["bienestar"]
    assert owner == {"eligible": False, "reasons": [{"code": "bienestar_owns_home", "message": (
        "Vivienda para el Bienestar es para quien no tiene vivienda propia.")}]}
