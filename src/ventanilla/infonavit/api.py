"""Infonavit over HTTP: the public simulators, and credits for who may see them."""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer

from ventanilla.core import idempotency
from ventanilla.core.errors import DomainError, FieldError
from ventanilla.core.schemas import DecimalString, StrictSchema
from ventanilla.core.throttling import public_throttle
from ventanilla.infonavit import prequal_checks, statement_cache
from ventanilla.infonavit import selectors as credit_selectors
from ventanilla.infonavit import services as credit_services
from ventanilla.infonavit.rules import prequalification, solutions
from ventanilla.infonavit.rules.solutions import effects
from ventanilla.infonavit.validation import MAX_MONTHS, simulation_facts, solution_params
from ventanilla.people import access
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
JSON = JSONRenderer()  # the API's own renderer: a cached statement is byte for byte the computed one


def _summary(credit, on: date, summary=None) -> dict:
    if summary is None:  # the statement passes the one it computed
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
    credit = credit_selectors.get_visible_credit(request.auth, number)  # access first, then the cache
    today = timezone.localdate()
    first, last = credit_selectors.statement_period(start, end, today)
    key = statement_cache.statement_key(credit, first, last, today, get_language())
    # Strong ETag: the key changes with every ledger entry (statement_cache); clients must revalidate.
    etag = f'"{key}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        def build() -> bytes:
            found = credit_selectors.statement(credit, first, last, today)
            answer = {"number": credit.number, "start": first, "end": last,
                      "opening_balance": str(found.movements.opening_balance),
                      "closing_balance": str(found.movements.closing_balance), "charges": str(found.charges),
                      "reductions": str(found.reductions), "paid": str(found.paid),
                      "summary": CreditSummaryOut(**_summary(credit, today, found.summary)).dict(),
                      "movements": [MovementOut(**_movement(entry)).dict() for entry in found.entries]}
            return JSON.render(request, answer, response_status=200).encode()

        response = HttpResponse(statement_cache.cached("api", key, build,
                                                       statement_cache.cacheable_period(first, last, today)),
                                content_type=f"{JSON.media_type}; charset={JSON.charset}")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response


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


# --- relief solutions on stored credits (Cobranza Social) ---------------------------------------------------
# The nine solutions for a visible credit with the declared facts, applying one (Idempotency-Key), and the
# four-eyes decision of Infonavit staff. Services and selectors: the "relief solutions" sections.

RELIEF_DECIDERS = private(credit_services.CREDIT_MANAGER_ROLES)
RELIEF_APPLICANTS = private(frozenset(credit_services.APPLICANT_CHANNELS))
# The channel an application comes by when the client does not say: the one of the caller's role.
_DEFAULT_CHANNEL = {role: ("staff" if "staff" in channels else next(iter(channels)))
                    for role, channels in credit_services.APPLICANT_CHANNELS.items()}


def _plan_json(plan) -> dict | None:
    if plan is None:
        return None
    return {"movements": [{"kind": p.kind, "amount": str(p.amount), "note": p.note} for p in plan.movements],
            "monthly_payment": str(plan.monthly_payment), "starts_on": plan.starts_on, "ends_on": plan.ends_on,
            "credit_changes": _plain(plan.credit_changes), "needs_approval": plan.needs_approval}


def _declared_from_query(request: HttpRequest) -> dict:
    return {name: value for name, value in request.GET.items() if name != "as_of"}


def _as_of(raw: str | None) -> date:
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise DomainError(FieldError("as_of", "invalid_date", _("Escriba la fecha como AAAA-MM-DD."))) from exc


@router.get("/credits/{number}/solutions", auth=CREDIT_READERS,
            summary="Relief solutions for a stored credit (declared facts as optional query parameters)")
def credit_solutions(request: HttpRequest, number: str):
    """As the public simulator answers, from the credit's ledger and the facts declared in the query
    (selectors.DECLARABLE_FACTS; `as_of` an ISO date, default today), plus the plan of each eligible one:
    the ledger entries and new terms applying it would post."""
    credit = credit_selectors.get_visible_credit(request.auth, number)
    on = _as_of(request.GET.get("as_of"))
    declared = credit_selectors.parse_declared(_declared_from_query(request))
    previews = credit_selectors.solution_previews(credit, on, declared)
    answer = solutions_answer([p.result for p in previews], solution_params(on))
    language = get_language() or "es"
    return {"number": credit.number, **answer,
            "plans": {p.result.code: _plan_json(p.plan) for p in previews if p.plan is not None},
            "plan_assumptions": [{"code": r.code, "message": r.text(language)} for r in effects.EFFECT_ASSUMPTIONS]}


