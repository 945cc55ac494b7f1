"""Types shared by the API schemas."""

from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator


def _decimal_text(value):
    return str(value) if isinstance(value, Decimal | int) else value


# Money and quantities leave the API as decimal strings ("2633.12"), never as binary floats.
DecimalString = Annotated[str, BeforeValidator(_decimal_text)]
