"""Date-ranged dashboards, national or of one state, served precomputed (issue 6, "Speed"): `ventanilla report
refresh` stores the stock figures read on the end date (relatives covered, coverage in force) on each of the last
months' ends, whatever the start, and the additive ones (affiliations by consulate/country/month/sex,
contributions collected) as each month's UNSUPPRESSED rows, nationally and for each state (one pass grouped by
state), added for a range and suppressed as the live path does. Served figures equal the live computation on a
hand-built data set (rows, suppression, notes, both languages); an officer never reads month rows; a range
outside the stored months, a stale month, or a consulate is computed live."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from tests.conftest import make_person, make_user
from tests.reports import test_indicators_imss, test_indicators_infonavit
from tests.reports.test_indicators_imss import affiliate, aware, period
from tests.reports.test_snapshots import _same
from ventanilla.imss.models import Affiliation, ContributionPeriod, QuoteBreakdown
from ventanilla.infonavit.models import Credit
from ventanilla.people.models import Person, Role
from ventanilla.people.services import system_account
from ventanilla.reports import snapshots
from ventanilla.reports.indicators import Filters, compute, get_indicator
from ventanilla.reports.models import IndicatorSnapshot, MonthlyRows
from ventanilla.reports.services import refresh_snapshots

pytestmark = pytest.mark.django_db

imss_world = test_indicators_imss.data
infonavit_world = test_indicators_infonavit.data

BY_MONTH = ["persons_by_consulate", "imss_affiliations_by_consulate", "imss_affiliations_by_country", "imss_affiliations_by_month",
            "imss_affiliations_by_sex", "imss_contributions_collected"]
ON_DATE = ["imss_relatives_covered", "imss_coverage_in_force"]  # by_end_month: a stock on the end date
BY_END_MONTH = ["imss_average_sbc"]
RANGES = [(date(2025, 3, 1), date(2025, 6, 30)), (date(2025, 5, 1), date(2025, 6, 30)),
          (date(2025, 2, 1), date(2025, 4, 30)), (date(2025, 4, 1), date(2025, 4, 30)),
          (date(2025, 1, 1), date(2025, 12, 31))]


def months_since(first: date) -> int:
    """How many months the refresh must store for `first` to be the oldest (the data sets are dated 2025)."""
    today = timezone.localdate()
    return (today.year * 12 + today.month) - (first.year * 12 + first.month) + 1


@pytest.fixture
def world(imss_world, consulate_chicago):
    """The IMSS indicators' data set (Los Angeles 5 women in March 2025 and a man in April, Chicago 2 men in
    March) plus Chicago: 3 men enrolled and paid in May, 2 women enrolled and paid in June. Each month alone
    is under 5 people in Chicago; March to June adds up to 7: only added unsuppressed rows show it."""
    breakdown = QuoteBreakdown.objects.get(digest="test-imss-indicators")
    for sex, day, count in (("H", date(2025, 5, 5), 3), ("M", date(2025, 6, 10), 2)):
        for _ in range(count):
            affiliation = affiliate(make_person(consulate_chicago, sex=sex, mx_state="JC"), consulate_chicago,
                                    day, imss_world["clerk"])
            period(affiliation, day.replace(day=1), day.replace(day=28), Decimal("400.00"),
                   Decimal(day.day * 100), ContributionPeriod.Status.PAID, day, breakdown)
    for affiliation in Affiliation.objects.select_related("person"):  # registered the day they enrolled
        Person.objects.filter(pk=affiliation.person_id).update(created_at=aware(affiliation.enrolled_on))
    return imss_world


def _served_then_live(names, ranges, users, states=(None,)):
    """Every (language, indicator, range, state, user) as served now, then live once nothing is stored."""
    views = [(lang, name, Filters(start=start, end=end, state=state), user) for lang in ("es", "en")
             for name in names for start, end in ranges for state in states for user in users]
    served = []
    for lang, name, filters, user in views:
        with translation.override(lang):
            served.append(compute(user, name, filters))
    IndicatorSnapshot.objects.all().delete()
    MonthlyRows.objects.all().delete()
    for (lang, name, filters, user), table in zip(views, served, strict=True):
        with translation.override(lang):  # a live column label is lazy: compared in the same language
            live = compute(user, name, filters)
            assert not live.precomputed
            _same(table, live)
    return served


def test_a_national_range_of_additive_figures_is_added_from_months_and_equals_the_live_one(world):
    supervisor = make_user(Role.SUPERVISOR)
    months = months_since(date(2024, 12, 1))
    summary = refresh_snapshots(system_account(), BY_MONTH, months=months)
    # National and each of the 32 states, every month (a state without rows stores empty months).
    assert summary["monthly_rows"] == len(BY_MONTH) * months * 33 == MonthlyRows.objects.count()
    # March to June: Chicago's 7 (2 + 3 + 2, each month under 5) shown beside Los Angeles' 6.
    table = compute(supervisor, "imss_affiliations_by_consulate", Filters(start=date(2025, 3, 1),
                                                                        end=date(2025, 6, 30)))
    assert table.precomputed and [(r["code"], r["affiliations"]) for r in table.rows] == [
        ("US-CHICAGO", 7), ("US-LOS-ANGELES", 6)]
    persons = compute(supervisor, "persons_by_consulate", Filters(start=date(2025, 3, 1), end=date(2025, 6, 30)))
    assert persons.precomputed and [(r["code"], r["persons"]) for r in persons.rows] == [
        ("US-CHICAGO", 7), ("US-LOS-ANGELES", 6)]
    served = _served_then_live(BY_MONTH, RANGES, [supervisor])
    assert all(table.precomputed for table in served)
    assert sum(bool(t.rows) for t in served) >= 15 and sum(t.suppressed for t in served) >= 10


def test_the_average_base_of_a_range_comes_from_its_end_months_rows_whatever_the_start(world):
    supervisor = make_user(Role.SUPERVISOR)
    refresh_snapshots(system_account(), BY_END_MONTH, months=months_since(date(2025, 3, 1)))
    # March to June: Los Angeles' 6 latest periods (5 in April, the late man's pending May) beside Chicago's 5
    # (May and June; its 2 March men have none); from 2020 the start reaches before the stored months.
    table = compute(supervisor, "imss_average_sbc", Filters(start=date(2025, 3, 1), end=date(2025, 6, 30)))
    assert table.precomputed and [(r["code"], r["affiliations"], str(r["average_sbc"])) for r in table.rows] == [
        ("US-LOS-ANGELES", 6, "407.39"), ("US-CHICAGO", 5, "400.00")]
    served = _served_then_live(BY_END_MONTH, [*RANGES, (None, date(2025, 4, 30)), (date(2020, 1, 1),
                                                                                   date(2025, 5, 31))],
                               [supervisor])
    assert all(table.precomputed for table in served) and sum(bool(t.rows) for t in served) >= 6
    assert sum(t.suppressed for t in served) >= 2
    assert not compute(supervisor, "imss_average_sbc", Filters(end=date(2025, 2, 28))).precomputed  # not stored
    assert not compute(supervisor, "imss_average_sbc", Filters(start=date(2025, 3, 1))).precomputed  # open end


def test_a_stock_read_on_the_end_date_is_precomputed_whatever_the_start(world):
    supervisor = make_user(Role.SUPERVISOR)
    refresh_snapshots(system_account(), ON_DATE, months=months_since(date(2024, 12, 1)))
    served = _served_then_live(ON_DATE, [*RANGES, (None, date(2025, 4, 30))], [supervisor])
    assert all(table.precomputed for table in served) and sum(bool(t.rows) for t in served) >= 4
    refresh_snapshots(system_account(), ["imss_relatives_covered"], months=months_since(date(2024, 12, 1)))
    MonthlyRows.objects.filter(indicator="imss_relatives_covered", state="", month=date(2025, 4, 1)).update(
        rows=snapshots.dump_rows([{"code": "TAMPERED", "name": "T", "workers": 9, "relatives": 9}]))
    # proves the one stored end of April serves every start
    for start in (None, date(2025, 1, 1), date(2025, 4, 1)):
        table = compute(supervisor, "imss_relatives_covered", Filters(start=start, end=date(2025, 4, 30)))
        assert table.precomputed and [r["code"] for r in table.rows] == ["TAMPERED"], start


def test_a_state_range_is_served_from_the_states_months_and_equals_the_live_one(world):
    """Jalisco holds Los Angeles' 5 women and every Chicago man, Michoacán the late man, Aguascalientes nobody:
    each state's rows come from the same pass grouped by state, and equal the state's live figures."""
    supervisor = make_user(Role.SUPERVISOR)
    names = BY_MONTH + ON_DATE + BY_END_MONTH
    summary = refresh_snapshots(system_account(), names, months=months_since(date(2024, 12, 1)))
    assert summary["monthly_rows"] == MonthlyRows.objects.count() == len(names) * 33 * months_since(date(2024, 12, 1))
    # March to June in Jalisco: Chicago's 7 men (each month under 5) and Los Angeles' 5 women; the late man of
    # Michoacán is not among them.
    table = compute(supervisor, "imss_affiliations_by_consulate", Filters(start=date(2025, 3, 1),
                                                                        end=date(2025, 6, 30), state="JC"))
    assert table.precomputed and [(r["code"], r["affiliations"]) for r in table.rows] == [
        ("US-CHICAGO", 7), ("US-LOS-ANGELES", 5)]
    served = _served_then_live(names, RANGES, [supervisor], states=("JC", "MN", "AS"))
    assert all(table.precomputed for table in served)
    assert sum(bool(t.rows) for t in served) >= 20 and sum(t.suppressed for t in served) >= 10


def test_every_month_since_the_first_data_is_stored_so_ranges_reaching_further_back_are_served(world):
    """By default the refresh stores every month since the first data (at least PRECOMPUTED_MONTHS) and marks
    the first: a range starting earlier, with no start, or wholly before the data is served from the stored
    months (the earlier ones have no figures) and equals the live one. A window short of the first data
    (--months N) marks nothing: a range reaching before it is live."""
    from ventanilla.reports.selectors import first_data_month

    supervisor = make_user(Role.SUPERVISOR)
    names = BY_MONTH + ON_DATE + BY_END_MONTH
    first = first_data_month()
    summary = refresh_snapshots(system_account(), names)
    assert summary["history_complete"] and summary["months"] == max(snapshots.PRECOMPUTED_MONTHS, months_since(first))
    assert MonthlyRows.objects.filter(history_starts=True).count() == len(names) * 33
    assert set(MonthlyRows.objects.filter(history_starts=True).values_list("month", flat=True)) == {
        snapshots.recent_months(summary["months"])[0]}
    before = [(date(2020, 1, 1), date(2025, 6, 30)), (None, date(2025, 4, 30)), (date(2019, 1, 1), date(2019, 12, 31))]
    served = _served_then_live(names, before, [supervisor], states=(None, "JC"))
    assert all(table.precomputed for table in served) and sum(bool(t.rows) for t in served) >= 10
    assert not any(t.rows for t in served[4::6])  # 2019: before the data, nothing (each language and name)
    assert not any(t.rows for t in served[5::6])
    refresh_snapshots(system_account(), names, months=months_since(date(2025, 5, 1)))  # May 2025 on: short
    assert not MonthlyRows.objects.filter(history_starts=True).exists()
    assert not compute(supervisor, "imss_affiliations_by_month", Filters(start=date(2025, 3, 1),
                                                                       end=date(2025, 6, 30))).precomputed
    assert compute(supervisor, "imss_affiliations_by_month", Filters(start=date(2025, 5, 1),
                                                                   end=date(2025, 6, 30))).precomputed


def test_a_stock_served_from_last_nights_rows_says_the_day_it_was_read(world):
    """The current month's coverage and relatives are the refresh day's stock: the note says that day, not
    today's (it is within MAX_AGE, so still served)."""
    supervisor = make_user(Role.SUPERVISOR)
    refresh_snapshots(system_account(), ON_DATE, months=1)
    yesterday = timezone.now() - timedelta(hours=25)  # always another calendar day, still within MAX_AGE
    MonthlyRows.objects.update(computed_at=yesterday)
    today = timezone.localdate()
    for name in ON_DATE:
        table = compute(supervisor, name, Filters(start=today, end=today))
        assert table.precomputed and table.computed_at == yesterday
        assert f"Vigentes el {timezone.localdate(yesterday).isoformat()}." in table.notes, table.notes
        live = compute(make_user(Role.CONSULAR_OFFICER, consulate=world["la"][0].consulate), name,
                       Filters(start=today, end=today))
        assert f"Vigentes el {today.isoformat()}." in live.notes and not live.precomputed
    refresh_snapshots(system_account(), ["infonavit_vsm"], months=1)
    MonthlyRows.objects.update(computed_at=yesterday)
    vsm = compute(supervisor, "infonavit_vsm", Filters(start=date(2024, 1, 1), end=today))
    assert vsm.precomputed and (f"Los créditos VSM vigentes son los del {timezone.localdate(yesterday).isoformat()} "
                                "(el periodo no los limita).") in vsm.notes, vsm.notes


