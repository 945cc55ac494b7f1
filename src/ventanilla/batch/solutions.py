"""The nine relief rules of infonavit.rules.solutions, vectorised with Polars: one frame of credit facts in,
each solution's eligibility and amounts out. Pure: no Django, no database, no clock.

One definition of each rule: the scalar rules are the definition; this module restates them column-wise,
reads their constants and SolutionTerms, and tests/batch/test_solutions_vectorised.py holds the two equal
(eligibility and every amount, to the centavo) on more than 10,000 generated credits.

Columns (one row per credit; money in integer centavos, `rate` in ten-thousandths of a percent: 10.45 % is
104500). A missing optional column takes the CreditFacts default (FACT_DEFAULTS), so a caller passes only
what it knows. `active_solutions` is a bitmask over SOLUTION_CODES (bit i for the i-th code);
`bcn_uses_last_12_months` and `jubilados_uses_ever` are the two counts the rules read from
uses_last_12_months and uses_ever. `monthly_income` may be null: the portfolio does not know it, and an
unknown income is RC's "income ≤ 4 SM" condition not shown (DCP and STM ask for the income at origination
too, unknown as well, so they read it as not shown already).

As of one date per call: the parameters (UMA, minimum wage) are those in force on `as_of`.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

import polars as pl

from ventanilla.core.ages import birthday
from ventanilla.core.money import to_centavos
from ventanilla.infonavit.rules.solutions import SOLUTION_CODES, SolutionTerms, present_value, relief
from ventanilla.infonavit.rules.solutions import arrears as bcn
from ventanilla.infonavit.rules.solutions import conversion as rc
from ventanilla.infonavit.rules.solutions import payoff as dla
from ventanilla.infonavit.rules.solutions.base import DEFAULT_TERMS, FPP_MAX_MONTHS

BIT = {code: 1 << index for index, code in enumerate(SOLUTION_CODES)}
RATE_SCALE = 10_000  # rate column: ten-thousandths of a percent

# CreditFacts' defaults for the facts a caller may leave out (infonavit/rules/solutions/base.py).
FACT_DEFAULTS = {
    "consecutive_payments": None, "arrears": None, "arrears_interest_from_third_missed": None,
    "arrears_insurance_and_fees": None, "months_unemployed": None, "months_employed_before_job_loss": None,
    "months_in_current_job": None, "income_at_origination": None, "employer_agreement_filed": False,
    "fpp_months_used_last_5_years": 0, "prorroga_months_used": 0, "bcn_uses_last_12_months": 0,
    "jubilados_uses_ever": 0, "active_solutions": 0, "legal_proceedings": False,
    # Not a CreditFacts field: the balance DLA is fixed on (the 1st's, selectors.solution_previews); null: balance.
    "dla_balance": None,
}
REQUIRED = ("credit_id", "product", "denomination", "origination_date", "amount_lent", "balance",
            "monthly_payment", "monthly_insurance_and_fees", "rate", "remaining_months", "missed_payments",
            "payments_made", "borrower_birth_date", "monthly_income", "monthly_pension", "contributing_to_imss",
            "employed", "cofinanced")
# Output amount columns (centavos, or months, or the rate scale), null when the solution is not eligible.
AMOUNT_COLUMNS = ("rc_new_balance", "rc_discount", "rc_monthly_payment", "rc_rate", "dla_discount",
                  "dla_amount_to_pay", "bcn_capitalized", "bcn_reward", "jubilados_monthly_payment",
                  "dcp_monthly_payment", "stm_monthly_payment", "paro_tecnico_monthly_payment",
                  "fpp_monthly_payment", "fpp_months", "prorroga_months", "prorroga_monthly_payment")
# Present values within this many centavos of a half centavo are recomputed with the scalar Decimal
# arithmetic (floats are exact to about 1e-5 centavos at these sizes), so rounding matches to the centavo.
_TIE_MARGIN = 1e-3


@dataclass(frozen=True)
class Params:
    """What the rules read from reference.params_at(as_of)."""

    as_of: date
    uma_monthly: Decimal
    sm_general: Decimal

    @classmethod
    def from_snapshot(cls, snapshot) -> "Params":
        return cls(snapshot.on, snapshot.require("uma_monthly"), snapshot.sm_general)


def _col(frame_columns: set[str], name: str) -> pl.Expr:
    if name in frame_columns:
        return pl.col(name)
    return pl.lit(FACT_DEFAULTS[name])


def _half_up_div(numerator: pl.Expr, denominator: int) -> pl.Expr:
    """numerator / denominator rounded half-up, for non-negative integers (core.money.to_centavos)."""
    return (numerator * 2 + denominator) // (2 * denominator)


def _before_birthday(born: pl.Expr, years: int, as_of: date) -> pl.Expr:
    """as_of < core.ages.birthday(born, years), column-wise. A birthday moves with the birth date, so this is
    born > the last birth date whose birthday falls on or before as_of, found with core.ages.birthday itself
    (its 29 February rule included) and compared as one date constant."""
    approx = date(as_of.year - years, as_of.month, min(as_of.day, 28))
    last = max(approx + timedelta(days=shift) for shift in range(-3, 5)
               if birthday(approx + timedelta(days=shift), years) <= as_of)
    return born > pl.lit(last)


def _pv_float(payment: pl.Expr, rate: pl.Expr, months: pl.Expr) -> pl.Expr:
    """rules.solutions.present_value in float centavos (payment in centavos, rate in the rate scale)."""
    monthly = rate.cast(pl.Float64) / (1200 * RATE_SCALE)
    factor = (1 - (1 + monthly).pow(-months.cast(pl.Float64))) / monthly
    pv = pl.when(rate == 0).then(payment.cast(pl.Float64) * months).otherwise(payment.cast(pl.Float64) * factor)
    return pl.when(months <= 0).then(0.0).otherwise(pv)


def _floor_centavos(value: Decimal) -> int:
    """The largest whole number of centavos not above `value` pesos: `x_centavos > value` ⟺ `x > this`."""
    return int((value * 100).to_integral_value(rounding=ROUND_FLOOR))


def evaluate(frame: pl.DataFrame, params: Params, terms: SolutionTerms = DEFAULT_TERMS) -> pl.DataFrame:
    """`frame` with `eligible` (the bitmask) and AMOUNT_COLUMNS added."""
    columns = set(frame.columns)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise ValueError(f"missing columns: {missing}")
    as_of = params.as_of
    c = pl.col
    opt = {name: _col(columns, name) for name in FACT_DEFAULTS}
    balance, payment, fees = c("balance"), c("monthly_payment"), c("monthly_insurance_and_fees")
    installment = payment + fees
    missed, employed, active = c("missed_payments"), c("employed"), opt["active_solutions"]
    has_balance = balance > 0
    legal_ok = ~opt["legal_proceedings"].cast(pl.Boolean)
    restructure_mask = sum(BIT[code] for code in terms.restructure_codes)
    no_restructure = (active & restructure_mask) == 0
    cofinanced = c("cofinanced") | (c("product") == "cofinavit")  # base.is_cofinanced
    originated = c("origination_date")
    fund_used_up = (employed | (originated < pl.lit(terms.fpp_from))  # base.fund_used_up
                    | (opt["fpp_months_used_last_5_years"] >= FPP_MAX_MONTHS))

    def active_has(code: str) -> pl.Expr:
        return (active & BIT[code]) != 0

    # --- RC (conversion.responsabilidad_compartida)
    income = c("monthly_income")
    income_limit = _floor_centavos(rc.RC_MAX_INCOME_SM * params.sm_general * terms.days_per_month)
    continuous = pl.coalesce(opt["consecutive_payments"],
                             pl.when(missed == 0).then(c("payments_made")).otherwise(0))
    window_open = not (as_of >= rc.RC_WINDOW_SINCE and as_of.day < rc.RC_WINDOW_FIRST_DAY)
    rc_ok = (has_balance & (c("denomination") == "vsm") & (c("product") == "tradicional") & ~cofinanced
             & ~_before_birthday(c("borrower_birth_date"), terms.rc_min_age, as_of)
             & income.is_not_null() & (income <= income_limit)
             & (continuous >= rc.RC_MIN_CONTINUOUS_PAYMENTS)
             & ~_before_birthday(originated, rc.RC_MIN_CREDIT_YEARS, as_of)
             & (balance * 2 > c("amount_lent") * 3)  # debt > 1.5 × lent (RC_DEBT_OVER_LENT)
             & pl.lit(window_open) & no_restructure
             & (c("remaining_months") > 0) & (payment > 0))
    assert rc.RC_DEBT_OVER_LENT == Decimal("1.5")
    band_rate = pl.lit(int(terms.rc_rate_bands[-1].rate * RATE_SCALE))
    for band in reversed(terms.rc_rate_bands[:-1]):  # rc_rate: the first band whose upper end holds the income
        upper = _floor_centavos(band.upper * params.uma_monthly)
        band_rate = pl.when(income <= upper).then(int(band.rate * RATE_SCALE)).otherwise(band_rate)
    new_rate = pl.min_horizontal(band_rate, c("rate")) if terms.rc_rate_not_above_current else band_rate

    # --- DLA (payoff.early_payoff_discount)
    assert dla.DLA_DISCOUNT == Decimal("0.50") and dla.DLA_MAX_BALANCE_SHARE == Decimal("0.25")
    dla_balance = pl.coalesce(opt["dla_balance"], balance)
    dla_ok = (dla_balance > 0) & c("product").is_in(sorted(terms.dla_products)) & (dla_balance * 4 <= c("amount_lent"))
    dla_pay = _half_up_div(dla_balance, 2)

    # --- BCN (arrears.borron_y_cuenta_nueva)
    bcn_ok = (has_balance & (missed >= bcn.BCN_MIN_MISSED) & (missed <= bcn.BCN_MAX_MISSED) & fund_used_up
              & (c("remaining_months") >= bcn.BCN_MIN_MONTHS_LEFT) & legal_ok & (active == 0)
              & (opt["bcn_uses_last_12_months"] < bcn.BCN_MAX_USES_PER_YEAR))  # plus "payable": below
    capitalized = pl.min_horizontal(pl.coalesce(opt["arrears"], missed * installment), balance)
    estimated_interest = (missed - bcn.BCN_ONE_PAYMENT_REWARD_MAX_MISSED) * balance * c("rate")  # ÷ 12,000,000
    interest_scaled = pl.coalesce(opt["arrears_interest_from_third_missed"] * (1200 * RATE_SCALE),
                                  estimated_interest)
    fees_owed = pl.coalesce(opt["arrears_insurance_and_fees"], missed * fees)
    reward = pl.min_horizontal(
        pl.when(missed <= bcn.BCN_ONE_PAYMENT_REWARD_MAX_MISSED).then(payment).otherwise(
            _half_up_div(interest_scaled + fees_owed * (1200 * RATE_SCALE), 1200 * RATE_SCALE)),
        balance)

    # --- Apoyo a Jubilados (relief.apoyo_a_jubilados)
    assert relief.JUBILADOS_PENSION_SHARE == Decimal("0.25")
    pension = c("monthly_pension")
    jubilados_payment = _half_up_div(pension, 4) + fees
    jubilados_ok = (has_balance & (pension > 0) & ~c("contributing_to_imss") & ~employed
                    & (c("payments_made") >= relief.JUBILADOS_MIN_PAYMENTS) & legal_ok
                    & (c("remaining_months") > terms.jubilados_payoff_months)
                    & (opt["jubilados_uses_ever"] < relief.JUBILADOS_MAX_USES) & ~active_has("JUBILADOS")
                    & (jubilados_payment < installment))

    # --- DCP and STM read "income lower than at origination" (relief._income_not_lower)
    income_lower = (opt["income_at_origination"].is_not_null() & income.is_not_null()
                    & (income < opt["income_at_origination"])).fill_null(False)
    dcp_ok = (has_balance & (~employed | income_lower)
              & ~_before_birthday(originated, relief.DCP_MIN_CREDIT_YEARS, as_of) & fund_used_up
              & ~active_has("DCP"))
    stm_recent = _before_birthday(originated, relief.STM_MIN_CREDIT_YEARS, as_of)
    in_job = opt["months_in_current_job"]
    stm_employed_ok = ~stm_recent & in_job.is_not_null() & (in_job >= relief.STM_MIN_MONTHS_IN_JOB) & income_lower
    stm_ok = (has_balance
              & pl.when(employed).then(stm_employed_ok.fill_null(False))
              .when(c("denomination") == "vsm").then(~stm_recent).otherwise(True)
              & ~(active_has("STM") & (missed > 0)))

    # --- Paro técnico
    paro_ok = has_balance & (missed == 0) & no_restructure & opt["employer_agreement_filed"].cast(pl.Boolean)

    # --- FPP
    unemployed_for, worked = opt["months_unemployed"], opt["months_employed_before_job_loss"]
    fpp_used = opt["fpp_months_used_last_5_years"]
    fpp_ok = (has_balance & (originated >= pl.lit(terms.fpp_from)) & ~employed
              & (unemployed_for.is_not_null() & (unemployed_for >= relief.FPP_MIN_MONTHS_UNEMPLOYED)).fill_null(False)
              & (worked.is_not_null() & (worked >= relief.FPP_MIN_MONTHS_EMPLOYED)).fill_null(False)
              & (missed <= relief.FPP_MAX_MISSED) & (active == 0) & (fpp_used < FPP_MAX_MONTHS))

    # --- Prórroga
    from_1997 = originated >= pl.lit(relief.PRORROGA_TOTAL_FROM)
    prorroga_left = relief.PRORROGA_MONTHS_TOTAL - opt["prorroga_months_used"]
    prorroga_ok = (has_balance & ~employed & (missed <= relief.PRORROGA_MAX_MISSED) & ~active_has("PRORROGA")
                   & (~from_1997 | (prorroga_left > 0)))
    prorroga_months = pl.when(from_1997).then(
        pl.min_horizontal(pl.lit(relief.PRORROGA_MONTHS_AT_A_TIME), prorroga_left)).otherwise(
        relief.PRORROGA_MONTHS_AT_A_TIME)

    def share(numerator: int, denominator: int) -> pl.Expr:  # relief._share_of_installment
        return _half_up_div(installment * numerator, denominator)

    assert terms.dcp_payment_share == Decimal("0.50") and terms.stm_payment_share == Decimal("0.75")
    assert relief.PARO_TECNICO_REDUCTION == Decimal("0.25") and relief.FPP_BORROWER_SHARE == Decimal("0.10")
    # The present values first (their rounding needs the exact fallback), then every answer in one lazy pass:
    # conditions are expressions, not stored columns, so millions of rows cost only the output columns.
    staged = frame.lazy().with_columns(_rc_rate=new_rate).with_columns(
        _rc_pv=_pv_float(payment, c("_rc_rate"), c("remaining_months")),
        _bcn_pv=_pv_float(payment, c("rate"), c("remaining_months"))).collect()
    staged = staged.with_columns(_round_pv(staged, "_rc_pv", "_rc_rate").alias("_rc_repay"),
                                 _round_pv(staged, "_bcn_pv", "rate").alias("_bcn_repay")).drop("_rc_pv", "_bcn_pv")
    rc_new_balance = pl.min_horizontal(balance, c("_rc_repay"))
    bcn_ok = bcn_ok & (c("_bcn_repay") >= balance)  # BCN: payable within the original term

    def when(ok: pl.Expr, value: pl.Expr | int) -> pl.Expr:
        return pl.when(ok).then(value).otherwise(None).cast(pl.Int64)

    flags = {"RC": rc_ok, "DLA": dla_ok, "BCN": bcn_ok, "JUBILADOS": jubilados_ok, "DCP": dcp_ok, "STM": stm_ok,
             "PARO_TECNICO": paro_ok, "FPP": fpp_ok, "PRORROGA": prorroga_ok}
    eligible = sum(flags[code].cast(pl.Int16) * BIT[code] for code in SOLUTION_CODES)
    return staged.lazy().with_columns(
        eligible=eligible.cast(pl.Int16),
        rc_new_balance=when(rc_ok, rc_new_balance),
        rc_discount=when(rc_ok, balance - rc_new_balance),
        rc_monthly_payment=when(rc_ok, installment),
        rc_rate=when(rc_ok, c("_rc_rate")),
        dla_discount=when(dla_ok, dla_balance - dla_pay),
        dla_amount_to_pay=when(dla_ok, dla_pay),
        bcn_capitalized=when(bcn_ok, capitalized),
        bcn_reward=when(bcn_ok, reward),
        jubilados_monthly_payment=when(jubilados_ok, jubilados_payment),
        dcp_monthly_payment=when(dcp_ok, share(1, 2)),
        stm_monthly_payment=when(stm_ok, share(3, 4)),
        paro_tecnico_monthly_payment=when(paro_ok, share(3, 4)),
        fpp_monthly_payment=when(fpp_ok, share(1, 10)),
        fpp_months=when(fpp_ok, FPP_MAX_MONTHS - fpp_used),
        prorroga_months=when(prorroga_ok, prorroga_months),
        prorroga_monthly_payment=when(prorroga_ok, 0),
    ).drop("_rc_rate", "_rc_repay", "_bcn_repay").collect()


def _round_pv(frame: pl.DataFrame, pv: str, rate: str) -> pl.Series:
    """to_centavos(present_value(...)) in centavos: floats half-up, and the rows whose float lies within
    _TIE_MARGIN of a half centavo recomputed with the scalar rule's Decimal arithmetic."""
    values = frame[pv]
    rounded = (values + 0.5).floor().cast(pl.Int64)
    fraction = values - values.floor()
    near_tie = ((fraction - 0.5).abs() < _TIE_MARGIN).fill_null(False)
    if not near_tie.any():
        return rounded.rename(pv)
    ties = frame.select(pl.int_range(pl.len()).alias("i"), "monthly_payment", pl.col(rate).alias("r"),
                        "remaining_months").filter(near_tie)
    exact = [int(to_centavos(present_value(Decimal(payment_c).scaleb(-2), Decimal(rate_scaled).scaleb(-4),
                                           months)).scaleb(2))
             for _i, payment_c, rate_scaled, months in ties.iter_rows()]
    return rounded.scatter(ties["i"], pl.Series(exact, dtype=pl.Int64)).rename(pv)
