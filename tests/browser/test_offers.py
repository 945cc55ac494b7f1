"""The consular offers page in Chromium: filtered for migrants in English, printed without the screen's
chrome, and showing a version Infonavit staff just published."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consular_page_filters_and_prints(page):
    page.goto("/infonavit/ofertas/")
    expect(page.get_by_role("heading", name="Oferta del Infonavit para la red consular")).to_be_visible()
    page.locator("#id_audience").select_option("migrants")
    page.get_by_label("Idioma de la oferta").select_option("en")
    page.get_by_label("Vigente el").fill("2026-03-01")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.locator("#sin-fronteras h2")).to_have_text("Infonavit Sin Fronteras (pay from the US)")
    expect(page.locator("#sin-fronteras")).to_contain_text("DolEx")
    expect(page.locator("#mejoravit")).to_have_count(0)  # not for migrants
    page.emulate_media(media="print")
    expect(page.locator("#filters")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".print-only")).to_be_visible()
    expect(page.locator("#credito-infonavit")).to_be_visible()


def test_staff_publish_a_version_that_the_consular_page_shows(page, login):
    staff = make_user(Role.INFONAVIT_STAFF)
    login(staff.username)
    page.get_by_role("link", name="Catálogo de ofertas").click()
    page.get_by_role("link", name="Mejoravit").click()
    page.locator("#id_change_note").fill("Monto máximo 2026")
    page.locator("#id_valid_from").fill("2026-01-01")
    page.locator("#id_summary_es").fill("Crédito para mejorar la vivienda, hasta $170,000 en 2026.")
    page.get_by_role("button", name="Publicar").click()
    expect(page.locator("#versions tbody tr").first).to_contain_text("Monto máximo 2026")
    expect(page.locator("#versions tbody tr")).to_have_count(2)
    page.goto("/infonavit/ofertas/?date=2026-03-01")
    expect(page.locator("#mejoravit")).to_contain_text("hasta $170,000 en 2026")
