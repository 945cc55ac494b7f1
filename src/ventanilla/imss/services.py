"""Writes of the IMSS affiliation abroad: one transaction and one audit entry each."""

import calendar
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit
from ventanilla.core.calendar import add_months
from ventanilla.core.errors import DomainError, FieldError, PermissionDeniedError
from ventanilla.core.identifiers import validate_nss
from ventanilla.core.money import parse_amount
from ventanilla.imss import selectors
from ventanilla.imss.models import (
    Affiliation,
    AforeReactivationRequest,
    Beneficiary,
    BenefitClaim,
    ClaimDocument,
    ContributionPeriod,
    IncomeDeclaration,
    NssRequest,
    PriorWeeks,
    QuoteBreakdown,
)
from ventanilla.imss.rules import benefits as benefit_rules
from ventanilla.imss.rules import contributions
from ventanilla.imss.rules.beneficiaries import beneficiary_right, validate_beneficiary_set
from ventanilla.payments import registry
from ventanilla.payments import services as payments
from ventanilla.people import access
from ventanilla.people.models import Person, Role
from ventanilla.people.services import register_person
from ventanilla.reference.models import ConsulateService
from ventanilla.reference.selectors import params_at, service_opening
from ventanilla.reference.zones import zone_for

OWNER_KIND = "imss.contribution"
MANAGER_ROLES = access.PERSON_READER_ROLES  # the worker, their consulate's officers, staff
CLAIM_REGISTRAR_ROLES = access.STAFF_ROLES | {Role.CONSULAR_OFFICER}
CLAIM_DECIDER_ROLES = frozenset({Role.IMSS_STAFF, Role.ADMINISTRATOR})
NSS_ASSIGNER_ROLES = CLAIM_DECIDER_ROLES  # only IMSS assigns an NSS


def _require_manager(actor, affiliation: Affiliation) -> None:
    access.require_role(actor, MANAGER_ROLES)
    access.get_visible_person(actor, affiliation.person_id)  # 404 when not theirs to see


def _first_of_next_month(day: date) -> date:
    return add_months(day.replace(day=1), 1)


def positive_income(raw, field: str = "monthly_income") -> Decimal:
    try:
        value = parse_amount(raw)
    except ValueError as exc:
        raise DomainError(FieldError(field, "invalid_number", _("Escriba el ingreso en pesos, con hasta dos decimales."))) from exc
    if value <= 0:
        raise DomainError(FieldError(field, "not_positive", _("El ingreso debe ser mayor que cero.")))
    return value


# --- enrolment -----------------------------------------------------------------------------------------

