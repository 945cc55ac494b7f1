"""Review 5 of Mi Cuenta security: the code attempt limit under parallel guesses, stale registration codes,
the e-mail change oracle and flooding, one message on every path (no timing oracle), and the client address
behind trusted proxies."""

import re

import pytest
from django.core import mail
from django.test import RequestFactory, override_settings

from tests.conftest import make_person, make_user
from tests.people.test_account_registration import PASSWORD, code_in, form_data, person_on_file
from ventanilla.core.throttling import PublicRateThrottle, client_address
from ventanilla.people import services, throttle
from ventanilla.people.models import Person, Role, User, VerificationCode

pytestmark = pytest.mark.django_db

OTHER_PASSWORD = "Otra-Clave-Segura-991"


def _codes(exc_info) -> list[str]:
    return [error.code for error in exc_info.value.errors]


# 1. The attempt limit holds against parallel guesses

def test_a_stale_read_of_the_attempt_count_does_not_buy_a_sixth_try(consulate_la):
    """Parallel requests each read attempts=0; the others' guesses landed meanwhile. The right code is then
    refused as spent and the count does not pass the limit."""
    person = person_on_file(consulate_la)
    row = services.start_registration(form_data(person), client_ip="10.0.0.9")
    code = code_in(mail.outbox[-1])
    stale = VerificationCode.objects.get(pk=row.pk)
    VerificationCode.objects.filter(pk=row.pk).update(attempts=services.CODE_ATTEMPTS)
    with pytest.raises(services.DomainError) as caught:
        services._check_code(stale, code)
    assert _codes(caught) == ["too_many_attempts"]
    assert VerificationCode.objects.get(pk=row.pk).attempts == services.CODE_ATTEMPTS
    with pytest.raises(services.DomainError):
        services.confirm_registration(row.token, code)
    assert not User.objects.get(person=person).is_active


def test_the_last_attempt_with_the_right_code_still_works(consulate_la):
    person = person_on_file(consulate_la)
    row = services.start_registration(form_data(person), client_ip="10.0.0.9")
    VerificationCode.objects.filter(pk=row.pk).update(attempts=services.CODE_ATTEMPTS - 1)
    user = services.confirm_registration(row.token, code_in(mail.outbox[-1]))
    assert user.is_active and VerificationCode.objects.get(pk=row.pk).attempts == services.CODE_ATTEMPTS


def test_a_code_confirms_once(consulate_la):
    person = person_on_file(consulate_la)
    row = services.start_registration(form_data(person), client_ip="10.0.0.9")
    code = code_in(mail.outbox[-1])
    stale = VerificationCode.objects.get(pk=row.pk)
    services.confirm_registration(row.token, code)
    with pytest.raises(services.DomainError) as caught:
        services._check_code(stale, code)  # a second request that loaded the row before the first spent it
    assert _codes(caught) == ["wrong"]


# 2. Registering again kills the earlier codes; the confirmed row decides the account

def test_an_earlier_registration_code_no_longer_activates(consulate_la):
    person = person_on_file(consulate_la)
    first = services.start_registration(form_data(person, email="first@example.org"), client_ip="10.0.0.7")
    first_code = code_in(mail.outbox[-1])
    second = services.start_registration(
        form_data(person, email="second@example.org", password=OTHER_PASSWORD, password_confirm=OTHER_PASSWORD),
        client_ip="10.0.0.7")
    second_code = code_in(mail.outbox[-1])
    with pytest.raises(services.DomainError) as caught:
        services.confirm_registration(first.token, first_code)
    assert _codes(caught) == ["wrong"]
    assert VerificationCode.objects.get(pk=first.pk).used_at is not None
    user = services.confirm_registration(second.token, second_code)
    user.refresh_from_db()
    person.refresh_from_db()
    assert (user.username, user.email, person.email) == ("second@example.org",) * 3
    assert user.check_password(OTHER_PASSWORD) and not user.check_password(PASSWORD)


