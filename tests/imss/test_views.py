"""The IMSS screens through Django's test client: each form once accepted and once refused with its message
next to the field, the certificate as a real PDF, and who may see which affiliation."""

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import make_person, make_user, payload_born
from ventanilla.imss import services
from ventanilla.imss.models import (
    Affiliation,
    AforeReactivationRequest,
    Beneficiary,
    BenefitClaim,
    ContributionPeriod,
)
from ventanilla.imss.pdf import verification_string
from ventanilla.payments import services as payments
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db

CALCULATOR = "/imss/calculadora/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def field_errors(response, field: str) -> str:
    """The error list rendered next to a field by web/_field.html."""
    match = re.search(rf'<ul class="errors" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return match.group(1) if match else ""


@pytest.fixture
def officer(consulate_la):
    return make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)


@pytest.fixture
def worker_person(consulate_la):
    return make_person(consulate_la, nss="92919084431", mx_state="JC", mx_municipality="Guadalajara")


@pytest.fixture
def worker(worker_person):
    return make_user(Role.DERECHOHABIENTE, person=worker_person)


@pytest.fixture
def affiliation(officer, worker_person):
    return services.enrol(officer, worker_person, occupation="Jardinero", monthly_income="12000",
                          periodicity="monthly", id_document_type="matricula", id_document_number="MC123456")


ENROL = {"occupation": "Cocinera", "monthly_income": "12000", "periodicity": "monthly",
         "id_document_type": "passport", "id_document_number": "G12345678"}


# --- calculator ----------------------------------------------------------------------------------------

def test_calculator_quotes_branches_totals_and_dollars_without_an_account(client):
    response = client.get(CALCULATOR, {"date": "2026-03-05", "monthly_income": "12000", "zone": "general",
                                       "periodicity": "monthly"})
    assert response.status_code == 200
    page = text(response)
    assert "$400.00 MXN" in page  # SBC: 12,000 ÷ 30
    assert "$2,633.12 MXN" in page  # the worked example of the contribution rules
    assert "Cesantía en edad avanzada y vejez" in page and "Riesgos de trabajo (clase I)" in page
    assert "Tipo de cambio de referencia" in page and "1 dólar = 18.3000 pesos" in page
    assert "supuesto" in page  # the demo exchange rates are marked assumed
    assert "US$143.89" in page  # 2,633.12 ÷ 18.30


def test_calculator_lists_each_month_of_the_period_with_its_uma(client):
    response = client.get(CALCULATOR, {"date": "2025-11-10", "monthly_income": "9000", "zone": "zlfn",
                                       "periodicity": "semiannual"})
    assert response.status_code == 200
    months = re.search(r'<table class="results" id="months">(.*?)</table>', response.content.decode(), re.S).group(1)
    assert months.count("<tr>") == 1 + 6 + 1  # header, six months, total
    assert "113.14" in months and "117.31" in months  # the UMA changes on 1 February


def test_calculator_shows_its_form_first_and_refuses_bad_income_next_to_the_field(client):
    first = client.get(CALCULATOR)
    assert first.status_code == 200 and 'id="result"' not in first.content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in first.content.decode()  # the date defaults to today
    response = client.get(CALCULATOR, {"date": "2026-03-05", "monthly_income": "-5", "zone": "general",
                                       "periodicity": "monthly"})
    assert response.status_code == 422
    assert "El ingreso debe ser mayor que cero." in field_errors(response, "monthly_income")
    empty = client.get(CALCULATOR, {"date": "2026-03-05", "monthly_income": "", "zone": "general",
                                    "periodicity": "monthly"})
    assert empty.status_code == 422 and field_errors(empty, "monthly_income")