def enrol(actor, person: Person, *, occupation: str, monthly_income, periodicity: str,
          id_document_type: str = "", id_document_number: str = "", on: date | None = None) -> Affiliation:
    """Enrol a worker abroad (window or portal). Without NSS the affiliation waits for IMSS to assign one."""
    role = access.require_role(actor, MANAGER_ROLES)
    access.get_visible_person(actor, person.pk)
    on = on or timezone.localdate()
    channel = Affiliation.Channel.PORTAL if role == Role.DERECHOHABIENTE else Affiliation.Channel.WINDOW
    consulate = actor.consulate if role == Role.CONSULAR_OFFICER else person.consulate
    errors: list[FieldError] = []
    if hasattr(person, "imss_affiliation"):
        errors.append(FieldError("person", "already_enrolled", _("Esta persona ya está afiliada.")))
    if not (occupation or "").strip():
        errors.append(FieldError("occupation", "required", _("Este dato es obligatorio.")))
    if periodicity not in contributions.PERIODICITY_MONTHS:
        errors.append(FieldError("periodicity", "invalid_choice", _("Elija mensual, bimestral, semestral o anual.")))
    if channel == Affiliation.Channel.WINDOW and (not id_document_type or not id_document_number.strip()):
        errors.append(FieldError("id_document_number", "required",
                                 _("En ventanilla se registra la identificación oficial presentada.")))
    if id_document_type and id_document_type not in Affiliation.IdDocument.values:
        errors.append(FieldError("id_document_type", "invalid_choice", _("Elija pasaporte, matrícula consular o INE.")))
    try:
        income = positive_income(monthly_income)
    except DomainError as exc:
        errors.extend(exc.errors)
    if consulate is None:
        errors.append(FieldError("consulate", "required", _("La persona no tiene consulado de atención.")))
    else:
        opens_on = service_opening(consulate, ConsulateService.Service.IMSS_AFFILIATION)
        if opens_on is None:
            errors.append(FieldError("consulate", "service_unavailable",
                                     _("Este consulado no ofrece la afiliación al IMSS.")))
        elif on < opens_on:  # roll-out: USA and Canada January 2023, the rest March 2023 (seed 003)
            errors.append(FieldError("consulate", "not_open_yet",
                                     _("La afiliación al IMSS abre en este consulado el %(date)s.")
                                     % {"date": opens_on.isoformat()}))
    if errors:
        raise DomainError(errors)
    try:
        with transaction.atomic():
            affiliation = _create_affiliation(actor, person, consulate, channel, periodicity, occupation,
                                              id_document_type, id_document_number, income, on)
    except IntegrityError as exc:  # a double submit: the first enrolment won
        raise DomainError(FieldError("person", "already_enrolled", _("Esta persona ya está afiliada."))) from exc
    return affiliation


def _create_affiliation(actor, person, consulate, channel, periodicity, occupation, id_document_type,
                        id_document_number, income, on) -> Affiliation:
    affiliation = Affiliation.objects.create(
        person=person, consulate=consulate, channel=channel,
        status=Affiliation.Status.ACTIVE if person.nss else Affiliation.Status.PENDING_NSS,
        zone=zone_for(person.mx_state, person.mx_municipality), periodicity=periodicity,
        occupation=occupation.strip(), id_document_type=id_document_type,
        id_document_number=id_document_number.strip(), enrolled_on=on, enrolled_by=actor,
    )
    IncomeDeclaration.objects.create(affiliation=affiliation, monthly_income=income,
                                     effective_from=on.replace(day=1), declared_by=actor)
    if not person.nss:
        NssRequest.objects.create(affiliation=affiliation)
    audit.record(actor, "imss.enrol", affiliation, after=audit.snapshot(affiliation))
    return affiliation


def assign_nss(actor, affiliation: Affiliation, nss: str) -> Affiliation:
    """IMSS staff record the NSS they assigned; the waiting affiliation becomes active."""
    access.require_role(actor, NSS_ASSIGNER_ROLES)
    number = validate_nss(nss)
    if Person.objects.filter(nss=number).exclude(pk=affiliation.person_id).exists():
        raise DomainError(FieldError("nss", "duplicate", _("Ya existe una persona registrada con este NSS.")))
    with transaction.atomic():
        locked = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
        if locked.status != Affiliation.Status.PENDING_NSS:
            raise DomainError(FieldError("nss", "not_pending", _("Esta afiliación no espera un NSS.")))
        Person.objects.filter(pk=locked.person_id).update(nss=number)
        NssRequest.objects.filter(affiliation=locked).update(assigned_nss=number, resolved_at=timezone.now(),
                                                             resolved_by=actor)
        locked.status = Affiliation.Status.ACTIVE
        locked.save(update_fields=["status"])
        audit.record(actor, "imss.assign_nss", locked, after={"nss": number, "status": locked.status})
    return locked


def assign_family_clinic(actor, affiliation: Affiliation, clinic: str) -> Affiliation:
    """IMSS staff record the family clinic (UMF) the Mexican address belongs to; IMSS's catalogue of
    clinics by postal code is not public, so it is typed, not derived."""
    access.require_role(actor, frozenset({Role.IMSS_STAFF, Role.ADMINISTRATOR}))
    with transaction.atomic():
        before = {"family_clinic": Affiliation.objects.get(pk=affiliation.pk).family_clinic}
        affiliation.family_clinic = (clinic or "").strip()
        affiliation.save(update_fields=["family_clinic"])
        audit.record(actor, "imss.family_clinic", affiliation, before=before,
                     after={"family_clinic": affiliation.family_clinic})
    return affiliation