def test_an_older_row_is_refused_even_if_it_was_never_marked_used(consulate_la):
    """Rows left from before the fix (not marked used): only the newest one confirms."""
    person = person_on_file(consulate_la)
    first = services.start_registration(form_data(person, email="first@example.org"), client_ip="10.0.0.7")
    first_code = code_in(mail.outbox[-1])
    services.start_registration(form_data(person, email="second@example.org"), client_ip="10.0.0.7")
    VerificationCode.objects.filter(pk=first.pk).update(used_at=None)
    with pytest.raises(services.DomainError):
        services.confirm_registration(first.token, first_code)
    assert not User.objects.get(person=person).is_active


def test_confirmation_takes_username_and_email_from_the_confirmed_row(consulate_la):
    person = person_on_file(consulate_la)
    row = services.start_registration(form_data(person, email="row@example.org"), client_ip="10.0.0.7")
    User.objects.filter(person=person).update(username="changed@example.org", email="changed@example.org")
    user = services.confirm_registration(row.token, code_in(mail.outbox[-1]))
    user.refresh_from_db()
    assert (user.username, user.email) == ("row@example.org", "row@example.org")


# 3. E-mail change: no oracle, no flooding, no crash when the address is taken meanwhile

@pytest.fixture
def citizen(consulate_la):
    return make_user(Role.DERECHOHABIENTE, username="luis@example.org",
                     person=make_person(consulate_la, email="luis@example.org"))


def test_an_address_in_use_gets_the_same_answer_and_a_notice_not_a_code(citizen, consulate_la):
    owner = make_user(Role.DERECHOHABIENTE, "victim@example.org", person=person_on_file(consulate_la))
    row = services.request_email_change(citizen, "victim@example.org")
    assert row.email == "victim@example.org" and row.user_id == citizen.pk  # the same "code sent" answer
    assert [m.to for m in mail.outbox] == [["victim@example.org"]]
    assert not re.search(r"\b\d{6}\b", mail.outbox[0].body)
    with pytest.raises(services.DomainError):
        services.confirm_email_change(citizen, "123456")
    owner.refresh_from_db()
    citizen.refresh_from_db()
    assert (owner.username, citizen.username) == ("victim@example.org", "luis@example.org")


def test_an_address_taken_between_request_and_code_is_a_field_error(citizen, consulate_la):
    services.request_email_change(citizen, "nuevo@example.org")
    code = code_in(mail.outbox[-1])
    make_user(Role.DERECHOHABIENTE, "nuevo@example.org", person=person_on_file(consulate_la))
    with pytest.raises(services.DomainError) as caught:
        services.confirm_email_change(citizen, code)
    assert [(e.field, e.code) for e in caught.value.errors] == [("email", "in_use")]
    citizen.refresh_from_db()
    assert citizen.username == "luis@example.org"
    assert Person.objects.get(pk=citizen.person_id).email == "luis@example.org"


def test_email_change_is_throttled_per_target_address(citizen, consulate_la):
    other = make_user(Role.DERECHOHABIENTE, "ana", person=make_person(consulate_la, email="ana@example.org"))
    for actor in (citizen, other, citizen):
        services.request_email_change(actor, "buzon@example.org")
    with pytest.raises(services.DomainError) as caught:
        services.request_email_change(other, "buzon@example.org")
    assert _codes(caught) == ["throttled"]
    assert len(mail.outbox) == services.MAIL_LIMIT_PER_ADDRESS


def test_email_change_is_throttled_per_account(citizen):
    for number in range(services.EMAIL_CHANGE_LIMIT_PER_ACCOUNT):
        services.request_email_change(citizen, f"target{number}@example.org")
    with pytest.raises(services.DomainError) as caught:
        services.request_email_change(citizen, "target-last@example.org")
    assert _codes(caught) == ["throttled"]
    assert len(mail.outbox) == services.EMAIL_CHANGE_LIMIT_PER_ACCOUNT


# 4. One message on every path (the send's duration cannot tell a match)

