"""The portal usage middleware: portal users only, one row per user and day, database writes throttled."""

import io
import os
import uuid
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.conftest import make_person, make_user
from ventanilla.people.models import Role
from ventanilla.reports.middleware import pending_key
from ventanilla.reports.models import PortalDay, PortalServiceUse
from ventanilla.reports.services import forget_usage_before


@pytest.fixture
def citizen(db, consulate_la):
    return make_user(Role.DERECHOHABIENTE, person=make_person(consulate_la))


def test_a_burst_of_requests_writes_once_then_once_a_minute(client, citizen):
    client.force_login(citizen)
    for _ in range(5):
        assert client.get("/portal/").status_code == 200
    visit = PortalDay.objects.get(user=citizen)
    assert visit.requests == 1  # the first request wrote; the other 4 wait in the cache
    key = pending_key(citizen.pk, visit.day)
    assert cache.get(key) == {"requests": 4, "service:web:portal": 4}
    cache.delete(f"{key}:written")  # the claim expired: as if the last write were two minutes ago
    client.get("/portal/")
    visit.refresh_from_db()
    assert visit.requests == 6 and visit.last_seen >= visit.first_seen
    assert visit.active_seconds == int((visit.last_seen - visit.first_seen).total_seconds())
    assert PortalServiceUse.objects.get(visit=visit).service == "web:portal"
    assert PortalServiceUse.objects.get(visit=visit).requests == 6


def test_anonymous_and_staff_requests_are_not_portal_use(client, db, consulate_la):
    client.get("/")
    client.get("/entrar/")
    for role in (Role.IMSS_STAFF, Role.CONSULAR_OFFICER, Role.SUPERVISOR):
        user = make_user(role, consulate=consulate_la if role == Role.CONSULAR_OFFICER else None)
        client.force_login(user)
        client.get("/")
    assert PortalDay.objects.count() == 0


def test_retention_deletes_old_days(client, citizen):
    client.force_login(citizen)
    client.get("/portal/")
    today = timezone.localdate()
    assert forget_usage_before(None, today) == 0
    assert forget_usage_before(None, today + timedelta(days=1)) == 1
    assert PortalDay.objects.count() == 0 and PortalServiceUse.objects.count() == 0


def test_the_retention_command_deletes_only_days_older_than_the_retention(citizen):
    from django.core.management import call_command

    from ventanilla.core.models import AuditEntry
    from ventanilla.reports.models import USAGE_RETENTION_DAYS

    today = timezone.localdate()
    now = timezone.now()
    for age in (USAGE_RETENTION_DAYS + 1, USAGE_RETENTION_DAYS - 1):
        PortalDay.objects.create(user=citizen, day=today - timedelta(days=age), first_seen=now, last_seen=now)
    call_command("forget_usage", stdout=io.StringIO())
    assert list(PortalDay.objects.values_list("day", flat=True)) == [today - timedelta(days=USAGE_RETENTION_DAYS - 1)]
    assert AuditEntry.objects.filter(action="reports.usage_forgotten").count() == 1


def test_on_redis_one_round_trip_counts_and_concurrent_requests_lose_nothing(citizen):
    """The production path: the default cache on Redis (core.cache), counts added by one Lua script (HINCRBY,
    and the claim by SET NX), taken atomically. Two threads counting at once lose nothing (the memory cache's
    read-modify-write could)."""
    import threading

    import redis
    from django.core.cache import caches
    from django.test import override_settings

    from ventanilla.reports import middleware

    location = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(location, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"no Redis at {location}")
    redis_cache = {"default": {"BACKEND": "ventanilla.core.cache.RedisCache", "LOCATION": location,
                               "KEY_PREFIX": f"test-usage-{uuid.uuid4().hex}"}}
    now = timezone.now()
    key = middleware.pending_key(citizen.pk, timezone.localdate(now))
    with override_settings(CACHES=redis_cache):
        backend = caches["default"]
        stored = backend._cache.get_client().hgetall  # what Redis itself holds under the key
        try:
            assert middleware.note_request(citizen.pk, "infonavit:statement", now)  # the day's first: written
            threads = [threading.Thread(target=lambda: [middleware.note_request(citizen.pk, "infonavit:statement",
                                                                                now) for _ in range(50)])
                       for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert stored(backend.make_and_validate_key(key)) == {b"requests": b"200",
                                                                   b"service:infonavit:statement": b"200"}
            assert PortalDay.objects.get(user=citizen).requests == 1
            backend.delete(f"{key}:written")  # a minute later
            assert middleware.note_request(citizen.pk, "web:portal", now + timedelta(minutes=1))
            visit = PortalDay.objects.get(user=citizen)
            assert visit.requests == 1 + 200 + 1 and not stored(backend.make_and_validate_key(key))
            assert dict(PortalServiceUse.objects.filter(visit=visit).values_list("service", "requests")) == {
                "infonavit:statement": 201, "web:portal": 1}
            assert not middleware.note_request(citizen.pk, "web:portal", now)  # claimed for the next minute
        finally:
            backend.delete_many([key, f"{key}:written"])


def test_a_failed_write_is_logged_not_raised_and_its_counts_wait_for_the_next_try(citizen, monkeypatch, caplog):
    """Telemetry never turns the user's answer into an error: the write's failure is logged (the user's id, no
    personal data), its counts go back, and the next write after the claim expires carries them."""
    from ventanilla.reports import middleware

    now = timezone.now()
    key = middleware.pending_key(citizen.pk, timezone.localdate(now))

    def database_down(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(middleware, "record_portal_use", database_down)
    assert middleware.note_request(citizen.pk, "web:portal", now) is False
    assert "portal usage of user" in caplog.text and "database down" in caplog.text
    assert cache.get(key) == {"requests": 1, "service:web:portal": 1} and cache.get(f"{key}:written") == 1
    monkeypatch.undo()
    assert not middleware.note_request(citizen.pk, "web:portal", now)  # still claimed: counted, not written
    cache.delete(f"{key}:written")  # a minute later
    assert middleware.note_request(citizen.pk, "web:portal", now)
    assert PortalDay.objects.get(user=citizen).requests == 3
