"""Pure rules of the housing subaccount: periods, the 5 % bimester contribution, returns."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ventanilla.infonavit.rules import savings as rules


@pytest.mark.parametrize(("day", "period"), [
    (date(1972, 5, 1), "fondo_72"), (date(1992, 2, 29), "fondo_72"), (date(1992, 3, 1), "scv_92"),
    (date(1997, 6, 30), "scv_92"), (date(1997, 7, 1), "scv_97"), (date(2026, 11, 30), "scv_97"),
])
def test_each_day_falls_in_its_period_of_the_subaccount(day, period):
    assert rules.savings_period(day) == period


def test_before_infonavit_there_is_no_period():
    with pytest.raises(ValueError):
        rules.savings_period(date(1972, 4, 30))


def test_bimesters_start_on_odd_months():
    assert rules.bimester_start(date(2026, 4, 17)) == date(2026, 3, 1)
    assert rules.bimester_end(date(2026, 11, 1)) == date(2026, 12, 31)
    assert rules.bimester_end(date(2024, 1, 1)) == date(2024, 2, 29)
    assert rules.next_bimester(date(2026, 11, 1)) == date(2027, 1, 1)


def test_the_contribution_is_five_percent_of_the_sbc_earned():
    # 61 days at 500.00 a day = 30,500.00 of SBC; 5 % = 1,525.00 (Ley del Infonavit art. 29 fr. II).
    assert rules.bimester_contribution(Decimal("500.00"), 61) == Decimal("1525.00")
    # Half-up to centavos: 333.33 × 59 × 0.05 = 983.3235 → 983.32.
    assert rules.bimester_contribution(Decimal("333.33"), 59) == Decimal("983.32")


def test_contributions_are_prorated_and_only_for_ended_bimesters():
    job = rules.Employment(7, date(2026, 2, 15), None, Decimal("400.00"))
    result = rules.contributions([job], until=date(2026, 6, 30))
    assert [(c.bimester, c.days, c.amount) for c in result] == [
        (date(2026, 1, 1), 14, Decimal("280.00")),  # 15–28 Feb
        (date(2026, 3, 1), 61, Decimal("1220.00")),
        (date(2026, 5, 1), 61, Decimal("1220.00")),
    ]
    ended = rules.Employment(8, date(1997, 5, 1), date(1997, 8, 10), Decimal("100.00"))
    assert [(c.savings_period, c.days) for c in rules.contributions([ended], until=date(2026, 1, 1))] == [
        ("scv_92", 61), ("scv_97", 41)]


def test_returns_are_a_twelfth_of_the_assumed_yearly_rate():
    assert rules.ASSUMED_YEARLY_RETURN_PERCENT == Decimal("4.00")
    assert rules.monthly_returns(Decimal("30000.00")) == Decimal("100.00")
    assert rules.monthly_returns(Decimal("12345.67"), Decimal("5")) == Decimal("51.44")
    assert rules.monthly_returns(Decimal("0")) == Decimal("0.00")


def test_balances_by_period_lists_every_period():
    assert rules.balances_by_period([("scv_97", Decimal("10")), ("scv_97", Decimal("-4"))]) == {
        "fondo_72": Decimal("0.00"), "scv_92": Decimal("0.00"), "scv_97": Decimal("6.00")}


@given(st.decimals(min_value=Decimal("1"), max_value=Decimal("5000"), places=2), st.integers(0, 62))
def test_a_contribution_is_never_more_than_five_percent_plus_half_a_centavo(sbc, days):
    amount = rules.bimester_contribution(sbc, days)
    assert amount >= 0 and abs(amount - sbc * days * Decimal("0.05")) <= Decimal("0.005")