def test_every_registration_path_sends_exactly_one_message_to_the_typed_address(consulate_la):
    registered = person_on_file(consulate_la)
    owner = make_user(Role.DERECHOHABIENTE, "titular@example.org", person=registered)
    owner.email = "titular@example.org"
    owner.save()
    stranger = person_on_file(consulate_la)
    stranger_data = form_data(stranger, email="nadie@example.org")
    stranger.delete()
    paths = {
        "new": form_data(person_on_file(consulate_la), email="nueva@example.org"),
        "no_match": stranger_data,
        "already_registered": form_data(registered, email="intruso@example.org"),
        "email_in_use": form_data(person_on_file(consulate_la), email="titular@example.org"),
    }
    for number, (outcome, data) in enumerate(paths.items()):
        sent = len(mail.outbox)
        services.start_registration(data, client_ip=f"10.2.0.{number}")
        assert len(mail.outbox) == sent + 1, outcome
        assert mail.outbox[-1].to == [data["email"]], outcome
    no_match, already = mail.outbox[1], mail.outbox[2]
    # the two refusals read the same to whoever typed the data; the account's owner rides in Bcc
    assert (no_match.subject, no_match.bcc) == (already.subject, [])
    assert already.bcc == ["titular@example.org"] and not re.search(r"\b\d{6}\b", already.body)


def test_password_reset_sends_one_message_whether_or_not_an_account_has_the_address(client, consulate_la):
    user = make_user(Role.DERECHOHABIENTE, person=person_on_file(consulate_la))
    user.email = "restablecer@example.org"
    user.save()
    twin = make_user(Role.DERECHOHABIENTE, person=person_on_file(consulate_la))
    twin.email = "restablecer@example.org"  # two accounts with one address still get one message
    twin.save()
    for address in ("restablecer@example.org", "nadie@example.org"):
        sent = len(mail.outbox)
        response = client.post("/cuenta/contrasena/", {"email": address})
        assert response.status_code == 302
        assert len(mail.outbox) == sent + 1 and mail.outbox[-1].to == [address]
    assert "/cuenta/contrasena/" in mail.outbox[0].body and "/cuenta/contrasena/" not in mail.outbox[1].body
    assert "no hay ninguna cuenta activa" in mail.outbox[1].body


def test_password_reset_is_throttled_per_target_address(client):
    for number in range(services.MAIL_LIMIT_PER_ADDRESS):
        response = client.post("/cuenta/contrasena/", {"email": "buzon@example.org"},
                               REMOTE_ADDR=f"10.3.0.{number}")
        assert response.status_code == 302
    response = client.post("/cuenta/contrasena/", {"email": "buzon@example.org"}, REMOTE_ADDR="10.3.0.99")
    assert response.status_code == 429
    assert len(mail.outbox) == services.MAIL_LIMIT_PER_ADDRESS


# 5. One client-address resolver, proxy aware

def _request(remote: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_a_forged_forwarded_header_is_ignored():
    request = _request("203.0.113.5", "1.1.1.1")
    assert client_address(request) == throttle.client_ip(request) == "203.0.113.5"


@override_settings(NINJA_NUM_PROXIES=1)
def test_behind_one_proxy_the_address_it_appended_is_the_client():
    request = _request("10.0.0.1", "6.6.6.6, 198.51.100.7")  # 6.6.6.6 typed by the client, the proxy added .7
    assert throttle.client_ip(request) == client_address(request) == "198.51.100.7"
    assert PublicRateThrottle().get_ident(request) == "198.51.100.7"
    assert throttle.client_ip(_request("10.0.0.1")) == "10.0.0.1"  # straight to the app: the socket's address


@override_settings(NINJA_NUM_PROXIES=1)
def test_behind_a_proxy_one_client_s_failures_do_not_lock_the_others(client, settings):
    """Every request arrives from the proxy (10.0.0.1): the counters must key on the client it names."""
    from django.urls import reverse

    from tests.conftest import PASSWORD as RIGHT

    user = make_user(Role.IMSS_STAFF, "lucia")
    login_url = reverse(settings.LOGIN_URL)
    for number in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(login_url, {"username": f"guess{number}", "password": "mal"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert throttle.is_locked("anyone", "198.51.100.7")
    response = client.post(login_url, {"username": user.username, "password": RIGHT},
                           REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert response.status_code == 302 and "Demasiados" not in response.content.decode()


def test_counters_count_each_value_once_per_hit():
    throttle.count("probe", ["a", "", "a"], 60)
    assert throttle.over_limit("probe", ["a"], 2) and not throttle.over_limit("probe", ["a"], 3)
    assert not throttle.over_limit("probe", [""], 1)
