"""Weeks, conservation and recognition (LSS arts. 109, 150, 151, 207; shared/domain/imss-abroad.md)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ventanilla.core.calendar import add_months
from ventanilla.imss.rules.weeks import (
    as_weeks,
    conservation,
    recognition_of_prior_weeks,
    weeks_for_days,
    weeks_for_months,
    weeks_in_window,
)


@pytest.mark.parametrize(("days", "weeks"), [
    (0, "0.00"), (7, "1.00"), (30, "4.29"), (56, "8.00"), (365, "52.14"), (4, "0.57"), (1, "0.14"),
])
def test_weeks_for_days_two_decimals_half_up(days, weeks):
    assert weeks_for_days(days) == Decimal(weeks)


def test_paid_months_abroad_are_30_days():
    assert weeks_for_months(1) == Decimal("4.29")
    assert weeks_for_months(6) == Decimal("25.71")  # a semiannual payment: 180 days
    assert weeks_for_months(12) == Decimal("51.43")  # an annual payment: 360 days


def test_negative_days_and_float_weeks_are_refused():
    with pytest.raises(ValueError):
        weeks_for_days(-1)
    with pytest.raises(TypeError):
        as_weeks(12.5)


def test_weeks_in_window_counts_overlap_days_once():
    periods = [(date(2025, 6, 1), date(2025, 6, 30)), (date(2025, 7, 1), date(2025, 7, 31))]
    assert weeks_in_window(periods, date(2025, 6, 15), date(2025, 7, 10)) == Decimal("3.71")  # 16 + 10 days
    assert weeks_in_window(periods + periods[:1], date(2025, 6, 15), date(2025, 7, 10)) == Decimal("3.71")
    assert weeks_in_window(periods, date(2025, 8, 1), date(2025, 12, 31)) == Decimal("0.00")
    # Nine months before a death on 2026-03-10 with every month of 2025 paid: 2025-06-10 .. 2025-12-31.
    year = [(date(2025, m, 1), add_months(date(2025, m, 1), 1) - timedelta(days=1)) for m in range(1, 13)]
    assert weeks_in_window(year, date(2025, 6, 10), date(2026, 3, 9)) == weeks_for_days(205)


def test_conservation_worked_example():
    kept = conservation(date(2026, 3, 31), 100)
    assert kept.medical_until == date(2026, 5, 26)  # 8 weeks
    assert kept.day_care_until == date(2026, 4, 28)  # 4 weeks
    assert kept.pension_rights_until == date(2027, 3, 31)  # 100 / 4 = 25 weeks, less than 12 months
    assert kept.work_risk_until == date(2026, 3, 31)  # ends at once


def test_conservation_long_career_and_short_one():
    assert conservation(date(2026, 3, 31), 500).pension_rights_until == date(2028, 8, 22)  # 875 days
    short = conservation(date(2026, 3, 31), Decimal("7.99"))
    assert short.medical_until is None  # fewer than 8 weeks contributed
    assert conservation(date(2026, 3, 31), 8).medical_until == date(2026, 5, 26)
    assert conservation(date(2024, 2, 29), 10).pension_rights_until == date(2025, 2, 28)


@pytest.mark.parametrize(("reentry", "new", "recognised", "pending", "required", "code"), [
    (date(2022, 3, 1), 0, "300", "0", 0, "recognised_short_break"),  # 2 years
    (date(2023, 1, 1), 0, "300", "0", 0, "recognised_short_break"),  # exactly 3 years
    (date(2023, 1, 2), 25, "0", "300", 26, "pending_new_weeks"),  # just over 3 years
    (date(2024, 6, 1), 26, "300", "0", 26, "recognised_after_new_weeks"),
    (date(2026, 1, 1), 26, "300", "0", 26, "recognised_after_new_weeks"),  # exactly 6 years
    (date(2026, 1, 2), 26, "0", "300", 52, "pending_new_weeks"),  # just over 6 years
    (date(2027, 5, 1), Decimal("52.00"), "300", "0", 52, "recognised_after_new_weeks"),
])
def test_recognition_follows_article_151(reentry, new, recognised, pending, required, code):
    result = recognition_of_prior_weeks(date(2020, 1, 1), reentry, 300, new, within_conservation=False)
    assert (result.recognised_weeks, result.pending_weeks) == (Decimal(recognised), Decimal(pending))
    assert result.new_weeks_required == required and result.reason.code == code


def test_recognition_inside_conservation_is_at_once_and_reasons_name_numbers():
    result = recognition_of_prior_weeks(date(2015, 1, 1), date(2026, 1, 1), 300, 0, within_conservation=True)
    assert result.recognised_weeks == 300 and result.reason.code == "recognised_within_conservation"
    pending = recognition_of_prior_weeks(date(2018, 1, 1), date(2026, 1, 1), 300, 10,
                                         within_conservation=False)
    assert "52 semanas nuevas; hay 10" in pending.reason.es
    assert "after 52 new weeks; there are 10" in pending.reason.en
    with pytest.raises(ValueError):
        recognition_of_prior_weeks(date(2026, 1, 1), date(2025, 1, 1), 300, 0, within_conservation=False)


days_2000s = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
weeks = st.decimals(min_value=0, max_value=3000, places=2)


@given(days=st.integers(min_value=0, max_value=100_000), more=st.integers(min_value=0, max_value=1000))
def test_weeks_for_days_is_close_and_monotone(days, more):
    assert abs(weeks_for_days(days) - Decimal(days) / 7) <= Decimal("0.005")
    assert weeks_for_days(days) <= weeks_for_days(days + more)


@given(last=days_2000s, total=weeks)
def test_conservation_pension_window_is_at_least_12_months(last, total):
    kept = conservation(last, total)
    assert kept.pension_rights_until >= add_months(last, 12)
    assert kept.pension_rights_until >= last + timedelta(days=int(total * 7 / 4))
    assert (kept.medical_until is None) == (total < 8)
    assert kept.work_risk_until == last <= kept.day_care_until


@given(start=days_2000s, gap1=st.integers(0, 4000), gap2=st.integers(0, 4000), prior=weeks, new=weeks,
       within=st.booleans())
def test_recognition_is_monotone_in_break_length(start, gap1, gap2, prior, new, within):
    short, long_ = sorted((gap1, gap2))
    first = recognition_of_prior_weeks(start, start + timedelta(days=short), prior, new, within)
    second = recognition_of_prior_weeks(start, start + timedelta(days=long_), prior, new, within)
    assert first.recognised_weeks >= second.recognised_weeks
    assert first.new_weeks_required <= second.new_weeks_required
    for result in (first, second):
        assert result.recognised_weeks + result.pending_weeks == prior


@given(st.lists(st.tuples(days_2000s, st.integers(0, 400)), max_size=10), days_2000s, st.integers(0, 800))
def test_weeks_in_window_is_bounded_and_order_free(raw, window_start, length):
    periods = [(start, start + timedelta(days=span)) for start, span in raw]
    window_end = window_start + timedelta(days=length)
    counted = weeks_in_window(periods, window_start, window_end)
    assert Decimal(0) <= counted <= weeks_for_days(length + 1)
    assert weeks_in_window(list(reversed(periods)) + periods, window_start, window_end) == counted