def test_calculator_shares_the_public_rate_limit(client, settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 2
    query = {"date": "2026-03-05", "monthly_income": "12000", "zone": "general", "periodicity": "monthly"}
    assert [client.get(CALCULATOR, query).status_code for _ in range(3)] == [200, 200, 429]
    assert "Demasiadas consultas seguidas" in text(client.get(CALCULATOR, query))
    assert client.get(CALCULATOR).status_code == 200  # the empty form is not a query


def test_calculator_date_without_parameters_is_explained_next_to_the_date(client):
    response = client.get(CALCULATOR, {"date": "1990-06-01", "monthly_income": "9000", "zone": "general",
                                       "periodicity": "monthly"})
    assert response.status_code == 422
    assert "No hay valores de" in field_errors(response, "date") and "1990-06-01" in field_errors(response, "date")


# --- enrolment -----------------------------------------------------------------------------------------

def test_officer_enrols_after_a_refused_missing_id_number(officer, worker_person):
    client = signed_in(officer)
    url = f"/imss/personas/{worker_person.pk}/afiliar/"
    page = client.get(url)
    assert page.status_code == 200 and 'id="zone">General<' in page.content.decode()
    refused = client.post(url, {**ENROL, "id_document_number": ""})
    assert refused.status_code == 422
    assert "En ventanilla se registra la identificación oficial presentada." in field_errors(
        refused, "id_document_number")
    assert not Affiliation.objects.exists()
    response = client.post(url, ENROL)
    affiliation = Affiliation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imss/afiliaciones/{affiliation.pk}/"
    assert affiliation.channel == "window" and affiliation.id_document_number == "G12345678"
    assert client.get(url)["Location"] == f"/imss/afiliaciones/{affiliation.pk}/"  # enrolled once
    detail = text(client.get(f"/ventanilla/personas/{worker_person.pk}/"))
    assert f'href="/imss/afiliaciones/{affiliation.pk}/"' in detail


def test_worker_enrols_from_the_portal_without_an_id_document(worker, worker_person):
    client = signed_in(worker)
    portal = text(client.get("/portal/"))
    assert "Afíliate al IMSS" in portal and f"/imss/personas/{worker_person.pk}/afiliar/" in portal
    refused = client.post(f"/imss/personas/{worker_person.pk}/afiliar/", {**ENROL, "monthly_income": "0",
                                                                            "id_document_number": ""})
    assert refused.status_code == 422
    assert "El ingreso debe ser mayor que cero." in field_errors(refused, "monthly_income")
    response = client.post(f"/imss/personas/{worker_person.pk}/afiliar/", {**ENROL, "id_document_type": "",
                                                                             "id_document_number": ""})
    assert response.status_code == 302
    assert Affiliation.objects.get(person=worker_person).channel == "portal"
    assert "Ver mi afiliación al IMSS" in text(client.get("/portal/"))


def test_a_worker_cannot_enrol_or_see_another_worker(worker, officer, consulate_la):
    other = make_person(consulate_la, nss=None)
    other_affiliation = services.enrol(officer, other, occupation="Chofer", monthly_income="9000",
                                       periodicity="monthly", id_document_type="ine", id_document_number="X1")
    client = signed_in(worker)
    assert client.get(f"/imss/personas/{other.pk}/afiliar/").status_code == 404
    assert client.get(f"/imss/afiliaciones/{other_affiliation.pk}/").status_code == 404
    assert client.get(f"/imss/afiliaciones/{other_affiliation.pk}/constancia.pdf").status_code == 404
    assert client.post(f"/imss/afiliaciones/{other_affiliation.pk}/lineas-de-captura/").status_code == 404


def test_officer_of_another_consulate_gets_404(affiliation, consulate_chicago):
    chicago = signed_in(make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago))
    for path in ("", "beneficiarios/nuevo/", "ingreso/", "prestaciones/nueva/", "constancia.pdf"):
        assert chicago.get(f"/imss/afiliaciones/{affiliation.pk}/{path}").status_code == 404, path
    assert chicago.post(f"/imss/afiliaciones/{affiliation.pk}/afore/").status_code == 404


# --- the affiliation page: references, coverage, AFORE -------------------------------------------------

