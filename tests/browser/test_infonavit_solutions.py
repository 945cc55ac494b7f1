"""The relief-solution paths in Chromium: the borrower applies to an eligible solution and gets its letter; the
officer simulates for a person without a stored credit; a refused application shows its reason; an officer's
Responsabilidad Compartida waits for a second person, who approves it in the browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_layout_and_roles import live_server_screenshot_dir
from tests.infonavit.test_views_solutions import make_cast, pesos_credit, pin_today, rc_credit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(transactional_db, monkeypatch):
    from ventanilla.reference.models import Consulate

    pin_today(monkeypatch)
    return make_cast(Consulate.objects.get(code="US-LOS-ANGELES"))


def sign_out(page):
    page.get_by_role("button", name="Salir").click()


def card(page, code: str):
    return page.locator(f"#solution-{code}")


def test_borrower_sees_solutions_applies_and_gets_the_letter_on_a_phone(browser, live_server, cast):
    credit = pesos_credit(cast["staff"], cast["person"])
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, locale="es-MX")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        from tests.conftest import PASSWORD

        page.goto("/entrar/")
        page.get_by_label("Nombre de usuario").fill("acreditada")
        page.get_by_label("Contraseña").fill(PASSWORD)
        page.get_by_role("button", name="Entrar", exact=True).click()
        page.goto(f"/infonavit/creditos/{credit.number}/")
        page.get_by_role("link", name="Soluciones de Cobranza Social").click()
        expect(card(page, "RC")).to_contain_text("Solo se convierten créditos en veces salario mínimo (VSM).")
        expect(card(page, "DCP")).to_contain_text("Primero debe usarse el Fondo de Protección de Pagos")

        page.get_by_label("Ingreso mensual (pesos)").fill("10000")
        page.get_by_label("Tiene empleo formal en México").select_option("true")
        page.get_by_label("Meses en el empleo actual").fill("12")
        page.get_by_label("Ingreso mensual al obtener el crédito (pesos)").fill("15000")
        page.get_by_role("button", name="Calcular de nuevo").click()
        expect(card(page, "STM")).to_contain_text("Procede")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0  # phone width
        page.screenshot(path=str(live_server_screenshot_dir() / "solutions-phone.png"), full_page=True)

        page.get_by_role("link", name="Solicitar Solución a tu Medida").click()
        expect(page.locator("#needs-approval")).to_have_text("Se aplica al confirmar.")
        expect(page.locator("#plan")).to_contain_text("Reestructura (nuevas condiciones)")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        page.get_by_role("button", name="Confirmar la solicitud").click()

        expect(page.locator(".messages")).to_contain_text("Solución aplicada.")
        expect(page.locator("#status")).to_have_text("Vigente")
        letter = page.get_by_role("link", name="Descargar la carta (PDF)")
        response = page.request.get(letter.get_attribute("href"))
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        assert response.body().startswith(b"%PDF")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        context.close()


def test_officer_simulates_for_a_person_without_a_stored_credit(page, login, cast):
    login("consul.soluciones")
    page.get_by_role("link", name="Simulador Infonavit").click()
    page.get_by_label("Fecha del cálculo").fill("2026-03-10")
    page.get_by_label("Producto").select_option("tradicional")
    page.get_by_label("Denominación").select_option("vsm")
    page.get_by_label("Fecha de otorgamiento").fill("2005-06-15")
    page.get_by_label("Monto otorgado (pesos)").fill("250000")
    page.get_by_label("Saldo actual (pesos)").fill("abc")
    page.get_by_label("Pago mensual sin seguros ni comisiones (pesos)").fill("3200")
    page.get_by_label("Seguros y comisiones al mes (pesos)").fill("150")
    page.get_by_label("Tasa anual (%)").fill("9")
    page.get_by_label("Mensualidades que faltan del plazo").fill("120")
    page.get_by_label("Mensualidades vencidas sin pagar").fill("0")
    page.get_by_label("Mensualidades completas pagadas").fill("240")
    page.get_by_label("Fecha de nacimiento de la persona acreditada").fill("1975-05-02")
    page.get_by_label("Sexo").select_option("H")
    page.get_by_label("Ingreso mensual (pesos)").fill("9000")
    page.get_by_label("Pensión mensual (pesos)").fill("0")
    page.get_by_label("Cotiza hoy al IMSS").check()
    page.get_by_label("Tiene empleo formal en México").check()
    page.get_by_role("button", name="Simular").click()
    expect(page.locator("#id_balance_error")).to_contain_text("Escriba un importe en pesos")

    page.get_by_label("Saldo actual (pesos)").fill("520000")
    page.get_by_role("button", name="Simular").click()
    expect(card(page, "RC")).to_contain_text("Procede")
    expect(card(page, "RC")).to_contain_text("$197,159.85 MXN")  # the discount of the worked example
    expect(card(page, "DLA")).to_contain_text("No procede")
    expect(card(page, "DLA")).to_contain_text(
        "El saldo debe ser de hasta el 25 % del monto otorgado (62,500.00 pesos); es de 520,000.00.")
    expect(page.locator("#assumed-terms")).to_contain_text("supuesto")
    page.set_viewport_size({"width": 375, "height": 740})  # the answer stays readable on a phone
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_refused_application_shows_its_reason(page, login, cast):
    from ventanilla.infonavit import services

    credit = rc_credit(cast["staff"], cast["person"])
    application = services.apply_solution(cast["officer"], credit, "RC", declared={"monthly_income": "9000"},
                                          idempotency_key="browser-refuse", channel="window")
    login("infonavit.aprueba")
    page.get_by_role("link", name="Soluciones por aprobar").click()
    item = page.locator(f"#application-{application.pk}")
    item.get_by_label("Motivo del rechazo").fill("El comprobante de ingresos no corresponde a la persona.")
    item.get_by_role("button", name="Rechazar").click()
    expect(page.locator(".messages")).to_contain_text(f"Solicitud {application.pk} rechazada.")
    sign_out(page)

    login("consul.soluciones")
    page.goto(f"/infonavit/solicitudes/{application.pk}/")
    expect(page.locator("#status")).to_have_text("Rechazada")
    expect(page.locator("#refusal-reason")).to_contain_text("Solicitud rechazada.")
    expect(page.locator("#refusal-reason")).to_contain_text("El comprobante de ingresos no corresponde a la persona.")


def test_officer_applies_rc_and_infonavit_staff_approve_it(page, login, cast):
    credit = rc_credit(cast["staff"], cast["person"])
    login("consul.soluciones")
    page.goto(f"/infonavit/creditos/{credit.number}/soluciones/")
    page.get_by_label("Ingreso mensual (pesos)").fill("9000")
    page.get_by_role("button", name="Calcular de nuevo").click()
    expect(card(page, "RC")).to_contain_text("Procede")
    page.get_by_role("link", name="Solicitar Responsabilidad Compartida").click()
    expect(page.locator("#needs-approval")).to_contain_text("la aprueba una segunda persona")
    expect(page.locator("#plan")).to_contain_text("Conversión a pesos")
    page.get_by_role("button", name="Confirmar la solicitud").click()
    expect(page.locator("#status")).to_have_text("En espera de aprobación")
    expect(page.locator("#pending-note")).to_be_visible()
    application_url = page.url
    sign_out(page)

    login("infonavit.aprueba")
    page.get_by_role("link", name="Soluciones por aprobar").click()
    expect(page.locator("#pending")).to_contain_text(credit.number)
    page.locator("#pending article").first.get_by_role("button", name="Aprobar").click()
    expect(page.locator(".messages")).to_contain_text("aprobada")
    expect(page.locator("#pending")).to_have_count(0)
    page.goto(application_url)
    expect(page.locator("#status")).to_have_text("Concluida")
    expect(page.locator("#entries")).to_contain_text("Descuento")
    expect(page.locator("#entries")).to_contain_text("Conversión a pesos")
