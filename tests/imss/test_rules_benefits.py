"""Benefits (LSS arts. 58, 96-98, 101-102, 104, 122, 128, 134, 201; shared/domain/imss-abroad.md)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ventanilla.core.calendar import add_months
from ventanilla.imss.rules.benefits import (
    day_care,
    disability_pension_weeks,
    funeral_aid,
    funeral_window,
    maternity,
    orphan_share,
    sick_pay,
    survivors_pension_weeks,
    work_risk_incapacity,
)
from ventanilla.reference.params import ParamSnapshot

# UMA and minimum wages from shared/domain/reference-values.md; built without the database.
UMA = {
    2022: ("96.22", "2925.09", "35101.08", "172.87", "260.34"),
    2025: ("113.14", "3439.46", "41273.52", "278.80", "419.88"),
    2026: ("117.31", "3566.22", "42794.64", "315.04", "440.87"),
}


def params(on: date, uma_year: int) -> ParamSnapshot:
    daily, monthly, annual, general, zlfn = (Decimal(v) for v in UMA[uma_year])
    return ParamSnapshot(on=on, uma_daily=daily, uma_monthly=monthly, uma_annual=annual, sm_general=general,
                         sm_zlfn=zlfn)


def codes(decision):
    return [reason.code for reason in decision.reasons]


# --- Funeral aid (art. 104) ---------------------------------------------------------------------------

@pytest.mark.parametrize(("death", "uma_year", "amount"), [
    (date(2026, 3, 10), 2026, "7132.44"),  # 2 × 3,566.22
    (date(2026, 1, 15), 2025, "6878.92"),  # in January the previous year's UMA applies: 2 × 3,439.46
    # Seed 003: "up to 5,850 MXN, or two monthly UMA at the time of death": 2 × 2,925.09 = 5,850.18 in
    # 2022 (the seed rounded).
    (date(2022, 12, 6), 2022, "5850.18"),
])
def test_funeral_aid_is_two_monthly_uma_at_death(death, uma_year, amount):
    decision = funeral_aid(params(death, uma_year), date_of_death=death, weeks_in_last_9_months=12,
                           work_risk=False, claim_date=death + timedelta(days=20))
    assert decision.eligible and decision.reasons[0].code == "funeral_aid"
    assert decision.amount == Decimal(amount)
    assert decision.detail["window"] == funeral_window(death)


def test_funeral_aid_needs_12_weeks_unless_work_risk():
    death = date(2026, 3, 10)
    refused = funeral_aid(params(death, 2026), date_of_death=death, weeks_in_last_9_months=8, work_risk=False)
    assert not refused.eligible and refused.amount is None and codes(refused) == ["insufficient_weeks"]
    assert refused.reasons[0].es == "Se requieren 12 semanas cotizadas en los 9 meses previos; hay 8."
    assert refused.reasons[0].en == ("12 contributed weeks are required in the 9 months before death; "
                                     "there are 8.")
    work_risk = funeral_aid(params(death, 2026), date_of_death=death, weeks_in_last_9_months=0,
                            work_risk=True)
    assert work_risk.eligible and work_risk.amount == Decimal("7132.44")
    fraction = funeral_aid(params(death, 2026), date_of_death=death,
                           weeks_in_last_9_months=Decimal("11.99"), work_risk=False)
    assert "hay 11.99" in fraction.reasons[0].es


def test_funeral_aid_claim_within_one_year():
    death = date(2026, 3, 10)
    on_time = funeral_aid(params(death, 2026), date_of_death=death, weeks_in_last_9_months=20,
                          work_risk=False, claim_date=date(2027, 3, 10))
    assert on_time.eligible and on_time.detail["claim_deadline"] == date(2027, 3, 10)
    late = funeral_aid(params(death, 2026), date_of_death=death, weeks_in_last_9_months=5,
                       work_risk=False, claim_date=date(2027, 3, 11))
    assert codes(late) == ["insufficient_weeks", "claim_too_late"] and late.amount is None
    assert "10 de marzo de 2027" in late.reasons[1].es and "March 10, 2027" in late.reasons[1].en
    leap = date(2024, 2, 29)
    assert funeral_aid(params(leap, 2025), date_of_death=leap, weeks_in_last_9_months=12,
                       work_risk=False).detail["claim_deadline"] == date(2025, 2, 28)


def test_funeral_aid_refuses_parameters_of_another_date():
    with pytest.raises(ValueError, match="date of death"):
        funeral_aid(params(date(2026, 3, 1), 2026), date_of_death=date(2026, 3, 10),
                    weeks_in_last_9_months=12, work_risk=False)
    with pytest.raises(ValueError):
        funeral_aid(params(date(2026, 3, 10), 2026), date_of_death=date(2026, 3, 10),
                    weeks_in_last_9_months=12, work_risk=False, claim_date=date(2026, 3, 9))


# --- Sick pay and work-risk incapacity (arts. 96-98, 58) -----------------------------------------------

@pytest.mark.parametrize(("days", "extension", "payable", "amount", "extra"), [
    (10, False, 7, "1633.80", []),  # 0.60 × 389.00 × 7 (days 4 to 10)
    (3, False, 0, "0.00", ["within_waiting_days"]),
    (367, False, 364, "84957.60", []),  # exactly 52 weeks paid
    (400, False, 364, "84957.60", ["max_period_reached"]),
    (400, True, 397, "92659.80", []),  # + 26 weeks after a medical opinion
])
def test_sick_pay_60_percent_from_the_4th_day(days, extension, payable, amount, extra):
    decision = sick_pay(last_daily_sbc=Decimal("389.00"), weeks_just_before=4, incapacity_days=days,
                        extension_approved=extension)
    assert decision.eligible and decision.detail["payable_days"] == payable
    assert decision.amount == Decimal(amount) and codes(decision) == extra


def test_sick_pay_needs_4_weeks_just_before():
    decision = sick_pay(last_daily_sbc=Decimal("389.00"), weeks_just_before=Decimal("3.71"),
                        incapacity_days=10)
    assert not decision.eligible and decision.amount is None and codes(decision) == ["insufficient_weeks"]
    assert "Se requieren 4 semanas" in decision.reasons[0].es and "hay 3.71" in decision.reasons[0].es


def test_work_risk_incapacity_pays_100_percent_from_day_1_without_weeks():
    decision = work_risk_incapacity(last_daily_sbc=Decimal("389.00"), days=10)
    assert decision.eligible and decision.amount == Decimal("3890.00") and decision.reasons == []
    assert work_risk_incapacity(last_daily_sbc=Decimal("315.04"), days=1).amount == Decimal("315.04")


# --- Maternity (arts. 101-102) -------------------------------------------------------------------------

def test_maternity_is_off_abroad_by_default():
    decision = maternity(last_daily_sbc=Decimal("389.00"), weeks_in_last_12_months=40)
    assert not decision.eligible and decision.amount is None and codes(decision) == ["parameter_off"]
    assert "extranjero" in decision.reasons[0].es and "abroad" in decision.reasons[0].en


def test_maternity_when_enabled_pays_84_days_at_100_percent():
    decision = maternity(last_daily_sbc=Decimal("389.00"), weeks_in_last_12_months=30,
                         maternity_cash_abroad_enabled=True)
    assert decision.eligible and decision.amount == Decimal("32676.00")  # 389.00 × (42 + 42)
    short = maternity(last_daily_sbc=Decimal("389.00"), weeks_in_last_12_months=Decimal("29.99"),
                      maternity_cash_abroad_enabled=True)
    assert codes(short) == ["insufficient_weeks"] and "30 semanas" in short.reasons[0].es
    both = maternity(last_daily_sbc=Decimal("389.00"), weeks_in_last_12_months=10)
    assert codes(both) == ["parameter_off", "insufficient_weeks"]


# --- Pensions (arts. 122, 128, 134) --------------------------------------------------------------------

@pytest.mark.parametrize(("weeks", "percent", "eligible", "required"), [
    (250, 50, True, 250), (249, 60, False, 250), (150, 75, True, 150), (149, 90, False, 150),
    (Decimal("200.50"), 74, False, 250),
])
def test_disability_pension_weeks(weeks, percent, eligible, required):
    decision = disability_pension_weeks(total_weeks=weeks, disability_percent=percent)
    assert decision.eligible is eligible and decision.detail["weeks_required"] == required
    assert decision.amount is None
    if not eligible:
        assert codes(decision) == ["insufficient_weeks"]
        assert f"Se requieren {required}" in decision.reasons[0].es


def test_survivors_pension_weeks_and_orphan_share():
    assert survivors_pension_weeks(total_weeks=150).eligible
    refused = survivors_pension_weeks(total_weeks=149)
    assert not refused.eligible and refused.reasons[0].es.endswith("hay 149.")
    assert survivors_pension_weeks(total_weeks=10, disability_pensioner=True).eligible
    assert orphan_share(Decimal("5000.00"), both_parents_dead=False) == Decimal("1000.00")
    assert orphan_share(Decimal("5000.00"), both_parents_dead=True) == Decimal("1500.00")
    assert orphan_share(Decimal("4321.15"), both_parents_dead=False) == Decimal("864.23")


# --- Day care (art. 201) -------------------------------------------------------------------------------

@pytest.mark.parametrize(("on", "in_mexico", "expected"), [
    (date(2026, 2, 12), True, ["child_too_young"]),  # 42 days old
    (date(2026, 2, 13), True, []),  # 43 days old
    (date(2029, 12, 31), True, []),
    (date(2030, 1, 1), True, ["child_too_old"]),  # 4th birthday
    (date(2027, 1, 1), False, ["not_in_mexico"]),
])
def test_day_care_from_43_days_to_4_years_in_mexico(on, in_mexico, expected):
    decision = day_care(child_birth_date=date(2026, 1, 1), on=on, in_mexico=in_mexico)
    assert codes(decision) == expected and decision.eligible is (expected == [])


# --- Properties ----------------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=100_000, places=2)
weeks = st.decimals(min_value=0, max_value=60, places=2)
days_ = st.dates(min_value=date(2017, 1, 1), max_value=date(2040, 12, 31))


@given(uma_monthly=amounts, weeks=weeks, work_risk=st.booleans(), death=days_,
       claim_after=st.none() | st.integers(0, 800))
def test_funeral_amount_is_two_monthly_uma_when_eligible(uma_monthly, weeks, work_risk, death, claim_after):
    snapshot = ParamSnapshot(on=death, uma_daily=Decimal("1"), uma_monthly=uma_monthly,
                             uma_annual=uma_monthly * 12, sm_general=Decimal("1"), sm_zlfn=None)
    claim = None if claim_after is None else death + timedelta(days=claim_after)
    decision = funeral_aid(snapshot, date_of_death=death, weeks_in_last_9_months=weeks, work_risk=work_risk,
                           claim_date=claim)
    on_time = claim is None or claim <= add_months(death, 12)
    assert decision.eligible == ((weeks >= 12 or work_risk) and on_time)
    if decision.eligible:
        assert decision.amount == 2 * uma_monthly >= 0
    else:
        assert decision.amount is None and decision.reasons


@given(sbc=amounts, days=st.integers(0, 1000), more=st.integers(0, 100), extension=st.booleans())
def test_sick_pay_is_bounded_and_monotone(sbc, days, more, extension):
    one = sick_pay(last_daily_sbc=sbc, weeks_just_before=4, incapacity_days=days,
                   extension_approved=extension)
    two = sick_pay(last_daily_sbc=sbc, weeks_just_before=4, incapacity_days=days + more,
                   extension_approved=extension)
    cap = (52 + 26 * extension) * 7
    assert Decimal(0) <= one.amount <= two.amount
    assert one.detail["payable_days"] <= cap
    assert one.amount <= sbc * Decimal("0.60") * cap + Decimal("0.005")


@given(born=days_, on=days_)
def test_day_care_window(born, on):
    decision = day_care(child_birth_date=born, on=on)
    assert decision.eligible == (born + timedelta(days=43) <= on < decision.detail["ends_on"])