def test_issue_reference_then_pay_and_see_the_coverage(officer, affiliation, worker):
    client = signed_in(officer)
    url = f"/imss/afiliaciones/{affiliation.pk}/"
    before = text(client.get(url))
    assert "Emitir línea de captura" in before and "Sin derechos vigentes" in before
    response = client.post(f"{url}lineas-de-captura/")
    assert response.status_code == 302
    period = ContributionPeriod.objects.get(affiliation=affiliation)
    page = text(client.get(url))
    assert period.reference.formatted in page
    assert f'href="/pagos/referencias/{period.reference.code}/ficha.pdf"' in page
    assert "Reemitir línea de captura" in page and "Emitir línea de captura<" not in page
    portal = text(signed_in(worker).get("/portal/"))
    assert "Próximo pago" in portal and f"/pagos/referencias/{period.reference.code}/ficha.pdf" in portal

    payments.record_payment(None, reference_code=period.reference.code, amount=period.amount,
                            paid_at=timezone.now(), operation_id="OP-VIEW-1", channel="spei")
    inside = period.period_start + timedelta(days=10)
    covered = client.get(url, {"fecha": inside.isoformat()})
    assert 'data-status="covered"' in covered.content.decode() and "Vigente" in text(covered)
    bad = client.get(url, {"fecha": "2027-02-31"})
    assert bad.status_code == 422 and "Use una fecha válida (AAAA-MM-DD)." in text(bad)


def test_reissue_gives_a_new_reference_and_a_pending_nss_cannot_issue(officer, affiliation, consulate_la):
    client = signed_in(officer)
    period = services.issue_next_reference(officer, affiliation)
    old_code = period.reference.code
    response = client.post(f"/imss/afiliaciones/{affiliation.pk}/periodos/{period.pk}/reemitir/")
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.reference.code != old_code and period.reference.replaces.code == old_code

    waiting = services.enrol(officer, make_person(consulate_la, nss=None), occupation="Pintor",
                             monthly_income="9000", periodicity="monthly", id_document_type="ine",
                             id_document_number="X2")
    page = text(client.get(f"/imss/afiliaciones/{waiting.pk}/"))
    assert "En espera de NSS" in page and "El IMSS asigna primero el número de seguridad social" in page
    refused = client.post(f"/imss/afiliaciones/{waiting.pk}/lineas-de-captura/")
    assert refused.status_code == 422
    assert "La afiliación espera su NSS" in text(refused)
    assert not ContributionPeriod.objects.filter(affiliation=waiting).exists()


def test_afore_reactivation_is_requested_once(worker, affiliation):
    client = signed_in(worker)
    url = f"/imss/afiliaciones/{affiliation.pk}/afore/"
    assert client.post(url, {"afore_name": "Afore Azteca"}).status_code == 302
    assert client.post(url, {"afore_name": "Otra"}).status_code == 302
    request = AforeReactivationRequest.objects.get(affiliation=affiliation)
    assert request.afore_name == "Afore Azteca"
    page = text(client.get(f"/imss/afiliaciones/{affiliation.pk}/"))
    assert "Reactivación solicitada" in page and "Solicitar la reactivación de la AFORE" not in page
    refused = client.post(url, {"afore_name": "x" * 81})
    assert refused.status_code == 422


