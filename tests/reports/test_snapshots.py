"""Precomputed indicator tables (issue 6, "Speed"): `ventanilla report refresh` stores each indicator's default
views and indicators.compute serves them; a snapshot equals the live computation on the hand-built data sets
of the indicator tests (every indicator, national and one consulate, both languages), a stale one is ignored,
an officer only ever reads their own consulate's, the refresh replaces the whole set at once (and is idempotent),
and the page, exports and API say when and how the figures were computed."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests.conftest import make_user
from tests.reports import test_indicators_imss, test_indicators_infonavit, test_indicators_mi_cuenta
from ventanilla.core.models import AuditEntry
from ventanilla.people.models import MEXICAN_STATES, Role
from ventanilla.people.services import system_account
from ventanilla.reports import indicators, snapshots
from ventanilla.reports.indicators import Filters, Indicator, compute, register
from ventanilla.reports.models import IndicatorSnapshot
from ventanilla.reports.services import refresh_snapshots

pytestmark = pytest.mark.django_db

# The indicator tests' data sets, under names of their own (each module calls its fixture `data`; pytest names an
# undecorated-name fixture after the attribute it is found under).
imss_world = test_indicators_imss.data
infonavit_world = test_indicators_infonavit.data
mi_cuenta_world = test_indicators_mi_cuenta.data


def _cells(table) -> list[list[tuple]]:
    """Rows with each cell's type and text: Decimal("1.50") must not come back as Decimal("1.5") or a float."""
    return [[(key, type(value).__name__, str(value)) for key, value in row.items()] for row in table.rows]


def _same(served, live) -> None:
    assert served.indicator == live.indicator and served.title == live.title
    assert [(c.key, str(c.label), c.kind) for c in served.columns] == [(c.key, str(c.label), c.kind)
                                                                         for c in live.columns]
    assert _cells(served) == _cells(live)
    assert served.suppressed == live.suppressed and served.notes == live.notes


def test_every_snapshot_equals_the_live_figures_national_and_one_consulate_in_both_languages(
        imss_world, infonavit_world, mi_cuenta_world, consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)  # before the refresh: its consulate counts
    supervisor = make_user(Role.SUPERVISOR)
    summary = refresh_snapshots(system_account())
    precomputed = [i for i in indicators.indicators_for() if i.precompute]
    assert summary["indicators"] == [i.name for i in precomputed] and len(precomputed) >= 15
    views = [(lang, indicator, user) for lang in ("es", "en") for indicator in precomputed
             for user in (supervisor, officer)]  # the officer's view is Los Angeles' (forced)
    served = []
    for lang, indicator, user in views:
        with translation.override(lang):
            served.append(compute(user, indicator.name, Filters()))
    assert all(table.precomputed for table in served)
    assert IndicatorSnapshot.objects.count() == summary["snapshots"]
    IndicatorSnapshot.objects.all().delete()
    non_empty = 0
    for (lang, indicator, user), table in zip(views, served, strict=True):
        with translation.override(lang):  # a live column label is lazy: compared in the same language
            live = compute(user, indicator.name, Filters())
            _same(table, live)
        assert not live.precomputed or indicator.name == "infonavit_window_payments"
        non_empty += bool(live.rows)
    assert non_empty >= 20  # the data sets fill most tables: equal empty tables would prove little


def test_decimals_dates_and_key_order_round_trip_exactly():
    table = indicators.Table("x", "X", [indicators.Column("a", "A", "money")],
                             [{"z": Decimal("1.50"), "a": date(2025, 3, 1), "m": None, "n": 7, "t": "MN"}],
                             computed_at=indicators.timezone.now(), suppressed=2, notes=["n1"])
    back = snapshots.load_table(snapshots.dump_table(table))
    assert _cells(back) == _cells(table) and list(back.rows[0]) == ["z", "a", "m", "n", "t"]
    assert back.computed_at == table.computed_at and back.precomputed and not table.precomputed