class ApplicationIn(StrictSchema):
    declared: dict[str, str | bool | int] = Field(default_factory=dict,
                                                  description="Facts declared (selectors.DECLARABLE_FACTS)")
    channel: Literal["portal", "window", "staff"] | None = Field(None, description="Default: the caller's")


def application_json(application) -> dict:
    return {
        "id": application.pk, "credit": application.credit.number, "code": application.code,
        "status": application.status, "channel": application.channel, "requested_at": application.requested_at,
        "decided_at": application.decided_at, "refusal_reason": application.refusal_reason,
        "starts_on": application.starts_on, "ends_on": application.ends_on, "ended_on": application.ended_on,
        "end_reason": application.end_reason, "amounts": application.amounts, "new_terms": application.new_terms,
        "declared": application.declared,
        "entries": [{"sequence": e.sequence, "kind": e.kind, "posted_on": e.posted_on, "amount": str(e.amount),
                     "balance_after": str(e.balance_after), "monthly_payment_after": str(e.monthly_payment_after)}
                    for e in application.entries.order_by("sequence")],
    }


@router.post("/credits/{number}/solutions/{code}/applications", response={201: dict}, auth=RELIEF_APPLICANTS,
             summary="Apply a relief solution to a credit (Idempotency-Key header required)")
def apply_solution(request: HttpRequest, number: str, code: str, payload: ApplicationIn):
    """201 with the application (pending_approval where money is forgiven at Infonavit's discretion, else
    active or completed with its ledger entries); 422 with one error on `code` per reason it is refused.
    The same Idempotency-Key again answers the same application."""
    credit = credit_selectors.get_visible_credit(request.auth, number)
    role = access.role_of(request.auth)
    application = credit_services.apply_solution(
        request.auth, credit, code, declared=payload.declared,
        idempotency_key=request.headers.get("Idempotency-Key", ""), channel=payload.channel or _DEFAULT_CHANNEL[role])
    return Status(201, application_json(application))


@router.get("/applications/{application_id}", response=dict, auth=CREDIT_READERS,
            summary="A relief-solution application on a credit the caller may see")
def get_application(request: HttpRequest, application_id: int):
    return application_json(credit_selectors.get_visible_application(request.auth, application_id))


class RefusalIn(StrictSchema):
    reason: str = Field(min_length=1, max_length=500)


class EndIn(StrictSchema):
    reason: Literal[credit_services.END_REASONS]
    on: date | None = None


@router.post("/applications/{application_id}/approve", response=dict, auth=RELIEF_DECIDERS,
             summary="Approve an application waiting for a second person (four eyes: not the requester)")
def approve_application(request: HttpRequest, application_id: int):
    application = credit_selectors.get_visible_application(request.auth, application_id)
    return application_json(credit_services.approve_application(request.auth, application))


@router.post("/applications/{application_id}/refuse", response=dict, auth=RELIEF_DECIDERS,
             summary="Refuse an application waiting for a second person, saying why")
def refuse_application(request: HttpRequest, application_id: int, payload: RefusalIn):
    application = credit_selectors.get_visible_application(request.auth, application_id)
    return application_json(credit_services.refuse_application(request.auth, application, payload.reason))


@router.post("/applications/{application_id}/end", response=dict, auth=RELIEF_DECIDERS,
             summary="End a solution in force (a formal job ends Apoyo a Jubilados; a cancelled restructure)")
def end_application(request: HttpRequest, application_id: int, payload: EndIn):
    application = credit_selectors.get_visible_application(request.auth, application_id)
    return application_json(credit_services.end_application(request.auth, application, payload.reason, payload.on))


# --- prequalification (precalificación y puntos) and credit simulation (offers engineer) --------------------
# Public like the solutions simulator. Rules: rules/prequalification.py; checks: prequal_checks.py.

class SecondPersonIn(StrictSchema):
    """The second person of Unamos Crédito (spouse, relative or co-resident)."""

    birth_date: date
    sex: Literal["H", "M"]
    monthly_salary: str = Field(description="Pesos a month, decimal string")
    scv_balance: str = Field(description="Housing subaccount (SCV) balance in pesos")
    continuous_bimesters: int
    worker_type: Literal["permanent", "temporary"]
    employed: bool