def declare_income(actor, affiliation: Affiliation, monthly_income, effective_from: date,
                   on: date | None = None) -> IncomeDeclaration:
    """A new income for future periods only: periods already issued keep what they were quoted."""
    _require_manager(actor, affiliation)
    on = on or timezone.localdate()
    income = positive_income(monthly_income)
    effective_from = effective_from.replace(day=1)
    issued_until = selectors.last_issued_day(affiliation)
    earliest = max(_first_of_next_month(on), (issued_until + (date.resolution)) if issued_until else date.min)
    if effective_from < earliest:
        raise DomainError(FieldError("effective_from", "not_future",
                                     _("El nuevo ingreso aplica desde el %(date)s o después.")
                                     % {"date": earliest.isoformat()}))
    with transaction.atomic():
        declaration, _created = IncomeDeclaration.objects.update_or_create(
            affiliation=affiliation, effective_from=effective_from,
            defaults={"monthly_income": income, "declared_by": actor})
        audit.record(actor, "imss.declare_income", affiliation,
                     after={"monthly_income": income, "effective_from": effective_from})
    return declaration


# --- beneficiaries --------------------------------------------------------------------------------------

def add_beneficiary(actor, affiliation: Affiliation, *, relationship: str, person: Person | None = None,
                    person_data: dict | None = None, studying_until: date | None = None, disabled: bool = False,
                    lives_with_worker: bool = False, economically_dependent: bool = False,
                    years_together: int | None = None, child_in_common: bool = False,
                    on: date | None = None) -> Beneficiary:
    """Register a relative (art. 84). The person is registered first when not on file."""
    _require_manager(actor, affiliation)
    on = on or timezone.localdate()
    if relationship not in Beneficiary.Relationship.values:
        raise DomainError(FieldError("relationship", "invalid_choice", _("Elija un parentesco de la lista.")))
    current = [
        (b.relationship, b.person.sex) for b in selectors.current_beneficiaries(affiliation, on)
    ]
    problems = validate_beneficiary_set(current, relationship)
    if person is None and person_data is None:
        raise DomainError(FieldError("person", "required", _("Indique los datos del beneficiario.")))
    with transaction.atomic():
        if person is None:
            person_data = {**person_data, "consulate": affiliation.consulate.code if affiliation.consulate else ""}
            person = _register_relative(actor, affiliation, person_data)
        if person.pk == affiliation.person_id:
            raise DomainError(FieldError("person", "self", _("La persona trabajadora no es su propio beneficiario.")))
        right = beneficiary_right(
            relationship, birth_date=person.birth_date, on=on, studying_until=studying_until, disabled=disabled,
            lives_with_worker=lives_with_worker, economically_dependent=economically_dependent,
            years_together=years_together, child_in_common=child_in_common,
        )
        reasons = list(problems) + ([] if right.eligible else list(right.reasons))
        if reasons:
            language = get_language() or "es"
            raise DomainError([FieldError("relationship", r.code, r.text(language)) for r in reasons])
        if Beneficiary.objects.filter(affiliation=affiliation, person=person).exists():
            raise DomainError(FieldError("person", "duplicate", _("Esta persona ya es beneficiaria.")))
        beneficiary = Beneficiary.objects.create(
            affiliation=affiliation, person=person, relationship=relationship, studying_until=studying_until,
            disabled=disabled, lives_with_worker=lives_with_worker, economically_dependent=economically_dependent,
            years_together=years_together, child_in_common=child_in_common, registered_on=on, registered_by=actor,
        )
        audit.record(actor, "imss.add_beneficiary", beneficiary, after=audit.snapshot(beneficiary))
    return beneficiary


