"""Relief solutions (shared/domain/infonavit.md, "Relief solutions"; seed 001; issue 4): worked examples for
every solution, each refusal reason, and properties over generated credits. No database."""

from dataclasses import fields, replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ventanilla.core.money import to_centavos
from ventanilla.infonavit.rules.solutions import (
    ASSUMED_TERMS,
    DEFAULT_TERMS,
    PRODUCTS,
    SOLUTION_CODES,
    CreditFacts,
    SolutionTerms,
    apoyo_a_jubilados,
    borron_y_cuenta_nueva,
    dictamen_capacidad_de_pago,
    dla_payment_outcome,
    early_payoff_discount,
    evaluate_all,
    fondo_de_proteccion_de_pagos,
    paro_tecnico,
    prorroga,
    rc_rate,
    responsabilidad_compartida,
    solucion_a_tu_medida,
)
from ventanilla.reference.params import ParamSnapshot

D = Decimal
AS_OF = date(2026, 3, 10)


def params(on: date = AS_OF) -> ParamSnapshot:
    # 2026 UMA (1 Feb) and minimum wage (1 Jan), shared/domain/reference-values.md; built without the database.
    return ParamSnapshot(on=on, uma_daily=D("117.31"), uma_monthly=D("3566.22"), uma_annual=D("42794.64"),
                         sm_general=D("315.04"), sm_zlfn=D("440.87"))


# A VSM Crédito Tradicional that meets every 2019 RC condition on 10 March 2026: 20 years old, borrower 50,
# income 9,000 (≤ 4 SM = 4 × 315.04 × 30.4 = 38,308.86), 240 payments and none missed, debt 520,000 > 1.5 ×
# 250,000 = 375,000.
RC_BASE = CreditFacts(
    as_of=AS_OF, product="tradicional", denomination="vsm", origination_date=date(2005, 6, 15),
    amount_lent=D("250000.00"), balance=D("520000.00"), monthly_payment=D("3200.00"),
    monthly_insurance_and_fees=D("150.00"), rate=D("9.00"), remaining_months=120, missed_payments=0,
    payments_made=240, borrower_birth_date=date(1975, 5, 2), borrower_sex="H", monthly_income=D("9000.00"),
    monthly_pension=D("0"), contributing_to_imss=True, employed=True, active_solutions=frozenset(),
    legal_proceedings=False, cofinanced=False, frozen=False)

# A pesos credit from 2015, two payments behind: installment 3,500 + 200 = 3,700; at 10 % the 240 payments
# left are worth 3,500 × 103.6246 = 362,686.17, more than the 300,000 owed.
PESOS_BASE = replace(
    RC_BASE, denomination="pesos", origination_date=date(2015, 1, 20), amount_lent=D("350000.00"),
    balance=D("300000.00"), monthly_payment=D("3500.00"), monthly_insurance_and_fees=D("200.00"),
    rate=D("10.00"), remaining_months=240, missed_payments=2, payments_made=130)


def codes(result):
    return [reason.code for reason in result.reasons]


# --- Responsabilidad Compartida ------------------------------------------------------------------------

def test_rc_converts_with_the_present_value_of_the_remaining_payments():
    result = responsabilidad_compartida(RC_BASE, params())
    assert result.eligible and result.reasons == ()
    # income 9,000 ÷ 3,566.22 = 2.52 UMA → band "up to 3.0" → 3.55 % (below the credit's 9 %);
    # 120 payments of 3,200 at 3.55 %/12: annuity factor (1 − 1.0029583^−120) / 0.0029583 = 100.887548,
    # × 3,200 = 322,840.15; discount 520,000 − 322,840.15 = 197,159.85.
    assert result.amounts == {"new_balance": D("322840.15"), "discount": D("197159.85"),
                              "monthly_payment": D("3350.00"), "rate": D("3.55")}  # 3,200 + 150 a month
    assert result.new_terms["denomination"] == "pesos" and result.new_terms["yearly_adjustment"] is False
    assert result.new_terms["monthly_payment"] == D("3200.00") and result.new_terms["remaining_months"] == 120
    assert result.new_terms["apply_by"] == date(2026, 3, 31)


def test_rc_at_a_zero_rate_repays_payment_times_months():
    # The credit's rate 0 caps the band's: 120 × 3,200 = 384,000; discount 520,000 − 384,000 = 136,000.
    result = responsabilidad_compartida(replace(RC_BASE, rate=D("0")), params())
    assert result.amounts["new_balance"] == D("384000.00") and result.amounts["discount"] == D("136000.00")
    assert result.amounts["rate"] == D("0")


