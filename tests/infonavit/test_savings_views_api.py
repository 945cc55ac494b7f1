"""SCV and refund screens and API per role: the citizen's own subaccount, an officer's consulate only, the
deposit reference (Idempotency-Key), the refund through staff approval seen by the borrower, English."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import make_person, make_user
from ventanilla.infonavit import savings_services as services
from ventanilla.infonavit.models import RefundRequest
from ventanilla.people.models import Role

CLABE = "032180000118359719"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cast(db, consulate_la, consulate_chicago, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = make_user(Role.INFONAVIT_STAFF)
    saver = make_person(consulate_la)
    services.record_employment(staff, saver, employer_name="Maquiladora Norte", registro_patronal="A1234567890",
                               started_on=date(2025, 1, 1), ended_on=date(2025, 12, 31), daily_sbc="600.00")
    services.post_contributions(staff, until=date(2026, 11, 30), persons=[saver.pk])
    return {"staff": staff, "saver": saver, "citizen": make_user(Role.DERECHOHABIENTE, person=saver),
            "officer_la": make_user(Role.CONSULAR_OFFICER, consulate=consulate_la),
            "officer_chicago": make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago)}


def test_the_citizen_sees_balance_by_period_movements_and_employment(cast):
    client = client_for(cast["citizen"])
    page = client.get("/infonavit/mi-ahorro/").content.decode()
    assert "10,950.00" in page and "Rendimiento anual supuesto: 4.00 %" in page
    assert "Maquiladora Norte" in client.get(f"/infonavit/ahorro/{cast['saver'].pk}/historial-laboral/").content.decode()
    assert 'id="savings-total"' in client.get("/portal/").content.decode()


def test_officers_see_only_their_consulate_and_imss_staff_nothing(cast):
    path = f"/infonavit/ahorro/{cast['saver'].pk}/"
    assert client_for(cast["officer_la"]).get(path).status_code == 200
    assert client_for(cast["officer_chicago"]).get(path).status_code == 404
    assert client_for(make_user(Role.IMSS_STAFF)).get(path).status_code == 403
    person_page = client_for(cast["officer_la"]).get(f"/ventanilla/personas/{cast['saver'].pk}/").content.decode()
    assert 'id="savings-summary"' in person_page
    imss_page = client_for(make_user(Role.IMSS_STAFF)).get(f"/ventanilla/personas/{cast['saver'].pk}/")
    assert 'id="savings-summary"' not in imss_page.content.decode()


def test_the_deposit_screen_gives_a_reference_and_its_slip(cast):
    client = client_for(cast["citizen"])
    path = f"/infonavit/ahorro/{cast['saver'].pk}/aportacion/"
    bad = client.post(path, {"amount": "12,00", "key": "k1"})
    assert bad.status_code == 422
    response = client.post(path, {"amount": "1500.00", "key": "k1"})
    again = client.post(path, {"amount": "1500.00", "key": "k1"})
    assert response.status_code == again.status_code == 302 and response.url == again.url
    page = client.get(response.url).content.decode()
    assert "$1,500.00" in page and "ficha.pdf" in page


def test_api_savings_own_and_by_person(cast):
    api = client_for(cast["citizen"])
    body = api.get("/api/v1/infonavit/savings").json()
    assert body["total"] == "10950.00" and body["return_rate_assumed"] is True
    assert [p["balance"] for p in body["periods"]] == ["0.00", "0.00", "10950.00"]
    assert body["employment"][0]["registro_patronal"] == "A1234567890"
    officer = client_for(cast["officer_chicago"])
    assert officer.get(f"/api/v1/infonavit/savings?person={cast['saver'].pk}").status_code == 404
    assert officer.get("/api/v1/infonavit/savings").json()["errors"][0]["field"] == "person"


def test_api_deposit_reference_is_idempotent(cast):
    api = client_for(cast["citizen"])
    first = api.post("/api/v1/infonavit/savings/deposits", {"amount": "250.50"}, content_type="application/json",
                     headers={"Idempotency-Key": "api-1"})
    again = api.post("/api/v1/infonavit/savings/deposits", {"amount": "250.50"}, content_type="application/json",
                     headers={"Idempotency-Key": "api-1"})
    other = api.post("/api/v1/infonavit/savings/deposits", {"amount": "9.00"}, content_type="application/json",
                     headers={"Idempotency-Key": "api-1"})
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert first.json()["reference"] == again.json()["reference"] and first.json()["amount"] == "250.50"
    missing = api.post("/api/v1/infonavit/savings/deposits", {"amount": "1.00"}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "Idempotency-Key"


def pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def test_api_refund_refused_with_reasons_then_accepted(cast):
    api = client_for(cast["citizen"])
    form = {"basis": "pension_resolution", "afore": "Afore Azteca", "clabe": "032180000118359710",
            "bank_statement_date": "2026-11-02"}
    refused = api.post("/api/v1/infonavit/savings/refunds", form, headers={"Idempotency-Key": "r-1"})
    assert refused.status_code == 422
    assert {e["code"] for e in refused.json()["errors"]} >= {"clabe_invalid", "missing_pension_resolution"}
    accepted = api.post("/api/v1/infonavit/savings/refunds",
                        {**form, "clabe": CLABE, "pension_resolution": pdf("r.pdf"), "bank_statement": pdf("e.pdf")},
                        headers={"Idempotency-Key": "r-2"})
    assert accepted.status_code == 201, accepted.content
    body = accepted.json()
    assert (body["status"], body["clabe_last4"], body["documents"]) == (
        "pending", "9719", ["bank_statement", "pension_resolution"])
    assert api.get(f"/api/v1/infonavit/savings/refunds/{body['id']}").json()["status"] == "pending"


def test_refund_through_staff_approval_seen_by_the_borrower(cast):
    citizen = client_for(cast["citizen"])
    response = citizen.post(f"/infonavit/ahorro/{cast['saver'].pk}/devolucion/", {
        "claimant": "worker", "basis": "pension_resolution", "afore": "Afore Azteca", "clabe": CLABE,
        "bank_statement_date": "2026-11-02", "key": "web-1",
        "pension_resolution": pdf("r.pdf"), "bank_statement": pdf("e.pdf")})
    assert response.status_code == 302, response.content.decode()[:2000]
    refund = RefundRequest.objects.get()
    staff = client_for(make_user(Role.INFONAVIT_STAFF))
    assert str(refund.pk) in staff.get("/infonavit/devoluciones/").content.decode()
    assert citizen.post(f"/infonavit/devoluciones/{refund.pk}/aprobar/").status_code == 403
    staff.post(f"/infonavit/devoluciones/{refund.pk}/aprobar/")
    refund.refresh_from_db()
    assert refund.status == "approved" and refund.due_on is not None
    staff.post(f"/infonavit/devoluciones/{refund.pk}/pagar/", {"spei_tracking": "MBAN0100261201"})
    refund.refresh_from_db()
    assert (refund.status, refund.amount) == ("paid", Decimal("10950.00"))
    page = citizen.get(f"/infonavit/devoluciones/{refund.pk}/").content.decode()
    assert "Pagada" in page and "$10,950.00" in page and CLABE not in page
    assert citizen.get(f"/infonavit/devoluciones/{refund.pk}/documentos/{refund.documents.first().pk}/")[
        "Content-Type"] == "application/pdf"
    english = citizen.get(f"/infonavit/devoluciones/{refund.pk}/", headers={"Accept-Language": "en"})
    assert "Refund of the SCV balance" in english.content.decode()


# --- review fix (fix5b): a refund document is always a download typed by its detected content ---------------

def test_a_refund_document_is_served_as_an_attachment_with_its_detected_type(cast):
    citizen = client_for(cast["citizen"])
    disguised = SimpleUploadedFile("x.html", b"%PDF-1.4\n<script>alert(1)</script>", content_type="text/html")
    response = citizen.post(f"/infonavit/ahorro/{cast['saver'].pk}/devolucion/", {
        "claimant": "worker", "basis": "pension_resolution", "afore": "Afore Azteca", "clabe": CLABE,
        "bank_statement_date": "2026-11-02", "key": "web-html",
        "pension_resolution": disguised, "bank_statement": pdf("e.pdf")})
    assert response.status_code == 302
    refund = RefundRequest.objects.get()
    document = refund.documents.get(kind="pension_resolution")
    served = citizen.get(f"/infonavit/devoluciones/{refund.pk}/documentos/{document.pk}/")
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"] == f'attachment; filename="pension_resolution-{refund.pk}.pdf"'


# --- fix5c: an approved refund the balance no longer covers goes back to review from the staff screen ---------

def test_staff_send_a_refund_the_balance_no_longer_covers_back_to_review(cast):
    citizen = client_for(cast["citizen"])
    citizen.post(f"/infonavit/ahorro/{cast['saver'].pk}/devolucion/", {
        "claimant": "worker", "basis": "pension_resolution", "afore": "Afore Azteca", "clabe": CLABE,
        "bank_statement_date": "2026-11-02", "key": "web-5c", "pension_resolution": pdf("r.pdf"),
        "bank_statement": pdf("e.pdf")})
    refund = RefundRequest.objects.get()
    staff = client_for(make_user(Role.INFONAVIT_STAFF))
    staff.post(f"/infonavit/devoluciones/{refund.pk}/aprobar/")
    assert 'id="refund-reopen-form"' not in staff.get(f"/infonavit/devoluciones/{refund.pk}/").content.decode()
    services.append_movements(cast["staff"], cast["saver"].pk, [services.NewMovement(
        "opening", "scv_97", date(2026, 11, 30), Decimal("-100.00"), note="corrección")])
    page = staff.get(f"/infonavit/devoluciones/{refund.pk}/").content.decode()
    assert 'id="refund-reopen-form"' in page and 'id="refund-balance-short"' in page
    assert citizen.post(f"/infonavit/devoluciones/{refund.pk}/revision/", {"reason": "x" * 10}).status_code == 403
    response = staff.post(f"/infonavit/devoluciones/{refund.pk}/revision/", {"reason": "Se corrigió un bimestre"})
    assert response.status_code == 302
    refund.refresh_from_db()
    assert (refund.status, refund.amount, refund.approved_amounts) == ("pending", None, {})
    seen = citizen.get(f"/infonavit/devoluciones/{refund.pk}/").content.decode()
    assert 'id="refund-reopenings"' in seen and "Se corrigió un bimestre" in seen and "$10,950.00" in seen
    english = citizen.get(f"/infonavit/devoluciones/{refund.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert "Sent back to review" in english and "The approval for $10,950.00 MXN was withdrawn" in english
    staff.post(f"/infonavit/devoluciones/{refund.pk}/aprobar/")  # fresh amounts, then paid
    staff.post(f"/infonavit/devoluciones/{refund.pk}/pagar/", {"spei_tracking": "MBAN0100261205"})
    refund.refresh_from_db()
    assert (refund.status, refund.amount) == ("paid", Decimal("10850.00"))
