"""Types shared by the API schemas."""

from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import BeforeValidator


def _decimal_text(value):
    return str(value) if isinstance(value, Decimal | int) else value


# Money and quantities leave the API as decimal strings ("2633.12"), never as binary floats.
DecimalString = Annotated[str, BeforeValidator(_decimal_text)]


class StrictSchema(Schema):
    """A request body whose unknown keys are a 422 naming them (a typo must not be silently ignored)."""

    model_config = {"extra": "forbid"}