def test_certificate_is_a_real_pdf_in_both_languages(officer, affiliation):
    client = signed_in(officer)
    response = client.get(f"/imss/afiliaciones/{affiliation.pk}/constancia.pdf", {"fecha": "2026-12-01"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    assert len(response.content) > 1500
    english = client.get(f"/imss/afiliaciones/{affiliation.pk}/constancia.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200 and english.content.startswith(b"%PDF-")
    check = verification_string(affiliation.pk, date(2026, 12, 1), "not_covered")
    assert check.startswith(f"VNT-IMSS|{affiliation.pk}|2026-12-01|not_covered|")
    assert affiliation.person.curp not in check and affiliation.person.nss not in check
    bad = client.get(f"/imss/afiliaciones/{affiliation.pk}/constancia.pdf", {"fecha": "mañana"})
    assert bad.status_code == 422


# --- beneficiaries and income --------------------------------------------------------------------------

def _identity(payload: dict) -> dict:
    keys = ("first_names", "last_name_1", "last_name_2", "curp", "birth_date", "sex", "mx_state",
            "mx_municipality", "mx_postal_code")
    return {key: payload[key] for key in keys}


def test_beneficiary_child_registered_and_a_30_year_old_child_refused_with_the_reason(officer, affiliation):
    client = signed_in(officer)
    url = f"/imss/afiliaciones/{affiliation.pk}/beneficiarios/nuevo/"
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    adult = payload_born(date(today.year - 30, 3, 14), "H", seed=901)
    refused = client.post(url, {"relationship": "child", **_identity(adult)})
    assert refused.status_code == 422
    assert "Los hijos tienen derecho hasta los 25 años" in field_errors(refused, "relationship")
    assert not Beneficiary.objects.exists()
    assert not type(affiliation.person).objects.filter(curp=adult["curp"]).exists()  # nothing half-written

    child = payload_born(date(today.year - 9, 5, 2), "M", seed=902)
    response = client.post(url, {"relationship": "child", **_identity(child)})
    assert response.status_code == 302
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.person.curp == child["curp"] and beneficiary.relationship == "child"
    page = text(client.get(f"/imss/afiliaciones/{affiliation.pk}/"))
    assert beneficiary.person.full_name in page


def test_officer_registers_a_relative_already_on_file_by_curp(officer, affiliation, consulate_la):
    client = signed_in(officer)
    url = f"/imss/afiliaciones/{affiliation.pk}/beneficiarios/nuevo/"
    unknown = client.post(url, {"relationship": "spouse", "existing_curp": "XXXX000000HDFXXX00"})
    assert unknown.status_code == 422 and "No hay una persona registrada con esta CURP" in field_errors(
        unknown, "existing_curp")
    spouse = make_person(consulate_la)
    assert client.post(url, {"relationship": "spouse", "existing_curp": spouse.curp.lower()}).status_code == 302
    assert Beneficiary.objects.get().person == spouse
    again = client.post(url, {"relationship": "spouse", "existing_curp": spouse.curp})
    assert again.status_code == 422 and "Ya hay un cónyuge registrado" in field_errors(again, "relationship")


def test_worker_registers_a_relative_but_cannot_pick_one_by_curp(worker, affiliation):
    client = signed_in(worker)
    url = f"/imss/afiliaciones/{affiliation.pk}/beneficiarios/nuevo/"
    page = client.get(url)
    assert page.status_code == 200 and "existing_curp" not in page.content.decode()
    mother = payload_born(date(1960, 4, 3), "M", seed=903)
    refused = client.post(url, {"relationship": "mother", **_identity(mother), "lives_with_worker": "on"})
    assert refused.status_code == 422
    assert "deben depender económicamente" in field_errors(refused, "relationship")
    response = client.post(url, {"relationship": "mother", **_identity(mother), "lives_with_worker": "on",
                                 "economically_dependent": "on"})
    assert response.status_code == 302
    beneficiary = Beneficiary.objects.get()
    assert beneficiary.person.consulate == affiliation.person.consulate and beneficiary.relationship == "mother"


def test_income_change_for_future_periods_and_refused_for_the_past(worker, affiliation):
    client = signed_in(worker)
    url = f"/imss/afiliaciones/{affiliation.pk}/ingreso/"
    today = timezone.localdate()
    refused = client.post(url, {"monthly_income": "15000", "effective_from": today.replace(day=1).isoformat()})
    assert refused.status_code == 422
    assert "El nuevo ingreso aplica desde el" in field_errors(refused, "effective_from")
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    response = client.post(url, {"monthly_income": "15000", "effective_from": next_month.isoformat()})
    assert response.status_code == 302
    history = text(client.get(url))
    assert "15,000.00" in history and "12,000.00" in history


# --- claims and staff screens --------------------------------------------------------------------------

def test_claim_registered_with_documents_shows_the_rule_decision(officer, affiliation, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = signed_in(officer)
    url = f"/imss/afiliaciones/{affiliation.pk}/prestaciones/nueva/"
    refused = client.post(url, {"kind": "day_care", "event_date": "2026-10-01"})
    assert refused.status_code == 422
    assert "Indique la fecha de nacimiento." in field_errors(refused, "child_birth_date")
    files = [SimpleUploadedFile("acta.pdf", b"%PDF-1.4 acta", "application/pdf"),
             SimpleUploadedFile("factura.pdf", b"%PDF-1.4 factura", "application/pdf")]
    response = client.post(url, {"kind": "funeral", "event_date": "2026-10-01", "documents": files})
    assert response.status_code == 302
    claim = BenefitClaim.objects.get()
    assert response["Location"].endswith(f"?solicitud={claim.pk}")
    assert sorted(d.description for d in claim.documents.all()) == ["acta.pdf", "factura.pdf"]
    page = text(client.get(response["Location"]))
    assert "No procede según la regla" in page and "Se requieren 12 semanas cotizadas" in page
    assert signed_in(make_user(Role.DERECHOHABIENTE, person=affiliation.person)).get(url).status_code == 403


def test_claim_decisions_keep_four_eyes(affiliation):
    registrar, other = make_user(Role.IMSS_STAFF), make_user(Role.IMSS_STAFF)
    claim = services.register_claim(registrar, affiliation, kind="funeral", event_date=date(2026, 10, 1))
    listing = text(signed_in(other).get("/imss/prestaciones/"))
    assert f'id="claim-{claim.pk}"' in listing and affiliation.person.full_name in listing
    own = signed_in(registrar).post(f"/imss/prestaciones/{claim.pk}/decision/", {"decision": "reject"})
    assert own.status_code == 403 and "regla de cuatro ojos" in text(own)
    approve = signed_in(other).post(f"/imss/prestaciones/{claim.pk}/decision/", {"decision": "approve"})
    assert approve.status_code == 422 and "No se puede aprobar" in text(approve)
    done = signed_in(other).post(f"/imss/prestaciones/{claim.pk}/decision/",
                                 {"decision": "reject", "note": "Sin semanas", "estado": "registered"})
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == "rejected" and claim.decided_by == other
    assert f'id="claim-{claim.pk}"' in text(signed_in(other).get("/imss/prestaciones/", {"estado": "rejected"}))
    assert f'id="claim-{claim.pk}"' not in text(signed_in(other).get("/imss/prestaciones/"))


def test_pending_nss_is_assigned_by_staff_after_a_refused_number(officer, consulate_la):
    waiting = services.enrol(officer, make_person(consulate_la, nss=None), occupation="Albañil",
                             monthly_income="9000", periodicity="monthly", id_document_type="ine",
                             id_document_number="X3")
    client = signed_in(make_user(Role.IMSS_STAFF))
    assert waiting.person.full_name in text(client.get("/imss/nss/"))
    url = f"/imss/nss/{waiting.pk}/"
    refused = client.post(url, {f"nss-{waiting.pk}-nss": "92919084432"})
    assert refused.status_code == 422
    assert "El dígito verificador del NSS no corresponde." in field_errors(refused, f"nss-{waiting.pk}-nss")
    assert client.post(url, {f"nss-{waiting.pk}-nss": "92919084431"}).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "active" and waiting.person.nss == "92919084431"
    assert f'id="nss-{waiting.pk}"' not in text(client.get("/imss/nss/"))


def test_menus_link_the_imss_screens(officer, worker):
    assert 'href="/imss/calculadora/"' in text(signed_in(officer).get("/ventanilla/"))
    assert 'href="/imss/calculadora/"' in text(signed_in(worker).get("/portal/"))
    staff_page = text(signed_in(make_user(Role.IMSS_STAFF)).get("/personal/"))
    assert 'href="/imss/prestaciones/"' in staff_page and 'href="/imss/nss/"' in staff_page


def test_english_calculator(client):
    response = client.get(CALCULATOR, {"date": "2026-03-05", "monthly_income": "12000", "zone": "general",
                                       "periodicity": "monthly"}, HTTP_ACCEPT_LANGUAGE="en")
    page = text(response)
    assert response.status_code == 200 and 'lang="en"' in page
    assert "Reference exchange rate" in page and "Monthly total" in page and "$2,633.12 MXN" in page
