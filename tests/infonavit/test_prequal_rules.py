"""rules/prequalification: worked examples from shared/domain/infonavit.md and properties."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from ventanilla.infonavit.rules import prequalification as rules
from ventanilla.reference.params import ParamSnapshot

# 2026 values (shared/domain/reference-values.md): UMA 117.31 a day, 3,566.22 a month; SM 315.04.
P2026 = ParamSnapshot(on=date(2026, 3, 2), uma_daily=D("117.31"), uma_monthly=D("3566.22"),
                      uma_annual=D("42794.64"), sm_general=D("315.04"), sm_zlfn=D("440.87"))
P2025 = ParamSnapshot(on=date(2025, 6, 2), uma_daily=D("113.14"), uma_monthly=D("3439.46"),
                      uma_annual=D("41273.52"), sm_general=D("278.80"), sm_zlfn=D("419.88"))
P2024 = ParamSnapshot(on=date(2024, 6, 3), uma_daily=D("108.57"), uma_monthly=D("3300.53"),
                      uma_annual=D("39606.36"), sm_general=D("248.93"), sm_zlfn=D("374.89"))


def person(**overrides) -> rules.Applicant:
    facts = {"birth_date": date(1995, 6, 1), "sex": "H", "monthly_salary": D("10698.66"),  # 3 UMA in 2026
             "scv_balance": D("40000.00"), "continuous_bimesters": 12, "worker_type": "permanent",
             "employed": True, "owns_home": False}
    return rules.Applicant(**{**facts, **overrides})


def offers(result) -> dict:
    return {offer.product: offer for offer in result.products}


def test_a_30_year_old_man_earning_3_uma():
    result = rules.prequalify(person(), date(2026, 3, 2), P2026)
    # Points: salary part full from 3 UMA and age 30 (235), SCV 40,000 of 6 x 10,698.66 (77 of 124), 12
    # bimesters (191 and the remainder's 268), permanent (123), stable (130), employer (129).
    assert result.points == {"age_salary": 235, "scv_savings": 77, "continuous_contribution": 191,
                             "worker_type": 123, "job_stability": 130, "employer_record": 129, "other": 268}
    # 10,698.66 <= 2 x 315.04 x 30.4 = 19,154.43: the low-income T100 model, points / 10 = 115 >= 100.
    assert (result.model, result.total_points, result.minimum_points, result.qualifies) == ("T100", 115, 100, True)
    credito = offers(result)["credito_infonavit"]
    # 3.0 UMA in 2026: 3.50 + (10.45 - 3.50) x 0.6 / 4.2 = 4.49 %; 30 years (30 + 30 <= 70); the payment
    # 30 % of the salary = 3,209.60, whose present value at 4.49 %/12 over 360 months is 634,193.86.
    assert (credito.rate, credito.term_years, credito.monthly_payment) == (D("4.49"), 30, D("3209.60"))
    assert credito.max_amount == D("634193.86") and credito.total_cost == D("1155456.00")  # 3,209.60 x 360
    cofinavit = offers(result)["cofinavit"]
    assert cofinavit.rate == D("10.45") and cofinavit.max_amount == D("352314.88")
    mejoravit = offers(result)["mejoravit"]  # 90 % of the SCV at 10 % (<= 41,273.47), 5 years (assumed)
    assert (mejoravit.max_amount, mejoravit.rate, mejoravit.term_years) == (D("36000.00"), D("10.00"), 5)
    assert mejoravit.monthly_payment == D("764.89")
    assert result.assumed_caps is True  # 2026 caps are 2025's carried forward
    assert "caps_assumed" in {reason.code for reason in result.reasons}


def test_a_68_year_old_womans_term_and_a_mans():
    woman = rules.prequalify(person(birth_date=date(1958, 1, 10), sex="M"), date(2026, 3, 2), P2026)
    assert {o.term_years for o in woman.products if o.product != "mejoravit"} == {7}  # 68 + 7 = 75
    man = rules.prequalify(person(birth_date=date(1958, 1, 10)), date(2026, 3, 2), P2026)
    assert offers(man)["credito_infonavit"].term_years == 2  # 68 + 2 = 70
    old = rules.prequalify(person(birth_date=date(1955, 1, 10)), date(2026, 3, 2), P2026)
    assert all(o.term_years == 0 and not o.eligible and o.max_amount == 0 for o in old.products)
    assert "no_term" in {reason.code for reason in old.reasons}


def test_the_2025_caps_hold_and_are_not_assumed():
    rich = person(monthly_salary=D("100000.00"), scv_balance=D("900000.00"))
    result = rules.prequalify(rich, date(2025, 6, 2), P2025, second_person=rich)
    found = offers(result)
    assert found["credito_infonavit"].max_amount == D("2830672.54")
    assert found["unamos"].max_amount == D("5095210.00")
    assert found["cofinavit"].max_amount == D("1117823.00")
    assert found["mejoravit"].max_amount == D("163030.21") and found["mejoravit"].rate == D("11.00")
    assert found["credito_infonavit"].rate == D("10.45")  # 29 UMA >= 6.6 UMA
    assert result.model == "T1000" and result.total_points == 1200 and result.qualifies
    assert result.assumed_caps is False
    assert {"cap_credito_infonavit", "cap_unamos", "cap_cofinavit"} <= {r.code for r in result.reasons}


def test_rates_by_income_band():
    on_2024, on_2026 = date(2024, 6, 3), date(2026, 3, 2)
    # June 2021 table (ends published, in between linear, assumed).
    assert rules.rate_for_income(D("1.2"), on_2024) == D("1.91")
    assert rules.rate_for_income(D("1.5"), on_2024) == D("1.91")
    assert rules.rate_for_income(D("2.0"), on_2024) == D("3.33")
    assert rules.rate_for_income(D("2.05"), on_2024) == D("3.33")  # 0.1-UMA steps: 2.05 reads as 2.0
    assert rules.rate_for_income(D("2.5"), on_2024) == D("4.42")  # 3.55 + 1.96 x 0.4 / 0.9
    assert rules.rate_for_income(D("6.0"), on_2024) == D("10.42")
    assert rules.rate_for_income(D("6.1"), on_2024) == D("10.45")
    # 2025 ends: 3.50 % up to 2.4 UMA, 10.45 % from 6.6 UMA.
    assert rules.rate_for_income(D("2.4"), on_2026) == D("3.50")
    assert rules.rate_for_income(D("4.5"), on_2026) == D("6.98")  # 3.50 + 6.95 x 2.1 / 4.2 = 6.975
    assert rules.rate_for_income(D("6.6"), on_2026) == D("10.45")


def test_abroad_without_a_job_scores_what_it_can_and_says_why():
    migrant = person(employed=False, monthly_salary=D("40000.00"), scv_balance=D("300000.00"))
    result = rules.prequalify(migrant, date(2026, 3, 2), P2026)
    assert result.points["worker_type"] == result.points["job_stability"] == result.points["employer_record"] == 0
    codes = {reason.code for reason in result.reasons}
    assert {"zero_worker_type", "zero_job_stability", "zero_employer_record"} <= codes
    # 235 + 124 + 191 + 268 = 818 points; the T1000 minimum prorated: 1,080 x 818 / 1,200 = 736 (assumed).
    assert (result.total_points, result.model, result.minimum_points, result.qualifies) == (818, "T1000", 736, True)
    assert result.bienestar.eligible is False  # Vivienda para el Bienestar asks for a formal job
    assert [r.code for r in result.bienestar.reasons] == ["bienestar_no_job", "bienestar_income"]
    no_history = rules.prequalify(person(employed=False, continuous_bimesters=0, scv_balance=D("0"),
                                         monthly_salary=D("0")), date(2026, 3, 2), P2026)
    assert no_history.total_points == 0 and not no_history.qualifies
    assert {"zero_age_salary", "zero_scv_savings", "zero_continuous_contribution"} <= {
        r.code for r in no_history.reasons}


def test_vivienda_para_el_bienestar_is_its_own_path_and_opens_no_point_gated_product():
    # 1-2 SM a month (9,577.22-19,154.43 in 2026), formal job, no home, 3 bimesters: Bienestar applies, but
    # 235 + 69 + 48 + 123 + 65 + 129 + 67 = 736 points, 74 on T100 (minimum 100): short of points.
    worker = person(monthly_salary=D("12000.00"), scv_balance=D("40000.00"), continuous_bimesters=3)
    result = rules.prequalify(worker, date(2026, 3, 2), P2026, second_person=person())
    assert (result.total_points, result.model, result.minimum_points, result.qualifies) == (74, "T100", 100, False)
    assert result.bienestar.eligible is True
    assert [r.code for r in result.bienestar.reasons] == ["bienestar_met"]
    # Crédito Infonavit, Unamos, Cofinavit and Mejoravit stay gated on the points.
    assert {product: offer.eligible for product, offer in offers(result).items()} == {
        "credito_infonavit": False, "unamos": False, "cofinavit": False, "mejoravit": False}
    told = {r.code: r for r in result.reasons}
    assert {"points_short", "bienestar"} <= set(told)
    assert told["bienestar"].en.startswith("Without the points the products below are not available, but "
                                           "Vivienda para el Bienestar applies")


def test_bienestar_alongside_points_and_each_missed_condition_named():
    # 3 UMA (10,698.66) is within 1-2 SM (up to 19,154.43): qualifies by points and also meets Bienestar.
    both = rules.prequalify(person(), date(2026, 3, 2), P2026)
    assert both.qualifies is True and both.bienestar.eligible is True
    assert all(offer.eligible for offer in both.products)
    assert "Also meets Vivienda para el Bienestar" in {r.code: r for r in both.reasons}["bienestar"].en
    worker = person(monthly_salary=D("12000.00"), scv_balance=D("0"), continuous_bimesters=3)
    before = rules.prequalify(worker, date(2025, 9, 30), P2025).bienestar  # from October 2025
    assert (before.eligible, [r.code for r in before.reasons]) == (False, ["bienestar_not_yet"])
    owner = rules.prequalify(person(monthly_salary=D("12000.00"), continuous_bimesters=2, owns_home=True),
                             date(2026, 3, 2), P2026).bienestar
    assert [r.code for r in owner.reasons] == ["bienestar_owns_home", "bienestar_contribution"]
    high = rules.prequalify(person(monthly_salary=D("19154.44")), date(2026, 3, 2), P2026).bienestar
    assert [r.code for r in high.reasons] == ["bienestar_income"]  # 2 x 315.04 x 30.4 = 19,154.432
    assert "($9,577.22 to $19,154.43)" in high.reasons[0].en
    assert "bienestar" not in {r.code for r in rules.prequalify(person(monthly_salary=D("19154.44")),
                                                                date(2026, 3, 2), P2026).reasons}


def test_unamos_needs_both_people_to_qualify():
    nobody = person(employed=False, continuous_bimesters=0, scv_balance=D("0"), monthly_salary=D("0"))
    result = rules.prequalify(person(), date(2026, 3, 2), P2026, second_person=nobody)
    unamos = offers(result)["unamos"]
    assert unamos.eligible is False and result.second_person_points == 0
    assert "second_person_short" in {reason.code for reason in result.reasons}


@settings(max_examples=300, deadline=None)
@given(amount=st.decimals(min_value=D("0.01"), max_value=D("9999999.99"), places=2),
       rate=st.decimals(min_value=D("0"), max_value=D("30"), places=2), months=st.integers(1, 360))
def test_payments_repay_the_amount(amount, rate, months):
    payment = rules.monthly_payment(amount, rate, months)
    assert payment * months >= amount
    assert payment == payment.quantize(D("0.01"))


@settings(max_examples=200, deadline=None)
@given(birth=st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 3, 1)), sex=st.sampled_from(rules.SEXES),
       salary=st.decimals(min_value=D("0"), max_value=D("500000"), places=2),
       scv=st.decimals(min_value=D("0"), max_value=D("3000000"), places=2), bimesters=st.integers(0, 360),
       employed=st.booleans(), worker_type=st.sampled_from(rules.WORKER_TYPES))
def test_terms_points_and_caps_hold(birth, sex, salary, scv, bimesters, employed, worker_type):
    on = date(2026, 3, 2)
    applicant = person(birth_date=birth, sex=sex, monthly_salary=salary, scv_balance=scv,
                       continuous_bimesters=bimesters, employed=employed, worker_type=worker_type)
    result = rules.prequalify(applicant, on, P2026, second_person=applicant)
    age = rules.age_on(birth, on)
    caps = rules.caps_for(2026)
    for offer in result.products:
        assert 0 <= offer.term_years <= 30
        if offer.term_years:  # no term fits past the limit age: term 0, nothing offered
            assert age + offer.term_years <= rules.AGE_LIMIT[sex]
        else:
            assert not offer.eligible and offer.max_amount == 0
        assert 0 <= offer.max_amount <= getattr(caps, offer.product)
        assert offer.total_cost >= offer.max_amount
    for name, maximum in rules.PUBLISHED_MAXIMA.items():
        assert 0 <= result.points[name] <= maximum