def _register_relative(actor, affiliation: Affiliation, data: dict) -> Person:
    """Relatives are registered as persons by the officer or staff; in the portal the worker registers
    them through the same service with the worker's consulate."""
    from ventanilla.people.services import register_relative

    if access.role_of(actor) == Role.DERECHOHABIENTE:
        return register_relative(actor, data, on_behalf_of=affiliation.person)
    return register_person(actor, data)


def end_beneficiary(actor, beneficiary: Beneficiary, ended_on: date) -> Beneficiary:
    """A relationship that ends by a fact nobody can compute (divorce, a parent moving out)."""
    _require_manager(actor, beneficiary.affiliation)
    with transaction.atomic():
        before = audit.snapshot(beneficiary)
        beneficiary.ended_on = ended_on
        beneficiary.save(update_fields=["ended_on"])
        audit.record(actor, "imss.end_beneficiary", beneficiary, before=before, after=audit.snapshot(beneficiary))
    return beneficiary


# --- periods and payment references ------------------------------------------------------------------

def next_period_start(affiliation: Affiliation, on: date) -> date:
    """The next month to pay: right after the last live period while it is still payable in time,
    otherwise the first month whose day-20 deadline has not passed."""
    earliest = contributions.next_payable_month(on)
    last_end = selectors.last_issued_day(affiliation)
    if last_end is not None:
        following = last_end + date.resolution
        if contributions.due_date(following) >= on:
            return following
    return earliest


def quote_for(affiliation: Affiliation, start: date) -> contributions.Quote:
    income = selectors.income_in_force(affiliation, start)
    return selectors.quote_income(start, contributions.daily_income(monthly=income), affiliation.zone,
                                  affiliation.periodicity)


def _digest(data) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def breakdown_row(result: contributions.Quote):
    """The stored breakdown for a quote, shared with every identical one."""

    from ventanilla.imss.models import QuoteBreakdown

    data = selectors.breakdown_json(result)
    digest = _digest(data)
    row, _created = QuoteBreakdown.objects.get_or_create(digest=digest, defaults={"data": data})
    return row


def issue_next_reference(actor, affiliation: Affiliation, on: date | None = None) -> ContributionPeriod:
    """Quote the next period and give it a payment reference. Asking again returns the same live one."""
    _require_manager(actor, affiliation)
    on = on or timezone.localdate()
    if affiliation.status != Affiliation.Status.ACTIVE:
        raise DomainError(FieldError("affiliation", "not_active",
                                     _("La afiliación espera su NSS: aún no se pueden emitir líneas de captura.")))
    with transaction.atomic():
        Affiliation.objects.select_for_update().get(pk=affiliation.pk)  # one issuer at a time per affiliation
        live = selectors.payable_period(affiliation, on)
        if live is not None:
            return live
        _cancel_lapsed_periods(actor, affiliation, on)
        start = next_period_start(affiliation, on)
        result = quote_for(affiliation, start)
        end = _last_day(add_months(start, len(result.months) - 1))
        period = ContributionPeriod.objects.create(
            affiliation=affiliation, period_start=start, period_end=end, months=len(result.months),
            sbc_daily=result.sbc_daily, amount=result.period_total, due_date=contributions.due_date(start),
            breakdown=breakdown_row(result),
        )
        period.reference = payments.issue_reference(
            actor, owner_kind=OWNER_KIND, owner_id=str(period.pk), person=affiliation.person,
            amount=period.amount, due_date=period.due_date, period_start=start, period_end=end,
            description=selectors.period_description(period),
        )
        period.save(update_fields=["reference"])
        audit.record(actor, "imss.issue_period", period,
                     after={"period_start": start, "amount": period.amount, "reference": period.reference.code})
    return period


def _cancel_lapsed_periods(actor, affiliation: Affiliation, on: date) -> None:
    for period in affiliation.periods.filter(status=ContributionPeriod.Status.PENDING, due_date__lt=on):
        cancel_period(actor, period, reason="lapsed")


