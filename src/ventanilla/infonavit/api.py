"""Infonavit over HTTP: the public simulators, and credits for who may see them."""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from ventanilla.core import idempotency
from ventanilla.core.errors import DomainError, FieldError
from ventanilla.core.schemas import DecimalString, StrictSchema
from ventanilla.core.throttling import public_throttle
from ventanilla.infonavit import selectors as credit_selectors
from ventanilla.infonavit import services as credit_services
from ventanilla.infonavit.rules import solutions
from ventanilla.infonavit.validation import MAX_MONTHS, simulation_facts, solution_params
from ventanilla.people.api_auth import private
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


# --- credits, statements and payments by credit number ------------------------------------------------------
# Private (session or bearer token, people.api_auth): each role sees the credits selectors.visible_credits
# gives it (the borrower their own, an officer their consulate's borrowers', Infonavit staff all).

class CreditOut(Schema):
    number: str
    borrower_id: int
    product: str
    denomination: str
    status: str
    origination_date: date
    amount_lent: DecimalString
    rate: DecimalString
    term_months: int


class NextPaymentOut(Schema):
    due_on: date
    amount: DecimalString
    installment: DecimalString
    arrears: DecimalString


class CreditSummaryOut(CreditOut):
    balance: DecimalString
    arrears: DecimalString
    missed_payments: int
    monthly_payment: DecimalString
    installment: DecimalString
    next_payment: NextPaymentOut | None
    as_of: date


class MovementOut(Schema):
    sequence: int
    posted_on: date
    kind: str
    amount: DecimalString
    capital: DecimalString
    interest: DecimalString
    insurance: DecimalString
    excess: DecimalString
    balance_after: DecimalString
    operation_id: str
    channel: str


class CreditPaymentIn(StrictSchema):
    amount: str = Field(..., description="Pesos, decimal string with a dot and at most two decimals",
                        examples=["3245.00"])
    paid_at: str = Field(..., description="ISO 8601 date or date-time; without an offset it is Mexico City time")
    operation_id: str | None = Field(None, description="The operation number (1-64 characters); when absent, the "
                                                       "Idempotency-Key header is the operation number")
    channel: Literal["window", "api", "spei", "remittance"] = "api"


CREDIT_READERS = private(credit_selectors.CREDIT_READER_ROLES)


def _summary(credit, on: date) -> dict:
    summary = credit_selectors.credit_summary(credit, on)
    return {**CreditOut.from_orm(credit).dict(), "balance": summary.balance, "arrears": summary.arrears,
            "missed_payments": summary.missed_payments, "monthly_payment": summary.monthly_payment,
            "installment": summary.installment, "as_of": on,
            "next_payment": dataclasses.asdict(summary.next_payment) if summary.next_payment else None}


def _movement(entry) -> dict:
    return {name: getattr(entry, name) for name in MovementOut.model_fields}


@router.get("/credits", response=list[CreditOut], auth=CREDIT_READERS, summary="Credits this account may see")
@paginate
def list_credits(request: HttpRequest):
    return credit_selectors.visible_credits(request.auth).order_by("number")


@router.get("/credits/{number}", response=CreditSummaryOut, auth=CREDIT_READERS,
            summary="A credit's balance, arrears and next payment (404 when not yours to see)")
def get_credit(request: HttpRequest, number: str):
    return _summary(credit_selectors.get_visible_credit(request.auth, number), timezone.localdate())


@router.get("/credits/{number}/statement", auth=CREDIT_READERS,
            summary="Movements of a period with the opening and closing balance (default: the last 12 months)")
def get_statement(request: HttpRequest, number: str, start: str = "", end: str = ""):
    """`start` and `end` are ISO dates (inclusive); a bad one is a 422 naming it."""
    credit = credit_selectors.get_visible_credit(request.auth, number)
    today = timezone.localdate()
    first, last = credit_selectors.statement_period(start, end, today)
    found = credit_selectors.statement(credit, first, last, today)
    return {"number": credit.number, "start": first, "end": last,
            "opening_balance": str(found.movements.opening_balance),
            "closing_balance": str(found.movements.closing_balance), "charges": str(found.charges),
            "reductions": str(found.reductions), "paid": str(found.paid),
            "summary": CreditSummaryOut(**_summary(credit, today)).dict(),
            "movements": [MovementOut(**_movement(entry)).dict() for entry in found.entries]}


@router.post("/credits/{number}/payments", response={201: MovementOut}, auth=private(credit_services.PAYMENT_RECORDER_ROLES),
             summary="Record a payment of a credit by its number (accepts an Idempotency-Key header)")
def record_credit_payment(request: HttpRequest, number: str, payload: CreditPaymentIn):
    """Applied to insurance and fees, then interest, then capital. Idempotent per operation number (the
    same data again answers the stored payment; other data is a 409) and per Idempotency-Key."""
    credit = credit_selectors.get_visible_credit(request.auth, number)
    key = request.headers.get("Idempotency-Key")
    operation = payload.operation_id or key
    if not operation:
        raise DomainError(FieldError("operation_id", "required",
                                     _("Indique el número de operación o la cabecera Idempotency-Key.")))
    body = {**payload.dict(), "number": credit.number}

    def write():
        entry = credit_services.record_payment(request.auth, credit, amount=payload.amount, paid_at=payload.paid_at,
                                               operation_id=operation, channel=payload.channel)
        return 201, MovementOut(**_movement(entry)).dict()

    status, answer = idempotency.run_once(key, f"infonavit.credit_payment:{request.auth.pk}", body, write)
    return Status(status, answer)
