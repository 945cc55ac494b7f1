"""GET /api/v1/reports and /reports/{indicator}: the registry, the Table with its filters, 422 naming each bad
filter, 404 for an unknown name, session or bearer auth, officers confined, documented in the OpenAPI."""

import pytest
from django.test import Client

from tests.conftest import make_user
from tests.reports import dashboards_world
from ventanilla.api import api
from ventanilla.people.models import Role
from ventanilla.people.services import issue_api_token

pytestmark = pytest.mark.django_db
persons = dashboards_world.persons  # the fixture


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_names_every_indicator_with_its_domain_and_filters(persons):
    answer = _client(make_user(Role.SUPERVISOR)).get("/api/v1/reports").json()
    by_name = {item["name"]: item for item in answer}
    assert by_name["persons_by_consulate"]["domain"] == "imss"
    assert by_name["persons_by_consulate"]["filters"] == ["consulate", "end", "start", "state"]
    assert by_name["persons_by_consulate"]["chart"] == {"kind": "bar", "label": "name", "value": "persons"}


def test_indicator_answers_the_table_with_suppression_and_filters(persons):
    client = _client(make_user(Role.SUPERVISOR))
    answer = client.get("/api/v1/reports/persons_by_consulate").json()
    assert set(answer) == {"indicator", "title", "columns", "rows", "computed_at", "precomputed", "suppressed",
                           "notes"}
    # Houston's 2, and San Diego's 5 as its complement (the total minus the rows shown would give 2 back)
    assert [(row["code"], row["persons"]) for row in answer["rows"]] == [("US-LOS-ANGELES", 7), ("US-CHICAGO", 5)]
    assert answer["suppressed"] == 2 and answer["columns"][3] == {"key": "persons", "label": "Personas",
                                                                  "kind": "int"}
    answer = client.get("/api/v1/reports/persons_by_consulate", {"state": "mn"}).json()
    assert [(row["code"], row["persons"]) for row in answer["rows"]] == [("US-LOS-ANGELES", 6), ("US-CHICAGO", 5)]
    answer = client.get("/api/v1/reports/persons_by_consulate", {"end": "2000-01-01"}).json()
    assert answer["rows"] == [] and answer["suppressed"] == 0


def test_bad_filters_are_422_naming_each_field_and_unknown_indicator_404(persons):
    client = _client(make_user(Role.SUPERVISOR))
    response = client.get("/api/v1/reports/persons_by_consulate", {"start": "ayer", "state": "XX",
                                                                   "consulate": "LA"})
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} == {
        ("start", "invalid_date"), ("state", "invalid_choice"), ("consulate", "invalid_choice")}
    response = client.get("/api/v1/reports/persons_by_consulate", {"start": "2026-02-01", "end": "2026-01-01"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "end"
    assert client.get("/api/v1/reports/no_such").status_code == 404


def test_officer_bearer_token_is_confined_to_the_consulate(persons):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=persons["chicago"])
    _token, secret = issue_api_token(None, officer, "tablero")
    response = Client().get("/api/v1/reports/persons_by_consulate", {"consulate": persons["la"].pk},
                            HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert [(row["code"], row["persons"]) for row in response.json()["rows"]] == [("US-CHICAGO", 5)]
    citizen = make_user(Role.DERECHOHABIENTE)
    assert _client(citizen).get("/api/v1/reports/persons_by_consulate").status_code == 403
    assert Client().get("/api/v1/reports").status_code == 401


def test_openapi_documents_both_routes():
    paths = api.get_openapi_schema()["paths"]
    detail = paths["/api/v1/reports/{indicator}"]["get"]
    assert detail["summary"] == "One indicator's figures" and "`state`" in detail["description"]
    assert {p["name"] for p in detail["parameters"]} == {"indicator", "start", "end", "state", "consulate"}
    assert paths["/api/v1/reports"]["get"]["summary"] == "The tablero's indicators"
