"""Contact data (phone, address abroad, e-mail re-verified with a code), data-correction requests with four
eyes, the portal's pending actions, and one person never reaching another's data."""

import re

import pytest
from django.core import mail

from tests.conftest import make_person, make_user
from ventanilla.core.errors import DomainError, NotFoundError, PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.people import services
from ventanilla.people.models import CorrectionRequest, Person, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(consulate_la):
    return make_user(Role.DERECHOHABIENTE, username="luis", person=make_person(consulate_la, email="luis@example.org"))


def test_phone_and_address_abroad_change_at_once(client, citizen):
    client.force_login(citizen)
    response = client.post("/cuenta/datos/", {"phone": "+52 33 1234 5678", "abroad_country": "ca",
                                              "abroad_region": "Ontario", "abroad_city": "Toronto"})
    assert response.status_code == 302
    person = Person.objects.get(pk=citizen.person_id)
    assert (person.phone, person.abroad_country, person.abroad_city) == ("+523312345678", "CA", "Toronto")
    entry = AuditEntry.objects.get(action="person.contact_update")
    assert entry.after["phone"] == "+523312345678"


def test_a_bad_phone_is_refused_naming_the_country_rule(client, citizen):
    client.force_login(citizen)
    response = client.post("/cuenta/datos/", {"phone": "+1 555 12", "abroad_country": "US"})
    assert response.status_code == 422
    assert "Estados Unidos o Canadá (+1) lleva 10 dígitos" in response.content.decode()


def test_a_new_email_waits_for_its_code(client, citizen):
    client.force_login(citizen)
    assert client.post("/cuenta/datos/correo/", {"email": "mal@"}).status_code == 422
    response = client.post("/cuenta/datos/correo/", {"email": "Luis.Nuevo@example.org"})
    assert response.status_code == 302 and response["Location"] == "/cuenta/datos/correo/codigo/"
    assert Person.objects.get(pk=citizen.person_id).email == "luis@example.org"  # not yet
    assert mail.outbox[-1].to == ["luis.nuevo@example.org"]
    portal = client.get("/portal/").content.decode()
    assert 'data-kind="verify_email"' in portal
    assert client.post("/cuenta/datos/correo/codigo/", {"code": "abc"}).status_code == 422
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert client.post("/cuenta/datos/correo/codigo/", {"code": code}).status_code == 302
    assert Person.objects.get(pk=citizen.person_id).email == "luis.nuevo@example.org"
    assert 'data-kind="verify_email"' not in client.get("/portal/").content.decode()


def test_an_email_of_another_account_gets_the_same_answer_and_no_code(client, citizen):
    """No oracle: the same redirect as for a free address; the owner gets a notice, nobody gets a code."""
    make_user(Role.DERECHOHABIENTE, username="ocupado@example.org")
    client.force_login(citizen)
    response = client.post("/cuenta/datos/correo/", {"email": "ocupado@example.org"})
    assert response.status_code == 302 and response["Location"] == "/cuenta/datos/correo/codigo/"
    assert [m.to for m in mail.outbox] == [["ocupado@example.org"]]
    assert "ya pertenece a una cuenta" in mail.outbox[0].body and not re.search(r"\b\d{6}\b", mail.outbox[0].body)
    assert Person.objects.get(pk=citizen.person_id).email == "luis@example.org"


def test_correction_requested_by_the_person_and_approved_by_staff(client, citizen):
    client.force_login(citizen)
    person = citizen.person
    response = client.post("/cuenta/correcciones/", {"field": "first_names", "new_value": "José Luis",
                                                     "reason": "Mi acta dice José Luis"})
    assert response.status_code == 302
    row = CorrectionRequest.objects.get()
    assert row.status == "pending" and row.current_value == person.first_names and row.new_value == "JOSÉ LUIS"
    assert 'data-kind="corrections"' in client.get("/portal/").content.decode()
    staff = make_user(Role.IMSS_STAFF)
    client.force_login(staff)
    assert "JOSÉ LUIS" in client.get("/cuenta/correcciones/revision/").content.decode()
    response = client.post(f"/cuenta/correcciones/{row.pk}/resolver/", {"decision": "approve"})
    assert response.status_code == 302
    person.refresh_from_db()
    row.refresh_from_db()
    assert person.first_names == "JOSÉ LUIS" and row.status == "approved" and row.decided_by == staff
    entry = AuditEntry.objects.get(action="person.correct")
    assert entry.before == {"first_names": row.current_value} and entry.after == {"first_names": "JOSÉ LUIS"}


def test_the_requester_never_decides_four_eyes(consulate_la):
    officer_staff = make_user(Role.INFONAVIT_STAFF)
    person = make_person(consulate_la)
    row = services.request_correction(officer_staff, person, "last_name_2", "Ramírez", "Acta de nacimiento")
    with pytest.raises(DomainError) as caught:
        services.decide_correction(officer_staff, row.pk, approve=True)
    assert caught.value.errors[0].code == "four_eyes"
    other = make_user(Role.ADMINISTRATOR)
    services.decide_correction(other, row.pk, approve=True)
    person.refresh_from_db()
    assert person.last_name_2 == "RAMÍREZ"
    with pytest.raises(DomainError) as caught:
        services.decide_correction(other, row.pk, approve=False, reason="tarde")
    assert caught.value.errors[0].code == "decided"


