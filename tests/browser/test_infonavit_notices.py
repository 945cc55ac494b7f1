"""The notices path in Chromium: the borrower of a settled payroll credit goes from the credit page to the
notices, downloads the employer's copy of the suspensión and the carta de cancelación de hipoteca (both PDFs,
read back with pypdf)."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.conftest import make_person, make_user
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def text_of(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def settled_credit(transactional_db):
    from ventanilla.infonavit import services
    from ventanilla.reference.models import Consulate

    la = Consulate.objects.get(code="US-LOS-ANGELES")
    staff = make_user(Role.INFONAVIT_STAFF, "infonavit.avisos")
    borrower = make_person(la, mx_state="MN", mx_municipality="Morelia")
    credit = services.originate_credit(
        staff, borrower, product="tradicional", denomination="pesos", origination_date=date(2025, 1, 15),
        amount_lent="20000", rate="10", term_months=24, regime="payroll", state="MN", monthly_payment="950",
        monthly_insurance_and_fees="0")
    services.record_payment(staff, credit, amount="20000.00", operation_id="AVISOS-LIQUIDA-1",
                            paid_at=datetime(2025, 1, 28, 12, tzinfo=ZoneInfo("America/Mexico_City")))
    credit.refresh_from_db()
    return credit


def test_borrower_downloads_a_notice_and_the_cancellation_letter(page, login, settled_credit):
    credit = settled_credit
    make_user(Role.DERECHOHABIENTE, "acreditado.avisos", person=credit.borrower)
    login("acreditado.avisos")
    page.goto(f"/infonavit/creditos/{credit.number}/")
    page.get_by_role("link", name="Avisos y cartas").click()
    expect(page.locator("#credit-number")).to_have_text(credit.number)
    table = page.locator("#notice-table")
    expect(table).to_contain_text("Aviso de suspensión de descuentos")
    expect(table).to_contain_text("Aviso de retención de descuentos")
    suspension = credit.notices.get(kind="suspension")
    row = page.locator(f"#notice-{suspension.pk}")
    expect(row).to_contain_text("Crédito liquidado")
    expect(row).to_contain_text("2025-01-29")  # the day after it is issued

    response = page.request.get(row.get_by_role("link", name="Copia para el patrón (PDF)").get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    notice = text_of(response.body())
    assert "Aviso de suspensión de descuentos" in notice and "Copia para el patrón" in notice
    assert credit.number in notice and "$0.00" in notice and "$950.00" in notice  # now and before

    letter_link = page.get_by_role("link", name="Carta de cancelación de hipoteca (PDF)")
    response = page.request.get(letter_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    letter = text_of(response.body())
    assert "Carta de cancelación de hipoteca" in letter and credit.number in letter and "$20,000.00" in letter
