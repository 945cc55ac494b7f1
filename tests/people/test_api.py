import json

import pytest
from django.test import Client

from tests.conftest import make_user, valid_person_payload
from ventanilla.core.models import AuditEntry, IdempotencyRecord
from ventanilla.people.models import Person, Role
from ventanilla.people.services import issue_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(consulate_la):
    client = Client()
    client.force_login(make_user(Role.CONSULAR_OFFICER, consulate=consulate_la))
    return client


def post(client, payload, key=None, **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/v1/people", data=json.dumps(payload), content_type="application/json",
                       **headers, **extra)


def test_register_person_through_the_api(officer_client):
    payload = valid_person_payload(seed=21)
    response = post(officer_client, payload)
    assert response.status_code == 201
    body = response.json()
    assert body["curp"] == payload["curp"] and body["consulate"] == "US-LOS-ANGELES"
    assert Person.objects.filter(curp=payload["curp"]).exists()


def test_invalid_fields_get_422_with_field_code_and_message_in_the_user_language(officer_client):
    payload = valid_person_payload(seed=22, curp="BOXW310820HNERXN08")
    spanish = post(officer_client, payload).json()["errors"]
    english = post(officer_client, payload, HTTP_ACCEPT_LANGUAGE="en").json()["errors"]
    assert spanish == [{"field": "curp", "code": "invalid_check_digit",
                        "message": "El dígito verificador de la CURP no corresponde."}]
    assert english[0]["field"] == "curp" and "check digit" in english[0]["message"]


def test_unknown_and_missing_keys_are_named(officer_client):
    payload = valid_person_payload(seed=23)
    del payload["curp"]
    payload["favourite_colour"] = "verde"
    errors = {e["field"]: e["code"] for e in post(officer_client, payload).json()["errors"]}
    assert errors == {"curp": "required", "favourite_colour": "unknown_field"}


def test_idempotency_key_replays_the_first_answer(officer_client):
    payload = valid_person_payload(seed=24)
    first = post(officer_client, payload, key="alta-0001")
    again = post(officer_client, payload, key="alta-0001")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert Person.objects.filter(curp=payload["curp"]).count() == 1
    assert AuditEntry.objects.filter(action="person.register").count() == 1


def test_same_key_with_another_body_is_a_409(officer_client):
    post(officer_client, valid_person_payload(seed=25), key="alta-0002")
    response = post(officer_client, valid_person_payload(seed=26), key="alta-0002")
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "idempotency_key_reused"
    assert Person.objects.count() == 1


def test_idempotency_is_enforced_by_a_unique_constraint(db):
    from django.db import IntegrityError, transaction

    IdempotencyRecord.objects.create(key="k", scope="s", request_hash="h", status_code=201, response_body={})
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyRecord.objects.create(key="k", scope="s", request_hash="h2", status_code=201, response_body={})


def test_a_refused_request_is_not_remembered_under_its_key(officer_client):
    payload = valid_person_payload(seed=27, nss="92919084432")
    assert post(officer_client, payload, key="alta-0003").status_code == 422
    payload["nss"] = ""
    assert post(officer_client, payload, key="alta-0003").status_code == 201


def test_bearer_token_authenticates_and_revoked_token_does_not(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    token, secret = issue_api_token(None, officer, "integration")
    client = Client()
    me = client.get("/api/v1/people/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.status_code == 200 and me.json()["role"] == "consular_officer"
    assert post(client, valid_person_payload(seed=28), HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 201
    revoke_api_token(None, token)
    assert client.get("/api/v1/people/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert token.digest != secret and secret not in json.dumps(list(AuditEntry.objects.values("after")))


def test_session_writes_need_the_csrf_token(consulate_la):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(Role.CONSULAR_OFFICER, consulate=consulate_la))
    assert post(client, valid_person_payload(seed=29)).status_code == 403
    assert Person.objects.count() == 0


def test_api_token_command_issues_and_revokes(consulate_la):
    from io import StringIO

    from django.core.management import call_command

    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    out = StringIO()
    call_command("api_token", officer.username, "--name", "sistema-consular", stdout=out)
    secret = out.getvalue().strip()
    client = Client()
    assert client.get("/api/v1/people/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    call_command("api_token", officer.username, "--revoke", secret[:8], stdout=StringIO())
    assert client.get("/api/v1/people/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
