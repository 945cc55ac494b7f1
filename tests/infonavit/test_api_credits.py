"""The credits API: visible credits, a credit's summary, its statement, and payments by credit number
(idempotent per operation number and per Idempotency-Key; a reused number with other data is a 409)."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from ventanilla.infonavit import services
from ventanilla.infonavit.models import LedgerEntry
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def credits(world):
    staff = world["users"][Role.INFONAVIT_STAFF]

    def originate(person):
        credit = services.originate_credit(
            staff, person, product="tradicional", denomination="pesos", origination_date=date(2025, 1, 15),
            amount_lent="120000", rate="12", term_months=120, regime="own", state="MN",
            monthly_insurance_and_fees="50")
        services.post_monthly_accrual(staff, credit, date(2025, 2, 1))
        return credit

    return originate(world["person_la"]), originate(world["person_chicago"])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pay(client, number, body, **headers):
    return client.post(f"/api/v1/infonavit/credits/{number}/payments", data=json.dumps(body),
                       content_type="application/json", **headers)


def test_each_role_lists_the_credits_it_may_see(world, credits):
    la, chicago = credits

    def numbers(role):
        answer = client_for(world["users"][role]).get("/api/v1/infonavit/credits").json()
        return {row["number"] for row in answer["items"]}, answer["count"]

    assert numbers(Role.DERECHOHABIENTE) == ({la.number}, 1)
    assert numbers(Role.CONSULAR_OFFICER) == ({la.number}, 1)
    assert numbers(Role.INFONAVIT_STAFF) == ({la.number, chicago.number}, 2)


def test_summary_and_statement_carry_the_ledger_figures(world, credits):
    la, _chicago = credits
    client = client_for(world["users"][Role.DERECHOHABIENTE])
    summary = client.get(f"/api/v1/infonavit/credits/{la.number}").json()
    assert summary["balance"] == "121250.00" and summary["number"] == la.number
    statement = client.get(f"/api/v1/infonavit/credits/{la.number}/statement?start=2025-02-01&end=2025-02-28")
    assert statement.status_code == 200
    body = statement.json()
    assert (body["opening_balance"], body["closing_balance"], body["charges"]) == ("120000.00", "121250.00",
                                                                                  "1250.00")
    assert [(m["kind"], m["amount"]) for m in body["movements"]] == [("accrual_interest", "1200.00"),
                                                                     ("accrual_insurance", "50.00")]
    bad = client.get(f"/api/v1/infonavit/credits/{la.number}/statement?start=2025-02-30")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "start"
    assert client.get("/api/v1/infonavit/credits/1234567890").status_code == 404


def test_a_payment_is_idempotent_and_a_conflict_is_409(world, credits):
    la, chicago = credits
    officer = client_for(world["users"][Role.CONSULAR_OFFICER])
    body = {"amount": "2000.00", "paid_at": "2025-02-20", "operation_id": "SF-0001", "channel": "window"}
    first = pay(officer, la.number, body)
    assert first.status_code == 201, first.content
    answer = first.json()
    assert (answer["kind"], answer["amount"], answer["interest"], answer["balance_after"]) == (
        "payment", "-2000.00", "-1200.00", "119250.00")
    again = pay(officer, la.number, body)
    assert again.status_code == 201 and again.json() == answer
    conflict = pay(officer, la.number, {**body, "amount": "2500.00"})
    assert conflict.status_code == 409 and conflict.json()["errors"][0]["field"] == "operation_id"
    assert LedgerEntry.objects.filter(operation_id="SF-0001").count() == 1
    # Idempotency-Key alone is the operation number; its replay answers the same.
    keyed = {"amount": "100.00", "paid_at": "2025-02-21"}
    one = pay(officer, la.number, keyed, HTTP_IDEMPOTENCY_KEY="KEY-42")
    two = pay(officer, la.number, keyed, HTTP_IDEMPOTENCY_KEY="KEY-42")
    assert one.status_code == two.status_code == 201 and one.json() == two.json()
    assert one.json()["operation_id"] == "KEY-42"
    assert pay(officer, la.number, {**keyed, "amount": "101.00"}, HTTP_IDEMPOTENCY_KEY="KEY-42").status_code == 409
    # Refusals name the field; another consulate's credit is not there for the officer.
    missing = pay(officer, la.number, {"amount": "100.00", "paid_at": "2025-02-21"})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "operation_id"
    bad = pay(officer, la.number, {"amount": "-5", "paid_at": "2025-02-21", "operation_id": "SF-2"})
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["amount"]
    assert pay(officer, chicago.number, {**body, "operation_id": "SF-3"}).status_code == 404
    borrower = client_for(world["users"][Role.DERECHOHABIENTE])
    assert pay(borrower, la.number, {**body, "operation_id": "SF-4"}).status_code == 403
