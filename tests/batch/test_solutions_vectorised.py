"""The batch path is the scalar rule vectorised: batch.solutions.evaluate equals
infonavit.rules.solutions.evaluate_all on generated credits (eligibility of every solution and every amount,
to the centavo). No database."""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import polars as pl
import pytest

from ventanilla.batch.solutions import AMOUNT_COLUMNS, BIT, FACT_DEFAULTS, RATE_SCALE, Params, evaluate
from ventanilla.core.money import to_centavos
from ventanilla.infonavit.rules.solutions import PRODUCTS, SOLUTION_CODES, CreditFacts, evaluate_all
from ventanilla.reference.params import ParamSnapshot

D = Decimal
# Dates that cover every window: before the permanent RC programme (2021), inside and outside the RC window
# (before the 9th, on the 9th, the last day), a 29 February and 1 March (birthdays of people born on one).
AS_OF_DATES = (date(2021, 3, 3), date(2024, 2, 29), date(2025, 3, 1), date(2026, 3, 8), date(2026, 3, 9),
               date(2026, 11, 30))
PER_DATE = 1_800  # 10,800 credits in all
AMOUNT_NAMES = {"RC": ("new_balance", "discount", "monthly_payment", "rate"), "DLA": ("discount", "amount_to_pay"),
                "BCN": ("capitalized", "reward"), "JUBILADOS": ("monthly_payment",), "DCP": ("monthly_payment",),
                "STM": ("monthly_payment",), "PARO_TECNICO": ("monthly_payment",),
                "FPP": ("monthly_payment", "months"), "PRORROGA": ("months", "monthly_payment")}


def params(on: date) -> ParamSnapshot:
    # UMA and minimum wage of the year of `on` (shared/domain/reference-values.md); built without the database.
    uma, sm = {2021: ("2724.45", "141.70"), 2024: ("3300.53", "248.93"), 2025: ("3439.46", "278.80"),
               2026: ("3566.22", "315.04")}[on.year]
    return ParamSnapshot(on=on, uma_daily=D(uma) / D("30.4"), uma_monthly=D(uma), uma_annual=D(uma) * 12,
                         sm_general=D(sm), sm_zlfn=None)


def _pick(rng, size, *choices, p=None):
    return rng.choice(np.array(choices, dtype=object), size=size, p=p)


