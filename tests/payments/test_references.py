"""The reference format: 18 random characters of an unambiguous alphabet + ISO 7064 MOD 97-10 check digits."""

import random
import string
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from ventanilla.payments import rules
from ventanilla.payments.references import (
    ALPHABET,
    check_digits,
    format_reference,
    is_valid_reference,
    new_reference_code,
    new_reference_codes,
    normalize_reference,
)

codes = st.randoms(use_true_random=False).map(lambda rng: new_reference_code(rng=rng))


def _symbols_for(position: int) -> str:
    return ALPHABET if position < 18 else string.digits


def test_alphabet_has_no_confusable_letters():
    assert len(ALPHABET) == 33 and not set("ILO") & set(ALPHABET)


def test_known_check_digits():
    # n = 1 (seventeen "00" and one "01"); 98 - (100 mod 97) = 95
    assert check_digits("0" * 17 + "1") == "95"
    assert is_valid_reference("0" * 17 + "195")
    # letters count as in IBAN (A = 10 … Z = 35), written with two digits
    body = "ABCDEFGHJKMNPQRSTU"
    number = int("".join(f"{int(c, 36):02d}" for c in body))
    assert check_digits(body) == f"{98 - number * 100 % 97:02d}"


@given(codes)
def test_every_generated_code_validates(code):
    assert len(code) == 20 and set(code[:18]) <= set(ALPHABET) and code[18:].isdigit()
    assert is_valid_reference(code)


@given(codes, st.integers(0, 19), st.integers(0, 32))
def test_any_single_substitution_is_detected(code, position, pick):
    symbols = _symbols_for(position)
    replacement = symbols[pick % len(symbols)]
    if replacement == code[position]:
        replacement = symbols[(pick + 1) % len(symbols)]
    altered = code[:position] + replacement + code[position + 1:]
    assert not is_valid_reference(altered)


@given(codes, st.integers(0, 18))
def test_any_adjacent_transposition_is_detected(code, position):
    a, b = code[position], code[position + 1]
    if a == b:
        return
    altered = code[:position] + b + a + code[position + 2:]
    assert not is_valid_reference(altered)


def test_every_substitution_and_transposition_of_many_codes_is_detected():
    rng = random.Random(2026)
    for _ in range(300):
        code = new_reference_code(rng=rng)
        for position in range(20):
            for symbol in _symbols_for(position):
                if symbol != code[position]:
                    assert not is_valid_reference(code[:position] + symbol + code[position + 1:])
        for position in range(19):
            if code[position] != code[position + 1]:
                swapped = code[:position] + code[position + 1] + code[position] + code[position + 2:]
                assert not is_valid_reference(swapped)


def test_codes_are_random_and_encode_nothing():
    drawn = {new_reference_code() for _ in range(2_000)}
    assert len(drawn) == 2_000
    assert new_reference_code(rng=random.Random(1)) == new_reference_code(rng=random.Random(1))


def test_bulk_codes_have_the_scalar_check_digits_and_use_every_symbol_evenly():
    drawn = new_reference_codes(10_000)
    assert len(drawn) == len(set(drawn)) == 10_000
    assert all(len(code) == 20 and code[18:] == check_digits(code[:18]) for code in drawn)
    assert all(is_valid_reference(code) for code in drawn)
    counts = {symbol: 0 for symbol in ALPHABET}
    for code in drawn:
        for symbol in code[:18]:
            counts[symbol] += 1
    expected = 10_000 * 18 / len(ALPHABET)  # about 5,455 each; 5 standard deviations is about ±360
    assert all(abs(count - expected) < 400 for count in counts.values()), counts
    assert new_reference_codes(0) == []


def test_bulk_codes_drop_the_bytes_that_would_bias_the_alphabet():
    stream = iter([bytes([255, 231, 0, 32, 33]) + bytes(100)])  # 255, 231 dropped; 32 is Z; 33 is 0 again
    code = new_reference_codes(1, token_bytes=lambda n: next(stream)[:max(n, 5)])[0]
    assert code[:4] == "0Z00" and code[18:] == check_digits(code[:18])


def test_malformed_codes_are_not_valid():
    code = new_reference_code()
    for bad in ["", code[:-1], code + "0", code.lower(), "O" + code[1:], code[:18] + "AB", None, 12345]:
        assert not is_valid_reference(bad)


def test_format_and_normalize():
    code = new_reference_code()
    printed = format_reference(code)
    assert printed.split(" ") == [code[0:4], code[4:8], code[8:12], code[12:16], code[16:20]]
    assert normalize_reference(printed) == code
    assert normalize_reference(" " + printed.lower().replace(" ", "-") + "\t") == code
    assert normalize_reference("OIL0") == "0110"  # what people type for the symbols we never print


def test_amounts_as_banks_write_them():
    assert rules.parse_amount_text(" 1234.50 ") == Decimal("1234.50")
    assert rules.parse_amount_text("7") == Decimal("7")
    for bad in ["", "1,234.50", "1234,50", "-5.00", "+5", "1.234", "1e3", "NaN", ".5", "5.", "１２"]:
        assert rules.parse_amount_text(bad) is None, bad
    assert rules.is_valid_amount(Decimal("0.01")) and not rules.is_valid_amount(Decimal("0"))
    assert not rules.is_valid_amount(Decimal("1.005")) and not rules.is_valid_amount(Decimal("1e12"))


def test_paid_at_dates_and_times():
    local = ZoneInfo("America/Mexico_City")
    assert rules.parse_paid_at("2026-03-10", local) == datetime(2026, 3, 10, tzinfo=local)
    assert rules.parse_paid_at("2026-03-10T12:30:00", local) == datetime(2026, 3, 10, 12, 30, tzinfo=local)
    utc = rules.parse_paid_at("2026-03-10T05:00:00Z", local)
    assert utc == datetime(2026, 3, 10, 5, tzinfo=UTC) and utc.astimezone(local).date() == date(2026, 3, 9)
    for bad in ["", "10/03/2026", "2026-02-30", "yesterday", "2026-03"]:
        assert rules.parse_paid_at(bad, local) is None, bad


def test_refusals_in_order():
    due = date(2026, 3, 20)
    ok = Decimal("100.00")
    assert rules.refusal_for("issued", ok, due, ok, due) is None
    assert rules.refusal_for("cancelled", ok, due, ok, due) == "cancelled"
    assert rules.refusal_for("paid", ok, due, ok, due) == "already_paid"
    assert rules.refusal_for("issued", ok, due, ok, due + timedelta(days=1)) == "expired"
    assert rules.refusal_for("issued", ok, due, Decimal("99.99"), due) == "wrong_amount"


def test_header_positions():
    assert rules.header_positions(["Operation_ID", " reference", "extra", "amount", "PAID_AT"]) == (
        {"reference": 1, "amount": 3, "paid_at": 4, "operation_id": 0}, [])
    assert rules.header_positions(["reference", "importe"])[1] == ["amount", "paid_at", "operation_id"]