def test_rc_discount_is_zero_when_the_payments_cover_the_balance():
    # 200,000 lent, 310,000 owed (more than 1.5 × 200,000 = 300,000): the 120 payments left are worth
    # 322,840.15 at 3.55 % (as above), more than the balance, so nothing is discounted.
    covered = responsabilidad_compartida(replace(RC_BASE, amount_lent=D("200000.00"), balance=D("310000.00")),
                                         params())
    assert covered.eligible
    assert covered.amounts["new_balance"] == D("310000.00") and covered.amounts["discount"] == D("0.00")


@pytest.mark.parametrize(("income", "rate"), [
    ("5000.00", "1.91"),  # 1.40 UMA: below the table, its first band
    ("7132.44", "1.91"),  # 2 × 3,566.22 = exactly 2.0 UMA
    ("7132.45", "3.55"),  # just above 2.0 UMA
    ("14000.00", "5.70"),  # 3.93 UMA
    ("17000.00", "7.41"),  # 4.77 UMA
    ("20000.00", "9.00"),  # 5.61 UMA → 9.03 %, capped at the credit's 9.00 %
    ("30000.00", "9.00"),  # 8.41 UMA → 10.45 %, capped at 9.00 %
])
def test_rc_rate_follows_the_income_band_in_uma(income, rate):
    assert rc_rate(replace(RC_BASE, monthly_income=D(income)), params()) == D(rate)


def test_rc_rate_cap_is_an_assumed_term():
    uncapped = SolutionTerms(rc_rate_not_above_current=False)
    assert rc_rate(replace(RC_BASE, monthly_income=D("30000.00")), params(), uncapped) == D("10.45")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"denomination": "pesos"}, ["not_vsm"]),
    ({"product": "unamos"}, ["not_tradicional"]),
    ({"cofinanced": True}, ["cofinanced"]),
    ({"product": "cofinavit"}, ["not_tradicional", "cofinanced"]),  # Cofinavit is cofinanced by definition
    ({"borrower_birth_date": date(1986, 3, 11)}, ["too_young"]),  # turns 40 the day after
    ({"monthly_income": D("38308.87")}, ["income_too_high"]),  # 4 SM = 38,308.864
    ({"consecutive_payments": 23}, ["too_few_continuous_payments"]),
    ({"missed_payments": 1}, ["too_few_continuous_payments"]),  # behind: no streak without the history
    ({"origination_date": date(2011, 3, 11)}, ["credit_too_recent"]),  # 15 years on 11 March 2026
    ({"balance": D("375000.00")}, ["debt_not_high_enough"]),  # must be more than 1.5 × 250,000
    ({"active_solutions": frozenset({"STM"})}, ["active_restructure"]),
    ({"remaining_months": 0}, ["no_remaining_term"]),
    ({"monthly_payment": D("0")}, ["no_monthly_payment"]),  # else the whole balance would be forgiven
    ({"balance": D("0.00")}, ["no_balance", "debt_not_high_enough"]),
])
def test_rc_refusals_name_each_unmet_condition(changes, expected):
    result = responsabilidad_compartida(replace(RC_BASE, **changes), params())
    assert not result.eligible and codes(result) == expected
    assert result.amounts == {} and result.new_terms == {}


@pytest.mark.parametrize("changes", [
    {"borrower_birth_date": date(1986, 3, 10)},  # 40 today
    {"monthly_income": D("38308.86")},
    {"consecutive_payments": 24},
    {"origination_date": date(2011, 3, 10)},  # 15 years today
    {"balance": D("375000.01")},
    {"active_solutions": frozenset({"PRORROGA"})},  # not a restructure
])
def test_rc_boundaries_are_eligible(changes):
    assert responsabilidad_compartida(replace(RC_BASE, **changes), params()).eligible


def test_rc_window_runs_from_the_9th():
    early = responsabilidad_compartida(replace(RC_BASE, as_of=date(2026, 3, 8)), params(date(2026, 3, 8)))
    assert codes(early) == ["outside_window"]
    assert early.reasons[0].es.endswith("podrá solicitarse desde el 9 de marzo de 2026.")
    assert early.reasons[0].en.endswith("it opens on March 9, 2026.")
    assert responsabilidad_compartida(replace(RC_BASE, as_of=date(2026, 3, 9)), params(date(2026, 3, 9))).eligible


def test_rc_reason_texts_in_both_languages():
    result = responsabilidad_compartida(replace(RC_BASE, monthly_income=D("40000.00")), params())
    assert result.reasons[0].es == ("El ingreso mensual debe ser de hasta 4 salarios mínimos (38,308.86 pesos); "
                                    "es de 40,000.00.")
    assert result.reasons[0].en == ("Monthly income must be at most 4 minimum wages (38,308.86 pesos); "
                                    "it is 40,000.00.")


