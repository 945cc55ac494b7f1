"""The working group's screens per role: who sees, who edits, who follows up, and what the list highlights."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ventanilla.agreements import services
from ventanilla.agreements.models import AgreedAction
from ventanilla.core.models import AuditEntry
from ventanilla.people.models import Role

BASE = "/tablero/grupo-de-trabajo/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def actions(world, agreements):
    supervisor = world["users"][Role.SUPERVISOR]
    late = services.create_action(supervisor, agreement_id=str(agreements["sre-imss-2022"].pk),
                                  action="Informe trimestral de afiliaciones", owner_institution="imss",
                                  due_on=date(2025, 3, 31))
    future = services.create_action(supervisor, agreement_id=str(agreements["infonavit-ime-2021"].pk),
                                    action="Feria de vivienda en Chicago", owner_institution="infonavit",
                                    due_on=date(2031, 5, 1))
    return {"late": late, "future": future}


def test_the_list_highlights_the_overdue_action_and_flags_the_one_past_validity(world, actions):
    page = client_for(world["users"][Role.CONSULAR_OFFICER]).get(BASE).content.decode()
    assert f'<tr id="action-{actions["late"].pk}" class="overdue">' in page
    assert f'<tr id="action-{actions["future"].pk}">' in page
    assert page.count("Después de la vigencia del convenio") == 1  # 2031 is after 30 Sep 2024
    assert "Nueva acción" not in page  # officers read
    overdue_only = client_for(world["users"][Role.SUPERVISOR]).get(BASE, {"overdue": "on"}).content.decode()
    assert "Informe trimestral" in overdue_only and "Feria de vivienda" not in overdue_only
    imss_only = client_for(world["users"][Role.SUPERVISOR]).get(BASE, {"institution": "infonavit"})
    assert "Feria de vivienda" in imss_only.content.decode()
    assert "Informe trimestral" not in imss_only.content.decode()


def test_a_supervisor_creates_and_changes_status_through_the_screens(world, agreements):
    client = client_for(world["users"][Role.SUPERVISOR])
    refused = client.post(f"{BASE}acciones/nueva/", {"agreement": agreements["sre-imss-2021"].pk, "action": "",
                                                     "owner_institution": "imss", "due_on": "2026-12-15"})
    assert refused.status_code == 422 and AgreedAction.objects.count() == 0
    created = client.post(f"{BASE}acciones/nueva/", {"agreement": agreements["sre-imss-2021"].pk,
                                                     "action": "Jornada de salud preventiva",
                                                     "owner_institution": "imss", "due_on": "2026-12-15"})
    action = AgreedAction.objects.get()
    assert created.status_code == 302 and created["Location"] == f"{BASE}acciones/{action.pk}/"
    response = client.post(f"{BASE}acciones/{action.pk}/estado/", {"status": "in_progress", "note": "Sede lista"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "in_progress"
    detail = client.get(f"{BASE}acciones/{action.pk}/").content.decode()
    assert "Sede lista" in detail and world["users"][Role.SUPERVISOR].username in detail
    changed = detail[detail.index('data-event="agreements.status_changed"'):]
    changed = changed[:changed.index("</tr>")]
    assert "Cambio de estado" in changed and "status: pending" in changed and "status: in_progress" in changed


def test_institution_staff_follow_up_their_own_actions_only(world, actions, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    imss = client_for(world["users"][Role.IMSS_STAFF])
    late = actions["late"].pk
    assert imss.post(f"{BASE}acciones/{late}/comentarios/", {"body": "Informe en revisión"}).status_code == 302
    upload = SimpleUploadedFile("informe.png", b"\x89PNG\r\n\x1a\nfake", content_type="image/png")
    assert imss.post(f"{BASE}acciones/{late}/evidencia/", {"description": "Informe", "file": upload}
                     ).status_code == 302
    assert imss.post(f"{BASE}acciones/{late}/estado/", {"status": "done"}).status_code == 403
    future = actions["future"].pk
    assert imss.post(f"{BASE}acciones/{future}/comentarios/", {"body": "No es nuestra"}).status_code == 403
    detail = imss.get(f"{BASE}acciones/{late}/").content.decode()
    assert "Informe en revisión" in detail and "Guardar estado" not in detail
    evidence = actions["late"].evidence.get()
    download = client_for(world["users"][Role.CONSULAR_OFFICER]).get(f"{BASE}evidencias/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert AuditEntry.objects.filter(object_id=str(late), action__in=[
        "agreements.comment_added", "agreements.evidence_added"]).count() == 2


def test_citizens_get_403_and_anonymous_the_log_in(world, actions):
    citizen = client_for(world["users"][Role.DERECHOHABIENTE])
    assert citizen.get(BASE).status_code == 403
    assert citizen.get(f"{BASE}acciones/{actions['late'].pk}/").status_code == 403
    anonymous = Client().get(BASE)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/entrar/")


def test_the_screens_in_english(world, actions):
    client = client_for(world["users"][Role.SUPERVISOR])
    page = client.get(BASE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Working group: agreed actions" in page and "Overdue" in page and "New action" in page
    detail = client.get(f"{BASE}acciones/{actions['late'].pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Change status" in detail and "History" in detail and "Responsible institution" in detail
