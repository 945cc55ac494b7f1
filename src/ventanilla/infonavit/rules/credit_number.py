"""Our 10-digit credit number: 9 digits + 1 check digit. Pure Python.

Infonavit's numbering is not public (shared/domain/infonavit.md only says the number has 10 digits: it is
the reference a remittance agent takes for Sin Fronteras), so we design ours:

- Body: 9 digits, never starting with 0 (a leading zero is lost when a number passes through a
  spreadsheet or a keypad field typed as a number). It is a bijection of the credit's serial (its row id):
  100,000,000 + serial × 618,033,989 mod 900,000,000. The multiplier is coprime to 900,000,000, so
  distinct serials give distinct numbers without a lookup or a retry, consecutive credits do not get
  consecutive numbers, and the demo generator can compute them for millions of rows at once.
- Check digit: the Damm algorithm (H. M. Damm, 2004; python-stdnum's `stdnum.damm`). Its table is a
  totally anti-symmetric quasigroup of order 10, so it catches every single-digit error and every
  transposition of adjacent digits with one decimal digit. Luhn (the NSS's) misses 09 ↔ 90, and ISO 7064
  MOD 11-10 lets about 2 % of adjacent transpositions through (measured: tests/infonavit/
  test_rules_credit_number.py); both catch every single-digit error. A letter check character (MOD 11-2)
  would not fit a numbers-only reference field.
"""

from stdnum import damm

LENGTH = 10
BODY_LENGTH = 9
BODY_FIRST = 100_000_000
BODY_SPACE = 900_000_000  # bodies 100,000,000 … 999,999,999
SCRAMBLE = 618_033_989  # coprime to BODY_SPACE (no factor 2, 3 or 5): serial → body is a bijection
_SEPARATORS = str.maketrans({" ": None, "-": None, "\t": None, ".": None})


def body_for(serial: int) -> int:
    """The 9-digit body of credit `serial` (0 ≤ serial < 900,000,000)."""
    if not 0 <= serial < BODY_SPACE:
        raise ValueError("serial out of range")
    return BODY_FIRST + serial * SCRAMBLE % BODY_SPACE


def check_digit(body: str) -> str:
    return damm.calc_check_digit(body)


def credit_number(serial: int) -> str:
    body = str(body_for(serial))
    return body + check_digit(body)


def normalize(raw: str) -> str:
    """As people type or copy it: without spaces, dashes or dots."""
    return (raw or "").strip().translate(_SEPARATORS) if isinstance(raw, str) else ""


def problem(number: str) -> str | None:
    """Why a (normalised) number is not a credit number: a stable code, or None when it is valid."""
    if not number.isascii() or not number.isdigit():
        return "invalid_format"
    if len(number) != LENGTH:
        return "invalid_length"
    if number[0] == "0":
        return "invalid_format"
    if not damm.is_valid(number):
        return "invalid_check_digit"
    return None


def is_valid(number: str) -> bool:
    return isinstance(number, str) and problem(number) is None
