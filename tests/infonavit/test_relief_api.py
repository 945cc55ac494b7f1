"""The relief solutions of a stored credit over HTTP (session auth, as the screens call it), and their letters
as PDF (text read back with pypdf)."""

import io
import json
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.conftest import make_user
from tests.infonavit.test_relief_services import (
    EMPLOYED_LOWER_INCOME,
    ON,
    apply,
    approver,  # noqa: F401 (fixture)
    borrower,  # noqa: F401 (fixture)
    dla_credit,
    originate,
    rc_credit,
    staff,  # noqa: F401 (fixture)
)
from ventanilla.core.calendar import add_months
from ventanilla.infonavit import pdf
from ventanilla.infonavit.models import SolutionApplication
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
BASE = "/api/v1/infonavit"


def logged_in(client, user):
    client.force_login(user)
    return client


def post(client, path, body=None, **headers):
    return client.post(path, data=json.dumps(body or {}), content_type="application/json", headers=headers)


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_credits_solutions_answer_like_the_simulator_with_plans(client, staff, borrower):  # noqa: F811
    credit = originate(staff, borrower)
    response = logged_in(client, staff).get(
        f"{BASE}/credits/{credit.number}/solutions", {"as_of": "2026-03-10", **EMPLOYED_LOWER_INCOME})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["number"] == credit.number and body["params"]["as_of"] == "2026-03-10"
    by_code = {s["code"]: s for s in body["solutions"]}
    assert list(by_code) == ["RC", "DLA", "BCN", "JUBILADOS", "DCP", "STM", "PARO_TECNICO", "FPP", "PRORROGA"]
    assert by_code["RC"]["eligible"] is False and {"code": "not_vsm", "message": "Solo se convierten créditos en "
                                                   "veces salario mínimo (VSM)."} in by_code["RC"]["reasons"]
    assert by_code["STM"]["eligible"] is True
    plan = body["plans"]["STM"]
    assert plan["movements"] == [{"kind": "restructure", "amount": "0.00", "note": "STM"}]
    assert plan["ends_on"] == "2027-02-28" and plan["needs_approval"] is False
    assert "RC" not in body["plans"]
    assert {a["code"] for a in body["plan_assumptions"]} >= {"rc_booking", "payment_share_booking"}