class CreditSimulateIn(StrictSchema):
    """A person's facts (issue 5): amounts as decimal strings in pesos, dates ISO; `employed` false for
    someone abroad without a current job (2020 reform: no labour relation required)."""

    as_of: date
    birth_date: date
    sex: Literal["H", "M"]
    monthly_salary: str = Field(description="Pesos a month; abroad without a job, the income declared")
    scv_balance: str
    continuous_bimesters: int
    worker_type: Literal["permanent", "temporary"]
    employed: bool
    owns_home: bool
    second_person: SecondPersonIn | None = Field(None, description="Only for Unamos Crédito")


@router.post("/credit/simulate", auth=None, throttle=public_throttle(),
             summary="Prequalification points and credit simulation by product (no account)")
def simulate_credit(request: HttpRequest, payload: CreditSimulateIn):
    as_of, person, second, params = prequal_checks.prequalification_input(payload.model_dump())
    return prequal_checks.answer(prequalification.prequalify(person, as_of, params, second), params)


# --- notices on payroll discounts (avisos) and the mortgage cancellation letter -------------------------------
# Read only: notices are issued by the credit's events (infonavit/notices.py). The PDFs are the screens' URLs.

class NoticeOut(Schema):
    id: int
    kind: str
    event: str
    issued_on: date
    effective_from: date
    discount_type: str
    discount_value: DecimalString
    monthly_amount: DecimalString
    previous_amount: DecimalString | None
    regime: str
    employer_name: str | None
    registro_patronal: str | None
    application_id: int | None
    pdf: dict[str, str] = Field(description="URL of each copy: worker, and employer for payroll credits")


class CreditNoticesOut(Schema):
    number: str
    status: str
    notices: list[NoticeOut]
    cancellation_letter_pdf: str | None = Field(description="Only for a settled credit")


@router.get("/credits/{number}/notices", response=CreditNoticesOut, auth=CREDIT_READERS,
            summary="A credit's notices on payroll discounts (retención, suspensión, modificación) with their PDFs")
def credit_notices(request: HttpRequest, number: str):
    from django.urls import reverse

    from ventanilla.infonavit import notice_selectors

    credit = credit_selectors.get_visible_credit(request.auth, number)
    notices = []
    for notice in notice_selectors.notices_for(credit):
        employment = notice.employment
        notices.append({
            **{name: getattr(notice, name) for name in ("id", "kind", "event", "issued_on", "effective_from",
                                                        "discount_type", "discount_value", "monthly_amount",
                                                        "previous_amount", "regime", "application_id")},
            "employer_name": employment.employer_name if employment else None,
            "registro_patronal": employment.registro_patronal if employment else None,
            "pdf": {copy: reverse("infonavit:notice_pdf", args=[credit.number, notice.pk,
                                                                 notice_selectors.SLUG_OF_COPY[copy]])
                    for copy in notice_selectors.copies(notice)}})
    settled = credit.status == credit.Status.SETTLED
    return {"number": credit.number, "status": credit.status, "notices": notices,
            "cancellation_letter_pdf": reverse("infonavit:cancellation_letter", args=[credit.number]) if settled
            else None}


# --- housing subaccount (SCV), voluntary deposits and SCV refunds (the "savings" section) ------------------
# Readers as for credits: the person (own), their consulate's officer, Infonavit staff and administrators.

from ninja import File, Form, UploadedFile  # noqa: E402

from ventanilla.infonavit import refunds_services, savings_selectors, savings_services  # noqa: E402

SAVINGS_READERS = private(savings_selectors.SAVINGS_READER_ROLES)


def _saver(request: HttpRequest, person: int | None):
    """`person` omitted: the account's own subaccount (a citizen); officers and staff name the person."""
    if person is None:
        if request.auth.person_id is None:
            raise DomainError(FieldError("person", "required", _("Indique la persona.")))
        person = request.auth.person_id
    return savings_selectors.get_visible_saver(request.auth, person)