def generate(as_of: date, size: int, seed: int) -> list[dict]:
    """Credits spread over every branch: both denominations, every product, balances around 25 % and 150 %
    of the amount lent, 0-12 missed payments, ages around 40, credits around 1, 2 and 15 years old,
    incomes around the RC limit and the bands, pensions, the optional facts known or not."""
    rng = np.random.default_rng(seed)
    uma = int(params(as_of).require("uma_monthly") * 100)  # centavos
    # incomes inside and at the ends of every RC rate band (multiples of the monthly UMA), 4.1-5.0 and 5.1-6.0 too
    band_incomes = [int(uma * k) + delta for k in (1, 2, 3, 4, 4.5, 5, 5.5, 6) for delta in (0, 1)]
    lent = rng.integers(2_000_000, 300_000_000, size)  # centavos
    share = rng.choice([0.0, 0.1, 0.2499, 0.25, 0.2501, 0.5, 1.0, 1.4999, 1.5, 1.5001, 2.0, 3.0], size)
    balance = np.where(rng.random(size) < 0.04, 0, np.round(lent * share + rng.integers(-2, 3, size)).astype(np.int64))
    balance = np.maximum(balance, 0)
    payment = np.where(rng.random(size) < 0.03, 0, rng.integers(50_000, 2_000_000, size))
    ages_days = rng.integers(0, 30 * 365, size)  # credits up to 30 years old
    near = rng.random(size) < 0.3  # credits right at their 1st, 2nd or 15th anniversary
    anniversary = rng.choice([1, 2, 15], size)
    rows = []
    for i in range(size):
        origination = as_of - timedelta(days=int(ages_days[i]))
        if near[i]:
            try:
                origination = as_of.replace(year=as_of.year - int(anniversary[i])) + timedelta(days=int(rng.integers(-1, 2)))
            except ValueError:
                origination = date(as_of.year - int(anniversary[i]), 2, 28)
            origination = min(origination, as_of)
        birth_years = int(rng.choice([25, 39, 40, 41, 60]))
        birth = date(as_of.year - birth_years, 1, 1) + timedelta(days=int(rng.integers(0, 366)))
        if rng.random() < 0.05:
            birth = date(1984, 2, 29) if as_of.year - 1984 >= 40 or rng.random() < 0.5 else date(1988, 2, 29)
        birth = min(birth, as_of)
        income = int(rng.choice([0, 500_000, 1_000_000, 2_500_000, 3_830_886, 3_830_887, 5_000_000, 20_000_000,
                                 int(rng.integers(0, 4_000_000)), int(rng.choice(band_incomes))]))
        missed = int(rng.choice([0, 0, 0, 1, 2, 3, 4, 9, 10, 12]))
        rate = int(rng.choice([0, 19_100, 35_500, 65_000, 90_000, 104_500, int(rng.integers(0, 120_000))]))
        row = {
            "credit_id": i, "product": str(rng.choice(PRODUCTS)), "denomination": str(_pick(rng, 1, "vsm", "pesos")[0]),
            "origination_date": origination, "amount_lent": int(lent[i]), "balance": int(balance[i]),
            "monthly_payment": int(payment[i]), "monthly_insurance_and_fees": int(rng.choice([0, 9_500, 15_000])),
            "rate": rate, "remaining_months": int(rng.choice([0, 5, 12, 13, 60, 120, 240, int(rng.integers(0, 361))])),
            "missed_payments": missed, "payments_made": int(rng.choice([0, 23, 24, 119, 120, 240])),
            "borrower_birth_date": birth, "monthly_income": income,
            "monthly_pension": int(rng.choice([0, 0, 400_000, 1_200_000, 5_000_000])),
            "contributing_to_imss": bool(rng.random() < 0.4), "employed": bool(rng.random() < 0.5),
            "cofinanced": bool(rng.random() < 0.15), "legal_proceedings": bool(rng.random() < 0.1),
            "active_solutions": int(rng.choice([0, 0, 0, 0, BIT["BCN"], BIT["STM"], BIT["DCP"], BIT["PRORROGA"],
                                                BIT["JUBILADOS"], BIT["FPP"] | BIT["RC"]])),
            "consecutive_payments": None if rng.random() < 0.6 else int(rng.choice([0, 23, 24, 100])),
            "arrears": None if rng.random() < 0.5 else int(rng.integers(0, 10_000_000)),
            "arrears_interest_from_third_missed": None if rng.random() < 0.7 else int(rng.integers(0, 500_000)),
            "arrears_insurance_and_fees": None if rng.random() < 0.7 else int(rng.integers(0, 100_000)),
            "months_unemployed": None if rng.random() < 0.4 else int(rng.choice([0, 1, 5])),
            "months_employed_before_job_loss": None if rng.random() < 0.4 else int(rng.choice([0, 5, 6, 30])),
            "months_in_current_job": None if rng.random() < 0.4 else int(rng.choice([0, 5, 6, 30])),
            "income_at_origination": None if rng.random() < 0.4 else int(rng.choice([0, income, income + 1, 9_000_000])),
            "employer_agreement_filed": bool(rng.random() < 0.3),
            "fpp_months_used_last_5_years": int(rng.choice([0, 0, 3, 6])),
            "prorroga_months_used": int(rng.choice([0, 0, 12, 20, 24])),
            "bcn_uses_last_12_months": int(rng.choice([0, 0, 1, 2])),
            "jubilados_uses_ever": int(rng.choice([0, 0, 2, 3])),
        }
        if rng.random() < 0.12:  # near RC's eligible corner, so its amounts are compared often
            row.update(product="tradicional", denomination="vsm", cofinanced=False, active_solutions=0,
                       origination_date=date(as_of.year - 20, 6, 15), borrower_birth_date=date(as_of.year - 50, 5, 2),
                       balance=int(lent[i]) * 2, payments_made=240, missed_payments=0,
                       monthly_payment=int(rng.integers(50_000, 2_000_000)),
                       remaining_months=int(rng.integers(1, 200)))
            if rng.random() < 0.5:  # an income in one of the bands, so every band's rate is compared
                row.update(monthly_income=int(rng.choice(band_incomes)), rate=104_500)
        rows.append(row)
    return rows


def _pesos(centavos):
    return None if centavos is None else D(centavos).scaleb(-2)


def to_facts(row: dict, as_of: date) -> CreditFacts:
    active = frozenset(code for code in SOLUTION_CODES if row["active_solutions"] & BIT[code])
    return CreditFacts(
        as_of=as_of, product=row["product"], denomination=row["denomination"],
        origination_date=row["origination_date"], amount_lent=_pesos(row["amount_lent"]),
        balance=_pesos(row["balance"]), monthly_payment=_pesos(row["monthly_payment"]),
        monthly_insurance_and_fees=_pesos(row["monthly_insurance_and_fees"]),
        rate=D(row["rate"]).scaleb(-4), remaining_months=row["remaining_months"],
        missed_payments=row["missed_payments"], payments_made=row["payments_made"],
        borrower_birth_date=row["borrower_birth_date"], borrower_sex="M",
        monthly_income=_pesos(row["monthly_income"]), monthly_pension=_pesos(row["monthly_pension"]),
        contributing_to_imss=row["contributing_to_imss"], employed=row["employed"], active_solutions=active,
        legal_proceedings=row["legal_proceedings"], cofinanced=row["cofinanced"], frozen=False,
        consecutive_payments=row["consecutive_payments"], arrears=_pesos(row["arrears"]),
        arrears_interest_from_third_missed=_pesos(row["arrears_interest_from_third_missed"]),
        arrears_insurance_and_fees=_pesos(row["arrears_insurance_and_fees"]),
        months_unemployed=row["months_unemployed"],
        months_employed_before_job_loss=row["months_employed_before_job_loss"],
        months_in_current_job=row["months_in_current_job"],
        income_at_origination=_pesos(row["income_at_origination"]),
        employer_agreement_filed=row["employer_agreement_filed"],
        fpp_months_used_last_5_years=row["fpp_months_used_last_5_years"],
        prorroga_months_used=row["prorroga_months_used"],
        uses_last_12_months={"BCN": row["bcn_uses_last_12_months"]},
        uses_ever={"JUBILADOS": row["jubilados_uses_ever"]})


