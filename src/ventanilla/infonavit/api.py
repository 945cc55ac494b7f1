"""Infonavit over HTTP: the public simulators, and credits for who may see them."""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router

from ventanilla.core.errors import DomainError, FieldError
from ventanilla.core.money import parse_amount
from ventanilla.core.schemas import StrictSchema
from ventanilla.core.throttling import public_throttle
from ventanilla.infonavit.rules import solutions
from ventanilla.reference.params import ParamSnapshot, ParamsUnavailable
from ventanilla.reference.selectors import params_at, unavailable_message

router = Router(tags=["infonavit"])


# --- relief solutions (Cobranza Social) ---------------------------------------------------------------

MAX_MONTHS = 600  # 50 years: longer than any Infonavit term, so a typo is refused, not computed

Product = Literal[solutions.PRODUCTS]
SolutionCode = Literal[solutions.SOLUTION_CODES]


class SimulateIn(StrictSchema):
    """The facts of a credit and its borrower (issue 4): amounts as decimal strings in pesos, dates ISO."""

    as_of: date
    product: Product
    denomination: Literal["vsm", "pesos"]
    origination_date: date
    amount_lent: str = Field(description="Pesos lent at origination")
    balance: str = Field(description="Everything owed today in pesos (for VSM credits, at today's VSM value)")
    monthly_payment: str = Field(description="Capital and interest, without insurance and fees")
    monthly_insurance_and_fees: str
    rate: str = Field(description="Percent a year, e.g. 9.5")
    remaining_months: int = Field(ge=0, le=MAX_MONTHS)
    missed_payments: int = Field(ge=0, le=MAX_MONTHS)
    payments_made: int = Field(ge=0, le=MAX_MONTHS)
    borrower_birth_date: date
    borrower_sex: Literal["H", "M"]
    monthly_income: str
    monthly_pension: str
    contributing_to_imss: bool
    employed: bool
    active_solutions: list[SolutionCode]
    legal_proceedings: bool
    cofinanced: bool
    frozen: bool


_MONEY_FIELDS = ("amount_lent", "balance", "monthly_payment", "monthly_insurance_and_fees", "monthly_income",
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


def simulation_facts(payload: SimulateIn) -> solutions.CreditFacts:
    """The request as CreditFacts: every bad field is reported at once (422 naming each)."""
    errors: list[FieldError] = []
    amounts = {name: _parse(getattr(payload, name), name, 2, errors) for name in _MONEY_FIELDS}
    rate = _parse(payload.rate, "rate", 4, errors)
    if rate is not None and rate >= 100:
        errors.append(FieldError("rate", "out_of_range", _("La tasa anual debe ser menor que 100 %.")))
    # As the Credit model's check constraints: a credit lent something and has a monthly payment.
    for name in ("amount_lent", "monthly_payment"):
        if amounts[name] == 0:
            errors.append(FieldError(name, "not_positive", _("El importe debe ser mayor que cero.")))
    for name in ("origination_date", "borrower_birth_date"):
        if getattr(payload, name) > payload.as_of:
            errors.append(FieldError(name, "after_as_of", _("La fecha no puede ser posterior a as_of.")))
    if errors:
        raise DomainError(errors)
    return solutions.CreditFacts(
        as_of=payload.as_of, product=payload.product, denomination=payload.denomination,
        origination_date=payload.origination_date, rate=rate, remaining_months=payload.remaining_months,
        missed_payments=payload.missed_payments, payments_made=payload.payments_made,
        borrower_birth_date=payload.borrower_birth_date, borrower_sex=payload.borrower_sex,
        contributing_to_imss=payload.contributing_to_imss, employed=payload.employed,
        active_solutions=frozenset(payload.active_solutions), legal_proceedings=payload.legal_proceedings,
        cofinanced=payload.cofinanced, frozen=payload.frozen, **amounts)


def solution_params(on: date) -> ParamSnapshot:
    """The parameters in force on `as_of`; a date no row covers is a 422 on as_of."""
    try:
        return params_at(on)
    except ParamsUnavailable as exc:
        raise DomainError(FieldError("as_of", "out_of_range", unavailable_message(exc))) from exc


def _plain(value):
    """new_terms and assumed values as JSON: decimals as strings, dates ISO, sets sorted."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(_plain(item) for item in value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def solutions_answer(results: list[solutions.SolutionResult], params: ParamSnapshot,
                     terms: solutions.SolutionTerms = solutions.DEFAULT_TERMS) -> dict:
    """Results as the API answers them, messages in the request's language (the stored-credit path too)."""
    language = get_language() or "es"
    return {
        "solutions": [
            {"code": r.code, "eligible": r.eligible,
             "reasons": [{"code": reason.code, "message": reason.text(language)} for reason in r.reasons],
             "amounts": {key: str(value) for key, value in r.amounts.items()},
             "new_terms": _plain(r.new_terms)}
            for r in results
        ],
        "params": {
            "as_of": params.on.isoformat(), "uma_daily": str(params.uma_daily),
            "uma_monthly": str(params.uma_monthly), "sm_general": str(params.sm_general),
            "umi_daily": None if params.umi_daily is None else str(params.umi_daily),
            "assumed": list(params.assumed),
        },
        "assumed": [{"name": term.name, "value": _plain(getattr(terms, term.name, None)),
                     "description": term.text(language)} for term in solutions.ASSUMED_TERMS],
    }


@router.post("/solutions/simulate", auth=None, throttle=public_throttle(),
             summary="Relief solutions (Cobranza Social) for a credit described in the request (no account)")
def simulate_solutions(request: HttpRequest, payload: SimulateIn):
    facts = simulation_facts(payload)
    params = solution_params(facts.as_of)
    return solutions_answer(solutions.evaluate_all(facts, params), params)
