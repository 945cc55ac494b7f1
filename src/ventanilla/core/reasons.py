"""Why a rule decided what it decided: a stable code plus the sentence in Spanish and in English (IMSS and
Infonavit rules alike).

Rules never import Django, so they cannot translate; they return both texts and the caller picks one.
"""

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

_MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
              "octubre", "noviembre", "diciembre")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


@dataclass(frozen=True)
class Reason:
    code: str
    es: str
    en: str

    def text(self, language: str) -> str:
        """The sentence in `language` ("es", "en", "en-us"...); Spanish unless English is asked for."""
        return self.en if language.lower().startswith("en") else self.es

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def number(value: Decimal | int) -> str:
    """Weeks, days, percentages: 12 stays "12", 8.57 stays "8.57" (no trailing zeros)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"


def money(value: Decimal) -> str:
    """Pesos as Mexico writes them in both languages: 7,132.44."""
    return f"{Decimal(value):,.2f}"


def date_es(day: date) -> str:
    return f"{day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"


def date_en(day: date) -> str:
    return f"{_MONTHS_EN[day.month - 1]} {day.day}, {day.year}"
