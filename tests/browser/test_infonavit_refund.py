"""Devolución del saldo de la SCV in Chromium: the worker asks for the refund in the portal with real files
(a PDF pension resolution and a PNG bank statement, made here), first forgetting one (told which); an Infonavit
staff member (never the requester: the four-eyes rule of refunds_services) opens it from the queue, sees the
documents and approves it; the worker sees it approved with its 10-business-day deadline and the SPEI
instruction; staff register the SPEI payment and the worker sees it paid and the subaccount at zero."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_person, make_user
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLABE = "032180000118359719"  # Banxico check digit valid


@pytest.fixture
def saver(transactional_db):
    """A worker back from a year at 600 pesos a day (2025): 365 × 30 = 10,950.00 in the SCV 1997."""
    from ventanilla.infonavit import savings_services
    from ventanilla.reference.models import Consulate

    staff = make_user(Role.INFONAVIT_STAFF, "infonavit.devoluciones")
    person = make_person(Consulate.objects.get(code="US-LOS-ANGELES"))
    savings_services.record_employment(staff, person, employer_name="Maquiladora Norte",
                                       registro_patronal="A1234567890", started_on=date(2025, 1, 1),
                                       ended_on=date(2025, 12, 31), daily_sbc="600.00")
    savings_services.post_contributions(staff, until=date(2026, 1, 31), persons=[person.pk])
    make_user(Role.DERECHOHABIENTE, "ahorrador.devolucion", person=person)
    return person


@pytest.fixture
def documents(tmp_path):
    """A one-page PDF (ReportLab) and a small PNG (Pillow): real files, checked by their first bytes."""
    from PIL import Image
    from reportlab.pdfgen.canvas import Canvas

    resolution = tmp_path / "resolucion-pension.pdf"
    canvas = Canvas(str(resolution))
    canvas.drawString(72, 720, "IMSS - Resolucion de pension por cesantia en edad avanzada")
    canvas.save()
    statement = tmp_path / "estado-de-cuenta.png"
    Image.new("RGB", (120, 60), (240, 240, 240)).save(statement)
    return {"resolution": str(resolution), "statement": str(statement)}


def sign_in(page, username: str) -> None:
    page.goto("/entrar/")
    page.get_by_label("Nombre de usuario").fill(username)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar", exact=True).click()


def test_a_refund_requested_in_the_portal_is_approved_paid_and_seen_by_the_worker(
        page, browser, live_server, saver, documents):
    from django.utils import timezone

    from ventanilla.infonavit.models import RefundRequest
    from ventanilla.infonavit.rules.refunds import payment_deadline

    today = timezone.localdate()
    sign_in(page, "ahorrador.devolucion")
    page.get_by_role("link", name="Mi ahorro").click()
    expect(page.locator("#scv-total")).to_have_text("10,950.00")
    page.get_by_role("link", name="Solicitar la devolución del saldo").click()
    page.get_by_label("Fundamento").select_option(label="Resolución de pensión del IMSS")
    page.get_by_label("AFORE").fill("Afore Azteca")
    page.get_by_label("CLABE (18 dígitos)").fill(CLABE)
    page.get_by_label("Fecha del estado de cuenta").fill((today - timedelta(days=10)).isoformat())
    page.get_by_label("Resolución o negativa de pensión (PDF, JPEG o PNG)").set_input_files(documents["resolution"])
    page.get_by_role("button", name="Enviar solicitud").click()
    expect(page.locator("#refund-form")).to_contain_text("Falta el documento: estado de cuenta bancario.")
    assert not RefundRequest.objects.exists()  # refused: nothing stored
    # The browser does not keep chosen files across a submit: both are attached again.
    page.get_by_label("Resolución o negativa de pensión (PDF, JPEG o PNG)").set_input_files(documents["resolution"])
    page.get_by_label("Estado de cuenta bancario con CLABE").set_input_files(documents["statement"])
    page.get_by_role("button", name="Enviar solicitud").click()
    expect(page.locator("#refund-status")).to_have_text("En revisión")
    expect(page.locator("#refund-documents li")).to_have_count(2)
    expect(page.locator("#refund-approve")).to_have_count(0)  # the requester never decides
    refund = RefundRequest.objects.get()
    assert refund.person_id == saver.pk and CLABE not in page.content()

    # Infonavit staff, in a window of their own, take it from the queue.
    staff_context = browser.new_context(base_url=live_server.url, locale="es-MX")
    staff = staff_context.new_page()
    staff.set_default_timeout(10_000)
    sign_in(staff, "infonavit.devoluciones")
    staff.get_by_role("link", name="Devoluciones SCV").click()
    staff.locator("#refund-queue").get_by_role("link", name=str(refund.pk), exact=True).click()
    expect(staff.locator("#refund-status")).to_have_text("En revisión")
    statement_link = staff.locator("#refund-documents").get_by_role("link", name="Estado de cuenta bancario")
    download = staff.request.get(statement_link.get_attribute("href"))
    assert download.status == 200 and download.headers["content-type"] == "image/png"
    assert download.body().startswith(b"\x89PNG\r\n\x1a\n")
    staff.get_by_role("button", name="Aprobar").click()
    expect(staff.locator(".messages")).to_contain_text("Solicitud aprobada")
    expect(staff.locator("#refund-status")).to_have_text("Aprobada, por pagar")
    due = payment_deadline(today)
    expect(staff.locator("#refund-due")).to_contain_text(due.isoformat())

    # The worker sees the approval, the deadline and what will be paid.
    page.reload()
    expect(page.locator("#refund-status")).to_have_text("Aprobada, por pagar")
    expect(page.locator("#refund-due")).to_have_text(due.isoformat())
    expect(page.locator("#refund-instruction")).to_contain_text(
        f"Transferencia SPEI de $10,950.00 MXN a la CLABE registrada, a más tardar el {due.isoformat()}.")
    expect(page.locator("#refund-pay")).to_have_count(0)

    staff.get_by_label("Clave de rastreo SPEI").fill("MBAN01002611300001")
    staff.get_by_role("button", name="Registrar pago SPEI").click()
    expect(staff.locator("#refund-status")).to_have_text("Pagada")
    staff_context.close()

    page.reload()
    expect(page.locator("#refund-status")).to_have_text("Pagada")
    expect(page.locator("#refund-amount")).to_have_text("$10,950.00 MXN")
    expect(page.locator("#refund-facts")).to_contain_text("MBAN01002611300001")
    page.get_by_role("link", name="Mi ahorro").click()
    expect(page.locator("#scv-total")).to_have_text("0.00")
    expect(page.locator("#scv-refunds-title")).to_be_visible()
    expect(page.get_by_role("link", name=f"{today:%Y-%m-%d} · Pagada")).to_be_visible()