def test_refusal_needs_a_reason_and_leaves_the_person_alone(citizen):
    row = services.request_correction(citizen, citizen.person, "last_name_1", "Zavala", "Error de captura")
    staff = make_user(Role.INFONAVIT_STAFF)
    with pytest.raises(DomainError) as caught:
        services.decide_correction(staff, row.pk, approve=False, reason=" ")
    assert caught.value.errors[0].field == "reason"
    services.decide_correction(staff, row.pk, approve=False, reason="El acta no coincide")
    row.refresh_from_db()
    citizen.person.refresh_from_db()
    assert row.status == "refused" and row.refusal_reason == "El acta no coincide"
    assert citizen.person.last_name_1 != "ZAVALA"


def test_a_curp_correction_must_agree_with_birth_date_and_sex(citizen):
    with pytest.raises(DomainError) as caught:
        services.request_correction(citizen, citizen.person, "curp", "BOXW310820HNERXN08", "x")
    assert caught.value.errors[0].field == "curp"
    with pytest.raises(DomainError) as caught:
        services.request_correction(citizen, citizen.person, "rfc", citizen.person.rfc or "", "x")
    assert caught.value.errors[0].code in {"unchanged", "required"} or caught.value.errors[0].field == "rfc"


def test_one_person_cannot_ask_or_decide_for_another(consulate_la, consulate_chicago, citizen):
    stranger = make_person(consulate_chicago)
    with pytest.raises(PermissionDeniedError):
        services.request_correction(citizen, stranger, "first_names", "Otro", "x")
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    with pytest.raises(NotFoundError):
        services.request_correction(officer, stranger, "first_names", "Otro", "x")
    with pytest.raises(PermissionDeniedError):
        services.decide_correction(citizen, 1, approve=True)
    with pytest.raises(PermissionDeniedError):
        services.decide_correction(officer, 1, approve=True)


def test_each_citizen_sees_only_their_own_pages(client, consulate_la, citizen):
    services.request_correction(citizen, citizen.person, "last_name_1", "Zavala", "Error de captura")
    other = make_user(Role.DERECHOHABIENTE, person=make_person(consulate_la, email="otra@example.org"))
    services.request_email_change(citizen, "luis.secreto@example.org")
    client.force_login(other)
    for path in ("/cuenta/datos/", "/cuenta/correcciones/", "/cuenta/datos/correo/codigo/", "/portal/",
                 "/cuenta/seguridad/"):
        body = client.get(path).content.decode()
        assert "ZAVALA" not in body and "luis.secreto@example.org" not in body and citizen.person.curp not in body
    assert client.get("/cuenta/correcciones/revision/").status_code == 403
    row = CorrectionRequest.objects.get()
    assert client.post(f"/cuenta/correcciones/{row.pk}/resolver/", {"decision": "approve"}).status_code == 403
    assert CorrectionRequest.objects.get().status == "pending"


def test_portal_lists_unpaid_imss_references_and_relief_waiting_only_for_this_person(client, consulate_la,
                                                                                    consulate_chicago, citizen):
    from datetime import date

    from django.utils import timezone

    from ventanilla.infonavit.models import SolutionApplication
    from ventanilla.infonavit.services import originate_credit
    from ventanilla.payments.models import PaymentReference
    from ventanilla.payments.references import new_reference_code

    stranger = make_person(consulate_chicago)
    staff = make_user(Role.INFONAVIT_STAFF)
    for person, text in ((citizen.person, "Cuotas IMSS mayo"), (stranger, "Cuotas IMSS ajenas")):
        PaymentReference.objects.create(code=new_reference_code(), owner_kind="imss.contribution", owner_id=text,
                                        person=person, amount="2633.00", description=text,
                                        period_start=date(2026, 5, 1), period_end=date(2026, 5, 31),
                                        due_date=date(2026, 4, 17), issued_at=timezone.now())
        credit = originate_credit(staff, person, product="tradicional", denomination="pesos",
                                  origination_date=date(2024, 3, 15), amount_lent="500000", rate="10.45",
                                  term_months=240, regime="own", state="MN")
        SolutionApplication.objects.create(credit=credit, code="RC", status="pending_approval", channel="portal",
                                           requested_by=staff, starts_on=date(2026, 3, 10),
                                           idempotency_key=f"portal-{credit.number}")
    client.force_login(citizen)
    page = client.get("/portal/").content.decode()
    assert "Pago IMSS pendiente: Cuotas IMSS mayo, fecha límite 2026-04-17" in page
    assert "ajenas" not in page
    from ventanilla.infonavit.models import Credit

    own = Credit.objects.get(borrower=citizen.person).number
    assert page.count('data-kind="relief"') == 1 and f"RC del crédito {own}" in page