# --- Descuento por Liquidación Anticipada ----------------------------------------------------------------

DLA_BASE = replace(PESOS_BASE, amount_lent=D("400000.00"), balance=D("80000.01"), missed_payments=0,
                   remaining_months=30)


def test_dla_halves_the_balance_and_rounds_the_amount_to_pay_half_up():
    result = early_payoff_discount(replace(DLA_BASE, as_of=date(2026, 5, 15)), params(date(2026, 5, 15)))
    assert result.eligible
    # 80,000.01 ≤ 25 % of 400,000 = 100,000; half is 40,000.005 → 40,000.01 to pay, 40,000.00 discounted
    assert result.amounts == {"discount": D("40000.00"), "amount_to_pay": D("40000.01")}
    # fixed on the 1st, shown from the 10th, paid by the last business day (31 May 2026 is a Sunday)
    assert result.new_terms["fixed_on"] == date(2026, 5, 1)
    assert result.new_terms["shown_from"] == date(2026, 5, 10)
    assert result.new_terms["pay_by"] == date(2026, 5, 29)
    assert result.new_terms["infonavit_part_only"] is False


def test_dla_boundary_and_refusals():
    assert early_payoff_discount(replace(DLA_BASE, balance=D("100000.00")), params()).eligible
    above = early_payoff_discount(replace(DLA_BASE, balance=D("100000.01")), params())
    assert codes(above) == ["balance_above_quarter"]
    assert above.reasons[0].es == ("El saldo debe ser de hasta el 25 % del monto otorgado (100,000.00 pesos); "
                                   "es de 100,000.01.")
    assert codes(early_payoff_discount(replace(DLA_BASE, product="mejoravit"), params())) == ["product_excluded"]
    assert codes(early_payoff_discount(replace(DLA_BASE, product="infonavit_total"), params())) == [
        "product_excluded"]
    assert codes(early_payoff_discount(replace(DLA_BASE, balance=D("0")), params())) == ["no_balance"]


def test_dla_on_a_cofinanced_credit_is_for_the_infonavit_part():
    result = early_payoff_discount(replace(DLA_BASE, product="cofinavit"), params())
    assert result.eligible and result.new_terms["infonavit_part_only"] is True


@pytest.mark.parametrize(("paid", "kind", "with_discount", "discount", "settlement", "ordinary", "kept"), [
    # eligible 40,000.01 of a balance of 80,000.01: the discount is 80,000.01 − 40,000.01 = 40,000.00
    ("40000.01", "exact", True, "40000.00", "40000.01", "0", "0"),
    ("40000.00", "less", False, "0", "0", "40000.00", "0"),
    ("45000.00", "more", True, "40000.00", "40000.01", "0", "4999.99"),  # 45,000 − 40,000.01 not refunded
    ("80000.01", "full_balance", False, "0", "0", "80000.01", "0"),
    ("90000.00", "full_balance", False, "0", "0", "90000.00", "0"),
])
def test_dla_payment_outcome(paid, kind, with_discount, discount, settlement, ordinary, kept):
    outcome = dla_payment_outcome(D("40000.01"), D("80000.01"), D(paid))
    assert (outcome.kind, outcome.with_discount) == (kind, with_discount)
    assert (outcome.discount, outcome.settlement, outcome.ordinary_payment, outcome.not_refunded) == (
        D(discount), D(settlement), D(ordinary), D(kept))


def test_dla_payment_outcome_refuses_nonsense():
    with pytest.raises(ValueError):
        dla_payment_outcome(D("100"), D("80"), D("100"))
    with pytest.raises(ValueError):
        dla_payment_outcome(D("40"), D("80"), D("0"))
    with pytest.raises(TypeError):
        dla_payment_outcome(D("40"), D("80"), 40.0)


# --- Borrón y Cuenta Nueva -----------------------------------------------------------------------------

def test_bcn_with_two_missed_rewards_one_payment():
    result = borron_y_cuenta_nueva(PESOS_BASE, params())
    assert result.eligible
    # arrears 2 × 3,700 = 7,400 capitalised; reward one payment without insurance and fees: 3,500
    assert result.amounts == {"capitalized": D("7400.00"), "reward": D("3500.00")}
    assert result.new_terms["monthly_payment"] == D("3500.00") and result.new_terms["arrears"] == D("0.00")
    assert result.new_terms["balance"] == D("300000.00")
    assert result.new_terms["reward_after"] == "bimonthly_employer_payment"


