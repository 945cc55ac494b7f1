"""Two refreshes of the precomputed figures at once (the nightly `report refresh` and the campaign's) take turns:
the second waits for the first's write transaction, then replaces its set, instead of failing on the unique
(indicator, key) and losing its work (PostgreSQL: core.locks; SQLite has one writer at a time)."""

import threading

import pytest
from django.db import connection, connections

from ventanilla.core.models import AuditEntry
from ventanilla.people.services import system_account
from ventanilla.reports import services
from ventanilla.reports.models import IndicatorSnapshot, MonthlyRows

NAMES = ["imss_affiliations_by_month"]  # has default views and month rows


def _waiting_sessions() -> int:
    """Other sessions of this test database waiting for a lock (the second refresh, once it blocks)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two sessions writing at once: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_both_succeed_one_after_the_other(monkeypatch):
    system = system_account()
    services.refresh_snapshots(system, NAMES)  # a set to replace, as every night
    one_set = (IndicatorSnapshot.objects.count(), MonthlyRows.objects.count())
    assert one_set[0] > 0 and one_set[1] > 0
    real_record, release = services.audit.record, threading.Event()

    def first_holds_its_transaction(*args, **kwargs):
        # The audit entry is written inside the write transaction, after the inserts: the first refresh
        # waits there, its rows written and not committed, until the second one is seen waiting.
        if threading.current_thread().name == "first":
            assert release.wait(120), "the second refresh never waited"
        return real_record(*args, **kwargs)

    monkeypatch.setattr(services.audit, "record", first_holds_its_transaction)
    errors: dict[str, BaseException] = {}

    def refresh(name):
        try:
            services.refresh_snapshots(system, NAMES)
        except BaseException as exc:  # noqa: BLE001 (reported below, in the test's thread)
            errors[name] = exc
        finally:
            connections.close_all()

    first = threading.Thread(target=refresh, args=("first",), name="first")
    first.start()
    second = threading.Thread(target=refresh, args=("second",), name="second")
    for _ in range(1200):  # the first reaches its write transaction, then the second starts and blocks
        if IndicatorSnapshot.objects.count() == one_set[0] and _first_is_writing():
            break
        threading.Event().wait(0.1)
    second.start()
    for _ in range(1200):
        if _waiting_sessions() or not second.is_alive():
            break
        threading.Event().wait(0.1)
    release.set()
    first.join(180)
    second.join(180)
    assert errors == {}
    assert (IndicatorSnapshot.objects.count(), MonthlyRows.objects.count()) == one_set  # one whole set, not two
    assert AuditEntry.objects.filter(action="reports.snapshots_refreshed").count() == 3


def _first_is_writing() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND state = 'idle in transaction' AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db
def test_a_refresh_never_replaces_figures_computed_after_it_began(monkeypatch):
    """The nightly refresh computes for minutes; the campaign's refresh begins later and writes first. When the
    nightly one reaches its write it keeps the newer figures instead of putting its older ones back."""
    from ventanilla.core import locks

    system = system_account()
    real_hold, inner, started = locks.hold_for_transaction, [], []

    def another_refresh_writes_first(key):
        if not started:  # the outer (nightly) refresh, computed and about to write: the campaign's runs now
            started.append(True)
            inner.append(services.refresh_snapshots(system, NAMES))
            inner.append(sorted(IndicatorSnapshot.objects.values_list("pk", "computed_at")))
            inner.append(sorted(MonthlyRows.objects.values_list("pk", "computed_at")))
        real_hold(key)

    monkeypatch.setattr(locks, "hold_for_transaction", another_refresh_writes_first)
    outer = services.refresh_snapshots(system, NAMES)
    assert outer["kept_newer"] == NAMES and inner[0]["kept_newer"] == []
    assert inner[1] and inner[2]
    # The stored figures are the inner refresh's rows, untouched (the old code deleted them for its older ones).
    assert sorted(IndicatorSnapshot.objects.values_list("pk", "computed_at")) == inner[1]
    assert sorted(MonthlyRows.objects.values_list("pk", "computed_at")) == inner[2]
    assert AuditEntry.objects.filter(action="reports.snapshots_refreshed").count() == 2
