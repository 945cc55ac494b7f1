"""The payments API: record a payment (idempotent), read a reference and its slip, import a file."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import make_person, make_user
from tests.payments.conftest import dates
from ventanilla.core.models import AuditEntry
from ventanilla.payments.models import Payment
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


def client_for(role, **kwargs) -> Client:
    client = Client()
    client.force_login(make_user(role, **kwargs))
    return client


@pytest.fixture
def officer(consulate_la):
    return client_for(Role.CONSULAR_OFFICER, consulate=consulate_la)


def body(ref, **overrides) -> dict:
    return {"reference": ref.code, "amount": str(ref.amount), "paid_at": dates()["paid"].isoformat(),
            "operation_id": "API-1", "channel": "window", **overrides}


def post(client, payload, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/payments/payments", data=json.dumps(payload), content_type="application/json",
                       **headers, **extra)


def test_record_a_payment(officer, issue, owner):
    reference = issue(amount="1500.00")
    response = post(officer, body(reference))
    assert response.status_code == 201
    answer = response.json()
    assert answer["reference"] == reference.code and answer["amount"] == "1500.00"
    assert answer["operation_id"] == "API-1" and answer["channel"] == "window"
    assert owner.applied == ["API-1"]


def test_idempotency_key_and_operation_id_both_replay(officer, issue, owner):
    reference = issue()
    first = post(officer, body(reference), key="pago-1")
    again = post(officer, body(reference), key="pago-1")
    same_operation = post(officer, body(reference, reference=reference.formatted))
    assert first.status_code == again.status_code == same_operation.status_code == 201
    assert first.json() == again.json() and same_operation.json()["id"] == first.json()["id"]
    assert Payment.objects.count() == 1 and owner.applied == ["API-1"]
    assert AuditEntry.objects.filter(action="payment.record").count() == 1


def test_operation_id_with_other_data_is_a_409_naming_the_field(officer, issue, owner):
    post(officer, body(issue()))
    response = post(officer, body(issue()))
    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": "operation_id", "code": "operation_conflict",
                                          "message": "El número de operación ya se registró con otros datos."}]


def test_refusals_are_422_with_field_code_and_message_in_the_user_language(officer, issue, owner):
    reference = issue(amount="1500.00")
    spanish = post(officer, body(reference, amount="1400.00")).json()["errors"]
    english = post(officer, body(reference, amount="1400.00"), HTTP_ACCEPT_LANGUAGE="en").json()["errors"]
    assert spanish == [{"field": "amount", "code": "wrong_amount",
                        "message": "El importe no coincide con el de la referencia."}]
    assert english[0]["code"] == "wrong_amount" and "amount" in english[0]["message"].lower()
    assert english[0]["message"] != spanish[0]["message"]


def test_amounts_must_be_decimal_strings(officer, issue, owner):
    reference = issue()
    response = post(officer, {**body(reference), "amount": 1500.0})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "amount"
    response = post(officer, {**body(reference), "colour": "rojo", "channel": "bank_file"})
    assert {e["field"]: e["code"] for e in response.json()["errors"]} == {"colour": "unknown_field",
                                                                         "channel": "invalid_choice"}


def test_who_may_record_payments(issue, owner):
    reference = issue()
    for role in (Role.DERECHOHABIENTE, Role.SUPERVISOR):
        assert post(client_for(role), body(reference)).status_code == 403
    assert post(Client(), body(reference)).status_code == 401
    assert post(client_for(Role.INFONAVIT_STAFF), body(reference)).status_code == 201


def test_a_reference_is_visible_to_who_may_see_its_person(officer, issue, consulate_chicago, person):
    mine = issue(amount="700.00")
    theirs = issue(person=make_person(consulate_chicago))
    answer = officer.get(f"/api/v1/payments/references/{mine.code}").json()
    assert answer["code"] == mine.code and answer["formatted"] == mine.formatted
    assert answer["amount"] == "700.00" and answer["status"] == "issued" and answer["person_id"] == person.pk
    assert answer["slip_url"] == f"/api/v1/payments/references/{mine.code}/slip.pdf"
    assert officer.get(f"/api/v1/payments/references/{theirs.code}").status_code == 404
    assert officer.get("/api/v1/payments/references/NOSUCHCODE").status_code == 404
    citizen = client_for(Role.DERECHOHABIENTE, person=person)
    assert citizen.get(f"/api/v1/payments/references/{mine.code}").status_code == 200
    assert citizen.get(f"/api/v1/payments/references/{theirs.code}").status_code == 404


def test_slip_pdf_through_the_api(officer, issue, consulate_chicago):
    mine = issue()
    response = officer.get(f"/api/v1/payments/references/{mine.code}/slip.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and mine.code in response["Content-Disposition"]
    theirs = issue(person=make_person(consulate_chicago))
    assert officer.get(f"/api/v1/payments/references/{theirs.code}/slip.pdf").status_code == 404


def test_import_a_file_through_the_api(issue, owner):
    reference = issue()
    content = (f"reference,amount,paid_at,operation_id\n{reference.code},1500.00,{dates()['paid']},F-1\n"
               f"{reference.code},1500.00,{dates()['paid']},F-2\n").encode()
    staff = client_for(Role.IMSS_STAFF)
    response = staff.post("/api/v1/payments/files",
                          {"file": SimpleUploadedFile("banco.csv", content, content_type="text/csv")},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    summary = response.json()
    assert {k: summary[k] for k in ("filename", "status", "lines_total", "lines_applied", "lines_duplicate",
                                    "lines_rejected")} == {
        "filename": "banco.csv", "status": "done", "lines_total": 2, "lines_applied": 1, "lines_duplicate": 0,
        "lines_rejected": 1}
    assert summary["errors"] == [{"line": 3, "code": "already_paid", "message": "The reference is already paid."}]
    assert staff.get(f"/api/v1/payments/files/{summary['id']}").json()["errors"][0]["code"] == "already_paid"
    assert staff.get("/api/v1/payments/files/999999").status_code == 404


def test_a_malformed_file_is_a_422(owner):
    staff = client_for(Role.ADMINISTRATOR)
    response = staff.post("/api/v1/payments/files", {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n")})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "file", "code": "bad_header", "message": response.json()[
        "errors"][0]["message"]}


def test_officers_do_not_import_files(officer):
    response = officer.post("/api/v1/payments/files", {"file": SimpleUploadedFile("x.csv", b"a\n")})
    assert response.status_code == 403