def test_bcn_with_five_missed_forgives_interest_and_fees():
    facts = replace(PESOS_BASE, missed_payments=5, employed=False, fpp_months_used_last_5_years=6)
    result = borron_y_cuenta_nueva(facts, params())
    assert result.eligible
    # capitalised 5 × 3,700 = 18,500; reward: interest from the 3rd missed (5 − 2) × 300,000 × 10 % / 12 =
    # 7,500, plus insurance and fees owed 5 × 200 = 1,000 → 8,500
    assert result.amounts == {"capitalized": D("18500.00"), "reward": D("8500.00")}
    assert result.new_terms["reward_after"] == "three_consecutive_payments"


def test_bcn_uses_the_ledger_figures_when_given():
    facts = replace(PESOS_BASE, missed_payments=5, arrears=D("18912.34"),
                    arrears_interest_from_third_missed=D("7123.45"), arrears_insurance_and_fees=D("987.65"))
    result = borron_y_cuenta_nueva(facts, params())
    assert result.amounts == {"capitalized": D("18912.34"), "reward": D("8111.10")}  # 7,123.45 + 987.65


@pytest.mark.parametrize(("changes", "expected"), [
    ({"missed_payments": 0}, ["no_missed_payments"]),
    ({"missed_payments": 10}, ["too_many_missed_payments"]),
    # unemployed, credit from 2015, no FPP month used: the fund comes first
    ({"employed": False}, ["unemployment_fund_available"]),
    # 120 payments left are worth 3,500 × 75.6712 = 264,849.07 < 300,000
    ({"remaining_months": 120}, ["not_payable_within_term"]),
    ({"remaining_months": 11}, ["not_payable_within_term", "too_few_months_left"]),
    ({"legal_proceedings": True}, ["legal_proceedings"]),
    ({"active_solutions": frozenset({"PRORROGA"})}, ["active_solution"]),
    ({"uses_last_12_months": {"BCN": 2}}, ["uses_exhausted"]),
    ({"balance": D("0")}, ["no_balance"]),
])
def test_bcn_refusals(changes, expected):
    result = borron_y_cuenta_nueva(replace(PESOS_BASE, **changes), params())
    assert not result.eligible and codes(result) == expected


def test_bcn_fund_reason_says_how_many_months_are_left():
    result = borron_y_cuenta_nueva(replace(PESOS_BASE, employed=False, fpp_months_used_last_5_years=4), params())
    assert result.reasons[0].es.endswith("le quedan 2 meses.") and result.reasons[0].en.endswith("2 months are left.")


@pytest.mark.parametrize("changes", [
    {"missed_payments": 9},
    {"uses_last_12_months": {"BCN": 1}},
    {"employed": False, "origination_date": date(2008, 12, 31)},  # before 2009: no fund to use first
])
def test_bcn_boundaries_are_eligible(changes):
    assert borron_y_cuenta_nueva(replace(PESOS_BASE, **changes), params()).eligible


# --- Apoyo a Jubilados --------------------------------------------------------------------------------

JUBILADOS_BASE = replace(PESOS_BASE, missed_payments=0, employed=False, contributing_to_imss=False,
                         monthly_income=D("0"), monthly_pension=D("12000.00"))


def test_jubilados_pays_a_quarter_of_the_pension_plus_insurance_and_fees():
    result = apoyo_a_jubilados(JUBILADOS_BASE, params())
    assert result.eligible
    assert result.amounts == {"monthly_payment": D("3200.00")}  # 25 % × 12,000 = 3,000 + 200
    assert result.new_terms["uses_left"] == 2 and result.new_terms["ends_on_formal_job"] is True


def test_jubilados_rounds_the_quarter_half_up():
    result = apoyo_a_jubilados(replace(JUBILADOS_BASE, monthly_pension=D("10000.02")), params())
    assert result.amounts["monthly_payment"] == D("2700.01")  # 2,500.005 → 2,500.01, + 200


@pytest.mark.parametrize(("changes", "expected"), [
    ({"monthly_pension": D("0")}, ["no_pension"]),
    ({"contributing_to_imss": True}, ["contributing_to_imss"]),
    ({"employed": True}, ["formal_job"]),
    ({"payments_made": 119}, ["too_few_payments"]),
    ({"legal_proceedings": True}, ["legal_proceedings"]),
    ({"remaining_months": 12}, ["about_to_be_paid_off"]),
    ({"uses_ever": {"JUBILADOS": 3}}, ["uses_exhausted"]),
    ({"active_solutions": frozenset({"JUBILADOS"})}, ["already_active"]),
    ({"monthly_pension": D("14000.00")}, ["no_reduction"]),  # 3,500 + 200 is not below 3,700
])
def test_jubilados_refusals(changes, expected):
    result = apoyo_a_jubilados(replace(JUBILADOS_BASE, **changes), params())
    assert not result.eligible and codes(result) == expected


