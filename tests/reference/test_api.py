import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_params_endpoint_answers_decimal_strings(client):
    response = client.get("/api/v1/reference/params", {"date": "2026-02-01"})
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2026-02-01"
    assert body["uma_daily"] == "117.31" and body["uma_monthly"] == "3566.22"
    assert body["sm_general"] == "315.04" and body["sm_zlfn"] == "440.87"
    assert body["umi_daily"] == "100.81"


def test_params_out_of_range_names_the_field_in_the_user_language(client):
    response = client.get("/api/v1/reference/params", {"date": "2031-05-01"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "date" and error["code"] == "out_of_range"
    assert error["message"] == "There are no UMA values in effect on 2031-05-01."


def test_params_bad_date_is_a_422_naming_the_field(client):
    response = client.get("/api/v1/reference/params", {"date": "2026-02-30"})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "date", "code": "invalid_date", "message": "Use una fecha válida (AAAA-MM-DD)."}


@override_settings(PUBLIC_RATE_LIMIT_PER_MINUTE=5)
def test_public_endpoints_are_rate_limited_per_client(client):
    codes = [client.get("/api/v1/reference/params", {"date": "2026-02-01"}).status_code for _ in range(7)]
    forged = client.get("/api/v1/reference/params", {"date": "2026-02-01"}, HTTP_X_FORWARDED_FOR="10.1.1.1")
    other_client = client.get("/api/v1/reference/params", {"date": "2026-02-01"}, REMOTE_ADDR="10.9.9.9")
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]
    assert forged.status_code == 429  # a forged X-Forwarded-For does not open a new budget
    assert other_client.status_code == 200


def test_consulates_are_public_and_localised(client):
    spanish = client.get("/api/v1/reference/consulates", {"country": "CA"}).json()
    english = client.get("/api/v1/reference/consulates", {"country": "CA"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert len(spanish) == 6
    toronto_es = next(c for c in spanish if c["city"] == "Toronto")
    toronto_en = next(c for c in english if c["city"] == "Toronto")
    assert toronto_es["name"].startswith("Consulado") and toronto_en["name"].startswith("Consulate")
