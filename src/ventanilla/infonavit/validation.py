"""Checks on the facts typed for a relief-solution simulation (input validation with translated messages),
shared by the public API and the simulator screen: one definition of what a valid simulation is. The pure
rules live in rules/solutions."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError, FieldError
from ventanilla.core.money import parse_amount
from ventanilla.infonavit.rules import solutions
from ventanilla.reference.params import ParamSnapshot, ParamsUnavailable
from ventanilla.reference.selectors import params_at, unavailable_message

MAX_MONTHS = 600  # 50 years: longer than any Infonavit term, so a typo is refused, not computed

MONEY_FIELDS = ("amount_lent", "balance", "monthly_payment", "monthly_insurance_and_fees", "monthly_income",
                "monthly_pension")


def _parse(raw: str, field: str, places: int, errors: list[FieldError]) -> Decimal | None:
    try:
        value = parse_amount(raw, places=places)
    except ValueError:
        message = (_("Escriba un importe en pesos, con hasta dos decimales.") if places == 2
                   else _("Escriba la tasa anual en por ciento, con hasta cuatro decimales."))
        errors.append(FieldError(field, "invalid_number", message))
        return None
    if value < 0:
        errors.append(FieldError(field, "negative", _("El valor no puede ser negativo.")))
        return None
    if value >= solutions.MAX_AMOUNT:
        errors.append(FieldError(field, "out_of_range", _("El valor es demasiado grande.")))
        return None
    return value


def simulation_facts(data: Mapping) -> solutions.CreditFacts:
    """The typed facts (the keys of the API's SimulateIn, already of the right type except amounts and rate,
    which are decimal strings) as CreditFacts: every bad field is reported at once, each by name."""
    errors: list[FieldError] = []
    amounts = {name: _parse(data[name], name, 2, errors) for name in MONEY_FIELDS}
    rate = _parse(data["rate"], "rate", 4, errors)
    if rate is not None and rate >= 100:
        errors.append(FieldError("rate", "out_of_range", _("La tasa anual debe ser menor que 100 %.")))
    # As the Credit model's check constraints: a credit lent something and has a monthly payment.
    for name in ("amount_lent", "monthly_payment"):
        if amounts[name] == 0:
            errors.append(FieldError(name, "not_positive", _("El importe debe ser mayor que cero.")))
    for name in ("origination_date", "borrower_birth_date"):
        if data[name] > data["as_of"]:
            errors.append(FieldError(name, "after_as_of", _("La fecha no puede ser posterior a as_of.")))
    if errors:
        raise DomainError(errors)
    return solutions.CreditFacts(
        as_of=data["as_of"], product=data["product"], denomination=data["denomination"],
        origination_date=data["origination_date"], rate=rate, remaining_months=data["remaining_months"],
        missed_payments=data["missed_payments"], payments_made=data["payments_made"],
        borrower_birth_date=data["borrower_birth_date"], borrower_sex=data["borrower_sex"],
        contributing_to_imss=data["contributing_to_imss"], employed=data["employed"],
        active_solutions=frozenset(data["active_solutions"]), legal_proceedings=data["legal_proceedings"],
        cofinanced=data["cofinanced"], frozen=data["frozen"], **amounts)


def solution_params(on: date) -> ParamSnapshot:
    """The parameters in force on `as_of`; a date no row covers is an error on as_of."""
    try:
        return params_at(on)
    except ParamsUnavailable as exc:
        raise DomainError(FieldError("as_of", "out_of_range", unavailable_message(exc))) from exc