def test_an_officer_never_reads_the_national_months(world, consulate_la, consulate_chicago):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    supervisor = make_user(Role.SUPERVISOR)
    refresh_snapshots(system_account(), BY_MONTH + ON_DATE + BY_END_MONTH, months=months_since(date(2024, 12, 1)))
    fake = snapshots.dump_rows([{"code": "NATIONAL", "name": "N", "affiliations": 99}])
    MonthlyRows.objects.filter(indicator="imss_affiliations_by_consulate").update(rows=fake)
    national = compute(supervisor, "imss_affiliations_by_consulate", Filters(start=date(2025, 3, 1),
                                                                           end=date(2025, 4, 30)))
    assert national.precomputed and national.rows == [{"code": "NATIONAL", "name": "N", "affiliations": 198}]
    for asked in (Filters(start=date(2025, 3, 1), end=date(2025, 4, 30)),
                  Filters(start=date(2025, 3, 1), end=date(2025, 4, 30), consulate=consulate_chicago.pk)):
        table = compute(officer, "imss_affiliations_by_consulate", asked)
        assert not table.precomputed and [(r["code"], r["affiliations"]) for r in table.rows] == [
            ("US-LOS-ANGELES", 6)]
    # The officer's ranges equal the live ones for every touched indicator (their consulate, computed live).
    served = _served_then_live(BY_MONTH + ON_DATE + BY_END_MONTH, RANGES[:2], [officer])
    assert not any(table.precomputed for table in served)


