"""Infonavit over HTTP: the public simulators, and credits for who may see them."""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router

from ventanilla.core.schemas import StrictSchema
from ventanilla.core.throttling import public_throttle
from ventanilla.infonavit.rules import solutions
from ventanilla.infonavit.validation import MAX_MONTHS, simulation_facts, solution_params
from ventanilla.reference.params import ParamSnapshot

router = Router(tags=["infonavit"])


# --- relief solutions (Cobranza Social) ---------------------------------------------------------------

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
    facts = simulation_facts(payload.model_dump())
    params = solution_params(facts.as_of)
    return solutions_answer(solutions.evaluate_all(facts, params), params)