@pytest.mark.parametrize("changes", [
    {"payments_made": 120}, {"remaining_months": 13}, {"uses_ever": {"JUBILADOS": 2}},
    {"monthly_pension": D("13999.96")},  # 3,499.99 + 200 = 3,699.99 < 3,700
    {"denomination": "vsm"},  # seed 001: VSM credits are eligible too
])
def test_jubilados_boundaries_are_eligible(changes):
    assert apoyo_a_jubilados(replace(JUBILADOS_BASE, **changes), params()).eligible


# --- Dictamen de Capacidad de Pago ---------------------------------------------------------------------

DCP_BASE = replace(PESOS_BASE, missed_payments=0, income_at_origination=D("12000.00"))


def test_dcp_halves_the_installment_for_twelve_months():
    result = dictamen_capacidad_de_pago(DCP_BASE, params())
    assert result.eligible and result.amounts == {"monthly_payment": D("1850.00")}  # 50 % × 3,700
    assert result.new_terms["months"] == 12 and result.new_terms["infonavit_covers"] == D("1850.00")
    odd = dictamen_capacidad_de_pago(replace(DCP_BASE, monthly_insurance_and_fees=D("200.01")), params())
    assert odd.amounts["monthly_payment"] == D("1850.01")  # 3,700.01 / 2 = 1,850.005 → 1,850.01


@pytest.mark.parametrize(("changes", "expected"), [
    ({"income_at_origination": None}, ["income_not_lower"]),
    ({"income_at_origination": D("9000.00")}, ["income_not_lower"]),  # equal is not lower
    ({"employed": False}, ["unemployment_fund_available"]),
    ({"origination_date": date(2025, 3, 11)}, ["credit_too_recent"]),
    ({"active_solutions": frozenset({"DCP"})}, ["already_active"]),
])
def test_dcp_refusals(changes, expected):
    result = dictamen_capacidad_de_pago(replace(DCP_BASE, **changes), params())
    assert not result.eligible and codes(result) == expected


def test_dcp_without_a_job_after_the_fund():
    facts = replace(DCP_BASE, employed=False, income_at_origination=None, fpp_months_used_last_5_years=6)
    assert dictamen_capacidad_de_pago(facts, params()).eligible
    assert dictamen_capacidad_de_pago(replace(DCP_BASE, origination_date=date(2025, 3, 10)), params()).eligible


# --- Solución a tu Medida ------------------------------------------------------------------------------

STM_BASE = replace(DCP_BASE, months_in_current_job=6)


def test_stm_lowers_the_installment_for_twelve_months():
    result = solucion_a_tu_medida(STM_BASE, params())
    assert result.eligible and result.amounts == {"monthly_payment": D("2775.00")}  # 75 % × 3,700
    assert result.new_terms == {"monthly_payment": D("2775.00"), "months": 12, "renewal": False}


@pytest.mark.parametrize(("changes", "expected"), [
    ({"origination_date": date(2024, 3, 11)}, ["credit_too_recent"]),  # 2 years on 11 March 2026
    ({"months_in_current_job": 5}, ["too_few_months_in_job"]),
    ({"months_in_current_job": None}, ["too_few_months_in_job"]),
    ({"income_at_origination": None}, ["income_not_lower"]),
    ({"employed": False, "denomination": "vsm", "origination_date": date(2024, 3, 11)}, ["credit_too_recent"]),
    ({"active_solutions": frozenset({"STM"}), "missed_payments": 1}, ["not_paid_on_time"]),
])
def test_stm_refusals(changes, expected):
    result = solucion_a_tu_medida(replace(STM_BASE, **changes), params())
    assert not result.eligible and codes(result) == expected


@pytest.mark.parametrize("changes", [
    {"employed": False, "origination_date": date(2025, 12, 1)},  # not employed, a pesos credit: any age
    {"employed": False, "denomination": "vsm", "origination_date": date(2024, 3, 10)},
    {"employed": False, "months_in_current_job": None, "income_at_origination": None},
])
def test_stm_without_a_job(changes):
    assert solucion_a_tu_medida(replace(STM_BASE, **changes), params()).eligible


def test_stm_renews_when_paid_on_time():
    result = solucion_a_tu_medida(replace(STM_BASE, active_solutions=frozenset({"STM"})), params())
    assert result.eligible and result.new_terms["renewal"] is True


# --- Paro técnico -------------------------------------------------------------------------------------

PARO_BASE = replace(PESOS_BASE, missed_payments=0, employer_agreement_filed=True)


def test_paro_tecnico_takes_a_quarter_off():
    result = paro_tecnico(PARO_BASE, params())
    assert result.eligible and result.amounts == {"monthly_payment": D("2775.00")}  # 3,700 − 25 %
    assert result.new_terms["months"] == 12