def cancel_period(actor, period: ContributionPeriod, reason: str = "cancelled") -> None:
    _require_manager(actor, period.affiliation)
    with transaction.atomic():
        period = (ContributionPeriod.objects.select_for_update(of=("self",)).select_related("reference")
                  .get(pk=period.pk))
        if period.status == ContributionPeriod.Status.PAID:
            raise DomainError(FieldError("period", "already_paid", _("Este periodo ya está pagado.")))
        period.status = ContributionPeriod.Status.CANCELLED
        period.save(update_fields=["status"])
        if period.reference and period.reference.status == "issued":
            payments.cancel_reference(actor, period.reference, reason)
        audit.record(actor, "imss.cancel_period", period, after={"reason": reason})


def reissue_reference(actor, period: ContributionPeriod, on: date | None = None) -> ContributionPeriod:
    """A lost or damaged slip: the old reference is cancelled and the same period gets a new one."""
    _require_manager(actor, period.affiliation)
    on = on or timezone.localdate()
    if period.status != ContributionPeriod.Status.PENDING or period.due_date < on:
        raise DomainError(FieldError("period", "not_reissuable",
                                     _("Solo un periodo por pagar y en plazo puede tener una nueva línea de captura.")))
    with transaction.atomic():
        period.reference = payments.reissue_reference(actor, period.reference)
        period.save(update_fields=["reference"])
        audit.record(actor, "imss.reissue_reference", period, after={"reference": period.reference.code})
    return period


def _last_day(month_start: date) -> date:
    return month_start.replace(day=calendar.monthrange(month_start.year, month_start.month)[1])


def apply_contribution_payments(paid) -> None:
    """Payments registry handler: matched payments mark their periods paid (coverage follows from it).
    One UPDATE per batch, each period taking its own payment's time."""
    from django.db import connection

    from ventanilla.core.bulk import TEXT_ARRAY, joined

    if not paid:
        return
    if connection.vendor == "postgresql":
        # Joined to the batch's (reference, paid_at) pairs: a correlated sub-query per period and a
        # 5,000-value IN list made this 40 % of a million-line import (BENCHMARKS.md).
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {ContributionPeriod._meta.db_table} p SET status = %s, paid_at = v.paid_at "
                f"FROM unnest({TEXT_ARRAY}::bigint[], {TEXT_ARRAY}::timestamptz[]) AS v(reference_id, paid_at) "
                "WHERE p.reference_id = v.reference_id",
                [ContributionPeriod.Status.PAID, joined(payment.reference_id for payment in paid),
                 joined(payment.paid_at.isoformat() for payment in paid)])
        return
    for payment in paid:
        ContributionPeriod.objects.filter(reference_id=payment.reference_id).update(
            status=ContributionPeriod.Status.PAID, paid_at=payment.paid_at)


registry.register(OWNER_KIND, apply_contribution_payments)


# --- prior weeks, claims, AFORE ------------------------------------------------------------------------

def record_prior_weeks(actor, affiliation: Affiliation, *, weeks, last_contribution_date: date,
                       source: str) -> PriorWeeks:
    access.require_role(actor, access.STAFF_ROLES)
    try:
        value = parse_amount(weeks)
    except ValueError as exc:
        raise DomainError(FieldError("weeks", "invalid_number", _("Use un número válido."))) from exc
    if value <= 0:
        raise DomainError(FieldError("weeks", "not_positive", _("Las semanas deben ser más que cero.")))
    with transaction.atomic():
        prior = PriorWeeks.objects.create(affiliation=affiliation, weeks=value,
                                          last_contribution_date=last_contribution_date, source=source,
                                          recorded_by=actor)
        audit.record(actor, "imss.prior_weeks", prior, after=audit.snapshot(prior))
    return prior


