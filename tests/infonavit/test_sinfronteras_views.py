"""Sin Fronteras screens: staff upload a settlement file and see its lines; an officer prints the payment
instructions (PDF with the credit number and its Code 128 barcode) for a credit they may see — with the
borrower's name — or for a typed number checked by its check digit; the borrower's statement shows the
payment from abroad with its dollars and rate."""

import io
from datetime import date

import pytest
from django.test import Client
from pypdf import PdfReader

from tests.conftest import make_person, make_user
from ventanilla.infonavit import services
from ventanilla.payments.models import PaymentFile, RemittancePayment
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cast(consulate_la, consulate_chicago):
    staff = make_user(Role.INFONAVIT_STAFF)
    person = make_person(consulate_la, seed=21)
    other = make_person(consulate_chicago, seed=22)
    borrower = make_user(Role.DERECHOHABIENTE, person=person)
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    credit = services.originate_credit(
        staff, person, product="tradicional", denomination="pesos", origination_date=date(2026, 1, 15),
        amount_lent="100000", rate="12", term_months=120, regime="own", state="JC")
    far = services.originate_credit(
        staff, other, product="tradicional", denomination="pesos", origination_date=date(2026, 1, 15),
        amount_lent="100000", rate="12", term_months=120, regime="own", state="JC")
    return {"staff": staff, "borrower": borrower, "officer": officer, "credit": credit, "far": far,
            "person": person, "other": other}


def test_staff_upload_a_settlement_file_and_the_borrower_sees_it(cast):
    credit = cast["credit"]
    from ventanilla.payments.models import RemittanceCompany

    barri = RemittanceCompany.objects.get(code="BARRI")
    content = (f"operation_id,credit_number,paid_at,amount_usd,payer,us_state\n"
               f"B-1,{credit.number},2026-02-10,100.00,relative,AZ\n"
               f"B-2,{credit.number},2026-02-10,100.00,relative,QQ\n").encode()
    staff = client_for(cast["staff"])
    upload = io.BytesIO(content)
    upload.name = "barri-2026-02.csv"
    response = staff.post("/pagos/remesas/", {"company": barri.pk, "file": upload})
    payment_file = PaymentFile.objects.get(filename="barri-2026-02.csv")
    assert response.status_code == 302 and response["Location"] == f"/pagos/remesas/{payment_file.pk}/"
    page = staff.get(f"/pagos/remesas/{payment_file.pk}/").content.decode()
    assert "Barri" in page and "invalid_us_state" in page and "BARRI:B-1" in page
    rate = RemittancePayment.objects.get(operation_id="BARRI:B-1").usd_mxn_rate
    assert str(rate) in page
    rejected = staff.get(f"/pagos/remesas/{payment_file.pk}/?estado=rejected").content.decode()
    assert "BARRI:B-2" in rejected and "BARRI:B-1" not in rejected
    statement = client_for(cast["borrower"]).get(f"/infonavit/creditos/{credit.number}/?inicio=2026-01-01&fin=2026-02-28")
    text = statement.content.decode()
    assert statement.status_code == 200
    assert "Pago desde el extranjero: 100.00 USD en Barri (AZ)" in text and str(rate) in text


def test_a_bad_upload_names_the_field(cast):
    upload = io.BytesIO(b"reference,amount\n")
    upload.name = "x.csv"
    response = client_for(cast["staff"]).post("/pagos/remesas/", {"company": "999999", "file": upload})
    assert response.status_code == 422


def test_officer_prints_instructions_for_a_visible_credit_with_the_name(cast):
    officer = client_for(cast["officer"])
    number = cast["credit"].number
    page = officer.get(f"/infonavit/sin-fronteras/instrucciones/?numero={number}").content.decode()
    assert cast["person"].full_name in page and "DolEx" in page and "Solopin" in page
    response = officer.get(f"/infonavit/sin-fronteras/instrucciones/{number}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert f"{number[:-1]}-{number[-1]}" in text and cast["person"].full_name in text
    assert "Intercambio Express" in text and "Maxitransfers" in text


def test_a_typed_number_of_another_consulate_prints_without_the_name_and_a_bad_one_is_refused(cast):
    officer = client_for(cast["officer"])
    number = cast["far"].number
    page = officer.get(f"/infonavit/sin-fronteras/instrucciones/?numero={number}").content.decode()
    assert cast["other"].full_name not in page and 'id="instructions"' in page
    response = officer.get(f"/infonavit/sin-fronteras/instrucciones/{number}.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert cast["other"].full_name not in text and number[:-1] in text
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    bad = officer.get(f"/infonavit/sin-fronteras/instrucciones/?numero={wrong}")
    assert bad.status_code == 422 and "dígito verificador" in bad.content.decode()
    assert officer.get(f"/infonavit/sin-fronteras/instrucciones/{wrong}.pdf").status_code == 404


def test_instructions_in_english(cast):
    officer = client_for(cast["officer"])
    number = cast["credit"].number
    page = officer.get(f"/infonavit/sin-fronteras/instrucciones/?numero={number}",
                       HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Allied remittance companies" in page
