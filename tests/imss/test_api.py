"""IMSS over HTTP: the public simulators and the affiliation endpoints."""

import json
from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import make_person, make_user
from ventanilla.imss import services
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


def post(client, path, payload, **extra):
    return client.post(path, data=json.dumps(payload), content_type="application/json", **extra)


def test_public_quote_matches_the_worked_example(client):
    response = post(client, "/api/v1/imss/quote",
                    {"date": "2026-03-01", "monthly_income": "12000", "zone": "general", "periodicity": "monthly"})
    assert response.status_code == 200
    body = response.json()
    assert body["sbc_daily"] == "400.00" and body["monthly_total"] == "2633.12" == body["period_total"]
    branches = {b["branch"]: b for b in body["branches"]}
    assert branches["ceav"] == {"branch": "ceav", "employer": "763.32", "worker": "135.00", "total": "898.32"}
    assert sum(float(b["total"]) for b in body["branches"]) == pytest.approx(2633.12)
    assert body["params"]["ceav_employer_rate"] == "6.361" and body["params"]["uma_daily"] == "117.31"
    assert body["usd"]["monthly_total"] == str(round(2633.12 / float(body["params"]["usd_mxn"]), 2))


def test_quote_over_a_semester_lists_each_month(client):
    body = post(client, "/api/v1/imss/quote", {"date": "2025-12-01", "daily_income": "500", "zone": "zlfn",
                                                "periodicity": "semiannual"}).json()
    assert [m["month"] for m in body["months"]][:3] == ["2025-12-01", "2026-01-01", "2026-02-01"]
    assert [m["uma_daily"] for m in body["months"]][:3] == ["113.14", "113.14", "117.31"]
    assert float(body["period_total"]) == pytest.approx(sum(float(m["total"]) for m in body["months"]))


@pytest.mark.parametrize(("payload", "field", "code"), [
    ({"date": "2026-03-01", "monthly_income": "-1", "zone": "general", "periodicity": "monthly"},
     "monthly_income", "not_positive"),
    ({"date": "2026-03-01", "monthly_income": "abc", "zone": "general", "periodicity": "monthly"},
     "monthly_income", "invalid_number"),
    ({"date": "2026-03-01", "zone": "general", "periodicity": "monthly"}, "monthly_income", "one_required"),
    ({"date": "2026-03-01", "monthly_income": "9000", "zone": "norte", "periodicity": "monthly"},
     "zone", "invalid_choice"),
    ({"date": "2030-03-01", "monthly_income": "9000", "zone": "general", "periodicity": "monthly"},
     "date", "out_of_range"),
    ({"date": "2026-03-01", "monthly_income": "9000", "zone": "general", "periodicity": "monthly", "x": 1},
     "x", "unknown_field"),
])
def test_quote_refusals_name_the_field(client, payload, field, code):
    response = post(client, "/api/v1/imss/quote", payload)
    assert response.status_code == 422
    assert {(e["field"], e["code"]) for e in response.json()["errors"]} >= {(field, code)}


def test_funeral_quote_is_public_with_reasons(client):
    ok = post(client, "/api/v1/imss/benefits/funeral/quote",
              {"date_of_death": "2026-03-10", "weeks_in_last_9_months": "12", "work_risk": False}).json()
    assert ok["eligible"] is True and ok["amount"] == "7132.44"
    refused = post(client, "/api/v1/imss/benefits/funeral/quote",
                   {"date_of_death": "2026-03-10", "weeks_in_last_9_months": "8", "work_risk": False},
                   HTTP_ACCEPT_LANGUAGE="en").json()
    assert refused["eligible"] is False and refused["reasons"][0]["code"] == "insufficient_weeks"
    assert "12" in refused["reasons"][0]["message"] and "8" in refused["reasons"][0]["message"]


def test_enrol_issue_and_coverage_through_the_api(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    person = make_person(consulate_la, nss="92919084431")
    client = Client()
    client.force_login(officer)
    created = post(client, "/api/v1/imss/affiliations", {
        "person_id": person.pk, "occupation": "Cocinera", "monthly_income": "9451.20", "periodicity": "monthly",
        "id_document_type": "passport", "id_document_number": "G12345678"})
    assert created.status_code == 201, created.content
    affiliation_id = created.json()["id"]
    issued = client.post(f"/api/v1/imss/affiliations/{affiliation_id}/references", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(f"/api/v1/imss/affiliations/{affiliation_id}/references", HTTP_IDEMPOTENCY_KEY="k-1")
    assert issued.status_code == again.status_code == 201 and issued.json() == again.json()
    period = issued.json()
    assert len(period["reference"]) == 20 and period["status"] == "pending"
    coverage = client.get(f"/api/v1/imss/affiliations/{affiliation_id}/coverage",
                          {"date": timezone.localdate().isoformat()}).json()
    assert coverage["status"] == "not_covered" and coverage["weeks"] == "0.00"


def test_worker_sees_only_their_own_affiliation(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    mine, theirs = make_person(consulate_la, nss="92919084431"), make_person(consulate_la)
    for person in (mine, theirs):
        services.enrol(officer, person, occupation="x", monthly_income="9000", periodicity="monthly",
                       id_document_type="ine", id_document_number="1", on=date(2026, 3, 1))
    worker = make_user(Role.DERECHOHABIENTE, person=mine)
    client = Client()
    client.force_login(worker)
    assert client.get(f"/api/v1/imss/affiliations/{mine.imss_affiliation.pk}").status_code == 200
    assert client.get(f"/api/v1/imss/affiliations/{theirs.imss_affiliation.pk}").status_code == 404
    assert client.get(f"/api/v1/imss/affiliations/{theirs.imss_affiliation.pk}/coverage").status_code == 404


def test_claims_need_a_second_person_to_decide(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    staff, other_staff = make_user(Role.IMSS_STAFF), make_user(Role.IMSS_STAFF)
    affiliation = services.enrol(officer, make_person(consulate_la, nss="92919084431"), occupation="x",
                                 monthly_income="9000", periodicity="monthly", id_document_type="ine",
                                 id_document_number="1", on=date(2026, 3, 1))
    client = Client()
    client.force_login(staff)
    claim = post(client, f"/api/v1/imss/affiliations/{affiliation.pk}/claims",
                 {"kind": "funeral", "event_date": "2026-03-10", "work_risk": True}).json()
    assert claim["eligible"] is True and claim["amount"] == "7132.44"
    refused = post(client, f"/api/v1/imss/claims/{claim['id']}/decision", {"approve": True})
    assert refused.status_code == 403
    second = Client()
    second.force_login(other_staff)
    decided = post(second, f"/api/v1/imss/claims/{claim['id']}/decision", {"approve": True, "note": "ok"})
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