def register_claim(actor, affiliation: Affiliation, *, kind: str, event_date: date, facts: dict | None = None,
                   documents: list[tuple[str, object]] = (), on: date | None = None) -> BenefitClaim:
    """An officer or staff registers a claim; the rule decides eligibility and amount, with reasons."""
    access.require_role(actor, CLAIM_REGISTRAR_ROLES)
    access.get_visible_person(actor, affiliation.person_id)
    if kind not in BenefitClaim.Kind.values:
        raise DomainError(FieldError("kind", "invalid_choice", _("Elija una prestación de la lista.")))
    on = on or timezone.localdate()
    decision, used_facts = evaluate_claim(affiliation, kind, event_date, facts or {}, on)
    with transaction.atomic():
        claim = BenefitClaim.objects.create(
            affiliation=affiliation, kind=kind, event_date=event_date, facts=used_facts,
            eligible=decision.eligible, amount=decision.amount, registered_by=actor,
            reasons=[{"code": r.code, "es": r.es, "en": r.en} for r in decision.reasons],
        )
        for description, upload in documents:
            ClaimDocument.objects.create(claim=claim, description=description, file=upload)
        audit.record(actor, "imss.register_claim", claim, after=audit.snapshot(claim))
    return claim


def evaluate_claim(affiliation: Affiliation, kind: str, event_date: date, facts: dict, on: date):
    """Facts from the record (weeks, SBC) plus what the claimant states; returns the rule's decision."""
    record = selectors.claim_facts(affiliation, event_date)
    facts = {**record, **{k: v for k, v in facts.items() if v not in (None, "")}}
    if kind == BenefitClaim.Kind.FUNERAL:
        decision = benefit_rules.funeral_aid(params_at(event_date), date_of_death=event_date,
                                             weeks_in_last_9_months=Decimal(str(facts["weeks_in_last_9_months"])),
                                             work_risk=bool(facts.get("work_risk")), claim_date=on)
    elif kind == BenefitClaim.Kind.SICK_PAY and facts.get("work_risk") in (True, "True", "true", "1"):
        # A work risk pays 100 % of SBC from the first day with no minimum of weeks (LSS art. 58 I).
        decision = benefit_rules.work_risk_incapacity(last_daily_sbc=Decimal(str(facts["last_daily_sbc"])),
                                                      days=int(facts.get("incapacity_days") or 0))
    elif kind == BenefitClaim.Kind.SICK_PAY:
        decision = benefit_rules.sick_pay(last_daily_sbc=Decimal(str(facts["last_daily_sbc"])),
                                          weeks_just_before=Decimal(str(facts["weeks_just_before"])),
                                          incapacity_days=int(facts.get("incapacity_days") or 0))
    elif kind == BenefitClaim.Kind.MATERNITY:
        decision = benefit_rules.maternity(
            last_daily_sbc=Decimal(str(facts["last_daily_sbc"])),
            weeks_in_last_12_months=Decimal(str(facts["weeks_in_last_12_months"])),
            maternity_cash_abroad_enabled=selectors.maternity_cash_abroad_enabled(event_date))
    elif kind == BenefitClaim.Kind.DISABILITY:
        decision = benefit_rules.disability_pension_weeks(total_weeks=Decimal(str(facts["total_weeks"])),
                                                          disability_percent=Decimal(str(facts.get("disability_percent") or 0)))
    elif kind == BenefitClaim.Kind.SURVIVORS:
        decision = benefit_rules.survivors_pension_weeks(total_weeks=Decimal(str(facts["total_weeks"])))
    else:
        child_birth = facts.get("child_birth_date")
        if not child_birth:
            raise DomainError(FieldError("child_birth_date", "required", _("Indique la fecha de nacimiento.")))
        decision = benefit_rules.day_care(child_birth_date=date.fromisoformat(str(child_birth)), on=event_date)
    return decision, {k: str(v) for k, v in facts.items()}


