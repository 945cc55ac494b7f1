"""The working group in Chromium: a supervisor adds an action, marks it in progress with evidence, and sees the
overdue action highlighted in the list."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.conftest import make_user
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_adds_an_action_marks_progress_with_evidence_and_sees_the_overdue_one(page, login, settings,
                                                                                         tmp_path):
    from ventanilla.agreements import services
    from ventanilla.agreements.demo import load_agreements
    from ventanilla.agreements.models import AgreedAction, Agreement

    settings.MEDIA_ROOT = tmp_path
    load_agreements()  # a transactional test's flush may have emptied them
    supervisor = make_user(Role.SUPERVISOR, "supervisora.grupo")
    agreement = Agreement.objects.get(code="sre-imss-2022")
    late = services.create_action(supervisor, agreement_id=str(agreement.pk), action="Informe de afiliaciones",
                                  owner_institution="imss", due_on=timezone.localdate() - timedelta(days=10))
    login(supervisor.username)

    page.goto("/tablero/grupo-de-trabajo/")
    page.get_by_role("link", name="Nueva acción").click()
    page.get_by_label("Convenio").select_option(label=agreement.name)
    page.get_by_label("Acción").fill("Jornada informativa en el consulado de Dallas")
    page.get_by_label("Institución responsable").select_option("imss")
    due = timezone.localdate() + timedelta(days=60)
    page.get_by_label("Fecha compromiso").fill(due.isoformat())
    page.get_by_role("button", name="Registrar acción").click()

    created = AgreedAction.objects.get(action__startswith="Jornada informativa")
    expect(page).to_have_url(re.compile(rf"/acciones/{created.pk}/$"))
    expect(page.locator("#action-status")).to_have_text("Pendiente")
    page.get_by_label("Nuevo estado").select_option("in_progress")
    page.get_by_label("Nota").fill("Sede confirmada")
    page.get_by_role("button", name="Guardar estado").click()
    expect(page.locator("#action-status")).to_have_text("En proceso")

    page.get_by_label("Descripción").fill("Oficio de la sede")
    page.get_by_label("Archivo (PDF, JPEG o PNG)").set_input_files(
        files=[{"name": "oficio.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\noficio\n"}])
    page.get_by_role("button", name="Agregar evidencia").click()
    expect(page.locator("#evidence")).to_contain_text("Oficio de la sede")
    history = page.locator("#history")
    expect(history).to_contain_text("Evidencia agregada")
    expect(history.locator('tr[data-event="agreements.status_changed"]')).to_contain_text("status: pending")
    expect(history.locator('tr[data-event="agreements.status_changed"]')).to_contain_text("status: in_progress")
    expect(page.locator("#comments")).to_contain_text("Sede confirmada")
    created.refresh_from_db()
    assert created.status == "in_progress" and created.evidence.get().file.read() == b"%PDF-1.4\noficio\n"

    page.get_by_role("link", name="Volver a la lista").click()
    late_row = page.locator(f"#action-{late.pk}")
    expect(late_row).to_have_class("overdue")
    expect(late_row).to_contain_text("Vencida")
    expect(page.locator(f"#action-{created.pk}")).not_to_have_class("overdue")
    page.get_by_label("Solo vencidas").check()
    page.get_by_role("button", name="Filtrar").click()
    expect(page.locator("#actions tbody tr")).to_have_count(1)
    expect(page.locator(f"#action-{late.pk}")).to_be_visible()
