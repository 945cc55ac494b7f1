"""Credit screens per role: Mi crédito, the lookup, the credit page with its statement and downloads, the
window payment with refusals by field, and the Infonavit blocks of the portal and the person page."""

from datetime import date

import pytest
from django.test import Client

from ventanilla.infonavit import services
from ventanilla.infonavit.models import LedgerEntry
from ventanilla.infonavit.rules import credit_number
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def credit(world):
    staff = world["users"][Role.INFONAVIT_STAFF]
    credit = services.originate_credit(
        staff, world["person_la"], product="tradicional", denomination="pesos", origination_date=date(2025, 1, 15),
        amount_lent="120000", rate="12", term_months=120, regime="own", state="MN", monthly_insurance_and_fees="50")
    services.post_monthly_accrual(staff, credit, date(2025, 2, 1))
    return credit


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_borrower_sees_their_credit_on_the_portal_and_its_statement(world, credit):
    client = client_for(world["users"][Role.DERECHOHABIENTE])
    assert credit.number in client.get("/portal/").content.decode()
    assert credit.number in client.get("/infonavit/mi-credito/").content.decode()
    page = client.get(f"/infonavit/creditos/{credit.number}/?inicio=2025-01-01&fin=2025-03-31").content.decode()
    assert "121,250.00" in page and "Intereses del mes" in page and "window-payment" not in page
    pdf = client.get(f"/infonavit/creditos/{credit.number}/estado.pdf?inicio=2025-01-01&fin=2025-03-31")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    csv = client.get(f"/infonavit/creditos/{credit.number}/movimientos.csv?inicio=2025-01-01&fin=2025-03-31")
    assert csv.content.startswith("\ufeff".encode()) and b"121250.00" in csv.content
    bad = client.get(f"/infonavit/creditos/{credit.number}/?inicio=2025-02-30")
    assert bad.status_code == 422 and "Use una fecha válida" in bad.content.decode()
    assert client.get(f"/infonavit/creditos/{credit.number}/constancia-intereses/2025.pdf").status_code == 200
    assert client.get(f"/infonavit/creditos/{credit.number}/constancia-intereses/2019.pdf").status_code == 404


def test_the_officer_looks_a_credit_up_and_records_a_window_payment(world, credit):
    client = client_for(world["users"][Role.CONSULAR_OFFICER])
    found = client.get("/infonavit/creditos/", {"q": credit.number})
    assert found.status_code == 302 and found["Location"].endswith(f"/infonavit/creditos/{credit.number}/")
    by_curp = client.get("/infonavit/creditos/", {"q": world["person_la"].curp}).content.decode()
    assert credit.number in by_curp
    wrong = credit.number[:-1] + str((int(credit.number[-1]) + 1) % 10)
    refused = client.get("/infonavit/creditos/", {"q": wrong})
    assert refused.status_code == 422
    assert "El dígito verificador del número de crédito no corresponde." in refused.content.decode()
    unknown = client.get("/infonavit/creditos/", {"q": credit_number.credit_number(899_999_999)})
    assert unknown.status_code == 422

    url = f"/infonavit/creditos/{credit.number}/pagos/"
    data = {"operation_id": "SF-77", "amount": "2000.00", "paid_at": "2025-02-20"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same operation again: nothing new
    assert LedgerEntry.objects.filter(credit=credit, kind="payment").count() == 1
    conflict = client.post(url, {**data, "amount": "2100.00"})
    assert conflict.status_code == 422 and "ya se registró con otros datos" in conflict.content.decode()
    refused = client.post(url, {**data, "operation_id": "SF-78", "amount": "abc"})
    assert refused.status_code == 422 and "El importe debe ser un número positivo" in refused.content.decode()
    page = client.get(f"/infonavit/creditos/{credit.number}/?inicio=2025-01-01&fin=2025-03-31").content.decode()
    assert "SF-77" in page and "119,250.00" in page
    person_page = client.get(f"/ventanilla/personas/{world['person_la'].pk}/").content.decode()
    assert credit.number in person_page


def test_roles_without_credits_see_none(world, credit):
    for role in (Role.IMSS_STAFF, Role.SUPERVISOR):
        assert client_for(world["users"][role]).get(f"/infonavit/creditos/{credit.number}/").status_code == 403
    imss_person_page = client_for(world["users"][Role.IMSS_STAFF]).get(
        f"/ventanilla/personas/{world['person_la'].pk}/").content.decode()
    assert credit.number not in imss_person_page
