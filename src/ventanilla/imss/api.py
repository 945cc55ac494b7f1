"""IMSS affiliation abroad over HTTP: public simulators, and the affiliation for who may see it."""

from datetime import date
from typing import Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema, Status

from ventanilla.core import idempotency
from ventanilla.core.errors import DomainError, FieldError
from ventanilla.core.money import parse_amount, plain, to_centavos
from ventanilla.core.schemas import DecimalString, StrictSchema
from ventanilla.core.throttling import public_throttle
from ventanilla.imss import selectors, services
from ventanilla.imss.models import BenefitClaim
from ventanilla.imss.rules import benefits as benefit_rules
from ventanilla.imss.rules import contributions
from ventanilla.people import access
from ventanilla.people.api_auth import private
from ventanilla.reference.selectors import params_at

router = Router(tags=["imss"])

Zone = Literal["general", "zlfn"]
Periodicity = Literal["monthly", "bimonthly", "semiannual", "annual"]


def _reasons(reasons) -> list[dict]:
    language = get_language() or "es"
    return [{"code": r.code, "message": r.text(language)} for r in reasons]


# --- public simulators -----------------------------------------------------------------------------------

class QuoteIn(StrictSchema):
    date: date
    monthly_income: str | None = Field(None, description="Pesos, decimal string; or give daily_income")
    daily_income: str | None = None
    zone: Zone
    periodicity: Periodicity


def quote_answer(result: contributions.Quote, start: date) -> dict:
    """The quote as the API and the calculator show it (amounts as decimal strings)."""
    first = params_at(result.months[0].month)
    usd = first.usd_mxn
    return {
        "date": start,
        "sbc_daily": str(result.sbc_daily),
        "branches": [{"branch": b.branch, "employer": str(b.employer), "worker": str(b.worker), "total": str(b.total)}
                     for b in result.months[0].branches],
        "monthly_total": str(result.monthly_total),
        "period_total": str(result.period_total),
        "months": selectors.breakdown_json(result),
        "params": {
            "uma_daily": str(first.uma_daily), "minimum_wage": str(result.months[0].minimum_wage),
            "ceav_employer_rate": plain(result.months[0].ceav_employer_rate),
            "work_risk_premium": plain(first.work_risk_premiums[contributions.WORK_RISK_CLASS]),
            "usd_mxn": str(usd) if usd else None,
            "assumed": sorted({name for m in result.months for name in params_at(m.month).assumed}),
        },
        "usd": None if not usd else {
            "monthly_total": str(to_centavos(result.monthly_total / usd)),
            "period_total": str(to_centavos(result.period_total / usd)),
        },
    }


def quote_for_income(on: date, monthly_income: str | None, daily: str | None, zone: str,
                     periodicity: str) -> contributions.Quote:
    if (monthly_income is None) == (daily is None):
        raise DomainError(FieldError("monthly_income", "one_required", _("Indique el ingreso mensual o el diario.")))
    income = (contributions.daily_income(monthly=services.positive_income(monthly_income, "monthly_income"))
              if monthly_income else contributions.daily_income(daily=services.positive_income(daily, "daily_income")))
    return selectors.quote_income(on, income, zone, periodicity)


@router.post("/quote", auth=None, throttle=public_throttle(),
             summary="Contributions of a worker abroad for a period (no account needed)")
def quote(request: HttpRequest, payload: QuoteIn):
    result = quote_for_income(payload.date, payload.monthly_income, payload.daily_income, payload.zone,
                              payload.periodicity)
    return quote_answer(result, payload.date)


class FuneralIn(StrictSchema):
    date_of_death: date
    weeks_in_last_9_months: str
    work_risk: bool = False


@router.post("/benefits/funeral/quote", auth=None, throttle=public_throttle(),
             summary="Funeral aid (LSS art. 104): eligibility, reasons and amount")
def funeral_quote(request: HttpRequest, payload: FuneralIn):
    try:
        weeks = parse_amount(payload.weeks_in_last_9_months)
    except ValueError as exc:
        raise DomainError(FieldError("weeks_in_last_9_months", "invalid_number", _("Use un número válido."))) from exc
    decision = benefit_rules.funeral_aid(params_at(payload.date_of_death), date_of_death=payload.date_of_death,
                                         weeks_in_last_9_months=weeks, work_risk=payload.work_risk)
    return {"eligible": decision.eligible, "reasons": _reasons(decision.reasons),
            "amount": str(decision.amount) if decision.amount is not None else None}


