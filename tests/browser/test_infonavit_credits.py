"""The credit paths in Chromium: the borrower opens their statement and downloads the PDF; the officer looks
a credit up (a bad number refused with its message first), records a window payment and sees it."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import make_person, make_user
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def credit(transactional_db):
    from ventanilla.infonavit import services
    from ventanilla.reference.models import Consulate

    la = Consulate.objects.get(code="US-LOS-ANGELES")
    staff = make_user(Role.INFONAVIT_STAFF, "infonavit.browser")
    borrower = make_person(la, mx_state="MN", mx_municipality="Morelia")
    credit = services.originate_credit(
        staff, borrower, product="tradicional", denomination="pesos", origination_date=date(2025, 1, 15),
        amount_lent="120000", rate="12", term_months=120, regime="own", state="MN", monthly_insurance_and_fees="50")
    services.post_monthly_accrual(staff, credit, date(2025, 2, 1))
    return credit


def test_borrower_opens_the_statement_and_downloads_the_pdf(page, login, credit):
    make_user(Role.DERECHOHABIENTE, "acreditado", person=credit.borrower)
    login("acreditado")
    expect(page.locator("#infonavit-summary")).to_contain_text(credit.number)
    page.get_by_role("link", name="Ver saldos y movimientos").click()
    expect(page.locator("#credit-number")).to_have_text(credit.number)
    page.get_by_label("Desde").fill("2025-01-01")
    page.get_by_label("Hasta").fill("2025-03-31")
    page.get_by_role("button", name="Ver periodo").click()
    expect(page.locator("#closing-balance")).to_have_text("121,250.00")
    expect(page.locator("#statement")).to_contain_text("Intereses del mes")
    response = page.request.get(page.locator("#statement-pdf").get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_officer_looks_up_records_a_window_payment_and_sees_it(page, login, credit):
    make_user(Role.CONSULAR_OFFICER, "consul.creditos", consulate=credit.borrower.consulate)
    login("consul.creditos")
    page.get_by_role("link", name="Créditos Infonavit").click()
    wrong = credit.number[:-1] + str((int(credit.number[-1]) + 1) % 10)
    page.get_by_label("Número de crédito, CURP, NSS o nombre").fill(wrong)
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator("#id_q_error")).to_have_text("El dígito verificador del número de crédito no corresponde.")
    page.get_by_label("Número de crédito, CURP, NSS o nombre").fill(credit.number)
    page.get_by_role("button", name="Buscar").click()
    expect(page.locator("#credit-number")).to_have_text(credit.number)

    page.get_by_label("Número de operación").fill("SF-BROWSER-1")
    page.get_by_label("Importe (MXN)").fill("abc")
    page.get_by_label("Fecha de pago").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Registrar pago").click()
    expect(page.locator("#id_amount_error")).to_contain_text("El importe debe ser un número positivo")
    page.get_by_label("Importe (MXN)").fill("2000.00")
    page.get_by_role("button", name="Registrar pago").click()
    expect(page.locator("#statement")).to_contain_text("SF-BROWSER-1")
    expect(page.locator("#credit-balance")).to_contain_text("119,250.00")