def test_the_key_names_every_filter_and_the_language():
    keys = {snapshots.snapshot_key(f, lang) for f in (Filters(), Filters(state="MN"), Filters(consulate=1),
                                                     Filters(start=date(2025, 1, 1)), Filters(end=date(2025, 1, 31)))
            for lang in ("es", "en")}
    assert len(keys) == 10


def test_a_stale_snapshot_is_ignored(imss_world):
    supervisor = make_user(Role.SUPERVISOR)
    refresh_snapshots(system_account(), ["imss_affiliations_by_sex"])
    snapshot = IndicatorSnapshot.objects.get(indicator="imss_affiliations_by_sex",
                                             key=snapshots.snapshot_key(Filters(), "es"))
    snapshot.table["rows"] = [[["sex", "Q"], ["affiliations", 99]]]  # tampered: proves which one is served
    snapshot.save()
    served = compute(supervisor, "imss_affiliations_by_sex", Filters())
    assert served.precomputed and served.rows == [{"sex": "Q", "affiliations": 99}]
    IndicatorSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=indicators.timezone.now() - snapshots.MAX_AGE - timedelta(minutes=1))
    live = compute(supervisor, "imss_affiliations_by_sex", Filters())
    assert not live.precomputed and live.rows != served.rows
    IndicatorSnapshot.objects.all().delete()
    assert _cells(compute(supervisor, "imss_affiliations_by_sex", Filters())) == _cells(live)


def test_an_officer_never_reads_another_consulates_snapshot(imss_world, consulate_la, consulate_chicago):
    la_officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago)
    refresh_snapshots(system_account(), ["imss_affiliations_by_consulate"])
    for consulate, code in ((None, "NATIONAL"), (consulate_chicago.pk, "CHICAGO")):
        snapshot = IndicatorSnapshot.objects.get(indicator="imss_affiliations_by_consulate",
                                                 key=snapshots.snapshot_key(Filters(consulate=consulate), "es"))
        snapshot.table["rows"] = [[["code", code], ["name", code], ["affiliations", 99]]]
        snapshot.save()
    for asked in (Filters(), Filters(consulate=consulate_chicago.pk), Filters(consulate=consulate_la.pk)):
        table = compute(la_officer, "imss_affiliations_by_consulate", asked)
        assert table.precomputed and [r["code"] for r in table.rows] == ["US-LOS-ANGELES"], asked
    supervisor = make_user(Role.SUPERVISOR)
    assert compute(supervisor, "imss_affiliations_by_consulate", Filters()).rows[0]["code"] == "NATIONAL"


def test_one_place_is_precomputed_a_date_range_or_two_places_are_live(imss_world, consulate_la):
    supervisor = make_user(Role.SUPERVISOR)
    refresh_snapshots(system_account(), ["imss_affiliations_by_month"])
    table = compute(supervisor, "imss_affiliations_by_month", Filters(start=date(2025, 4, 1)))
    assert not table.precomputed and table.rows == [] and table.suppressed == 1  # April: the Michoacán man
    for precomputed in (Filters(), Filters(state="JC"), Filters(consulate=consulate_la.pk)):
        assert compute(supervisor, "imss_affiliations_by_month", precomputed).precomputed
    assert not compute(supervisor, "imss_affiliations_by_month", Filters(state="JC", consulate=consulate_la.pk)
                       ).precomputed


class Failing(Indicator):
    name = "test_failing_snapshot"
    title = "failing"
    domain = "test"

    def compute(self, scope, filters):
        raise RuntimeError("the database went away")


@pytest.fixture
def failing_indicator():
    register(Failing)
    yield indicators.REGISTRY["test_failing_snapshot"]
    del indicators.REGISTRY["test_failing_snapshot"]


