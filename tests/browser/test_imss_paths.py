"""The IMSS paths in Chromium: an officer at the window and a worker from the portal, each form refused once
with the message next to its field, then accepted."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import make_person, make_user, payload_born
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def la(transactional_db):
    from ventanilla.reference.models import Consulate

    return Consulate.objects.get(code="US-LOS-ANGELES")


def fill_relative(page, payload: dict) -> None:
    page.get_by_label("Nombre(s)").fill(payload["first_names"])
    page.get_by_label("Primer apellido").fill(payload["last_name_1"])
    page.get_by_label("Segundo apellido").fill(payload["last_name_2"])
    page.locator("#id_curp").fill(payload["curp"])
    page.get_by_label("Fecha de nacimiento").fill(payload["birth_date"])
    page.get_by_label("Sexo (como en la CURP)").select_option(payload["sex"])


def pay_as_the_bank(period) -> None:
    from ventanilla.payments import services as payments

    payments.record_payment(None, reference_code=period.reference.code, amount=period.amount,
                            paid_at=timezone.now(), operation_id=f"BANK-{period.pk}", channel="spei")


def test_officer_enrols_adds_a_child_issues_the_reference_and_sees_the_coverage(page, login, la):
    from ventanilla.imss.models import Affiliation, ContributionPeriod

    officer = make_user(Role.CONSULAR_OFFICER, "consul.imss", consulate=la)
    worker = make_person(la, nss="92919084431", mx_state="JC", mx_municipality="Guadalajara")
    login(officer.username)

    page.get_by_label("Buscar por CURP, NSS o nombre").fill(worker.curp)
    page.get_by_role("button", name="Buscar").click()
    page.get_by_role("link", name=worker.full_name).click()
    page.get_by_role("link", name="Afiliar al IMSS").click()

    expect(page.locator("#zone")).to_have_text("General")
    page.get_by_label("Ocupación").fill("Jardinero")
    page.get_by_label("Ingreso mensual (pesos)").fill("12000")
    page.get_by_label("Periodicidad de pago").select_option("monthly")
    page.get_by_label("Identificación oficial").select_option("matricula")
    page.get_by_role("button", name="Afiliar").click()
    expect(page.locator("#id_id_document_number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_id_document_number_error")).to_have_text(
        "En ventanilla se registra la identificación oficial presentada.")
    page.get_by_label("Número de identificación").fill("MC123456")
    page.get_by_role("button", name="Afiliar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Afiliación IMSS")
    affiliation = Affiliation.objects.get(person=worker)

    page.get_by_role("link", name="Registrar beneficiario").click()
    today = timezone.localdate()
    page.get_by_label("Parentesco").select_option("child")
    fill_relative(page, payload_born(date(today.year - 30, 2, 10), "H", seed=611))
    page.get_by_role("button", name="Registrar beneficiario").click()
    expect(page.locator("#id_relationship_error")).to_contain_text("Los hijos tienen derecho hasta los 25 años")
    child = payload_born(date(today.year - 8, 6, 15), "M", seed=612)
    fill_relative(page, child)
    page.get_by_role("button", name="Registrar beneficiario").click()
    expect(page.locator("#beneficiaries")).to_contain_text(child["last_name_1"])

    page.get_by_role("button", name="Emitir línea de captura").click()
    expect(page.get_by_role("status")).to_contain_text("Línea de captura")
    period = ContributionPeriod.objects.get(affiliation=affiliation)
    slip = page.get_by_role("link", name="Ficha de pago (PDF)")
    response = page.request.get(slip.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")
    expect(page.locator("#periods")).to_contain_text("Por pagar")

    inside = (period.period_start + timedelta(days=10)).isoformat()
    page.get_by_label("Consultar en la fecha").fill(inside)
    page.get_by_role("button", name="Consultar").click()
    expect(page.locator("#coverage-status")).to_have_text("Sin derechos vigentes")
    pay_as_the_bank(period)
    page.reload()
    expect(page.locator("#coverage-status")).to_have_text("Vigente")
    expect(page.locator("#periods")).to_contain_text("Pagado")


def test_worker_enrols_from_the_portal_uses_the_calculator_and_gets_a_reference(page, login, la):
    worker = make_person(la, nss="92919084431", mx_state="BC", mx_municipality="Tijuana")
    account = make_user(Role.DERECHOHABIENTE, "migrante", person=worker)
    login(account.username)
    expect(page).to_have_url(re.compile(r"/portal/$"))

    page.get_by_role("link", name="Afíliate al IMSS").click()
    expect(page.locator("#zone")).to_have_text("Zona libre de la frontera norte")
    page.get_by_label("Ocupación").fill("Cocinera")
    page.get_by_label("Ingreso mensual (pesos)").fill("doce mil")
    page.get_by_role("button", name="Afiliar").click()
    expect(page.locator("#id_monthly_income_error")).to_have_text(
        "Escriba el ingreso en pesos, con hasta dos decimales.")
    page.get_by_label("Ingreso mensual (pesos)").fill("15000")
    page.get_by_role("button", name="Afiliar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Afiliación IMSS")

    page.get_by_role("link", name="Calculadora IMSS").click()
    page.get_by_label("Ingreso mensual (pesos)").fill("-100")
    page.get_by_role("button", name="Calcular").click()
    expect(page.locator("#id_monthly_income_error")).to_have_text("El ingreso debe ser mayor que cero.")
    page.get_by_label("Ingreso mensual (pesos)").fill("15000")
    page.get_by_label("Zona del domicilio en México").select_option("zlfn")
    page.get_by_role("button", name="Calcular").click()
    expect(page.locator("#monthly-total")).to_contain_text("MXN")
    expect(page.locator("#branches")).to_contain_text("Invalidez y vida")

    page.get_by_role("link", name="Mi Cuenta", exact=True).click()
    page.get_by_role("link", name="Ver mi afiliación al IMSS").click()
    page.get_by_role("button", name="Emitir línea de captura").click()
    expect(page.locator("#periods")).to_contain_text("Por pagar")
    expect(page.locator("#coverage-status")).to_have_text("Sin derechos vigentes")
    page.get_by_role("link", name="Mi Cuenta", exact=True).click()
    expect(page.locator("#imss-next-payment")).to_contain_text("Próximo pago")
    expect(page.locator("#imss-next-payment").get_by_role("link", name="Ficha de pago (PDF)")).to_be_visible()
