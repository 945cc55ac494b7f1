"""Mi Cuenta in Chromium: self-registration with the e-mail code (read from the outbox: the live server runs in
this process) ending signed in on the portal, and the TOTP second factor from enrolment to log-in."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import make_person, make_user
from ventanilla.people import totp
from ventanilla.people.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Jacaranda-Fresno-2026"


@pytest.fixture
def person_on_file(transactional_db):
    from ventanilla.reference.models import Consulate

    la = Consulate.objects.get(code="US-LOS-ANGELES")
    for _ in range(50):
        person = make_person(la)
        if person.nss and person.rfc:
            return person
        person.delete()
    raise AssertionError("no generated person with NSS and RFC")


def test_registration_with_the_email_code_ends_signed_in_on_the_portal(page, person_on_file):
    page.goto("/entrar/")
    page.get_by_role("link", name="Crear mi cuenta").click()
    page.get_by_label("NSS").fill(person_on_file.nss)
    page.get_by_label("CURP").fill(person_on_file.curp.lower())
    page.get_by_label("RFC").fill(person_on_file.rfc)
    page.get_by_label("Correo electrónico personal").fill("rosa.abroad@example.org")
    page.get_by_label("Celular").fill("+52 55 1234")  # too short: the message says which rule
    page.get_by_label("Contraseña nueva").fill(PASSWORD)
    page.get_by_label("Repita la contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Enviar código").click()
    expect(page.locator(".field.has-error")).to_contain_text("México (+52) lleva 10 dígitos")
    assert mail.outbox == []
    page.get_by_label("Celular").fill("+1 (312) 555-0199")
    page.get_by_label("Contraseña nueva").fill(PASSWORD)
    page.get_by_label("Repita la contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Enviar código").click()
    expect(page).to_have_url(re.compile(r"/cuenta/registro/codigo/$"))
    expect(page.get_by_role("status").first).to_contain_text("Si los datos coinciden con nuestros registros")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Código de 6 dígitos").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Activar mi cuenta").click()
    expect(page.locator(".field.has-error")).to_contain_text("El código no es correcto.")
    page.get_by_label("Código de 6 dígitos").fill(code)
    page.get_by_role("button", name="Activar mi cuenta").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mi Cuenta")
    expect(page.locator(".who")).to_have_attribute("data-role", "derechohabiente")
    assert User.objects.get(person=person_on_file).is_active


def test_totp_enrolment_then_log_in_asks_for_the_code(page, login, person_on_file):
    make_user(Role.DERECHOHABIENTE, "rosa", person=person_on_file)
    login("rosa")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    page.get_by_role("link", name="Seguridad de la cuenta").click()
    page.get_by_role("link", name="Activar").click()
    expect(page.locator("figure.qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Código de 6 dígitos").fill(totp.code_at(secret, time.time()))
    page.get_by_role("button", name="Confirmar").click()
    expect(page.get_by_role("status")).to_contain_text("La verificación en dos pasos está activa.")
    page.get_by_role("button", name="Salir").click()

    login("rosa")
    expect(page).to_have_url(re.compile(r"/cuenta/entrar/codigo/$"))
    page.get_by_label("Código de 6 dígitos").fill("12345")
    page.get_by_role("button", name="Verificar").click()
    expect(page.locator(".field.has-error")).to_contain_text("El código no es correcto.")
    # the next step's code (accepted within the one-step drift): the current one was spent on enrolment
    page.get_by_label("Código de 6 dígitos").fill(totp.code_at(secret, time.time() + totp.STEP_SECONDS))
    page.get_by_role("button", name="Verificar").click()
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mi Cuenta")