def test_refresh_is_idempotent_audited_and_replaces_the_set_at_once(imss_world, consulate_la, failing_indicator):
    make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    names = ["imss_affiliations_by_consulate", "imss_coverage_in_force"]
    first = refresh_snapshots(system_account(), names)
    keys = set(IndicatorSnapshot.objects.values_list("indicator", "key"))
    ids = set(IndicatorSnapshot.objects.values_list("pk", flat=True))
    # National, Los Angeles and Chicago (their persons), each state; two languages, two indicators (their dated
    # views are month rows: nationally and per state, every month since the first data, at least 24).
    expected = 2 * (1 + 2 + len(MEXICAN_STATES)) * 2
    assert first["snapshots"] == len(keys) == expected and first["replaced"] == 0
    assert first["months"] >= snapshots.PRECOMPUTED_MONTHS
    assert first["monthly_rows"] == 2 * (1 + len(MEXICAN_STATES)) * first["months"]
    second = refresh_snapshots(system_account(), names)
    assert second["replaced"] == expected and set(IndicatorSnapshot.objects.values_list("indicator", "key")) == keys
    assert not ids & set(IndicatorSnapshot.objects.values_list("pk", flat=True))  # every row is new
    audits = AuditEntry.objects.filter(action="reports.snapshots_refreshed").order_by("pk")
    assert [a.after["snapshots"] for a in audits] == [expected, expected] and audits[0].actor == system_account()
    kept = set(IndicatorSnapshot.objects.values_list("pk", flat=True))
    with pytest.raises(RuntimeError):
        refresh_snapshots(system_account(), [*names, "test_failing_snapshot"])
    assert set(IndicatorSnapshot.objects.values_list("pk", flat=True)) == kept  # the old set, whole
    assert audits.count() == 2


def test_refresh_needs_an_administrator_or_supervisor(imss_world, consulate_la):
    from ventanilla.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        refresh_snapshots(make_user(Role.CONSULAR_OFFICER, consulate=consulate_la), ["imss_affiliations_by_sex"])
    assert not IndicatorSnapshot.objects.exists()


def test_the_command_refreshes_and_prints_what_it_did(imss_world):
    out = io.StringIO()
    call_command("report", "refresh", "--indicator", "imss_affiliations_by_sex", stdout=out)
    views = 1 + 2 + len(MEXICAN_STATES)  # national, Los Angeles and Chicago, each state
    assert f"Snapshots: {2 * views} tables (1 indicators, {views} views x 2 languages)" in out.getvalue()
    assert IndicatorSnapshot.objects.filter(indicator="imss_affiliations_by_sex").count() == 2 * views


def test_page_exports_and_api_say_when_and_how_the_figures_were_computed(imss_world):
    client = Client()
    client.force_login(make_user(Role.SUPERVISOR))
    before = client.get("/api/v1/reports/imss_affiliations_by_sex").json()
    assert before["precomputed"] is False and before["computed_at"]
    refresh_snapshots(system_account(), ["imss_affiliations_by_sex"])
    after = client.get("/api/v1/reports/imss_affiliations_by_sex").json()
    snapshot = IndicatorSnapshot.objects.get(indicator="imss_affiliations_by_sex",
                                             key=snapshots.snapshot_key(Filters(), "es"))
    assert after["precomputed"] is True and after["rows"] == before["rows"]
    served_at = datetime.fromisoformat(after["computed_at"])  # JSON keeps milliseconds
    assert abs(served_at - datetime.fromisoformat(snapshot.table["computed_at"])) < timedelta(milliseconds=1)
    when = indicators.timezone.localtime(snapshot.computed_at).strftime("%Y-%m-%d %H:%M")
    page = client.get("/tablero/imss/").content.decode()
    assert f"Cifras calculadas el {when} (precalculadas" in page
    lines = list(csv.reader(io.StringIO(client.get("/tablero/imss_affiliations_by_sex.csv").content
                                        .decode("utf-8-sig"))))
    assert lines[-2] == [] and lines[-1][0].startswith(f"Cifras calculadas el {when} (precalculadas")
    live_csv = client.get("/tablero/imss_affiliations_by_sex.csv",  # a consulate's date range: live
                          {"start": "2025-01", "consulate": imss_world["la"][0].consulate_id}).content.decode("utf-8-sig")
    assert "(en vivo" in live_csv
    with translation.override("en"):
        english = client.get("/tablero/imss/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Figures computed on" in english and "precomputed by the batch job" in english
