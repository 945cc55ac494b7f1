from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ventanilla.core.models import AuditEntry
from ventanilla.reference import rules, services
from ventanilla.reference.models import Consulate, ConsulateService, MinimumWage, Uma, VsmAdjustment
from ventanilla.reference.params import ParamsUnavailable
from ventanilla.reference.selectors import known_range, params_at

pytestmark = pytest.mark.django_db


def test_uma_changes_on_1_february_and_minimum_wage_on_1_january():
    january = params_at(date(2026, 1, 31))
    february = params_at(date(2026, 2, 1))
    assert january.uma_daily == Decimal("113.14")  # in January the previous year's UMA still applies
    assert february.uma_daily == Decimal("117.31")
    assert february.uma_monthly == Decimal("3566.22")
    assert january.sm_general == february.sm_general == Decimal("315.04")
    assert params_at(date(2025, 12, 31)).sm_general == Decimal("278.80")
    assert january.sm_zlfn == Decimal("440.87")


def test_snapshot_carries_rates_tables_and_umi():
    snapshot = params_at(date(2026, 6, 1))
    assert snapshot.umi_daily == Decimal("100.81")
    assert snapshot.vsm_adjustment_rate == Decimal("0")
    assert snapshot.branch_rates["em_fixed"].employer_rate == Decimal("20.40")
    assert snapshot.branch_rates["ceav"].worker_rate == Decimal("1.125")
    assert snapshot.work_risk_premiums["I"] == Decimal("0.54355")
    assert [band.rate for band in snapshot.ceav_bands][:2] == [Decimal("3.150"), Decimal("3.676")]
    assert snapshot.ceav_bands[-1].upper_uma is None and snapshot.ceav_bands[-1].rate == Decimal("7.513")
    assert "usd_mxn" in snapshot.assumed  # demo FX values are marked assumed


def test_before_2023_ceav_employer_rate_is_flat():
    bands = params_at(date(2021, 7, 1)).ceav_bands
    assert len(bands) == 1 and bands[0].rate == Decimal("3.150")


def test_a_date_outside_the_known_range_is_an_error():
    start, end = known_range()
    assert start == date(2016, 2, 1) and end == date(2027, 12, 31)
    with pytest.raises(ParamsUnavailable) as caught:
        params_at(date(2028, 1, 1))
    assert caught.value.parameter == "minimum_wage"
    with pytest.raises(ParamsUnavailable):
        params_at(date(2016, 1, 15))


def test_zlfn_before_2019_is_an_error_not_a_default():
    with pytest.raises(ParamsUnavailable):
        params_at(date(2018, 6, 1)).minimum_wage("zlfn")


@pytest.mark.parametrize("year", [2020, 2021, 2024])
def test_rule_years_match_min_of_sm_and_uma_rise(year):
    """Infonavit's default rule reproduces the published rate in the years no board decision overrode it."""
    row = VsmAdjustment.objects.get(valid_from=date(year, 1, 1))
    assert row.decided_by == "rule"
    uma_now = Uma.objects.get(valid_from=date(year, 2, 1)).daily
    uma_before = Uma.objects.get(valid_from=date(year - 1, 2, 1)).daily
    sm_now = MinimumWage.objects.get(valid_from=date(year, 1, 1)).general
    sm_before = MinimumWage.objects.get(valid_from=date(year - 1, 1, 1)).general
    assert rules.vsm_adjustment_rate(sm_before, sm_now, uma_before, uma_now) == row.rate


def test_umi_chain_follows_the_applied_rates():
    rows = list(VsmAdjustment.objects.order_by("valid_from"))
    for previous, current in zip(rows, rows[1:], strict=False):
        assert rules.next_umi(previous.umi_daily, current.rate) == current.umi_daily


def test_every_seeded_row_names_its_source():
    for model in (Uma, MinimumWage, VsmAdjustment):
        assert not model.objects.filter(source="").exists()
    assert Uma.objects.count() == 12


def test_values_not_yet_published_are_carried_forward_and_marked_assumed():
    january_2027 = params_at(date(2027, 1, 15))
    assert january_2027.sm_general == Decimal("315.04")
    assert "minimum_wage" in january_2027.assumed and "uma" not in january_2027.assumed
    assert "uma" in params_at(date(2027, 3, 1)).assumed
    assert "minimum_wage" not in params_at(date(2026, 3, 1)).assumed


def test_consulates_cover_usa_and_canada_with_their_opening_dates():
    assert Consulate.objects.filter(country="US").count() >= 50
    assert Consulate.objects.filter(country="CA").count() == 6
    assert Consulate.objects.exclude(country__in=["US", "CA"]).filter(kind="embajada").count() >= 40
    la = ConsulateService.objects.get(consulate__code="US-LOS-ANGELES", service="imss_affiliation")
    madrid = ConsulateService.objects.get(consulate__code="ES-MADRID", service="imss_affiliation")
    assert la.opens_on == date(2023, 1, 1) and madrid.opens_on == date(2023, 3, 1)


def test_loading_reference_data_twice_changes_nothing():
    assert set(services.load_reference_data().values()) == {0}


def test_overlapping_period_is_refused_with_a_clear_message(world):
    admin = world["users"]["administrator"]
    row = Uma(valid_from=date(2026, 6, 1), valid_to=None, daily=Decimal("120"), monthly=Decimal("3648"),
              annual=Decimal("43776"), source="test")
    with pytest.raises(ValidationError) as caught:
        services.save_parameter(admin, row)
    assert "se traslapa" in str(caught.value)
    assert not Uma.objects.filter(daily=Decimal("120")).exists()


def test_parameter_change_is_audited_and_seen_by_the_next_snapshot(world, django_capture_on_commit_callbacks):
    staff = world["users"]["imss_staff"]
    assert params_at(date(2026, 3, 1)).uma_daily == Decimal("117.31")
    row = Uma.objects.get(valid_from=date(2026, 2, 1))
    row.daily = Decimal("117.32")
    with django_capture_on_commit_callbacks(execute=True):  # the cache is dropped when the change commits
        services.save_parameter(staff, row)
    entry = AuditEntry.objects.get(action="reference.update", object_id=str(row.pk))
    assert entry.before["daily"] == "117.31" and entry.after["daily"] == "117.32"
    assert entry.actor == staff
    assert params_at(date(2026, 3, 1)).uma_daily == Decimal("117.32")  # the cached snapshot was dropped


def test_a_rule_year_must_carry_the_rule_rate(world):
    row = VsmAdjustment.objects.get(valid_from=date(2024, 1, 1))
    row.rate = Decimal("4.70")
    with pytest.raises(ValidationError) as caught:
        services.save_parameter(world["users"]["infonavit_staff"], row)
    assert "4.66" in str(caught.value)
    row.decided_by = "board"  # a board decision may set any rate
    services.save_parameter(world["users"]["infonavit_staff"], row)
    assert VsmAdjustment.objects.get(valid_from=date(2024, 1, 1)).rate == Decimal("4.70")