# --- the affiliation ---------------------------------------------------------------------------------------

class AffiliationIn(StrictSchema):
    person_id: int
    occupation: str
    monthly_income: str
    periodicity: Periodicity
    id_document_type: Literal["passport", "matricula", "ine", ""] = ""
    id_document_number: str = ""


class AffiliationOut(Schema):
    id: int
    person_id: int
    status: str
    channel: str
    zone: str
    periodicity: str
    occupation: str
    consulate: str | None
    enrolled_on: date
    monthly_income: str

    @staticmethod
    def resolve_consulate(obj) -> str | None:
        return obj.consulate.code if obj.consulate_id else None

    @staticmethod
    def resolve_monthly_income(obj) -> str:
        return str(selectors.income_in_force(obj, timezone.localdate()))


MANAGERS = private(services.MANAGER_ROLES)


@router.post("/affiliations", response={201: AffiliationOut}, auth=MANAGERS, summary="Enrol a worker abroad")
def enrol(request: HttpRequest, payload: AffiliationIn):
    person = access.get_visible_person(request.auth, payload.person_id)
    affiliation = services.enrol(request.auth, person, occupation=payload.occupation,
                                 monthly_income=payload.monthly_income, periodicity=payload.periodicity,
                                 id_document_type=payload.id_document_type,
                                 id_document_number=payload.id_document_number)
    return Status(201, affiliation)


@router.get("/affiliations/{affiliation_id}", response=AffiliationOut, auth=MANAGERS)
def get_affiliation(request: HttpRequest, affiliation_id: int):
    return selectors.get_visible_affiliation(request.auth, affiliation_id)


@router.get("/affiliations/{affiliation_id}/coverage", auth=MANAGERS,
            summary="Vigencia de derechos of the worker and each beneficiary on a date")
def coverage(request: HttpRequest, affiliation_id: int, date: date | None = None):
    affiliation = selectors.get_visible_affiliation(request.auth, affiliation_id)
    on = date or timezone.localdate()
    status = selectors.coverage(affiliation, on)
    return {
        "date": on, "status": status.status, "covered_from": status.covered_from,
        "covered_until": status.covered_until, "medical_until": status.medical_until,
        "weeks": str(selectors.contributed_weeks(affiliation)),
        "beneficiaries": [
            {"person_id": row["beneficiary"].person_id, "name": row["beneficiary"].person.full_name,
             "relationship": row["beneficiary"].relationship, "covered": row["covered"],
             "right_ends_on": row["right"].ends_on, "reasons": _reasons(row["right"].reasons)}
            for row in selectors.beneficiary_coverage(affiliation, on)
        ],
    }


class BeneficiaryIn(StrictSchema):
    relationship: Literal["spouse", "concubine", "child", "father", "mother"]
    person_id: int | None = None
    person: dict | None = Field(None, description="Identity of a relative not yet on file (as POST /people)")
    studying_until: date | None = None
    disabled: bool = False
    lives_with_worker: bool = False
    economically_dependent: bool = False
    years_together: int | None = None
    child_in_common: bool = False


@router.post("/affiliations/{affiliation_id}/beneficiaries", response={201: dict}, auth=MANAGERS)
def add_beneficiary(request: HttpRequest, affiliation_id: int, payload: BeneficiaryIn):
    affiliation = selectors.get_visible_affiliation(request.auth, affiliation_id)
    person = access.get_visible_person(request.auth, payload.person_id) if payload.person_id else None
    data = payload.dict(exclude={"person_id", "person"})
    beneficiary = services.add_beneficiary(request.auth, affiliation, person=person, person_data=payload.person,
                                           **data)
    return Status(201, {"id": beneficiary.pk, "person_id": beneficiary.person_id,
                        "relationship": beneficiary.relationship})


class IncomeIn(StrictSchema):
    monthly_income: str
    effective_from: date


@router.post("/affiliations/{affiliation_id}/income", response={201: dict}, auth=MANAGERS,
             summary="Declare a new income for future periods")
def declare_income(request: HttpRequest, affiliation_id: int, payload: IncomeIn):
    affiliation = selectors.get_visible_affiliation(request.auth, affiliation_id)
    row = services.declare_income(request.auth, affiliation, payload.monthly_income, payload.effective_from)
    return Status(201, {"monthly_income": str(row.monthly_income), "effective_from": row.effective_from})