def test_a_range_outside_the_stored_months_a_stale_month_or_a_consulate_is_live(world, consulate_la):
    supervisor = make_user(Role.SUPERVISOR)
    name = "imss_affiliations_by_month"
    refresh_snapshots(system_account(), [name], months=months_since(date(2025, 3, 1)))  # March 2025 the oldest
    inside = Filters(start=date(2025, 3, 1), end=date(2025, 6, 30))
    assert compute(supervisor, name, inside).precomputed
    assert compute(supervisor, name, Filters(start=date(2025, 3, 1), end=date(2025, 6, 30), state="JC")).precomputed
    for outside in (Filters(start=date(2025, 2, 1), end=date(2025, 6, 30)), Filters(start=date(2025, 3, 1)),
                    Filters(end=date(2025, 6, 30)), Filters(start=date(2025, 3, 1), end=date(2025, 6, 30),
                                                            state="JC", consulate=consulate_la.pk)):
        assert not compute(supervisor, name, outside).precomputed, outside
    MonthlyRows.objects.filter(month=date(2025, 4, 1)).update(
        computed_at=timezone.now() - snapshots.MAX_AGE - timedelta(minutes=1))
    assert not compute(supervisor, name, inside).precomputed  # one stale month: the whole range is live
    assert compute(supervisor, name, Filters(start=date(2025, 5, 1), end=date(2025, 6, 30))).precomputed
    refresh_snapshots(system_account(), [name], months=0)  # no months stored: every range is live
    assert not MonthlyRows.objects.exists() and not compute(supervisor, name, inside).precomputed
    on_date = "imss_coverage_in_force"
    refresh_snapshots(system_account(), [on_date], months=months_since(date(2025, 3, 1)))
    assert compute(supervisor, on_date, Filters(start=date(2024, 1, 1), end=date(2025, 3, 31))).precomputed
    assert not compute(supervisor, on_date, Filters(end=date(2025, 2, 28))).precomputed  # before the months


