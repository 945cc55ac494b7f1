"""What makes a payment acceptable, as pure functions (no Django, no clock, no database).

The same functions judge a payment typed at a window, sent to the API and read from a bank file, so the
three channels refuse the same things with the same codes. Services map the codes to messages.
"""

import re
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal

ISSUED, PAID, CANCELLED = "issued", "paid", "cancelled"
FILE_COLUMNS = ("reference", "amount", "paid_at", "operation_id")

# A bank amount: digits, a dot, at most two decimals; no sign, no thousands separator, no exponent.
_AMOUNT = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,2})?")
# Bank operation numbers (folio, clave de rastreo SPEI, remittance control number): printable ASCII,
# no spaces or commas, at most 64 characters (the width of Payment.operation_id).
_OPERATION_ID = re.compile(r"[0-9A-Za-z._:/#-]{1,64}")


def parse_amount_text(raw: str) -> Decimal | None:
    """An amount as a bank writes it ("1234.50"), or None when it is not one."""
    text = raw.strip()
    if not _AMOUNT.fullmatch(text):
        return None
    return Decimal(text)


def is_valid_amount(value: Decimal) -> bool:
    """A positive amount in whole centavos that fits NUMERIC(14, 2)."""
    return value.is_finite() and Decimal(0) < value < Decimal(10) ** 12 and value == value.quantize(Decimal("0.01"))


def parse_paid_at(raw: str, local: tzinfo) -> datetime | None:
    """An ISO 8601 date ("2026-03-10", taken as local midnight) or date and time; a time without offset is
    local (the bank's, Mexico City by default). None when it is neither."""
    text = raw.strip()
    if len(text) < 8:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=local)
    return value


def is_valid_operation_id(value: str) -> bool:
    return bool(_OPERATION_ID.fullmatch(value))


def refusal_for(status: str, reference_amount: Decimal, due_date: date, amount: Decimal,
                paid_on: date) -> str | None:
    """Why a payment of `amount` made on local date `paid_on` cannot settle a reference, or None.

    A reference is paid once, in full, by its due date (a late payment needs a new reference, because the
    owner's rules may change the amount: imss-abroad.md, "Contributions")."""
    if status == CANCELLED:
        return "cancelled"
    if status == PAID:
        return "already_paid"
    if paid_on > due_date:
        return "expired"
    if amount != reference_amount:
        return "wrong_amount"
    return None


def header_positions(header: list[str], columns: tuple[str, ...] = FILE_COLUMNS) -> tuple[dict[str, int], list[str]]:
    """Where each expected column is in a file's header (any order, any case, extra columns ignored),
    and the names of the missing ones."""
    names = [name.strip().lower() for name in header]
    positions = {column: names.index(column) for column in columns if column in names}
    return positions, [column for column in columns if column not in positions]


# --- Infonavit Sin Fronteras: remittance settlement files ---------------------------------------------------
# One CSV layout for every allied company (documented in the upload screen and README): the company's
# operation number, the 10-digit credit number, when it was paid, the dollars received, who paid and from
# which US state. The company is chosen on upload, not written on each line.
SETTLEMENT_COLUMNS = ("operation_id", "credit_number", "paid_at", "amount_usd", "payer", "us_state")
PAYER_KINDS = ("borrower", "relative", "third_party")  # shared/domain/infonavit.md, "Infonavit Sin Fronteras"
# The 50 states, DC and Puerto Rico by USPS code: where the payer sends from.
US_STATES = frozenset("""AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH
NJ NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY""".split())


def pesos_for(amount_usd: Decimal, usd_mxn_rate: Decimal) -> Decimal:
    """Pesos credited for dollars at the day's rate, half-up to centavos (shared/domain/reference-values.md,
    "Exchange rate")."""
    return (amount_usd * usd_mxn_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def remittance_operation_id(company_code: str, company_operation: str) -> str:
    """The operation number the payment carries everywhere else (ledger, payments): a company's number is
    unique only within that company, so it is prefixed with the company's code."""
    return f"{company_code}:{company_operation}"