@pytest.mark.parametrize(("changes", "expected"), [
    ({"missed_payments": 1}, ["payments_overdue"]),
    ({"active_solutions": frozenset({"DCP"})}, ["active_restructure"]),
    ({"employer_agreement_filed": False}, ["no_employer_agreement"]),
    ({"balance": D("0")}, ["no_balance"]),
])
def test_paro_tecnico_refusals(changes, expected):
    result = paro_tecnico(replace(PARO_BASE, **changes), params())
    assert not result.eligible and codes(result) == expected


def test_paro_tecnico_with_a_non_restructure_in_force():
    assert paro_tecnico(replace(PARO_BASE, active_solutions=frozenset({"FPP"})), params()).eligible


# --- Fondo de Protección de Pagos ---------------------------------------------------------------------

FPP_BASE = replace(PESOS_BASE, employed=False, months_unemployed=2, months_employed_before_job_loss=24)


def test_fpp_borrower_pays_a_tenth():
    result = fondo_de_proteccion_de_pagos(FPP_BASE, params())
    assert result.eligible
    assert result.amounts == {"monthly_payment": D("370.00"), "months": D("6")}  # 10 % × 3,700, 6 months
    assert result.new_terms["fund_pays"] == D("3330.00")  # 90 %
    partly_used = fondo_de_proteccion_de_pagos(replace(FPP_BASE, fpp_months_used_last_5_years=4), params())
    assert partly_used.amounts["months"] == D("2")  # 6 − 4


@pytest.mark.parametrize(("changes", "expected"), [
    ({"origination_date": date(2008, 12, 31)}, ["credit_without_fund"]),
    ({"employed": True}, ["employed"]),
    ({"months_unemployed": 0}, ["too_soon_unemployed"]),
    ({"months_unemployed": None}, ["too_soon_unemployed"]),
    ({"months_employed_before_job_loss": 5}, ["too_short_employment"]),
    ({"months_employed_before_job_loss": None}, ["too_short_employment"]),
    ({"missed_payments": 10}, ["too_many_missed_payments"]),
    ({"active_solutions": frozenset({"PRORROGA"})}, ["active_solution"]),
    ({"fpp_months_used_last_5_years": 6}, ["fund_used_up"]),
])
def test_fpp_refusals(changes, expected):
    result = fondo_de_proteccion_de_pagos(replace(FPP_BASE, **changes), params())
    assert not result.eligible and codes(result) == expected


def test_fpp_boundaries():
    assert fondo_de_proteccion_de_pagos(replace(FPP_BASE, origination_date=date(2009, 1, 1)), params()).eligible
    assert fondo_de_proteccion_de_pagos(replace(FPP_BASE, missed_payments=9, months_unemployed=1,
                                                months_employed_before_job_loss=6), params()).eligible


# --- Prórroga -----------------------------------------------------------------------------------------

PRORROGA_BASE = replace(PESOS_BASE, employed=False, missed_payments=3)


def test_prorroga_suspends_payments_for_twelve_months():
    result = prorroga(PRORROGA_BASE, params())
    assert result.eligible and result.amounts == {"months": D("12"), "monthly_payment": D("0.00")}
    assert result.new_terms["interest_accrues"] is False and result.new_terms["automatic"] is True
    before_april_2025 = prorroga(replace(PRORROGA_BASE, as_of=date(2025, 3, 31)), params(date(2025, 3, 31)))
    assert before_april_2025.new_terms["automatic"] is False


def test_prorroga_counts_24_months_for_credits_from_july_1997():
    assert prorroga(replace(PRORROGA_BASE, prorroga_months_used=18), params()).amounts["months"] == D("6")  # 24 − 18
    exhausted = prorroga(replace(PRORROGA_BASE, prorroga_months_used=24), params())
    assert codes(exhausted) == ["months_exhausted"]
    # before 1 July 1997: 12 at a time, no total in the note
    old = prorroga(replace(PRORROGA_BASE, origination_date=date(1997, 6, 30), prorroga_months_used=40), params())
    assert old.eligible and old.amounts["months"] == D("12")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"employed": True}, ["employed"]),
    ({"missed_payments": 4}, ["too_many_missed_payments"]),
    ({"active_solutions": frozenset({"PRORROGA"})}, ["already_active"]),
    ({"balance": D("0")}, ["no_balance"]),
])
def test_prorroga_refusals(changes, expected):
    result = prorroga(replace(PRORROGA_BASE, **changes), params())
    assert not result.eligible and codes(result) == expected


# --- all together -------------------------------------------------------------------------------------

def test_evaluate_all_answers_every_solution_in_order():
    results = evaluate_all(RC_BASE, params())
    assert [r.code for r in results] == list(SOLUTION_CODES)
    assert [r.code for r in results if r.eligible] == ["RC"]
    with pytest.raises(ValueError):
        evaluate_all(RC_BASE, params(date(2026, 3, 9)))


