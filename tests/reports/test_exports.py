"""Exports: the CSV's rows are the API's rows (same filters), UTF-8 with a BOM; the XLSX opens back with
openpyxl with the same cells; an officer's export is their consulate's."""

import csv
import io

import openpyxl
import pytest
from django.test import Client

from tests.conftest import make_user
from tests.reports import dashboards_world
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
persons = dashboards_world.persons  # the fixture


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api_rows(client, query) -> tuple[list[str], list[list]]:
    answer = client.get("/api/v1/reports/persons_by_consulate", query).json()
    keys = [c["key"] for c in answer["columns"]]
    return [c["label"] for c in answer["columns"]], [[row[key] for key in keys] for row in answer["rows"]]


@pytest.mark.parametrize("query", [{}, {"state": "MN"}, {"consulate": "chicago"}])
def test_csv_rows_equal_the_api_rows(persons, query):
    if "consulate" in query:
        query = {"consulate": persons["chicago"].pk}
    client = _client(make_user(Role.SUPERVISOR))
    response = client.get("/tablero/persons_by_consulate.csv", query)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="persons_by_consulate.csv"' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    labels, rows = _api_rows(client, query)
    assert lines[0] == labels == ["Clave", "Consulado", "País", "Personas"]
    assert lines[1:-2] == [[str(cell) for cell in row] for row in rows] and rows
    assert lines[-2] == [] and lines[-1][0].startswith("Cifras calculadas el ")  # then when and how


def test_xlsx_opens_back_with_the_same_cells(persons):
    client = _client(make_user(Role.INFONAVIT_STAFF))
    response = client.get("/tablero/persons_by_consulate.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    labels, rows = _api_rows(client, {})
    assert cells[0] == labels and cells[1:-2] == rows  # persons stay numbers: 7, 5
    assert cells[-1][0].startswith("Cifras calculadas el ")  # after a blank row: when and how
    assert sheet.title == "persons_by_consulate"


def test_exports_refuse_bad_filters_and_confine_officers(persons):
    supervisor = _client(make_user(Role.SUPERVISOR))
    response = supervisor.get("/tablero/persons_by_consulate.csv", {"end": "31/12/2026"})
    assert response.status_code == 422 and "end: Use un mes (AAAA-MM) o una fecha válida" in response.content.decode()
    assert supervisor.get("/tablero/no_such.xlsx").status_code == 404
    officer = _client(make_user(Role.CONSULAR_OFFICER, consulate=persons["la"]))
    lines = officer.get("/tablero/persons_by_consulate.csv").content.decode("utf-8-sig").splitlines()
    assert len(lines) == 4 and lines[1].startswith("US-LOS-ANGELES,") and lines[1].endswith(",7")
