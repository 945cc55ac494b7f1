"""Ledger arithmetic (rules/ledger.py): worked examples by hand, and properties over generated histories."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ventanilla.infonavit.rules.ledger import (
    Movement,
    Position,
    allocate_payment,
    disbursement,
    fold,
    is_settled,
    level_payment,
    missed_payments,
    monthly_accrual,
    monthly_interest,
    vsm_adjusted_payment,
    vsm_adjustment,
)

D = Decimal
CENTS = st.integers(min_value=0, max_value=10**9).map(lambda c: D(c).scaleb(-2))
POSITIVE_CENTS = st.integers(min_value=1, max_value=10**9).map(lambda c: D(c).scaleb(-2))
RATES = st.integers(min_value=0, max_value=15_000).map(lambda r: D(r).scaleb(-3))  # 0.000 … 15.000 %


# --- worked examples ---------------------------------------------------------------------------------

def test_monthly_interest_is_a_twelfth_of_the_yearly_rate_half_up():
    assert monthly_interest(D("500000.00"), D("10.45")) == D("4354.17")  # 500,000 × 0.1045 / 12 = 4,354.1666…
    assert monthly_interest(D("1001.00"), D("6")) == D("5.01")  # 5.005: half-up, not to even
    assert monthly_interest(D("0.00"), D("10")) == D("0.00")
    assert monthly_interest(D("-5.00"), D("10")) == D("0.00")


def test_level_payment_of_the_textbook_loan():
    assert level_payment(D("100000"), D("12"), 12) == D("8884.88")  # 1 % a month for a year
    assert level_payment(D("1200"), D("0"), 12) == D("100.00")
    with pytest.raises(ValueError):
        level_payment(D("1200"), D("5"), 0)


def test_accrual_bills_payment_plus_insurance_and_fees():
    position = Position(capital=D("100000.00"))
    accrual = monthly_accrual(position, D("12"), monthly_payment=D("1500.00"), insurance_and_fees=D("50.00"))
    assert accrual.interest == Movement(interest=D("1000.00"), due=D("1500.00"))
    assert accrual.insurance == Movement(insurance=D("50.00"), due=D("50.00"))
    assert accrual.billed == D("1550.00")


def test_last_installment_is_only_what_is_left():
    position = Position(capital=D("500.00"))
    accrual = monthly_accrual(position, D("12"), monthly_payment=D("1500.00"), insurance_and_fees=D("50.00"))
    assert accrual.interest.interest == D("5.00")
    assert accrual.billed == D("555.00")  # 500 + 5 + 50, not 1,550
    assert accrual.insurance.due == D("50.00") and accrual.interest.due == D("505.00")


def test_payment_pays_insurance_then_interest_then_capital():
    owed = Position(capital=D("100000.00"), interest=D("1000.00"), insurance=D("50.00"), due=D("1550.00"))
    split = allocate_payment(D("1550.00"), owed)
    assert (split.insurance, split.interest, split.capital, split.excess) == (D("50.00"), D("1000.00"),
                                                                            D("500.00"), D("0.00"))
    assert split.movement() == Movement(capital=D("-500.00"), interest=D("-1000.00"), insurance=D("-50.00"),
                                        due=D("-1550.00"))
    short = allocate_payment(D("200.00"), owed)
    assert (short.insurance, short.interest, short.capital) == (D("50.00"), D("150.00"), D("0.00"))


def test_payment_above_the_balance_leaves_an_excess():
    split = allocate_payment(D("1000.00"), Position(capital=D("700.00"), insurance=D("10.00")))
    assert (split.insurance, split.capital, split.excess) == (D("10.00"), D("700.00"), D("290.00"))
    with pytest.raises(ValueError):
        allocate_payment(D("0"), Position())


def test_vsm_adjustment_worked_examples():
    """2024: a = 4.66 % (reference-values.md)."""
    assert vsm_adjustment(D("250000.00"), D("4.66")) == Movement(capital=D("11650.00"))
    assert vsm_adjusted_payment(D("3000.00"), D("4.66")) == D("3139.80")
    assert vsm_adjustment(D("150.00"), D("4.99")).capital == D("7.49")  # 7.485 half-up (2022: 4.99 %)
    assert vsm_adjustment(D("0.00"), D("4.66")) == Movement()
    assert vsm_adjustment(D("1000.00"), D("0")).capital == D("0.00")  # 2025 freeze: a = 0


def test_missed_payments_counts_a_partly_paid_month():
    assert missed_payments(Position(capital=D("9000"), due=D("3100.00")), D("1550.00")) == 2
    assert missed_payments(Position(capital=D("9000"), due=D("3100.01")), D("1550.00")) == 3
    assert missed_payments(Position(capital=D("9000"), due=D("-10.00")), D("1550.00")) == 0


# --- properties --------------------------------------------------------------------------------------------

@given(POSITIVE_CENTS, CENTS, CENTS, CENTS, st.integers(-10**9, 10**9).map(lambda c: D(c).scaleb(-2)))
def test_allocation_parts_sum_to_the_payment_and_are_never_negative(amount, insurance, interest, capital, due):
    position = Position(capital=capital, interest=interest, insurance=insurance, due=due)
    split = allocate_payment(amount, position)
    assert split.insurance + split.interest + split.capital + split.excess == amount
    assert min(split.insurance, split.interest, split.capital, split.excess) >= 0
    assert split.insurance <= insurance and split.interest <= interest and split.capital <= capital
    assert split.excess == max(amount - position.balance, D(0))


# A history: one disbursement, then months, each accrued and paid with some amount (0 = missed).
HISTORY = st.tuples(POSITIVE_CENTS, RATES, POSITIVE_CENTS, CENTS,
                    st.lists(st.one_of(st.just(D(0)), POSITIVE_CENTS, st.just(None)), max_size=40))


def _run(lent, rate, payment, fees, months):
    """Yield (movements so far, position) after every entry; None pays the whole balance."""
    movements = [disbursement(lent)]
    position = fold(movements)
    yield movements, position
    for paid in months:
        if is_settled(position):
            return
        accrual = monthly_accrual(position, rate, payment, fees)
        for movement in (accrual.interest, accrual.insurance):
            movements.append(movement)
            position = position.after(movement)
            yield movements, position
        amount = position.balance if paid is None else paid
        if amount > 0:
            movement = allocate_payment(amount, position).movement()
            movements.append(movement)
            position = position.after(movement)
            yield movements, position


@settings(max_examples=200)
@given(HISTORY)
def test_ledger_balance_equals_the_sum_of_its_entries(history):
    for movements, position in _run(*history):
        assert position == fold(movements)
        assert position.balance == sum((m.amount for m in movements), D(0))


@settings(max_examples=200)
@given(HISTORY)
def test_a_settled_credit_has_balance_zero_and_nothing_owed(history):
    for _movements, position in _run(*history):
        assert min(position.capital, position.interest, position.insurance) >= 0  # never owed less than nothing
        assert position.due <= position.balance or position.due <= 0  # never due more than owed
        if is_settled(position):
            assert position.balance == 0 and position.arrears == 0
            assert position.capital == position.interest == position.insurance == 0


@given(HISTORY)
def test_paying_the_balance_settles(history):
    *_, (movements, position) = _run(*history)
    if position.balance > 0:
        position = position.after(allocate_payment(position.balance, position).movement())
    assert is_settled(position) and position.balance == 0


@given(st.lists(st.builds(Movement, CENTS, CENTS, CENTS, CENTS), max_size=20),
       st.builds(Movement, CENTS, CENTS, CENTS, CENTS))
def test_a_reversal_undoes_its_entry(movements, entry):
    before = fold(movements)
    assert fold([entry, entry.reversed()], before) == before


@given(CENTS, RATES)
def test_vsm_adjustment_is_never_negative_and_scales_the_balance(balance, rate):
    change = vsm_adjustment(balance, rate).capital
    assert change >= 0
    assert abs(change - balance * rate / 100) <= D("0.005")