def test_every_reason_has_a_spanish_and_an_english_sentence():
    # A credit that fails nearly everything: each reason the rules give must speak both languages.
    facts = replace(RC_BASE, product="mejoravit", denomination="pesos", cofinanced=True, balance=D("100.00"),
                    legal_proceedings=True, missed_payments=12, remaining_months=6,
                    active_solutions=frozenset({"DCP", "STM", "JUBILADOS", "PRORROGA"}),
                    borrower_birth_date=date(2000, 1, 1), monthly_income=D("50000.00"))
    reasons = [reason for result in evaluate_all(facts, params()) for reason in result.reasons]
    assert len({reason.code for reason in reasons}) >= 15
    for reason in reasons:
        assert reason.es and reason.en and reason.es != reason.en
        assert reason.text("en-US") == reason.en and reason.text("es") == reason.es


def test_every_assumed_term_is_listed_with_both_languages():
    names = [term.name for term in ASSUMED_TERMS]
    assert len(names) == len(set(names))
    assert {f.name for f in fields(SolutionTerms)} <= set(names)
    for term in ASSUMED_TERMS:
        assert term.es and term.en and term.text("en") == term.en


@pytest.mark.parametrize(("changes", "error"), [
    ({"balance": 1000.5}, TypeError),
    ({"balance": D("-1")}, ValueError),
    ({"balance": D("1000.005")}, ValueError),  # amounts are whole centavos
    ({"balance": D("1e30")}, ValueError),
    ({"rate": D("100")}, ValueError),
    ({"product": "hipoteca"}, ValueError),
    ({"denomination": "udis"}, ValueError),
    ({"borrower_sex": "X"}, ValueError),
    ({"missed_payments": -1}, ValueError),
    ({"origination_date": date(2026, 3, 11)}, ValueError),
    ({"active_solutions": frozenset({"XYZ"})}, ValueError),
    ({"uses_ever": {"BCN": -1}}, ValueError),
])
def test_facts_refuse_impossible_values(changes, error):
    with pytest.raises(error):
        replace(RC_BASE, **changes)


# --- properties ---------------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=D("3000000"), places=2, allow_nan=False, allow_infinity=False)
small_money = st.decimals(min_value=0, max_value=D("60000"), places=2, allow_nan=False, allow_infinity=False)
maybe_months = st.none() | st.integers(0, 120)


@st.composite
def credit_facts(draw):
    as_of = draw(st.dates(min_value=date(2022, 5, 1), max_value=date(2026, 12, 31)))
    return CreditFacts(
        as_of=as_of, product=draw(st.sampled_from(PRODUCTS)), denomination=draw(st.sampled_from(["vsm", "pesos"])),
        origination_date=draw(st.dates(min_value=date(1990, 1, 1), max_value=as_of)),
        amount_lent=draw(money), balance=draw(money), monthly_payment=draw(small_money),
        monthly_insurance_and_fees=draw(st.decimals(min_value=0, max_value=D("2000"), places=2)),
        rate=draw(st.decimals(min_value=0, max_value=D("15"), places=2)),
        remaining_months=draw(st.integers(0, 360)), missed_payments=draw(st.integers(0, 24)),
        payments_made=draw(st.integers(0, 360)),
        borrower_birth_date=draw(st.dates(min_value=date(1940, 1, 1), max_value=date(2004, 12, 31))),
        borrower_sex=draw(st.sampled_from(["H", "M"])), monthly_income=draw(small_money),
        monthly_pension=draw(small_money), contributing_to_imss=draw(st.booleans()), employed=draw(st.booleans()),
        active_solutions=draw(st.frozensets(st.sampled_from(SOLUTION_CODES), max_size=2)),
        legal_proceedings=draw(st.booleans()), cofinanced=draw(st.booleans()), frozen=draw(st.booleans()),
        consecutive_payments=draw(maybe_months), months_unemployed=draw(maybe_months),
        months_employed_before_job_loss=draw(maybe_months), months_in_current_job=draw(maybe_months),
        income_at_origination=draw(st.none() | small_money),
        employer_agreement_filed=draw(st.booleans()),
        fpp_months_used_last_5_years=draw(st.integers(0, 8)), prorroga_months_used=draw(st.integers(0, 30)),
        uses_last_12_months={"BCN": draw(st.integers(0, 3))}, uses_ever={"JUBILADOS": draw(st.integers(0, 4))})


PAYMENT_REDUCING = {"JUBILADOS", "DCP", "STM", "PARO_TECNICO", "FPP"}


