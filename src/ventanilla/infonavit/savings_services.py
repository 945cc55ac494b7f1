"""Writes of the housing subaccount (SCV): employment relations, their bimester contributions, the monthly
crediting of returns, voluntary deposits from abroad (a payment reference; credited when paid). Each use case
is one transaction with an audit entry; money moves once, held by the unique constraints of SavingsMovement
(infonavit/models.py) and of VoluntaryDeposit (requested_by, idempotency_key).
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit
from ventanilla.core.errors import ConflictError, DomainError, FieldError
from ventanilla.core.money import ZERO, parse_amount
from ventanilla.infonavit import notices
from ventanilla.infonavit.models import EmploymentRelation, RefundRequest, SavingsMovement, VoluntaryDeposit
from ventanilla.infonavit.rules import savings as rules
from ventanilla.infonavit.savings_selectors import SAVINGS_READER_ROLES, get_visible_saver
from ventanilla.payments import registry
from ventanilla.payments import rules as payment_rules
from ventanilla.payments import services as payments
from ventanilla.people import access
from ventanilla.people.models import Person, Role

logger = logging.getLogger(__name__)

DEPOSIT_OWNER_KIND = "infonavit.voluntary_deposit"
SAVINGS_MANAGER_ROLES = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})
# Who may ask for a deposit reference: the person (own), their consulate's officer (prints the slip), staff.
DEPOSIT_ISSUER_ROLES = SAVINGS_READER_ROLES
# ASSUMED: Infonavit's validity of a voluntary-deposit reference is not public; 30 days, like a slip's month.
DEPOSIT_REFERENCE_DAYS = 30


@dataclass(frozen=True)
class NewMovement:
    kind: str
    savings_period: str
    posted_on: date
    amount: Decimal
    period: date | None = None
    employment_id: int | None = None
    deposit_id: int | None = None
    refund_id: int | None = None
    operation_id: str = ""
    note: str = ""


def append_movements(actor, person_id: int, movements: Iterable[NewMovement]) -> list[SavingsMovement]:
    """Append movements to a person's subaccount with their sequence and running balance. The person row is
    locked so two writers never take the same sequence; callers run inside a transaction."""
    movements = list(movements)
    if not movements:
        return []
    Person.objects.select_for_update().filter(pk=person_id).values_list("pk", flat=True).get()
    last = SavingsMovement.objects.filter(person_id=person_id).order_by("-sequence").values(
        "sequence", "balance_after").first()
    sequence, balance = (last["sequence"], last["balance_after"]) if last else (0, ZERO)
    rows = []
    for movement in movements:
        sequence += 1
        balance += movement.amount
        rows.append(SavingsMovement(
            person_id=person_id, sequence=sequence, kind=movement.kind, savings_period=movement.savings_period,
            posted_on=movement.posted_on, period=movement.period, amount=movement.amount, balance_after=balance,
            employment_id=movement.employment_id, deposit_id=movement.deposit_id, refund_id=movement.refund_id,
            operation_id=movement.operation_id, note=movement.note,
            actor=actor if getattr(actor, "is_authenticated", False) else None))
    return SavingsMovement.objects.bulk_create(rows)


def _amount(value) -> Decimal | None:
    """A positive amount in centavos, or None (never from a binary float: core.money.parse_amount)."""
    try:
        amount = parse_amount(value)
    except (ValueError, TypeError):
        return None
    return amount if payment_rules.is_valid_amount(amount) else None


def _require_manager(actor) -> None:
    if actor is not None:  # None: the system (a scheduled job, the demo seeder)
        access.require_role(actor, SAVINGS_MANAGER_ROLES)


# --- employment history ---------------------------------------------------------------------------------

def record_employment(actor, person: Person, *, employer_name: str, registro_patronal: str, started_on: date,
                      ended_on: date | None, daily_sbc) -> EmploymentRelation:
    """Infonavit staff record a relación laboral (normally from the employers' filings)."""
    _require_manager(actor)
    errors = []
    name = (employer_name or "").strip()
    if not 1 <= len(name) <= 200:
        errors.append(FieldError("employer_name", "required", _("Escriba el nombre del patrón.")))
    registro = (registro_patronal or "").strip().upper()
    # Registro patronal IMSS: 11 characters, letter-digit (shared/domain/imss-abroad.md identifiers).
    if len(registro) != 11 or not registro.isalnum():
        errors.append(FieldError("registro_patronal", "invalid",
                                 _("El registro patronal tiene 11 caracteres (letras y dígitos).")))
    if started_on < rules.INFONAVIT_START:
        errors.append(FieldError("started_on", "before_infonavit", _("La fecha de alta es anterior a 1972.")))
    if ended_on is not None and ended_on < started_on:
        errors.append(FieldError("ended_on", "before_start", _("La baja es anterior al alta.")))
    sbc = _amount(daily_sbc)
    if sbc is None:
        errors.append(FieldError("daily_sbc", "invalid_amount", _("El salario diario debe ser un importe positivo.")))
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        relation = EmploymentRelation.objects.create(
            person=person, employer_name=name, registro_patronal=registro, started_on=started_on,
            ended_on=ended_on, daily_sbc=sbc, created_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit.record(actor, "infonavit.record_employment", relation, after=audit.snapshot(relation))
        notices.on_employment_recorded(actor, relation)  # a new employer: aviso de retención (infonavit/notices.py)
    return relation


@dataclass(frozen=True)
class ContributionRun:
    """What one contributions run posted: bimesters (movements), the persons they went to, their pesos."""
    until: date
    movements: int
    persons: int
    total: Decimal


def post_contributions(actor, until: date, persons: Iterable[int] | None = None) -> int:
    """Post every bimester contribution (5 % of the SBC) owed up to `until` for the relations of `persons`
    (all when None). Idempotent: a bimester already posted for a relation is skipped (unique constraint)."""
    return run_contributions(actor, until, persons).movements


def run_contributions(actor, until: date, persons: Iterable[int] | None = None,
                      progress: Callable[[int, int], None] | None = None) -> ContributionRun:
    """post_contributions with its figures, calling `progress(done, total)` after each person (the
    `ventanilla infonavit savings` job). One transaction per person: a stopped run resumes where it was."""
    _require_manager(actor)
    relations = EmploymentRelation.objects.all()
    if persons is not None:
        relations = relations.filter(person_id__in=list(persons))
    posted = reached = 0
    total = ZERO
    by_person: dict[int, list[EmploymentRelation]] = {}
    for relation in relations.order_by("person_id", "started_on", "id"):
        by_person.setdefault(relation.person_id, []).append(relation)
    for done, (person_id, jobs) in enumerate(by_person.items(), start=1):
        with transaction.atomic():
            already = set(SavingsMovement.objects.filter(person_id=person_id, kind="contribution")
                          .values_list("employment_id", "period"))
            due = [c for c in rules.contributions(
                [rules.Employment(j.pk, j.started_on, j.ended_on, j.daily_sbc) for j in jobs], until)
                   if (c.employment_id, c.bimester) not in already and c.amount > 0]
            due.sort(key=lambda c: (c.bimester, c.employment_id))
            append_movements(actor, person_id, [NewMovement(
                "contribution", c.savings_period, rules.bimester_end(c.bimester), c.amount, period=c.bimester,
                employment_id=c.employment_id, note=f"{c.days} d") for c in due])
            if due:
                audit.record(actor, "infonavit.post_contributions", object_type="people.person",
                             object_id=str(person_id),
                             after={"until": until, "bimesters": len(due), "total": sum(c.amount for c in due)})
            posted += len(due)
            reached += bool(due)
            total += sum((c.amount for c in due), ZERO)
        if progress is not None:
            progress(done, len(by_person))
    return ContributionRun(until=until, movements=posted, persons=reached, total=total)


def credit_returns(actor, month: date, persons: Iterable[int] | None = None,
                   yearly_percent: Decimal = rules.ASSUMED_YEARLY_RETURN_PERCENT,
                   progress: Callable[[int, int], None] | None = None) -> dict:
    """Credit one month of returns (rendimientos) on each period's balance at the month's end. Idempotent per
    person, period and month: a second run for the same month adds nothing. `progress(done, total)` is called
    after each person (the `ventanilla infonavit savings` job)."""
    _require_manager(actor)
    month = month.replace(day=1)
    month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    movements = SavingsMovement.objects.filter(posted_on__lte=month_end)
    if persons is not None:
        movements = movements.filter(person_id__in=list(persons))
    balances: dict[int, dict[str, Decimal]] = {}
    for row in movements.values("person_id", "savings_period").annotate(total=Sum("amount")):
        balances.setdefault(row["person_id"], {})[row["savings_period"]] = row["total"]
    # A refund paid on or after the month's first day already paid that money out: no returns dated before it
    # are posted afterwards (review fix, fix5b).
    refunded = set(RefundRequest.objects.filter(status=RefundRequest.Status.PAID, paid_on__gte=month)
                   .values_list("person_id", flat=True))
    credited = total = reached = 0
    for done, (person_id, periods) in enumerate(sorted(balances.items()), start=1):
        if person_id in refunded:
            if progress is not None:
                progress(done, len(balances))
            continue
        with transaction.atomic():
            credited_periods = set(SavingsMovement.objects.filter(person_id=person_id, kind="returns",
                                                                  period=month).values_list("savings_period", flat=True))
            new = [NewMovement("returns", period, month_end, amount, period=month, note=f"{yearly_percent} %")
                   for period, balance in sorted(periods.items())
                   if period not in credited_periods and (amount := rules.monthly_returns(balance, yearly_percent)) > 0]
            append_movements(actor, person_id, new)
            if new:
                audit.record(actor, "infonavit.credit_returns", object_type="people.person",
                             object_id=str(person_id),
                             after={"month": month, "yearly_percent": yearly_percent,
                                    "assumed": yearly_percent == rules.ASSUMED_YEARLY_RETURN_PERCENT,
                                    "amounts": {m.savings_period: m.amount for m in new}})
            credited += len(new)
            reached += bool(new)
            total += sum((m.amount for m in new), ZERO)
        if progress is not None:
            progress(done, len(balances))
    return {"month": month, "movements": credited, "persons": reached, "total": total,
            "yearly_percent": yearly_percent,
            "assumed": yearly_percent == rules.ASSUMED_YEARLY_RETURN_PERCENT}


def record_opening_balance(actor, person: Person, *, savings_period: str, amount: Decimal, on: date,
                           note: str = "") -> SavingsMovement:
    """A balance carried from Infonavit's records (the Fondo de Ahorro 1972–1992 and SCV 1992 are closed
    periods: their balance is known, not rebuilt from contributions)."""
    _require_manager(actor)
    if savings_period not in rules.PERIOD_CODES:
        raise DomainError(FieldError("savings_period", "invalid", _("El periodo de la subcuenta no es válido.")))
    if amount <= 0:
        raise DomainError(FieldError("amount", "invalid_amount", _("El importe debe ser positivo.")))
    with transaction.atomic():
        (movement,) = append_movements(actor, person.pk, [NewMovement("opening", savings_period, on, amount,
                                                                      note=note)])
        audit.record(actor, "infonavit.savings_opening", movement, after=audit.snapshot(movement))
    return movement


# --- voluntary deposits (aportaciones extraordinarias) ---------------------------------------------------

def request_voluntary_deposit(actor, person_id: int, *, amount, idempotency_key: str,
                              on: date | None = None) -> tuple[VoluntaryDeposit, bool]:
    """A payment reference for a voluntary deposit to `person`'s SCV 1997. Returns (deposit, created): the
    same key again answers the first deposit; the same key with another amount is a conflict."""
    access.require_role(actor, DEPOSIT_ISSUER_ROLES)
    person = get_visible_saver(actor, person_id)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 128:
        raise DomainError(FieldError("Idempotency-Key", "required", _("Falta la clave de idempotencia.")))
    value = _amount(amount)
    if value is None:
        raise DomainError(FieldError("amount", "invalid_amount", payments.REFUSALS["invalid_amount"][1]))
    existing = VoluntaryDeposit.objects.filter(requested_by=actor, idempotency_key=key).select_related(
        "reference").first()
    if existing is not None:
        if existing.amount != value or existing.person_id != person.pk:
            raise ConflictError("idempotency_key_reused", _("La clave Idempotency-Key ya se usó con otra solicitud."))
        return existing, False
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            deposit = VoluntaryDeposit.objects.create(person=person, amount=value, requested_by=actor,
                                                      idempotency_key=key)
            deposit.reference = payments.issue_reference(
                actor, owner_kind=DEPOSIT_OWNER_KIND, owner_id=str(deposit.pk), person=person, amount=value,
                due_date=on + timedelta(days=DEPOSIT_REFERENCE_DAYS), period_start=on, period_end=on,
                description=str(_("Aportación extraordinaria a la subcuenta de vivienda")))
            deposit.save(update_fields=["reference"])
            audit.record(actor, "infonavit.request_voluntary_deposit", deposit,
                         after={"amount": value, "reference": deposit.reference.code})
    except IntegrityError:
        existing = VoluntaryDeposit.objects.filter(requested_by=actor, idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False
    return deposit, True


def apply_deposit_payments(paid) -> None:
    """Payments registry handler: each paid deposit reference credits its amount to the SCV 1997 (the period
    of every movement since July 1997), once (unique deposit on SavingsMovement)."""
    if not paid:
        return
    ids = {int(payment.reference.owner_id): payment for payment in paid}
    deposits = VoluntaryDeposit.objects.filter(pk__in=ids, status=VoluntaryDeposit.Status.ISSUED)
    for deposit in deposits.order_by("person_id", "pk"):
        payment = ids[deposit.pk]
        posted_on = timezone.localtime(payment.paid_at).date() if isinstance(payment.paid_at, datetime) \
            else payment.paid_at
        append_movements(None, deposit.person_id, [NewMovement(
            "voluntary", rules.savings_period(posted_on), posted_on, payment.amount, deposit_id=deposit.pk,
            operation_id=f"deposit:{payment.operation_id}"[:64])])
        deposit.status = VoluntaryDeposit.Status.PAID
        deposit.paid_at = payment.paid_at
        deposit.save(update_fields=["status", "paid_at"])
    audit.record(None, "infonavit.voluntary_deposits_paid", object_type="infonavit.voluntarydeposit",
                 after={"deposits": sorted(ids)})


registry.register(DEPOSIT_OWNER_KIND, apply_deposit_payments)
