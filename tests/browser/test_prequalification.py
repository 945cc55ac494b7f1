"""Prequalification in Chromium: anyone on a phone, and a citizen in Mi Cuenta with the form prefilled.
Fields are found by id: the second person's labels repeat the first person's words."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.conftest import make_person, make_user
from ventanilla.people.models import Role
from ventanilla.reference.models import Consulate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_facts(page, *, salary: str, scv: str | None = None):
    page.locator("#id_as_of").fill("2026-03-02")
    page.locator("#id_monthly_salary").fill(salary)
    if scv is not None:
        page.locator("#id_scv_balance").fill(scv)
    page.locator("#id_continuous_bimesters").fill("12")


def test_anyone_prequalifies_on_a_phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/infonavit/precalificacion/")
    expect(page.get_by_role("heading", name="Precalificación y simulador de crédito")).to_be_visible()
    page.locator("#id_birth_date").fill("1995-06-01")
    page.locator("#id_sex").select_option("H")
    fill_facts(page, salary="10698.66", scv="40000.00")
    page.get_by_role("button", name="Calcular").click()
    expect(page.locator("#verdict")).to_contain_text("Califica")
    expect(page.locator("#verdict")).to_contain_text("115 puntos")
    credito = page.locator('#products tr[data-product="credito_infonavit"]')
    expect(credito).to_contain_text("$634,193.86")
    expect(credito).to_contain_text("4.49 %")
    expect(credito).to_contain_text("$3,209.60")
    expect(page.locator('#points tr[data-variable="age_salary"]')).to_contain_text("235")
    # Abroad without a job: the labour variables score zero and the page says why.
    page.locator("#id_employed").uncheck()
    page.get_by_role("button", name="Calcular").click()
    expect(page.locator('#points tr[data-variable="worker_type"]')).to_contain_text("0")
    expect(page.locator("#reasons")).to_contain_text("Sin relación laboral vigente")
    # A typo is refused next to its field.
    page.locator("#id_monthly_salary").fill("diez mil")
    page.get_by_role("button", name="Calcular").click()
    expect(page.locator(".field.has-error")).to_contain_text("Escriba un importe en pesos")


def test_a_citizen_prequalifies_in_mi_cuenta_with_what_we_know(page, login):
    from ventanilla.infonavit import savings_services
    from ventanilla.infonavit.rules import savings

    consulate = Consulate.objects.get(code="US-LOS-ANGELES")
    person = make_person(consulate, sex="M", birth_date=date(1958, 1, 10))  # 68 on 2 March 2026
    citizen = make_user(Role.DERECHOHABIENTE, person=person)
    savings_services.record_opening_balance(make_user(Role.INFONAVIT_STAFF), person, savings_period=savings.SCV_97,
                                            amount=Decimal("90000.00"), on=date(2026, 1, 2))
    login(citizen.username)
    page.get_by_role("link", name="Precalificación").click()
    expect(page.locator("#id_birth_date")).to_have_value("1958-01-10")
    expect(page.locator("#id_scv_balance")).to_have_value("90000.00")
    fill_facts(page, salary="20000.00")
    page.get_by_role("button", name="Calcular").click()
    # A 68-year-old woman: age + term <= 75, so 7 years.
    expect(page.locator('#products tr[data-product="credito_infonavit"] td').nth(3)).to_have_text("7")