@settings(max_examples=400, deadline=None)
@given(credit_facts())
def test_every_result_is_consistent(facts):
    for result in evaluate_all(facts, params(facts.as_of)):
        assert result.eligible == (result.reasons == ())  # reasons are empty iff eligible
        if not result.eligible:
            assert result.amounts == {} and result.new_terms == {}
        for name, value in result.amounts.items():
            assert value >= 0, (result.code, name)  # no negative discount, payment, month
        if "monthly_payment" in result.amounts and result.code in PAYMENT_REDUCING:
            assert result.amounts["monthly_payment"] <= facts.installment
        if result.code == "RC" and result.eligible:
            assert result.amounts["new_balance"] + result.amounts["discount"] == facts.balance
        if result.code == "DLA" and result.eligible:
            assert result.amounts["amount_to_pay"] + result.amounts["discount"] == facts.balance
        if result.code == "BCN" and result.eligible:
            assert result.amounts["capitalized"] <= facts.balance and result.amounts["reward"] <= facts.balance


@st.composite
def rc_candidates(draw):
    """Credits that meet every RC condition: only the amounts vary."""
    lent = draw(st.decimals(min_value=D("10000"), max_value=D("800000"), places=2))
    return replace(
        RC_BASE, amount_lent=lent,
        balance=to_centavos(lent * D("1.5")) + draw(st.decimals(min_value=D("0.01"), max_value=D("2000000"), places=2)),
        monthly_payment=draw(st.decimals(min_value=D("0.01"), max_value=D("40000"), places=2)),
        rate=draw(st.decimals(min_value=0, max_value=D("15"), places=2)),
        remaining_months=draw(st.integers(1, 360)),
        monthly_income=draw(st.decimals(min_value=0, max_value=D("38308.86"), places=2)))


@settings(max_examples=300, deadline=None)
@given(rc_candidates())
def test_rc_discount_is_never_negative_and_adds_up(facts):
    result = responsabilidad_compartida(facts, params())
    assert result.eligible
    new_balance, discount = result.amounts["new_balance"], result.amounts["discount"]
    assert discount >= 0 and new_balance >= 0
    assert new_balance + discount == facts.balance
    assert new_balance == new_balance.quantize(D("0.01"))
    assert result.amounts["rate"] <= facts.rate  # a conversion never raises the rate (default terms)


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=D("1"), max_value=D("1000000"), places=2), st.data())
def test_dla_amounts_add_up_and_halve_the_balance(lent, data):
    balance = data.draw(st.decimals(min_value=D("0.01"), max_value=lent / 4, places=2))
    result = early_payoff_discount(replace(DLA_BASE, amount_lent=lent, balance=balance), params())
    assert result.eligible
    discount, to_pay = result.amounts["discount"], result.amounts["amount_to_pay"]
    assert discount >= 0 and to_pay + discount == balance and abs(to_pay - discount) <= D("0.01")
    # and the payment of exactly that amount settles with that discount
    if discount > 0:
        outcome = dla_payment_outcome(to_pay, balance, to_pay)
        assert outcome.kind == "exact" and outcome.discount == discount


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=D("0.02"), max_value=D("1000000"), places=2), st.data())
def test_dla_payment_outcome_accounts_for_every_peso(balance, data):
    eligible = data.draw(st.decimals(min_value=D("0.01"), max_value=balance, places=2))
    paid = data.draw(st.decimals(min_value=D("0.01"), max_value=balance * 2, places=2))
    outcome = dla_payment_outcome(eligible, balance, paid)
    assert outcome.ordinary_payment + outcome.settlement + outcome.not_refunded == paid
    assert outcome.discount >= 0
    assert outcome.with_discount == (eligible <= paid < balance)


def test_default_terms_are_the_documented_ones():
    # The defaults staff see as assumed (ASSUMED_TERMS): a change here must be a decision, not an accident.
    assert DEFAULT_TERMS.dcp_payment_share == D("0.50") and DEFAULT_TERMS.stm_payment_share == D("0.75")
    assert DEFAULT_TERMS.jubilados_payoff_months == 12 and DEFAULT_TERMS.fpp_from == date(2009, 1, 1)
    assert [(band.upper, band.rate) for band in DEFAULT_TERMS.rc_rate_bands] == [
        (D("2.0"), D("1.91")), (D("3.0"), D("3.55")), (D("4.0"), D("5.70")), (D("5.0"), D("7.41")),
        (D("6.0"), D("9.03")), (None, D("10.45"))]


def test_the_rules_know_the_same_products_as_the_credit_model():
    # Rules cannot import Django, so the codes are listed twice; this keeps the two lists one definition.
    from ventanilla.infonavit.models import Credit
    from ventanilla.infonavit.rules.solutions import base

    assert set(base.PRODUCTS) == set(Credit.Product.values)
