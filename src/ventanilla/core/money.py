"""Money is Decimal, rounded half-up to centavos only where a rule says so."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
CENTAVO = Decimal("0.01")
ZERO = Decimal("0.00")


def to_centavos(value: Decimal | int | str) -> Decimal:
    """Round half-up to centavos (the usual rule for amounts payable in pesos)."""
    return Decimal(value).quantize(CENTAVO, rounding=ROUND_HALF_UP)


def round_to(value: Decimal, places: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def parse_amount(raw: str | int | Decimal, *, places: int = 2) -> Decimal:
    """Parse an amount typed or sent as text; refuse floats, misplaced commas and too many decimals.
    A sign is kept: callers say whether a negative amount makes sense."""
    if isinstance(raw, float):  # a binary float never becomes money
        raise ValueError("float")
    text = str(raw).strip()
    if "," in text:
        if not _THOUSANDS.match(text):  # "12000,50" is not twelve hundred thousand pesos
            raise ValueError("not_a_number")
        text = text.replace(",", "")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError("not_a_number") from exc
    if not value.is_finite():
        raise ValueError("not_a_number")
    if value.as_tuple().exponent < -places:  # type: ignore[operator]
        raise ValueError("too_many_decimals")
    return value


def percent(rate_percent: Decimal) -> Decimal:
    """A rate stored as a percentage (2.00 means 2 %) as a factor."""
    return Decimal(rate_percent) / Decimal(100)


def plain(value: Decimal) -> str:
    """A rate as people write it: 6.36100 → "6.361", 20.40000 → "20.4" (never exponent notation)."""
    return format(Decimal(value).normalize(), "f")
