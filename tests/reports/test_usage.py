"""The portal usage middleware: portal users only, one row per user and day, database writes throttled."""

import io
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
    assert cache.get(key)["requests"] == 4
    pending = cache.get(key)
    pending["written_at"] -= timedelta(minutes=2)  # as if the last write were two minutes ago
    cache.set(key, pending)
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
