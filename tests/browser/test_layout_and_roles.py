"""Each role signs in through the real form in Chromium and lands on its own home."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import make_person, make_user, valid_person_payload
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOMES = {
    Role.DERECHOHABIENTE: ("/portal/", "Mi Cuenta"),
    Role.CONSULAR_OFFICER: ("/ventanilla/", "Ventanilla"),
    Role.IMSS_STAFF: ("/personal/", "Parámetros vigentes"),
    Role.INFONAVIT_STAFF: ("/personal/", "Parámetros vigentes"),
    Role.SUPERVISOR: ("/tablero/", "Tablero"),
    Role.ADMINISTRATOR: ("/personal/", "Parámetros vigentes"),
}


@pytest.fixture
def accounts(transactional_db):
    from ventanilla.reference.models import Consulate

    la = Consulate.objects.get(code="US-LOS-ANGELES")
    person = make_person(la)
    return {role: make_user(role, f"u-{role}", consulate=la if role == Role.CONSULAR_OFFICER else None,
                            person=person if role == Role.DERECHOHABIENTE else None) for role in HOMES}


@pytest.mark.parametrize("role", list(HOMES), ids=[str(r) for r in HOMES])
def test_each_role_lands_on_its_home_and_can_sign_out(page, login, accounts, role):
    path, heading = HOMES[role]
    login(accounts[role].username)
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    expect(page.locator(".who")).to_have_attribute("data-role", str(role))
    page.get_by_role("button", name="Salir").click()
    expect(page.get_by_role("link", name="Entrar", exact=True)).to_be_visible()


def test_wrong_password_shows_the_error_and_stays_signed_out(page, login, accounts):
    login(accounts[Role.SUPERVISOR].username, "no-es-la-clave")
    expect(page.get_by_role("alert")).to_contain_text("introduzca un nombre de usuario y clave correctos")
    expect(page).to_have_url(re.compile(r"/entrar/$"))


def test_language_switch_turns_the_layout_english(page, accounts):
    page.goto("/")
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()


def test_officer_registration_shows_errors_next_to_fields_then_registers(page, login, accounts):
    login(accounts[Role.CONSULAR_OFFICER].username)
    page.get_by_role("link", name="Registrar persona").first.click()
    data = valid_person_payload(seed=501)
    page.get_by_label("Nombre(s)").fill(data["first_names"])
    page.get_by_label("Primer apellido").fill(data["last_name_1"])
    page.get_by_label("Segundo apellido").fill(data["last_name_2"])
    page.locator("#id_curp").fill(data["curp"][:-1] + str((int(data["curp"][-1]) + 1) % 10))
    page.get_by_label("Fecha de nacimiento").fill(data["birth_date"])
    page.get_by_label("Sexo (como en la CURP)").select_option(data["sex"])
    page.get_by_label("Estado (domicilio en México)").select_option(data["mx_state"])
    page.get_by_label("Municipio").fill(data["mx_municipality"])
    page.get_by_label("Código postal").fill(data["mx_postal_code"])
    page.get_by_role("button", name="Registrar").click()

    curp = page.locator("#id_curp")
    expect(curp).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_curp_error")).to_have_text("El dígito verificador de la CURP no corresponde.")

    curp.fill(data["curp"])
    page.get_by_role("button", name="Registrar").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(data["last_name_1"])
    expect(page.locator("dl.person")).to_contain_text(data["curp"])
    page.screenshot(path=str(live_server_screenshot_dir() / "person-registered.png"), full_page=True)


def test_layout_fits_a_phone_and_has_a_skip_link(browser, live_server, accounts):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740},
                                  locale="es-MX")
    page = context.new_page()
    try:
        page.goto("/entrar/")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        page.mouse.click(2, 730)  # give the document focus, on an empty spot
        page.keyboard.press("Tab")  # the first stop for keyboard users skips the header
        assert page.evaluate("document.activeElement.textContent.trim()") == "Saltar al contenido"
        page.screenshot(path=str(live_server_screenshot_dir() / "login-phone.png"))
    finally:
        context.close()


def live_server_screenshot_dir():
    from pathlib import Path

    target = Path(__file__).resolve().parents[2] / "var" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    return target