def test_vsm_credits_left_are_stored_and_a_national_range_adds_its_conversions_live(infonavit_world,
                                                                                    consulate_la, consulate_chicago):
    """Michoacán: Los Angeles' 5 credits in VSM, converted (RC) in March 2024, and Chicago's 5."""
    vsm = [c.pk for c in infonavit_world["la"]] + list(Credit.objects.filter(
        borrower__consulate=consulate_chicago).values_list("pk", flat=True))
    Credit.objects.filter(pk__in=vsm).update(denomination="vsm", amount_lent_vsm=Decimal("100"))
    supervisor = make_user(Role.SUPERVISOR)
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    refresh_snapshots(system_account(), ["infonavit_vsm"], months=1)
    ranges = [(date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), None), (None, date(2024, 2, 29)),
              (date(2020, 1, 1), date(2026, 11, 30))]
    served = _served_then_live(["infonavit_vsm"], ranges, [supervisor])
    assert all(t.precomputed for t in served) and [r["vsm_left"] for t in served for r in t.rows] == [10] * 8
    assert not any(t.precomputed for t in _served_then_live(["infonavit_vsm"], ranges, [officer]))
    refresh_snapshots(system_account(), ["infonavit_vsm"], months=1)
    (stored,) = MonthlyRows.objects.filter(indicator="infonavit_vsm", state="")
    stored.rows = snapshots.dump_rows([{"state": "MN", "credits": 40, "people": 40}])  # proves what is read
    stored.save()
    for (start, end), converted in zip(ranges, (5, 0, 0, 5), strict=True):
        table = compute(supervisor, "infonavit_vsm", Filters(start=start, end=end))
        assert table.precomputed and [(r["state"], r["vsm_left"], r["converted"]) for r in table.rows] == [
            ("MN", 40, converted)], (start, end)
    MonthlyRows.objects.update(computed_at=timezone.now() - snapshots.MAX_AGE - timedelta(minutes=1))
    assert not compute(supervisor, "infonavit_vsm", Filters(start=date(2024, 1, 1))).precomputed


def test_only_additive_indicators_are_stored_by_month():
    names = BY_MONTH + ON_DATE + BY_END_MONTH + ["imss_benefit_claims"]  # claims: workers distinct over the range
    assert sorted(name for name in names if get_indicator(name).by_month) == sorted(BY_MONTH)
    assert [name for name in names if get_indicator(name).by_end_month] == ON_DATE + BY_END_MONTH
    assert [name for name in names + ["infonavit_vsm"] if get_indicator(name).stock_today] == ["infonavit_vsm"]


def test_the_default_window_is_capped_so_an_ancient_date_cannot_make_the_refresh_endless(world):
    """A contribution period dated 1970 would ask for 680 months: the window stops at MOST_STORED_MONTHS and does
    not claim to reach the first data, so a range before it is computed live."""
    ContributionPeriod.objects.filter(pk=ContributionPeriod.objects.order_by("pk").values("pk")[:1]).update(
        period_start=date(1970, 1, 1))
    window, complete = snapshots.stored_window()
    assert len(window) == snapshots.MOST_STORED_MONTHS and not complete
    window, complete = snapshots.stored_window(months=3)
    assert len(window) == 3 and not complete
