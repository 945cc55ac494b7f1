"""Mi Cuenta self-registration: the happy path, every refusal, the e-mail code (wrong, expired, spent), the
same answer whatever is on file (no enumeration), throttling, password reset."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tests.conftest import make_person, make_user
from ventanilla.core.models import AuditEntry
from ventanilla.people import services
from ventanilla.people.models import Role, User, VerificationCode

pytestmark = pytest.mark.django_db

PASSWORD = "Girasol-Tlaquepaque-88"


def person_on_file(consulate, **overrides):
    """A stored person with NSS and RFC (the generator leaves some without: take one that has both)."""
    for _ in range(50):
        person = make_person(consulate, **overrides)
        if person.nss and person.rfc:
            return person
        person.delete()
    raise AssertionError("no generated person with NSS and RFC")


def form_data(person, **overrides) -> dict:
    data = {"nss": person.nss, "curp": person.curp, "rfc": person.rfc, "email": "maria.personal@example.org",
            "phone": "+1 (213) 555-0142", "password": PASSWORD, "password_confirm": PASSWORD}
    data.update(overrides)
    return data


def code_in(message) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def test_registration_happy_path_activates_the_account_after_the_code(client, consulate_la):
    person = person_on_file(consulate_la)
    response = client.post("/cuenta/registro/", form_data(person))
    assert response.status_code == 302 and response["Location"] == "/cuenta/registro/codigo/"
    user = User.objects.get(person=person)
    assert not user.is_active and user.username == "maria.personal@example.org"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["maria.personal@example.org"]
    code = code_in(mail.outbox[0])
    row = VerificationCode.objects.get(user=user)
    assert len(row.code_hash) == 64 and row.code_hash != code  # only a keyed hash is kept
    response = client.post("/cuenta/registro/codigo/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    user.refresh_from_db()
    person.refresh_from_db()
    assert user.is_active and user.role == Role.DERECHOHABIENTE
    assert person.email == "maria.personal@example.org" and person.phone == "+12135550142"
    assert client.get("/portal/").status_code == 200
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"account.registration_start", "account.registration_confirm", "account.login"} <= actions


@pytest.mark.parametrize(("field", "value", "code"), [
    ("nss", "12345678901", "invalid_check_digit"),
    ("curp", "XXXX", "invalid_length"),
    ("rfc", "ABC", "invalid_length"),
    ("email", "maria@", "invalid_format"),
    ("phone", "2135550142", "missing_country_code"),
    ("phone", "+52 55 1234 567", "invalid_mx_length"),
    ("phone", "+1 213 555 014", "invalid_us_length"),
    ("phone", "+1 113 555 0142", "invalid_us_number"),
    ("phone", "+34 612 345 678", "unsupported_country"),
])
def test_each_malformed_field_is_refused_naming_it(consulate_la, field, value, code):
    person = person_on_file(consulate_la)
    with pytest.raises(services.DomainError) as caught:
        services.start_registration(form_data(person, **{field: value}), client_ip="10.0.0.1")
    assert {(e.field, e.code) for e in caught.value.errors} == {(field, code)}
    assert not User.objects.filter(person=person).exists() and mail.outbox == []


def test_mexican_mobile_with_the_old_mobile_one_is_stored_in_e164(consulate_la):
    person = person_on_file(consulate_la)
    row = services.start_registration(form_data(person, phone="+52 1 55 1234 5678"), client_ip="10.0.0.1")
    assert row.phone == "+525512345678"


@pytest.mark.parametrize(("password", "confirm", "expected"), [
    ("corto1", "corto1", "demasiado corta"),
    ("password1234", "password1234", "demasiado común"),
    ("48295730184726", "48295730184726", "completamente numérica"),
    ("maria.personal@example.org", "maria.personal@example.org", "similar"),
    (PASSWORD, PASSWORD + "x", "no coinciden"),
])
def test_weak_or_mismatched_passwords_are_refused(client, consulate_la, password, confirm, expected):
    person = person_on_file(consulate_la)
    response = client.post("/cuenta/registro/", form_data(person, password=password, password_confirm=confirm))
    assert response.status_code == 422
    assert expected in response.content.decode()
    assert not User.objects.filter(person=person).exists()


def test_wrong_code_counts_and_the_fifth_wrong_code_spends_it(client, consulate_la):
    person = person_on_file(consulate_la)
    client.post("/cuenta/registro/", form_data(person))
    right = code_in(mail.outbox[0])
    wrong = "000000" if right != "000000" else "111111"
    for attempt in range(1, 5):
        response = client.post("/cuenta/registro/codigo/", {"code": wrong})
        assert response.status_code == 422 and "El código no es correcto." in response.content.decode()
        assert VerificationCode.objects.get().attempts == attempt
    response = client.post("/cuenta/registro/codigo/", {"code": wrong})
    assert "Demasiados intentos con este código" in response.content.decode()
    response = client.post("/cuenta/registro/codigo/", {"code": right})  # even the right one, now
    assert response.status_code == 422 and "Demasiados intentos con este código" in response.content.decode()
    assert not User.objects.get(person=person).is_active


def test_an_expired_code_is_refused(client, consulate_la):
    person = person_on_file(consulate_la)
    client.post("/cuenta/registro/", form_data(person))
    VerificationCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post("/cuenta/registro/codigo/", {"code": code_in(mail.outbox[0])})
    assert response.status_code == 422 and "El código venció" in response.content.decode()
    assert not User.objects.get(person=person).is_active


def test_a_code_lives_fifteen_minutes():
    assert services.CODE_LIFETIME == timedelta(minutes=15) and services.CODE_ATTEMPTS == 5


def _answer(client, data) -> tuple[int, str, int, str]:
    first = client.post("/cuenta/registro/", data)
    page = client.get("/cuenta/registro/codigo/")
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())
    wrong = client.post("/cuenta/registro/codigo/", {"code": "999999"})
    wrong_body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", wrong.content.decode())
    return first.status_code, first.get("Location"), page.status_code, body, wrong.status_code, wrong_body


def test_no_answer_tells_whether_an_nss_is_on_file(consulate_la):
    """Existing NSS with an account, a wrong NSS, and a right NSS: the same status and the same page."""
    from django.test import Client

    registered = person_on_file(consulate_la)
    owner = make_user(Role.DERECHOHABIENTE, person=registered)
    owner.email = "titular@example.org"
    owner.save()
    free = person_on_file(consulate_la)
    stranger = person_on_file(consulate_la)
    stranger_data = form_data(stranger, email="c@example.org")
    stranger.delete()  # a valid NSS/CURP/RFC that nobody on file has

    answers = [
        _answer(Client(), form_data(registered, email="a@example.org")),
        _answer(Client(), stranger_data),
        _answer(Client(), form_data(free, email="b@example.org")),
    ]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 302 and "Si los datos coinciden con nuestros registros" in answers[0][3]
    # One message each to the typed address (no timing oracle); only the right NSS got a code. The two
    # refusals read the same, and the owner of the existing account was told, in Bcc of that message.
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["c@example.org"], ["b@example.org"]]
    warning, refusal = mail.outbox[0], mail.outbox[1]
    assert warning.bcc == ["titular@example.org"] and refusal.bcc == []
    stamp = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
    assert stamp.sub("", warning.body) == stamp.sub("", refusal.body) and "no pudimos crearla" in warning.body
    assert not re.search(r"\b\d{6}\b", warning.body)
    assert User.objects.filter(person=registered).get().pk == owner.pk  # untouched
    assert list(User.objects.filter(email="a@example.org")) == []


def test_an_email_already_in_use_gets_the_same_answer_and_its_owner_is_told(client, consulate_la):
    other = make_user(Role.DERECHOHABIENTE, username="usada@example.org", person=person_on_file(consulate_la))
    other.email = "usada@example.org"
    other.save()
    person = person_on_file(consulate_la)
    response = client.post("/cuenta/registro/", form_data(person, email="usada@example.org"))
    assert response.status_code == 302
    assert not User.objects.filter(person=person).exists()
    assert [m.to for m in mail.outbox] == [["usada@example.org"]]


def test_registration_is_throttled_per_address_and_per_nss(consulate_la):
    person = person_on_file(consulate_la)
    for number in range(services.REGISTRATION_LIMIT_PER_NSS):
        services.start_registration(form_data(person, email=f"p{number}@example.org"), client_ip=f"10.0.0.{number}")
    with pytest.raises(services.DomainError) as caught:
        services.start_registration(form_data(person, email="late@example.org"), client_ip="10.9.9.9")
    assert caught.value.errors[0].code == "throttled"
    others = [person_on_file(consulate_la) for _ in range(services.REGISTRATION_LIMIT_PER_ADDRESS)]
    for number, other in enumerate(others[:-1]):
        services.start_registration(form_data(other, email=f"o{number}@example.org"), client_ip="10.1.1.1")
    services.start_registration(form_data(others[-1], email="last@example.org"), client_ip="10.1.1.1")
    with pytest.raises(services.DomainError) as caught:
        services.start_registration(form_data(person_on_file(consulate_la), email="x@example.org"),
                                    client_ip="10.1.1.1")
    assert caught.value.errors[0].code == "throttled"


def test_a_second_registration_before_the_code_replaces_the_first(client, consulate_la):
    person = person_on_file(consulate_la)
    client.post("/cuenta/registro/", form_data(person))
    client.post("/cuenta/registro/", form_data(person, email="otra@example.org"))
    user = User.objects.get(person=person)
    assert user.username == "otra@example.org" and not user.is_active
    response = client.post("/cuenta/registro/codigo/", {"code": code_in(mail.outbox[-1])})
    assert response.status_code == 302
    assert User.objects.get(person=person).is_active


def test_password_reset_answers_the_same_and_sends_a_working_link(client, consulate_la):
    user = make_user(Role.DERECHOHABIENTE, person=person_on_file(consulate_la))
    user.email = "restablecer@example.org"
    user.save()
    known = client.post("/cuenta/contrasena/", {"email": "restablecer@example.org"})
    unknown = client.post("/cuenta/contrasena/", {"email": "nadie@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/cuenta/contrasena/enviada/"
    # one message each: the link to the account, a neutral notice to the unknown address
    assert [m.to for m in mail.outbox] == [["restablecer@example.org"], ["nadie@example.org"]]
    link = re.search(r"https?://[^/]+(/cuenta/contrasena/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "Nopal-Ensenada-4471"
    response = client.post(form_page.redirect_chain[-1][0],
                           {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302 and response["Location"] == "/cuenta/contrasena/lista/"
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert AuditEntry.objects.filter(action="account.password_reset", object_id=str(user.pk)).exists()