@router.get("/savings", auth=SAVINGS_READERS, summary="Housing subaccount: balance by period and movements")
def get_savings(request: HttpRequest, person: int | None = None, limit: int = 50):
    found = _saver(request, person)
    summary = savings_selectors.savings_summary(found)
    movements = savings_selectors.movements(found)[:max(1, min(limit, 500))]
    return {"person": found.pk, "total": str(summary.total),
            "periods": [{"code": p.code, "label": p.label, "balance": str(p.balance)} for p in summary.periods],
            "contributions": str(summary.contributions), "voluntary": str(summary.voluntary),
            "returns": str(summary.returns),
            "yearly_return_percent": str(summary.yearly_return_percent), "return_rate_assumed": True,
            "movements": [{"sequence": m.sequence, "kind": m.kind, "savings_period": m.savings_period,
                           "posted_on": m.posted_on, "period": m.period, "amount": str(m.amount),
                           "balance_after": str(m.balance_after)} for m in movements],
            "employment": [{"employer_name": r.employer_name, "registro_patronal": r.registro_patronal,
                            "started_on": r.started_on, "ended_on": r.ended_on, "daily_sbc": str(r.daily_sbc)}
                           for r in savings_selectors.employment_history(found)]}


class DepositIn(StrictSchema):
    amount: str = Field(..., description="Pesos, decimal string with a dot and at most two decimals",
                        examples=["2500.00"])
    person: int | None = Field(None, description="Officers and staff: the person; a citizen: omitted (own)")


@router.post("/savings/deposits", response={201: dict, 200: dict}, auth=SAVINGS_READERS,
             summary="A payment reference for a voluntary deposit to the SCV (Idempotency-Key header required)")
def request_deposit(request: HttpRequest, payload: DepositIn):
    """Paid through any channel that pays references (bank file, window); on payment the amount is credited
    to the SCV 1997. The same Idempotency-Key again answers the same reference (200)."""
    found = _saver(request, payload.person)
    deposit, created = savings_services.request_voluntary_deposit(
        request.auth, found.pk, amount=payload.amount, idempotency_key=request.headers.get("Idempotency-Key", ""))
    reference = deposit.reference
    return Status(201 if created else 200, {
        "id": deposit.pk, "person": found.pk, "amount": str(deposit.amount), "status": deposit.status,
        "reference": reference.code, "reference_formatted": reference.formatted, "due_date": reference.due_date,
        "slip_url": f"/api/v1/payments/references/{reference.code}/slip.pdf"})


def refund_json(refund) -> dict:
    today = timezone.localdate()
    return {"id": refund.pk, "person": refund.person_id, "claimant": refund.claimant, "basis": refund.basis,
            "status": refund.status, "requested_at": refund.requested_at, "due_on": refund.due_on,
            "overdue": savings_selectors.refund_is_overdue(refund, today),
            "amount": str(refund.amount) if refund.amount is not None else None,
            "paid_on": refund.paid_on, "refusal_reason": refund.refusal_reason,
            "clabe_last4": refund.clabe[-4:], "documents": sorted(d.kind for d in refund.documents.all())}


@router.post("/savings/refunds", response={201: dict, 200: dict}, auth=SAVINGS_READERS,
             summary="Ask for the devolución del saldo de la SCV (multipart form with the documents; "
                     "Idempotency-Key header required); 422 lists every unmet condition")
def request_refund(request: HttpRequest, basis: Form[str], afore: Form[str], clabe: Form[str],
                   bank_statement_date: Form[date], claimant: Form[str] = "worker", claimant_name: Form[str] = "",
                   incapacity_percent: Form[str] = "", person: Form[int | None] = None,
                   pension_resolution: File[UploadedFile] = None, bank_statement: File[UploadedFile] = None,
                   death_certificate: File[UploadedFile] = None):
    found = _saver(request, person)
    documents = {kind: upload for kind, upload in (("pension_resolution", pension_resolution),
                                                   ("bank_statement", bank_statement),
                                                   ("death_certificate", death_certificate)) if upload is not None}
    refund, created = refunds_services.request_refund(
        request.auth, found.pk, claimant=claimant, claimant_name=claimant_name, basis=basis,
        incapacity_percent=incapacity_percent or None, afore=afore, clabe=clabe,
        bank_statement_date=bank_statement_date, documents=documents,
        idempotency_key=request.headers.get("Idempotency-Key", ""))
    return Status(201 if created else 200, refund_json(refund))


@router.get("/savings/refunds/{refund_id}", response=dict, auth=SAVINGS_READERS,
            summary="A refund request's status and payment deadline (404 when not yours to see)")
def get_refund(request: HttpRequest, refund_id: int):
    return refund_json(savings_selectors.get_visible_refund(request.auth, refund_id))