def decide_claim(actor, claim: BenefitClaim, *, approve: bool, note: str = "") -> BenefitClaim:
    """Four eyes: the person who registered a claim cannot decide it."""
    access.require_role(actor, CLAIM_DECIDER_ROLES)
    with transaction.atomic():
        locked = BenefitClaim.objects.select_for_update().get(pk=claim.pk)
        if locked.registered_by_id == actor.pk:
            raise PermissionDeniedError("four_eyes")
        if locked.status != BenefitClaim.Status.REGISTERED:
            raise DomainError(FieldError("claim", "already_decided", _("Esta solicitud ya fue resuelta.")))
        if approve and not locked.eligible:
            raise DomainError(FieldError("claim", "not_eligible",
                                         _("No se puede aprobar: la regla no reconoce el derecho.")))
        locked.status = BenefitClaim.Status.APPROVED if approve else BenefitClaim.Status.REJECTED
        locked.decided_by, locked.decided_at, locked.decision_note = actor, timezone.now(), note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        audit.record(actor, "imss.decide_claim", locked, after={"status": locked.status, "note": note})
    return locked


def request_afore_reactivation(actor, affiliation: Affiliation, afore_name: str = "") -> AforeReactivationRequest:
    _require_manager(actor, affiliation)
    with transaction.atomic():
        open_request = affiliation.afore_requests.exclude(status=AforeReactivationRequest.Status.DONE).first()
        if open_request:
            return open_request
        request = AforeReactivationRequest.objects.create(affiliation=affiliation, afore_name=afore_name.strip(),
                                                          requested_by=actor)
        audit.record(actor, "imss.afore_request", request, after=audit.snapshot(request))
    return request


def update_afore_request(actor, request: AforeReactivationRequest, status: str, notes: str = "") -> None:
    access.require_role(actor, access.STAFF_ROLES)
    if status not in AforeReactivationRequest.Status.values:
        raise DomainError(FieldError("status", "invalid_choice", _("Elija un estado de la lista.")))
    with transaction.atomic():
        before = audit.snapshot(AforeReactivationRequest.objects.select_for_update().get(pk=request.pk))
        request.status, request.notes = status, notes
        request.save(update_fields=["status", "notes", "updated_at"])
        audit.record(actor, "imss.afore_update", request, before=before, after=audit.snapshot(request))


# --- the whole portfolio -------------------------------------------------------------------------------

def lapse_unpaid_periods(actor, on: date) -> int:
    """Periods whose deadline passed unpaid are cancelled with their references: not paying ends the
    insurance for that period (shared/domain/imss-abroad.md), and the reference can no longer be paid."""
    lapsed = ContributionPeriod.objects.filter(status=ContributionPeriod.Status.PENDING, due_date__lt=on)
    with transaction.atomic():
        payments.cancel_references_bulk(actor, lapsed.filter(reference__isnull=False).values("reference_id"),
                                        "lapsed")
        count = lapsed.update(status=ContributionPeriod.Status.CANCELLED)
        if count:
            audit.record(actor, "imss.lapse_periods", object_type="imss.contributionperiod",
                         after={"count": count, "on": on})
    return count


def _quote_new_keys(quotes: dict, snapshots: dict, keys: set, start: date) -> None:
    """Quote each (income, zone, periodicity) not seen yet, once, and store their breakdowns in one query."""
    new = [key for key in keys if key not in quotes]
    if not new:
        return
    results = {}
    for monthly, zone, periodicity in new:
        months = contributions.period_months(start, periodicity)
        for month in months:
            if month not in snapshots:
                snapshots[month] = params_at(month)
        results[(monthly, zone, periodicity)] = contributions.quote(
            {m: snapshots[m] for m in months}, contributions.daily_income(monthly=monthly), zone, periodicity, start)
    data = {key: selectors.breakdown_json(result) for key, result in results.items()}
    digests = {key: _digest(value) for key, value in data.items()}
    stored = dict(QuoteBreakdown.objects.filter(digest__in=digests.values()).values_list("digest", "pk"))
    missing = {digest: key for key, digest in digests.items() if digest not in stored}
    for row in QuoteBreakdown.objects.bulk_create(
            [QuoteBreakdown(digest=digest, data=data[key]) for digest, key in missing.items()]):
        stored[row.digest] = row.pk
    if any(pk is None for pk in stored.values()):  # databases that do not return ids from bulk inserts
        stored = dict(QuoteBreakdown.objects.filter(digest__in=digests.values()).values_list("digest", "pk"))
    for key, result in results.items():
        months = len(result.months)
        description = str(selectors.period_description(ContributionPeriod(period_start=start, months=months)))
        quotes[key] = (_last_day(add_months(start, months - 1)), months, result.sbc_daily, result.period_total,
                       description, stored[digests[key]])