def _expected_amount(code: str, name: str, value: Decimal) -> int:
    if name == "rate":
        return int(value * RATE_SCALE)
    if name == "months":
        return int(value)
    assert value == to_centavos(value), (code, name, value)
    return int(value.scaleb(2))


def _frame(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(rows, infer_schema_length=None, schema_overrides={
        name: pl.Int64 for name in ("arrears", "arrears_interest_from_third_missed", "arrears_insurance_and_fees",
                                    "income_at_origination", "consecutive_payments", "months_unemployed",
                                    "months_employed_before_job_loss", "months_in_current_job")})


@pytest.mark.parametrize("as_of", AS_OF_DATES, ids=str)
def test_vectorised_equals_scalar(as_of):
    rows = generate(as_of, PER_DATE, seed=as_of.toordinal())
    result = evaluate(_frame(rows), Params.from_snapshot(params(as_of)))
    snapshot = params(as_of)
    eligible_seen = dict.fromkeys(SOLUTION_CODES, 0)
    rc_rates = {out["rc_rate"] for out in result.iter_rows(named=True) if out["rc_rate"] is not None}
    for row, out in zip(rows, result.iter_rows(named=True), strict=True):
        answers = evaluate_all(to_facts(row, as_of), snapshot)
        expected_mask = sum(BIT[answer.code] for answer in answers if answer.eligible)
        assert out["eligible"] == expected_mask, (row, [(a.code, a.reasons) for a in answers])
        expected = dict.fromkeys(AMOUNT_COLUMNS)
        for answer in answers:
            eligible_seen[answer.code] += answer.eligible
            for name, value in answer.amounts.items():
                expected[f"{answer.code.lower()}_{name}"] = _expected_amount(answer.code, name, value)
            if answer.eligible:
                assert set(answer.amounts) == set(AMOUNT_NAMES[answer.code])
        assert {name: out[name] for name in AMOUNT_COLUMNS} == expected, row
    # the generator reaches every solution's eligible branch on every date but the RC-closed ones
    assert all(eligible_seen[code] for code in SOLUTION_CODES if code != "RC"), eligible_seen
    if as_of.day >= 9 or as_of.year < 2022:
        assert eligible_seen["RC"], eligible_seen
        # every RC rate band is reached, 4.1-5.0 UMA (7.41 %) and 5.1-6.0 UMA (9.03 %) included
        assert {74_100, 90_300} <= rc_rates, rc_rates


def test_missing_optional_columns_take_the_credit_facts_defaults():
    as_of = date(2026, 11, 30)
    rows = generate(as_of, 300, seed=7)
    full = _frame([{**row, **FACT_DEFAULTS} for row in rows])
    lean = _frame([{key: value for key, value in row.items() if key not in FACT_DEFAULTS} for row in rows])
    p = Params.from_snapshot(params(as_of))
    assert evaluate(full, p).select("eligible", *AMOUNT_COLUMNS).equals(
        evaluate(lean, p).select("eligible", *AMOUNT_COLUMNS))


def test_unknown_income_is_the_rc_income_condition_not_shown():
    """The portfolio does not know incomes: a null income is RC's "income ≤ 4 SM" not shown, the outcome the
    scalar rule gives an income above the limit; nothing else changes (DCP and STM read it only with the
    income at origination, which is unknown too)."""
    as_of = date(2026, 11, 30)
    rows = [{**row, **FACT_DEFAULTS} for row in generate(as_of, 1_000, seed=11)]
    p = Params.from_snapshot(params(as_of))
    unknown = evaluate(_frame([{**row, "monthly_income": None} for row in rows]), p)
    above = evaluate(_frame([{**row, "monthly_income": 10**10} for row in rows]), p)
    assert unknown["eligible"].to_list() == above["eligible"].to_list()
    assert not any(mask & BIT["RC"] for mask in unknown["eligible"].to_list())
    known = evaluate(_frame(rows), p)
    assert any(mask & BIT["RC"] for mask in known["eligible"].to_list())


def test_present_values_near_a_half_centavo_take_the_scalar_decimal_arithmetic():
    """Floats decide the rounding only away from a half centavo; near one, the scalar present_value does."""
    from ventanilla.batch.solutions import _round_pv
    from ventanilla.infonavit.rules.solutions import present_value

    frame = pl.DataFrame({"monthly_payment": [321_987, 321_987], "rate": [104_500, 104_500],
                          "remaining_months": [137, 137], "pv": [12_345.5, 12_345.2]})
    exact = int(to_centavos(present_value(D("3219.87"), D("10.45"), 137)).scaleb(2))
    assert exact != 12_346
    assert _round_pv(frame, "pv", "rate").to_list() == [exact, 12_345]