def test_bad_declared_facts_and_dates_are_422_naming_them(client, staff, borrower):  # noqa: F811
    credit = originate(staff, borrower)
    response = logged_in(client, staff).get(f"{BASE}/credits/{credit.number}/solutions",
                                            {"monthly_income": "abc", "employed": "quizá", "salario": "1"})
    assert response.status_code == 422
    fields = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert fields == {("monthly_income", "invalid_number"), ("employed", "invalid_choice"),
                      ("salario", "unknown_fact")}
    response = client.get(f"{BASE}/credits/{credit.number}/solutions", {"as_of": "2026-13-01"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "as_of"


def test_apply_is_201_idempotent_and_422_with_every_reason(client, staff, borrower):  # noqa: F811
    credit = originate(staff, borrower)
    owner = make_user(Role.DERECHOHABIENTE, person=borrower)
    logged_in(client, owner)
    path = f"{BASE}/credits/{credit.number}/solutions/STM/applications"
    response = post(client, path, {"declared": EMPLOYED_LOWER_INCOME}, **{"Idempotency-Key": "stm-1"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "active" and body["channel"] == "portal" and body["credit"] == credit.number
    assert [e["kind"] for e in body["entries"]] == ["restructure"]
    again = post(client, path, {"declared": EMPLOYED_LOWER_INCOME}, **{"Idempotency-Key": "stm-1"})
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert SolutionApplication.objects.count() == 1

    refused = post(client, f"{BASE}/credits/{credit.number}/solutions/RC/applications",
                   **{"Idempotency-Key": "rc-1", "Accept-Language": "en"})
    assert refused.status_code == 422
    reasons = {e["code"]: e for e in refused.json()["errors"]}
    assert {"not_vsm", "credit_too_recent", "debt_not_high_enough", "active_restructure"} <= set(reasons)
    assert all(e["field"] == "code" for e in reasons.values())
    assert reasons["not_vsm"]["message"] == "Only credits in multiples of the minimum wage (VSM) convert."

    missing = post(client, path, {"declared": EMPLOYED_LOWER_INCOME})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "Idempotency-Key"
    wrong = post(client, path, {"declared": EMPLOYED_LOWER_INCOME, "channel": "staff"}, **{"Idempotency-Key": "x"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "channel"
    unknown = post(client, f"{BASE}/credits/{credit.number}/solutions/NOPE/applications", **{"Idempotency-Key": "n"})
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["code"] == "unknown_solution"


def test_four_eyes_over_http(client, staff, approver, borrower):  # noqa: F811
    """An RC application asked today (so the approval, also today, finds the same facts)."""
    today = timezone.localdate()
    credit = rc_credit(staff, borrower, first_paid_month=add_months(today.replace(day=1), -24))
    application = apply(staff, credit, "RC", {"monthly_income": "9000"}, on=today)
    assert application.status == "pending_approval"
    path = f"{BASE}/applications/{application.pk}"
    same = post(logged_in(client, staff), f"{path}/approve")
    assert same.status_code == 422 and same.json()["errors"][0]["code"] == "four_eyes"
    officer = make_user(Role.CONSULAR_OFFICER, consulate=borrower.consulate)
    assert post(logged_in(client, officer), f"{path}/approve").status_code == 403
    assert logged_in(client, officer).get(path).status_code == 200  # the officer sees it, cannot decide it
    approved = post(logged_in(client, approver), f"{path}/approve")
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert body["status"] == "completed" and [e["kind"] for e in body["entries"]] == ["discount", "conversion"]
    again = post(client, f"{path}/refuse", {"reason": "tarde"})
    assert again.status_code == 422 and again.json()["errors"][0]["code"] == "not_pending"


def test_refuse_and_end_over_http(client, staff, approver, borrower):  # noqa: F811
    credit = rc_credit(staff, borrower)
    application = apply(staff, credit, "RC", {"monthly_income": "9000"})
    logged_in(client, approver)
    response = post(client, f"{BASE}/applications/{application.pk}/refuse", {"reason": "Ingreso no comprobado"})
    assert response.status_code == 200 and response.json()["refusal_reason"] == "Ingreso no comprobado"
    stm = apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME)
    response = post(client, f"{BASE}/applications/{stm.pk}/end", {"reason": "cancelled", "on": "2026-04-01"})
    assert response.status_code == 200 and response.json()["end_reason"] == "cancelled"
    assert [e["kind"] for e in response.json()["entries"]] == ["restructure", "restructure"]
    bad = post(client, f"{BASE}/applications/{stm.pk}/end", {"reason": "whim"})
    assert bad.status_code == 422


# --- letters -------------------------------------------------------------------------------------------------

def test_rc_welcome_letter_shows_old_and_new_conditions(staff, approver, borrower):  # noqa: F811
    from ventanilla.infonavit import services

    credit = rc_credit(staff, borrower)
    application = services.approve_application(approver, apply(staff, credit, "RC", {"monthly_income": "9000"}),
                                               on=ON)
    text = pdf_text(pdf.solution_letter(application, "es"))
    assert "Carta de bienvenida" in text and "Responsabilidad Compartida" in text
    assert "Condiciones financieras modificadas" in text and credit.number in text
    assert "$469,600.00" in text  # the balance before
    assert f"${Decimal(application.amounts['new_balance']):,.2f}" in text
    assert f"${Decimal(application.amounts['discount']):,.2f}" in text
    assert "9.0000 %" in text and "3.55 %" in text and "$3,350.00" in text
    english = pdf_text(pdf.solution_letter(application, "en"))
    assert "Welcome letter" in english and "Modified financial conditions" in english


def test_other_letters_show_the_new_terms(staff, borrower):  # noqa: F811
    credit = originate(staff, borrower)
    application = apply(staff, credit, "DCP", EMPLOYED_LOWER_INCOME)
    text = pdf_text(pdf.solution_letter(application, "es"))
    assert "Carta de nuevas condiciones" in text and "Dictamen de Capacidad de Pago" in text
    assert f"${Decimal(application.amounts['monthly_payment']):,.2f}" in text
    assert "Se pierde si se omite un pago." in text
    dla = apply(staff, dla_credit(staff, borrower), "DLA")
    text = pdf_text(pdf.solution_letter(dla, "es"))
    assert "$10,000.00" in text and "Importe a pagar en una sola exhibición" in text


def test_a_pending_letter_promises_nothing(staff, borrower):  # noqa: F811
    application = apply(staff, rc_credit(staff, borrower), "RC", {"monthly_income": "9000"})
    text = pdf_text(pdf.solution_letter(application, "es"))
    assert "Solicitud en espera de aprobación" in text and "Bienvenido" not in text


def test_an_application_out_of_range_is_not_found(client, staff):  # noqa: F811
    assert logged_in(client, staff).get(f"{BASE}/applications/{10 ** 30}").status_code == 404


# --- one operation number, one ledger (review fix): a reference payment and a credit payment ------------------

@pytest.fixture
def imss_period(consulate_la):
    from tests.conftest import make_person
    from ventanilla.imss import services as imss

    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    affiliation = imss.enrol(officer, make_person(consulate_la, nss="92919084431"), occupation="x",
                             monthly_income="12000", periodicity="monthly", id_document_type="ine",
                             id_document_number="1", on=timezone.localdate().replace(day=1))
    return imss.issue_next_reference(officer, affiliation)


def test_an_operation_that_paid_a_reference_is_refused_for_a_credit(client, staff, borrower,  # noqa: F811
                                                                     imss_period):
    from ventanilla.infonavit.models import LedgerEntry

    credit = originate(staff, borrower)
    officer = make_user(Role.CONSULAR_OFFICER, consulate=borrower.consulate)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    paid = post(logged_in(client, officer), "/api/v1/payments/payments", {
        "reference": imss_period.reference.code, "amount": str(imss_period.amount), "paid_at": now,
        "operation_id": "DUP-REF-1", "channel": "window"})
    assert paid.status_code == 201, paid.content
    by_api = post(client, f"{BASE}/credits/{credit.number}/payments",
                  {"amount": "2000.00", "paid_at": now, "operation_id": "DUP-REF-1"})
    assert by_api.status_code == 409 and "operation_conflict" in by_api.content.decode()
    by_window = client.post(f"/infonavit/creditos/{credit.number}/pagos/",
                            {"operation_id": "DUP-REF-1", "amount": "2000.00", "paid_at": now[:10]})
    assert by_window.status_code == 422 and "ya se registró con otros datos" in by_window.content.decode()
    assert not LedgerEntry.objects.filter(credit=credit, kind="payment").exists()


def test_an_operation_posted_to_a_credit_is_refused_for_a_reference(client, staff, borrower,  # noqa: F811
                                                                     imss_period):
    from ventanilla.imss.models import ContributionPeriod
    from ventanilla.payments import services as payment_services
    from ventanilla.payments.models import Payment, PaymentFileLine

    credit = originate(staff, borrower)
    officer = make_user(Role.CONSULAR_OFFICER, consulate=borrower.consulate)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    window = logged_in(client, officer).post(f"/infonavit/creditos/{credit.number}/pagos/",
                                             {"operation_id": "DUP-CRED-1", "amount": "2000.00",
                                              "paid_at": now[:10]})
    assert window.status_code == 302
    body = {"reference": imss_period.reference.code, "amount": str(imss_period.amount), "paid_at": now,
            "operation_id": "DUP-CRED-1", "channel": "window"}
    by_api = post(client, "/api/v1/payments/payments", body)
    assert by_api.status_code == 409 and "operation_conflict" in by_api.content.decode()
    by_window = client.post("/pagos/registrar/", body)
    assert by_window.status_code == 422 and "ya se registró con otros datos" in by_window.content.decode()
    content = (f"reference,amount,paid_at,operation_id\n{imss_period.reference.code},{imss_period.amount},"
               f"{now[:10]},DUP-CRED-1\n").encode()
    payment_file = payment_services.import_payment_file(None, filename="dup.csv", content=content)
    line = PaymentFileLine.objects.get(payment_file=payment_file)
    assert (line.status, line.error_code) == ("rejected", "operation_conflict")
    assert not Payment.objects.filter(operation_id="DUP-CRED-1").exists()
    imss_period.refresh_from_db()
    assert imss_period.status == ContributionPeriod.Status.PENDING
