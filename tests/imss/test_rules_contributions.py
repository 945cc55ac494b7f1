"""Contribution rules: worked examples by hand from the domain note, and properties over any income."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ventanilla.imss.rules.contributions import (
    ceav_employer_rate,
    daily_income,
    due_date,
    month_quote,
    period_months,
    quote,
)


@pytest.fixture
def params(db):
    """Parameter snapshots read from the seeded tables (the rules themselves never touch the DB). Read per test,
    inside its transaction: a module-scoped read outside any test left a connection open to the end of the
    session, and PostgreSQL then refused to drop the test database ("being accessed by other users")."""
    from ventanilla.reference.selectors import params_at

    return {d: params_at(d) for d in (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1),
                                      date(2026, 4, 1), date(2021, 6, 1))}


def amounts(month):
    return {b.branch: (b.employer, b.worker) for b in month.branches}


def test_worked_example_12000_pesos_a_month_march_2026(params):
    """12,000/month → SBC 400.00; UMA 117.31; 400/117.31 = 3.41 UMA → CEAV band (3.00, 3.50] = 6.361 % (2026)."""
    month = month_quote(params[date(2026, 3, 1)], date(2026, 3, 1), daily_income(monthly=Decimal("12000")), "general")
    assert month.sbc_daily == Decimal("400.00")
    assert month.ceav_employer_rate == Decimal("6.361")
    got = amounts(month)
    assert got["em_fixed"] == (Decimal("717.94"), Decimal("0.00"))  # 117.31 × 30 × 20.40 % = 717.9372
    assert got["em_excess"] == (Decimal("15.86"), Decimal("5.77"))  # (400 − 351.93) × 30 × 1.10 % / 0.40 %
    assert got["em_cash"] == (Decimal("84.00"), Decimal("30.00"))
    assert got["em_pensioners"] == (Decimal("126.00"), Decimal("45.00"))
    assert got["riesgos_trabajo"] == (Decimal("65.23"), Decimal("0.00"))  # 12,000 × 0.54355 % = 65.226
    assert got["invalidez_vida"] == (Decimal("210.00"), Decimal("75.00"))
    assert got["retiro"] == (Decimal("240.00"), Decimal("0.00"))
    assert got["ceav"] == (Decimal("763.32"), Decimal("135.00"))
    assert got["guarderias"] == (Decimal("120.00"), Decimal("0.00"))
    assert month.total == Decimal("2633.12")  # employer 2,342.35 + worker 290.77


def test_income_below_the_minimum_wage_is_raised_to_it_and_takes_the_first_ceav_row(params):
    low = month_quote(params[date(2026, 3, 1)], date(2026, 3, 1), daily_income(monthly=Decimal("5000")), "general")
    at_minimum = month_quote(params[date(2026, 3, 1)], date(2026, 3, 1), Decimal("315.04"), "general")
    assert low.sbc_daily == at_minimum.sbc_daily == Decimal("315.04")
    assert low.ceav_employer_rate == Decimal("3.150")
    assert low.total == at_minimum.total
    assert amounts(low)["em_excess"] == (Decimal("0.00"), Decimal("0.00"))


def test_band_gap_rule_from_the_domain_note(params):
    """2026: an SBC of 315.05 ÷ 117.31 = 2.69 UMA takes 6.026 % (the SUA rule for the SM/UMA gap)."""
    snapshot = params[date(2026, 3, 1)]
    assert ceav_employer_rate(Decimal("315.05"), snapshot.sm_general, snapshot.uma_daily,
                              snapshot.ceav_bands) == Decimal("6.026")
    assert ceav_employer_rate(Decimal("5000"), snapshot.sm_general, snapshot.uma_daily,
                              snapshot.ceav_bands) == Decimal("7.513")
    # Before 2023 there was one flat employer rate.
    old = params[date(2021, 6, 1)]
    assert ceav_employer_rate(Decimal("900"), old.sm_general, old.uma_daily, old.ceav_bands) == Decimal("3.150")


def test_zlfn_floor_and_25_uma_ceiling(params):
    snapshot = params[date(2026, 3, 1)]
    border = month_quote(snapshot, date(2026, 3, 1), Decimal("100.00"), "zlfn")
    assert border.sbc_daily == Decimal("440.87")
    rich = month_quote(snapshot, date(2026, 3, 1), daily_income(monthly=Decimal("200000")), "general")
    assert rich.sbc_daily == Decimal("2932.75")  # 25 × 117.31


def test_a_period_spanning_the_uma_change_uses_each_months_uma(params):
    result = quote(params, Decimal("400.00"), "general", "bimonthly", date(2026, 1, 1))
    assert [m.uma_daily for m in result.months] == [Decimal("113.14"), Decimal("117.31")]
    assert [m.month for m in result.months] == [date(2026, 1, 1), date(2026, 2, 1)]
    assert result.period_total == result.months[0].total + result.months[1].total
    assert result.months[0].total != result.months[1].total
    summed = {b.branch: b.total for b in result.branches()}
    assert sum(summed.values()) == result.period_total


def test_periods_and_due_dates():
    assert len(period_months(date(2026, 3, 14), "annual")) == 12
    assert period_months(date(2026, 11, 1), "semiannual")[-1] == date(2027, 4, 1)
    assert due_date(date(2026, 4, 1)) == date(2026, 3, 20)
    assert due_date(date(2026, 1, 1)) == date(2025, 12, 20)
    with pytest.raises(ValueError):
        period_months(date(2026, 1, 1), "weekly")


incomes = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500000"), places=2)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # params: read-only
@given(low=incomes, high=incomes, zone=st.sampled_from(["general", "zlfn"]))
def test_total_never_decreases_as_income_rises(params, low, high, zone):
    low, high = sorted((low, high))
    snapshot = params[date(2026, 3, 1)]
    cheap = month_quote(snapshot, date(2026, 3, 1), daily_income(monthly=low), zone)
    dear = month_quote(snapshot, date(2026, 3, 1), daily_income(monthly=high), zone)
    assert cheap.total <= dear.total


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])  # params: read-only
@given(income=incomes, zone=st.sampled_from(["general", "zlfn"]), start=st.sampled_from(
    [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]), periodicity=st.sampled_from(["monthly", "bimonthly"]))
def test_floor_ceiling_and_sum_of_branches(params, income, zone, start, periodicity):
    result = quote(params, daily_income(monthly=income), zone, periodicity, start)
    for month in result.months:
        snapshot = params[month.month]
        assert snapshot.minimum_wage(zone) <= month.sbc_daily <= snapshot.uma_daily * 25
        assert month.total == sum(b.employer + b.worker for b in month.branches)
        assert all(b.employer >= 0 and b.worker >= 0 for b in month.branches)
        assert all(b.employer == b.employer.quantize(Decimal("0.01")) for b in month.branches)
    assert result.period_total == sum(b.total for b in result.branches())