def issue_monthly_references(actor, on: date, batch_size: int = 20_000) -> dict:
    """Quote and issue the next period for every active affiliation that has none yet (a monthly job).

    Same rules as `issue_next_reference`, done in bulk: identical quotes are computed once, periods and
    references are written with COPY, one audit entry per batch. Affiliations that already hold a live
    period reaching the next payable month are skipped, so running the job twice issues nothing new.
    """
    from django.db.models import Exists, OuterRef, Subquery

    from ventanilla.core.bulk import allocate_ids, copy_rows

    access.require_role(actor, access.STAFF_ROLES)
    lapse_unpaid_periods(actor, on)
    start = contributions.next_payable_month(on)
    income = Subquery(IncomeDeclaration.objects.filter(affiliation=OuterRef("pk"), effective_from__lte=start)
                      .order_by("-effective_from").values("monthly_income")[:1])
    covered = ContributionPeriod.objects.filter(affiliation=OuterRef("pk"), period_end__gte=start).exclude(
        status=ContributionPeriod.Status.CANCELLED)
    candidates = (Affiliation.objects.filter(status=Affiliation.Status.ACTIVE)
                  .annotate(income=income).filter(income__isnull=False).exclude(Exists(covered))
                  .values_list("pk", "person_id", "zone", "periodicity", "income").order_by("pk"))
    quotes: dict[tuple, tuple] = {}
    snapshots: dict[date, object] = {}
    issued, amount_total = 0, Decimal("0.00")
    now = timezone.now()
    deadline = contributions.due_date(start)
    rows = candidates.iterator(chunk_size=batch_size)
    while True:
        chunk = [row for _, row in zip(range(batch_size), rows, strict=False)]
        if not chunk:
            break
        with transaction.atomic():
            _quote_new_keys(quotes, snapshots, {(r[4], r[2], r[3]) for r in chunk}, start)
            period_ids = allocate_ids(ContributionPeriod, len(chunk))
            references, periods = [], []
            for period_id, (affiliation_id, person_id, zone, periodicity, monthly) in zip(period_ids, chunk, strict=True):
                end, months, sbc, total, description, breakdown_id = quotes[(monthly, zone, periodicity)]
                references.append({"owner_kind": OWNER_KIND, "owner_id": period_id, "person_id": person_id,
                                   "amount": total, "due_date": deadline, "period_start": start,
                                   "period_end": end, "description": description})
                periods.append([period_id, affiliation_id, start, end, months, sbc, total, deadline, breakdown_id,
                                ContributionPeriod.Status.PENDING, None, now])
                amount_total += total
            reference_ids = payments.issue_references_bulk(references, actor=actor)
            for period, reference_id in zip(periods, reference_ids, strict=True):
                period[10] = reference_id
            copy_rows(ContributionPeriod, ("id", "affiliation_id", "period_start", "period_end", "months",
                                           "sbc_daily", "amount", "due_date", "breakdown_id", "status",
                                           "reference_id", "created_at"), (tuple(p) for p in periods))
            audit.record(actor, "imss.issue_monthly_references", object_type="imss.contributionperiod",
                         after={"period_start": start, "count": len(periods)})
        issued += len(chunk)
    return {"period_start": start, "issued": issued, "amount": amount_total, "distinct_quotes": len(quotes)}
