"""Credit numbers: 9 digits from the credit's serial + a Damm check digit (rules/credit_number.py)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.iso7064 import mod_11_10

from ventanilla.infonavit.demo import credit_numbers
from ventanilla.infonavit.rules import credit_number as cn

SERIALS = st.integers(min_value=0, max_value=cn.BODY_SPACE - 1)


def test_worked_examples():
    assert cn.check_digit("572") == "4"  # Damm's own example (Damm 2004; Wikipedia "Damm algorithm")
    assert cn.body_for(1) == 718_033_989  # 100,000,000 + 618,033,989 mod 900,000,000
    assert cn.credit_number(1) == "7180339894"
    assert cn.credit_number(0) == "1000000005"
    assert cn.is_valid("7180339894")


@pytest.mark.parametrize(("raw", "code"), [
    ("7180339895", "invalid_check_digit"), ("718033989", "invalid_length"), ("71803398944", "invalid_length"),
    ("71803398A4", "invalid_format"), ("0180339894", "invalid_format"), ("", "invalid_format"),
    ("７１８０３３９８９４", "invalid_format"),  # full-width digits are digits to str.isdigit, not to us
])
def test_problems_have_codes(raw, code):
    assert cn.problem(raw) == code
    assert not cn.is_valid(raw)


def test_normalize_strips_what_people_type_between_digits():
    assert cn.normalize(" 718-033 989.4 ") == "7180339894"
    assert cn.normalize(None) == ""


def test_serial_out_of_range_is_refused():
    with pytest.raises(ValueError):
        cn.body_for(cn.BODY_SPACE)
    with pytest.raises(ValueError):
        cn.body_for(-1)


@given(SERIALS)
def test_every_generated_number_is_valid_ten_digits_without_leading_zero(serial):
    number = cn.credit_number(serial)
    assert len(number) == 10 and number[0] != "0" and cn.is_valid(number)


@given(st.lists(SERIALS, min_size=2, max_size=50, unique=True))
def test_distinct_serials_give_distinct_numbers(serials):
    assert len({cn.credit_number(s) for s in serials}) == len(serials)


@given(SERIALS, st.integers(0, 9), st.integers(1, 9))
def test_every_single_digit_error_is_caught(serial, position, shift):
    number = cn.credit_number(serial)
    wrong = number[:position] + str((int(number[position]) + shift) % 10) + number[position + 1:]
    assert not cn.is_valid(wrong)


@given(SERIALS, st.integers(0, 8))
def test_every_adjacent_transposition_is_caught(serial, position):
    number = cn.credit_number(serial)
    if number[position] == number[position + 1]:
        return
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2:]
    assert not cn.is_valid(swapped)


def _missed_transpositions(check) -> int:
    """Adjacent transpositions a check-digit scheme lets through, over every pair of digits in the body."""
    missed = 0
    for a in range(10):
        for b in range(10):
            if a == b:
                continue
            for position in range(8):
                body = list("123456789")
                body[position], body[position + 1] = str(a), str(b)
                good = "".join(body)
                swapped = good[:position] + good[position + 1] + good[position] + good[position + 2:]
                missed += check(good) == check(swapped)
    return missed


def test_why_damm_and_not_luhn_or_mod_11_10():
    """The choice documented in rules/credit_number.py: the alternatives miss some transpositions."""
    assert _missed_transpositions(cn.check_digit) == 0
    assert _missed_transpositions(luhn.calc_check_digit) > 0  # 09 ↔ 90
    assert _missed_transpositions(mod_11_10.calc_check_digit) > 0


def test_demo_column_form_equals_the_scalar_rule_on_10000_serials():
    rng = np.random.default_rng(7)
    serials = np.concatenate([np.arange(0, 2_000), rng.integers(0, cn.BODY_SPACE, size=10_000),
                              np.array([cn.BODY_SPACE - 1])])
    got = credit_numbers(serials).tolist()
    assert [str(n) for n in got] == [cn.credit_number(int(s)) for s in serials]
