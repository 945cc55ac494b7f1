from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ventanilla.core.calendar import (
    add_business_days,
    add_months,
    bank_holidays,
    easter_sunday,
    federal_holidays,
    is_business_day,
    last_business_day,
)
from ventanilla.core.money import parse_amount, to_centavos


@pytest.mark.parametrize(("raw", "expected"), [
    ("2.005", "2.01"), ("2.004", "2.00"), ("-2.005", "-2.01"), ("0.125", "0.13"), ("10", "10.00"),
])
def test_to_centavos_rounds_half_up(raw, expected):
    assert to_centavos(Decimal(raw)) == Decimal(expected)


def test_parse_amount_refuses_floats_and_excess_decimals():
    assert parse_amount("1,234.50") == Decimal("1234.50")
    with pytest.raises(ValueError, match="float"):
        parse_amount(1.5)
    with pytest.raises(ValueError, match="too_many_decimals"):
        parse_amount("1.234")
    with pytest.raises(ValueError, match="not_a_number"):
        parse_amount("NaN")


@given(st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, places=6))
def test_centavos_are_within_half_a_centavo(value):
    rounded = to_centavos(value)
    assert abs(rounded - value) <= Decimal("0.005")
    assert rounded.as_tuple().exponent == -2


def test_federal_holidays_2026_follow_lft_article_74():
    assert federal_holidays(2026) == {
        date(2026, 1, 1), date(2026, 2, 2), date(2026, 3, 16), date(2026, 5, 1), date(2026, 9, 16),
        date(2026, 11, 16), date(2026, 12, 25),
    }
    assert date(2024, 10, 1) in federal_holidays(2024)  # change of federal executive
    assert date(2030, 10, 1) in federal_holidays(2030)
    assert date(2025, 10, 1) not in federal_holidays(2025)


def test_bank_calendar_adds_holy_week_and_bank_days():
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert {date(2026, 4, 2), date(2026, 4, 3), date(2026, 11, 2), date(2026, 12, 12)} <= bank_holidays(2026)
    assert not is_business_day(date(2026, 4, 3))
    assert is_business_day(date(2026, 4, 6))


def test_last_business_day_skips_weekends_and_holidays():
    assert last_business_day(2026, 5) == date(2026, 5, 29)  # 30-31 May 2026 are a weekend
    assert last_business_day(2026, 12) == date(2026, 12, 31)
    assert last_business_day(2027, 1) == date(2027, 1, 29)
    assert add_business_days(date(2026, 12, 24), 1) == date(2026, 12, 28)


def test_add_months_clamps_to_month_end():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
