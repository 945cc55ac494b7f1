"""A bearer token's last use is kept to the minute: a read within the minute writes nothing (the HTTP load
bench found an UPDATE and a commit on every API read), a read after it moves last_used_at."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import make_user
from ventanilla.people.models import ApiToken, Role
from ventanilla.people.services import issue_api_token

pytestmark = pytest.mark.django_db


def test_last_used_at_moves_at_most_once_a_minute(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    token, secret = issue_api_token(None, officer, "integration")
    client = Client()

    def me():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/people/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
        return [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "people_apitoken"')]

    assert len(me()) == 1  # never used: recorded
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    assert me() == []  # within the minute: no write
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    assert len(me()) == 1
    assert ApiToken.objects.get(pk=token.pk).last_used_at > first
