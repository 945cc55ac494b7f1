"""IMSS staff record the family clinic, prior weeks and AFORE progress in the admin, audited."""

from datetime import date

import pytest
from django.test import Client

from tests.conftest import make_person, make_user
from ventanilla.core.models import AuditEntry
from ventanilla.imss import services
from ventanilla.imss.models import AforeReactivationRequest
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def affiliation(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    return services.enrol(officer, make_person(consulate_la, nss="92919084431"), occupation="x",
                          monthly_income="9000", periodicity="monthly", id_document_type="ine",
                          id_document_number="1", on=date(2026, 3, 1))


def test_family_clinic_and_prior_weeks_are_recorded_through_services(affiliation):
    staff = make_user(Role.IMSS_STAFF)
    client = Client()
    client.force_login(staff)
    response = client.post(f"/admin/imss/affiliation/{affiliation.pk}/change/", {
        "family_clinic": "UMF 48 Guadalajara",
        "prior_weeks-TOTAL_FORMS": "1", "prior_weeks-INITIAL_FORMS": "0",
        "prior_weeks-0-weeks": "300", "prior_weeks-0-last_contribution_date": "2021-06-30",
        "prior_weeks-0-source": "Historial laboral IMSS",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    affiliation.refresh_from_db()
    assert affiliation.family_clinic == "UMF 48 Guadalajara"
    assert affiliation.prior_weeks.get().recorded_by == staff
    assert AuditEntry.objects.filter(action="imss.family_clinic", actor=staff).exists()
    assert AuditEntry.objects.filter(action="imss.prior_weeks", actor=staff).exists()


def test_afore_request_progress_is_audited_with_its_previous_state(affiliation):
    request = services.request_afore_reactivation(make_user(Role.IMSS_STAFF), affiliation, "Afore Azteca")
    staff = make_user(Role.IMSS_STAFF)
    client = Client()
    client.force_login(staff)
    response = client.post(f"/admin/imss/aforereactivationrequest/{request.pk}/change/",
                           {"status": "in_process", "notes": "Enviada a la AFORE"})
    assert response.status_code == 302
    assert AforeReactivationRequest.objects.get(pk=request.pk).status == "in_process"
    entry = AuditEntry.objects.get(action="imss.afore_update")
    assert entry.before["status"] == "requested" and entry.after["status"] == "in_process"


def test_infonavit_staff_can_look_but_not_change(affiliation):
    client = Client()
    client.force_login(make_user(Role.INFONAVIT_STAFF))
    assert client.get(f"/admin/imss/affiliation/{affiliation.pk}/change/").status_code == 200
    client.post(f"/admin/imss/affiliation/{affiliation.pk}/change/", {"family_clinic": "X"})
    affiliation.refresh_from_db()
    assert affiliation.family_clinic == ""