class PeriodOut(Schema):
    id: int
    period_start: date
    period_end: date
    months: int
    sbc_daily: DecimalString
    amount: DecimalString
    due_date: date
    status: str
    reference: str | None

    @staticmethod
    def resolve_reference(obj) -> str | None:
        if isinstance(obj, dict):
            return obj.get("reference")
        return obj.reference.code if obj.reference_id else None


@router.get("/affiliations/{affiliation_id}/periods", response=list[PeriodOut], auth=MANAGERS)
def periods(request: HttpRequest, affiliation_id: int):
    affiliation = selectors.get_visible_affiliation(request.auth, affiliation_id)
    return affiliation.periods.select_related("reference").order_by("period_start")


@router.post("/affiliations/{affiliation_id}/references", response={201: PeriodOut}, auth=MANAGERS,
             summary="Quote the next period and issue its payment reference (accepts Idempotency-Key)")
def issue_reference(request: HttpRequest, affiliation_id: int):
    affiliation = selectors.get_visible_affiliation(request.auth, affiliation_id)

    def write():
        period = services.issue_next_reference(request.auth, affiliation)
        return 201, PeriodOut.from_orm(period).dict()

    status, body = idempotency.run_once(request.headers.get("Idempotency-Key"),
                                        f"imss.issue_reference:{request.auth.pk}:{affiliation.pk}",
                                        {"affiliation": affiliation.pk}, write)
    return Status(status, body)


class NssIn(StrictSchema):
    nss: str


@router.post("/affiliations/{affiliation_id}/nss", response=AffiliationOut,
             auth=private(services.NSS_ASSIGNER_ROLES),
             summary="Record the NSS IMSS assigned to a waiting enrolment")
def assign_nss(request: HttpRequest, affiliation_id: int, payload: NssIn):
    affiliation = selectors.get_visible_affiliation(request.auth, affiliation_id)
    return services.assign_nss(request.auth, affiliation, payload.nss)


class ClaimIn(StrictSchema):
    kind: Literal["funeral", "sick_pay", "maternity", "disability", "survivors", "day_care"]
    event_date: date
    work_risk: bool = False
    incapacity_days: int | None = None
    disability_percent: str | None = None
    child_birth_date: date | None = None


class ClaimOut(Schema):
    id: int
    kind: str
    event_date: date
    eligible: bool
    amount: DecimalString | None
    status: str
    reasons: list[dict]

    @staticmethod
    def resolve_reasons(obj) -> list[dict]:
        language = get_language() or "es"
        key = "en" if language.startswith("en") else "es"
        return [{"code": r["code"], "message": r[key]} for r in obj.reasons]


@router.post("/affiliations/{affiliation_id}/claims", response={201: ClaimOut},
             auth=private(services.CLAIM_REGISTRAR_ROLES), summary="Register a benefit claim")
def register_claim(request: HttpRequest, affiliation_id: int, payload: ClaimIn):
    affiliation = selectors.get_visible_affiliation(request.auth, affiliation_id)
    facts = payload.dict(exclude={"kind", "event_date"})
    claim = services.register_claim(request.auth, affiliation, kind=payload.kind, event_date=payload.event_date,
                                    facts=facts)
    return Status(201, claim)


class DecisionIn(StrictSchema):
    approve: bool
    note: str = ""


@router.post("/claims/{claim_id}/decision", response=ClaimOut, auth=private(services.CLAIM_DECIDER_ROLES),
             summary="Approve or reject a claim (not by whoever registered it)")
def decide_claim(request: HttpRequest, claim_id: int, payload: DecisionIn):
    claim = get_object_or_404(BenefitClaim, pk=claim_id,
                              affiliation__in=selectors.visible_affiliations(request.auth))
    return services.decide_claim(request.auth, claim, approve=payload.approve, note=payload.note)


class AforeIn(StrictSchema):
    afore_name: str = ""


@router.post("/affiliations/{affiliation_id}/afore", response={201: dict}, auth=MANAGERS,
             summary="Ask for the retirement account (AFORE) to be re-activated")
def afore(request: HttpRequest, affiliation_id: int, payload: AforeIn):
    affiliation = selectors.get_visible_affiliation(request.auth, affiliation_id)
    row = services.request_afore_reactivation(request.auth, affiliation, payload.afore_name)
    return Status(201, {"id": row.pk, "status": row.status, "requested_at": row.requested_at})

