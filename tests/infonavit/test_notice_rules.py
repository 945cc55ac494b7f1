"""The pure notice rules: which event issues which notice, the discount types and their amounts, the
effective date, and who gets a copy (infonavit/rules/notices.py)."""

from datetime import date
from decimal import Decimal

import pytest

from ventanilla.infonavit.rules import notices as rules
from ventanilla.infonavit.rules.solutions import effects

D = Decimal


@pytest.mark.parametrize(("event", "kind"), [
    ("new_credit", "retention"), ("employer_change", "retention"), ("prorroga_ended", "retention"),
    ("payoff", "suspension"), ("prorroga", "suspension"),
    ("conversion", "modification"), ("restructure", "modification"), ("restructure_ended", "modification"),
])
def test_each_event_issues_its_notice(event, kind):
    assert rules.notice_kind(event) == kind


def test_every_event_has_a_notice_and_an_unknown_one_is_refused():
    assert set(rules.NOTICE_FOR_EVENT) == set(rules.EVENTS)
    with pytest.raises(ValueError):
        rules.notice_kind("homonymy")


@pytest.mark.parametrize(("code", "started", "ended"), [
    ("PRORROGA", "prorroga", "prorroga_ended"),
    ("RC", "conversion", None),
    ("STM", "restructure", "restructure_ended"),
    ("DCP", "restructure", "restructure_ended"),
    ("JUBILADOS", "restructure", "restructure_ended"),
    ("PARO_TECNICO", "restructure", "restructure_ended"),
    ("FPP", "restructure", "restructure_ended"),
    ("DLA", None, None),  # the DLA payoff issues its own suspensión
    ("BCN", None, None),  # the monthly payment is unchanged
])
def test_relief_solutions_map_to_notice_events(code, started, ended):
    assert rules.event_for_solution(code, effects.PAYMENT_CHANGING) == started
    assert rules.event_for_solution_end(code, effects.PAYMENT_CHANGING) == ended


def test_pesos_credit_is_a_fixed_amount_the_installment():
    discount = rules.discount(denomination="pesos", installment=D("5123.456"))
    assert discount == rules.Discount("fixed_amount", D("5123.46"), D("5123.46"))


def test_vsm_credit_is_a_factor_of_umi_and_the_amount_follows_the_factor():
    # 2026: UMI 100.81 a day (reference-values.md), monthly 3,064.624; installment 3,350
    discount = rules.discount(denomination="vsm", installment=D("3350"), umi_daily=D("100.81"))
    assert discount.type == "umi_factor"
    assert discount.value == D("1.0931")  # 3350 / 3064.624 = 1.09312...
    assert discount.monthly_amount == D("3349.94")  # 1.0931 × 3064.624 = 3349.9405
    with pytest.raises(ValueError):
        rules.discount(denomination="vsm", installment=D("3350"))


def test_percentage_of_the_integrated_daily_salary():
    discount = rules.discount(denomination="vsm", installment=D("3350"), umi_daily=D("100.81"),
                              sdi_daily=D("450.00"), sdi_percent=D("25"))
    assert discount == rules.Discount("sdi_percent", D("25"), D("3420.00"))  # 450 × 25 % × 30.4
    with pytest.raises(ValueError):
        rules.discount(denomination="pesos", installment=D("1"), sdi_percent=D("25"))


def test_a_suspension_keeps_the_type_and_withholds_nothing():
    current = rules.discount(denomination="vsm", installment=D("3350"), umi_daily=D("100.81"))
    assert rules.suspended(current) == rules.Discount("umi_factor", D(0), D("0.00"))


def test_withholding_starts_the_day_after_the_employer_receives_it():
    assert rules.effective_date(date(2026, 12, 31)) == date(2027, 1, 1)
    assert rules.effective_date(date(2028, 2, 28)) == date(2028, 2, 29)


def test_payroll_credits_get_both_copies_own_payment_only_the_workers():
    assert rules.copies("payroll") == ("worker", "employer")
    assert rules.copies("own") == ("worker",)


def test_a_current_job_begun_after_the_credit_is_a_change_of_employer():
    granted = date(2025, 1, 15)
    assert rules.employer_change_due(date(2026, 2, 2), None, granted)
    assert not rules.employer_change_due(date(2026, 2, 2), date(2026, 6, 30), granted)  # already over
    assert not rules.employer_change_due(date(2024, 3, 1), None, granted)  # before the credit
