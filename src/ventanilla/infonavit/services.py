"""Writes of Infonavit credits and their ledger: one transaction and one audit entry each.

Every single-credit write locks the credit row, folds its ledger (selectors.ledger_state), asks
rules/ledger.py for the movement and appends it with the next sequence and the running state (balance and
payment in force). The yearly VSM adjustment is the exception: one INSERT … SELECT per batch of credits (the
portfolio holds millions), with the same arithmetic held equal to the rule by tests/infonavit/test_adjustment.py.
"""

import dataclasses
import functools
import json
from collections.abc import Callable
from contextlib import nullcontext
from datetime import date, timedelta
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit, idempotency
from ventanilla.core.bulk import allocate_ids, in_sessions, parallel_sessions
from ventanilla.core.errors import ConflictError, DomainError, FieldError, NotFoundError
from ventanilla.core.money import ZERO, parse_amount, to_centavos
from ventanilla.infonavit import notices, selectors, validation
from ventanilla.infonavit.models import ACCRUAL_KINDS, AdjustmentRun, Credit, LedgerEntry, SolutionApplication
from ventanilla.infonavit.rules import credit_number
from ventanilla.infonavit.rules import ledger as ledger_rules
from ventanilla.infonavit.rules import solutions as solution_rules
from ventanilla.infonavit.rules.solutions import effects
from ventanilla.payments import services as payment_services
from ventanilla.payments import store as payment_store
from ventanilla.payments.models import Payment
from ventanilla.people import access
from ventanilla.people.models import MEXICAN_STATES, Person, Role
from ventanilla.reference.selectors import vsm_adjustment_at

CREDIT_MANAGER_ROLES = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})
# Payments are also taken at the consular window (Sin Fronteras), for the consulate's borrowers.
PAYMENT_RECORDER_ROLES = CREDIT_MANAGER_ROLES | {Role.CONSULAR_OFFICER}
MAX_TERM_MONTHS = 360  # 1 to 30 years (shared/domain/infonavit.md, "Prequalification and credit conditions")
# Terms-changing or founding entries are corrected by their own use case, not by a reversing entry.
NOT_REVERSIBLE = frozenset({LedgerEntry.Kind.DISBURSEMENT, LedgerEntry.Kind.ADJUSTMENT,
                            LedgerEntry.Kind.CONVERSION, LedgerEntry.Kind.REVERSAL,
                            LedgerEntry.Kind.RESTRUCTURE})  # relief solutions end with end_application
_STATES = frozenset(code for code, _name in MEXICAN_STATES)


def clean_credit_number(raw: str, field: str = "credit_number") -> str:
    """A typed credit number, normalised, or DomainError naming what is wrong with it."""
    number = credit_number.normalize(raw)
    code = credit_number.problem(number)
    if code is None:
        return number
    messages = {
        "invalid_format": _("El número de crédito solo lleva dígitos y no empieza con cero."),
        "invalid_length": _("El número de crédito tiene 10 dígitos."),
        "invalid_check_digit": _("El dígito verificador del número de crédito no corresponde."),
    }
    raise DomainError(FieldError(field, code, messages[code]))


# --- the ledger's one writer ---------------------------------------------------------------------------

def _locked(credit: Credit) -> Credit:
    return Credit.objects.select_for_update().get(pk=credit.pk)


def _append(credit: Credit, state: selectors.LedgerState, kind: str, movement: ledger_rules.Movement, *,
            posted_on: date, actor=None, period: date | None = None, monthly_payment: Decimal | None = None,
            **fields) -> LedgerEntry:
    """Write the next entry of a locked credit with the running state after it (see models): the balance,
    and the monthly payment in force (unchanged unless the entry changes it)."""
    return LedgerEntry.objects.create(
        credit=credit, sequence=state.next_sequence, kind=kind, posted_on=posted_on, period=period,
        amount=movement.amount, capital=movement.capital, interest=movement.interest,
        insurance=movement.insurance, due=movement.due, balance_after=state.balance_after + movement.amount,
        monthly_payment_after=state.monthly_payment if monthly_payment is None else monthly_payment,
        due_after=state.position.due + movement.due, interest_after=state.position.interest + movement.interest,
        insurance_after=state.position.insurance + movement.insurance,  # the running position (batchfix)
        actor=actor if getattr(actor, "is_authenticated", False) else None, **fields)


def _settle_or_reopen(credit: Credit, balance: Decimal, on: date, actor=None) -> None:
    """A credit whose balance reaches zero is settled (with its aviso de suspensión); a correction that brings
    a balance back reopens it."""
    if credit.status == Credit.Status.ACTIVE and balance == ZERO:
        credit.status, credit.settled_on = Credit.Status.SETTLED, on
        notices.on_settled(actor, credit, on)
    elif credit.status == Credit.Status.SETTLED and balance > ZERO:
        credit.status, credit.settled_on = Credit.Status.ACTIVE, None
    else:
        return
    credit.save(update_fields=["status", "settled_on"])


def _require_active(credit: Credit) -> None:
    if credit.status != Credit.Status.ACTIVE:
        raise DomainError(FieldError("credit", f"credit_{credit.status}",
                                     _("El crédito no está vigente (%(status)s).")
                                     % {"status": credit.get_status_display()}))


# --- origination -----------------------------------------------------------------------------------------

def _amount(errors: list, field: str, raw, *, places: int = 2, allow_zero: bool = False) -> Decimal | None:
    try:
        value = parse_amount(raw, places=places)
    except (ValueError, TypeError):
        errors.append(FieldError(field, "invalid_number", _("Escriba un número con hasta %(places)s decimales.")
                                 % {"places": places}))
        return None
    if value < 0 or (value == 0 and not allow_zero):
        errors.append(FieldError(field, "not_positive", _("El valor debe ser mayor que cero.")))
        return None
    return value


def originate_credit(actor, borrower: Person, *, product: str, denomination: str, origination_date: date,
                     amount_lent, rate, term_months: int, regime: str, state: str, monthly_payment=None,
                     monthly_insurance_and_fees="0", amount_lent_vsm=None, cofinanced_share="0",
                     frozen: bool = False) -> Credit:
    """Record a credit granted to a person and its disbursement (Infonavit staff). Without a monthly
    payment, the level payment of the amount, rate and term is used."""
    access.require_role(actor, CREDIT_MANAGER_ROLES)
    access.get_visible_person(actor, borrower.pk)
    errors: list[FieldError] = []
    choice = _("Elija un valor de la lista.")
    for field, value, allowed in (("product", product, Credit.Product.values),
                                  ("denomination", denomination, Credit.Denomination.values),
                                  ("regime", regime, Credit.Regime.values), ("state", state, _STATES)):
        if value not in allowed:
            errors.append(FieldError(field, "invalid_choice", choice))
    if not isinstance(origination_date, date) or origination_date > timezone.localdate():
        errors.append(FieldError("origination_date", "invalid_date",
                                 _("La fecha de otorgamiento no puede ser posterior a hoy.")))
    lent = _amount(errors, "amount_lent", amount_lent)
    yearly_rate = _amount(errors, "rate", rate, places=4, allow_zero=True)
    if yearly_rate is not None and yearly_rate >= 100:
        errors.append(FieldError("rate", "out_of_range", _("La tasa anual se escribe en por ciento (p. ej. 10.45).")))
    if not isinstance(term_months, int) or not 1 <= term_months <= MAX_TERM_MONTHS:
        errors.append(FieldError("term_months", "out_of_range", _("El plazo es de 1 a 360 meses.")))
    fees = _amount(errors, "monthly_insurance_and_fees", monthly_insurance_and_fees, allow_zero=True)
    share = _amount(errors, "cofinanced_share", cofinanced_share, allow_zero=True)
    if share is not None and (share >= 100 or (share > 0 and product not in Credit.COFINANCED_PRODUCTS)):
        errors.append(FieldError("cofinanced_share", "out_of_range",
                                 _("Solo Cofinavit e Infonavit Total tienen parte cofinanciada (menos de 100 %).")))
    vsm_amount = None
    if denomination == Credit.Denomination.VSM:
        vsm_amount = _amount(errors, "amount_lent_vsm", amount_lent_vsm, places=4)
    elif amount_lent_vsm not in (None, ""):
        errors.append(FieldError("amount_lent_vsm", "not_vsm", _("Un crédito en pesos no lleva monto en VSM.")))
    payment = None
    if monthly_payment not in (None, ""):
        payment = _amount(errors, "monthly_payment", monthly_payment)
    if errors:
        raise DomainError(errors)
    if payment is None:
        payment = ledger_rules.level_payment(lent, yearly_rate, term_months)
    with transaction.atomic():
        (credit_id,) = allocate_ids(Credit, 1)
        credit = Credit.objects.create(
            id=credit_id, number=credit_number.credit_number(credit_id), borrower=borrower, product=product,
            denomination=denomination, origination_date=origination_date, amount_lent=lent,
            amount_lent_vsm=vsm_amount, rate=yearly_rate, term_months=term_months, monthly_payment=payment,
            monthly_insurance_and_fees=fees, regime=regime, cofinanced_share=share, frozen=frozen, state=state,
            originated_by=actor)
        empty = selectors.LedgerState(ledger_rules.Position(), 1, ZERO, payment, None)
        _append(credit, empty, LedgerEntry.Kind.DISBURSEMENT, ledger_rules.disbursement(lent),
                posted_on=origination_date, actor=actor)
        notices.on_credit_granted(actor, credit)  # aviso de retención
        audit.record(actor, "infonavit.originate_credit", credit, after=audit.snapshot(credit))
    return credit


def set_frozen(actor, credit: Credit, frozen: bool, reason: str) -> Credit:
    """Freeze or unfreeze a credit's yearly adjustment (e.g. the VSM freeze from 11 Nov 2024, seed note)."""
    access.require_role(actor, CREDIT_MANAGER_ROLES)
    if not (reason or "").strip():
        raise DomainError(FieldError("reason", "required", _("Indique el motivo.")))
    with transaction.atomic():
        locked = _locked(credit)
        before = {"frozen": locked.frozen}
        locked.frozen = bool(frozen)
        locked.save(update_fields=["frozen"])
        audit.record(actor, "infonavit.set_frozen", locked, before=before,
                     after={"frozen": locked.frozen, "reason": reason.strip()})
    return locked


# --- monthly accrual -------------------------------------------------------------------------------------

def post_monthly_accrual(actor, credit: Credit, month: date) -> list[LedgerEntry]:
    """Post a month's interest and insurance and fees, billing its installment. Once per credit and month:
    a repeat returns the entries already posted and changes nothing."""
    access.require_role(actor, CREDIT_MANAGER_ROLES)
    month = month.replace(day=1)

    def posted() -> list[LedgerEntry]:
        return list(LedgerEntry.objects.filter(credit=credit, kind__in=ACCRUAL_KINDS, period=month)
                    .order_by("sequence"))

    try:
        with transaction.atomic():
            locked = _locked(credit)
            existing = posted()
            if existing:
                return existing
            _require_active(locked)
            if month <= locked.origination_date:
                raise DomainError(FieldError("month", "before_first_installment",
                                             _("El primer mes con intereses es el siguiente al otorgamiento.")))
            state = selectors.ledger_state(locked)
            if state.last_accrued is not None and month < state.last_accrued:
                raise DomainError(FieldError("month", "out_of_order",
                                             _("Ya hay intereses de un mes posterior.")))
            state, suspended = _relief_before_accrual(actor, locked, state, month)  # relief solutions
            accrual = (ledger_rules.monthly_accrual(state.position, ZERO, ZERO, ZERO) if suspended else
                       ledger_rules.monthly_accrual(state.position, locked.rate, state.monthly_payment,
                                                    locked.monthly_insurance_and_fees))
            interest = _append(locked, state, LedgerEntry.Kind.ACCRUAL_INTEREST, accrual.interest,
                               posted_on=month, period=month, actor=actor)
            after_interest = selectors.LedgerState(state.position.after(accrual.interest), state.next_sequence + 1,
                                                   interest.balance_after, state.monthly_payment, month)
            insurance = _append(locked, after_interest, LedgerEntry.Kind.ACCRUAL_INSURANCE, accrual.insurance,
                                posted_on=month, period=month, actor=actor)
            after_insurance = selectors.LedgerState(after_interest.position.after(accrual.insurance),
                                                    after_interest.next_sequence + 1, insurance.balance_after,
                                                    state.monthly_payment, month)
            covered = None if suspended else _covered_part(actor, locked, after_insurance, month)  # FPP, DCP
            audit.record(actor, "infonavit.accrual", locked, after={
                "month": month, "interest": accrual.interest.interest, "insurance": accrual.insurance.insurance,
                "billed": accrual.billed, "covered": -covered.amount if covered else ZERO,
                "balance": (covered or insurance).balance_after})
    except IntegrityError:  # a concurrent run posted the month first
        existing = posted()
        if existing:
            return existing
        raise
    return [interest, insurance]


# --- payments ------------------------------------------------------------------------------------------

def _replay_payment(operation_id: str, credit: Credit, amount: Decimal, posted_on: date) -> LedgerEntry | None:
    existing = LedgerEntry.objects.filter(operation_id=operation_id).first()
    if existing is None:
        return None
    same = (existing.kind == LedgerEntry.Kind.PAYMENT and existing.credit_id == credit.pk
            and -existing.amount + existing.excess == amount and existing.posted_on == posted_on)
    if not same:
        raise payment_services.OperationConflictError("operation_conflict",
                                                      payment_services.refusal("operation_conflict").message)
    return existing


def record_payment(actor, credit: Credit, *, amount, paid_at, operation_id: str,
                   channel: str = Payment.Channel.WINDOW) -> LedgerEntry:
    """Apply a payment to a credit: insurance and fees, then interest, then capital (rules/ledger.py); what
    is left over is recorded as excess. A payment that brings the balance to zero settles the credit.
    Idempotent per `operation_id`: the same operation again returns the stored entry; the same number with
    other data is an OperationConflictError (409). Validation and messages are the payments domain's."""
    access.require_role(actor, PAYMENT_RECORDER_ROLES)
    access.get_visible_person(actor, credit.borrower_id)
    errors: list[FieldError] = []
    value, moment, operation = payment_services.check_payment_fields(
        errors, amount=amount, paid_at=paid_at, operation_id=operation_id, channel=channel,
        channels=Payment.Channel.values)
    if errors:
        raise DomainError(errors)
    posted_on = timezone.localtime(moment, timezone.get_default_timezone()).date()  # the bank's day
    existing = _replay_payment(operation, credit, value, posted_on)
    if existing is not None:
        return existing
    if payment_store.stored_operations([operation]):  # the number already paid a reference: money moves once
        raise payment_services.OperationConflictError("operation_conflict",
                                                      payment_services.refusal("operation_conflict").message)
    try:
        with transaction.atomic():
            locked = _locked(credit)
            _require_active(locked)
            if posted_on < locked.origination_date:
                raise DomainError(FieldError("paid_at", "before_origination",
                                             _("La fecha de pago es anterior al otorgamiento del crédito.")))
            state = selectors.ledger_state(locked)
            split = ledger_rules.allocate_payment(value, state.position)
            entry = _append(locked, state, LedgerEntry.Kind.PAYMENT, split.movement(), posted_on=posted_on,
                            actor=actor, operation_id=operation, channel=channel, excess=split.excess)
            balance = _relief_after_payment(actor, locked, state, entry)  # DLA of the month, BCN reward
            _settle_or_reopen(locked, balance, posted_on, actor)
            audit.record(actor, "infonavit.payment", locked, after={
                "operation_id": operation, "channel": channel, "amount": value, "paid_at": moment,
                "insurance": split.insurance, "interest": split.interest, "capital": split.capital,
                "excess": split.excess, "balance": entry.balance_after, "status": locked.status})
    except IntegrityError:  # a concurrent request stored the same operation first
        existing = _replay_payment(operation, credit, value, posted_on)
        if existing is not None:
            return existing
        raise
    return entry


# --- corrections ---------------------------------------------------------------------------------------

def reverse_entry(actor, entry: LedgerEntry, reason: str, on: date | None = None) -> LedgerEntry:
    """Undo an entry with its mirror image (the ledger is never edited). A reversed payment can reopen a
    settled credit; a reversed charge can settle one."""
    access.require_role(actor, CREDIT_MANAGER_ROLES)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(FieldError("reason", "required", _("Indique el motivo de la corrección.")))
    if entry.kind in NOT_REVERSIBLE:
        raise DomainError(FieldError("entry", "not_reversible",
                                     _("Este movimiento se corrige con su propio trámite, no con un reverso.")))
    on = on or timezone.localdate()
    already = DomainError(FieldError("entry", "already_reversed", _("Este movimiento ya fue corregido.")))
    try:
        with transaction.atomic():
            locked = _locked(entry.credit)
            if LedgerEntry.objects.filter(reverses=entry).exists():
                raise already
            undone = _undo_relief_of_payment(actor, locked, entry, reason, on)  # its DLA discount, BCN reward
            state = selectors.ledger_state(locked)
            original = ledger_rules.Movement(entry.capital, entry.interest, entry.insurance, entry.due)
            reversal = _append(locked, state, LedgerEntry.Kind.REVERSAL, original.reversed(), posted_on=on,
                               actor=actor, reverses=entry, excess=-entry.excess, note=reason[:200])
            for application in undone:
                _end_undone(actor, locked, application, on)
            _settle_or_reopen(locked, reversal.balance_after, on, actor)
            audit.record(actor, "infonavit.reverse_entry", reversal, before={"entry": entry.pk, "kind": entry.kind,
                                                                             "amount": entry.amount},
                         after={"reason": reason, "balance": reversal.balance_after, "status": locked.status})
    except IntegrityError as exc:  # a concurrent correction of the same entry won
        raise already from exc
    return reversal


def _undo_relief_of_payment(actor, credit: Credit, payment: LedgerEntry, reason: str,
                            on: date) -> list[SolutionApplication]:
    """Before a payment is reversed on a locked credit: reverse the relief entries its arrival posted
    (caused_by: the DLA discount, the BCN reward), newest first, and answer their applications."""
    applications = []
    for relief in LedgerEntry.objects.filter(credit=credit, caused_by=payment, reversed_by__isnull=True) \
            .select_related("application").order_by("-sequence"):
        state = selectors.ledger_state(credit)
        movement = ledger_rules.Movement(relief.capital, relief.interest, relief.insurance, relief.due)
        _append(credit, state, LedgerEntry.Kind.REVERSAL, movement.reversed(), posted_on=on, actor=actor,
                reverses=relief, excess=-relief.excess, note=reason[:200], application=relief.application)
        if relief.application is not None and relief.application not in applications:
            applications.append(relief.application)
    return applications


def _end_undone(actor, credit: Credit, application: SolutionApplication, on: date) -> None:
    """A solution whose discount or reward was reversed with the payment that earned it. BCN is in force
    again (its arrears stay in the balance; keeping up can still earn the reward); a DLA did not settle the
    credit: it ends with reason payment_reversed (applying again is the way back)."""
    application = _locked_application(application)
    if application.code != "BCN":
        _end(actor, credit, application, "payment_reversed", on)
        return
    before = audit.snapshot(application)
    application.status = SolutionApplication.Status.ACTIVE
    application.ended_on, application.end_reason = None, ""
    application.save(update_fields=["status", "ended_on", "end_reason"])
    audit.record(actor, "infonavit.reopen_solution", application, before=before,
                 after={"status": application.status, "reason": "payment_reversed", "on": on})


# --- the yearly adjustment of VSM credits ----------------------------------------------------------------

def _cents(column: str) -> str:
    """A money column as whole centavos (exact on PostgreSQL; on SQLite the binary float rounds back)."""
    return f"CAST(ROUND({column} * 100) AS BIGINT)"


def adjustment_sql(balance: str, rate_units: str) -> str:
    """SQL for `ledger.vsm_adjustment` (balance × a, half-up to centavos) in integer centavos, so PostgreSQL's
    NUMERIC and SQLite's floats give the same exact result. rate_units = a in percent × 10,000 (an integer:
    rates have four decimals). Positive balances only (the rule posts nothing for the others)."""
    return (f"CASE WHEN {balance} > 0 THEN ({_cents(balance)} * {rate_units} + 500000) / 1000000 / 100.0 "
            f"ELSE 0 END")


def adjusted_payment_sql(payment: str, rate_units: str) -> str:
    """SQL for `ledger.vsm_adjusted_payment`: payment × (1 + a), half-up to centavos, as above."""
    return f"({_cents(payment)} * (1000000 + {rate_units}) + 500000) / 1000000 / 100.0"


_CANDIDATES = ("c.denomination = 'vsm' AND c.status = 'active' AND c.frozen = FALSE "
               "AND c.origination_date < %(year_start)s")


def _batch_bounds(year_start: date, batch_size: int) -> tuple[int, list[int]]:
    """How many credits the year's adjustment concerns, and the first id of each batch of them."""
    credit = Credit._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {credit} c WHERE {_CANDIDATES}", {"year_start": year_start})
        total = cursor.fetchone()[0]
        cursor.execute(f"SELECT id FROM (SELECT c.id, ROW_NUMBER() OVER (ORDER BY c.id) AS n FROM {credit} c "
                       f"WHERE {_CANDIDATES}) t WHERE (n - 1) %% %(size)s = 0 ORDER BY id",
                       {"year_start": year_start, "size": batch_size})
        return total, [row[0] for row in cursor.fetchall()]


def _adjustment_insert(rate_units: int) -> str:
    """One INSERT … SELECT: for each pending credit, its last entry's running state × (1 + a) as the next
    entry. PostgreSQL reaches the last entry by a LATERAL backward index scan and returns the totals from
    the same statement; SQLite (no LATERAL) by a correlated MAX, and totals come from a second query."""
    credit, entry = Credit._meta.db_table, LedgerEntry._meta.db_table
    state = "x.sequence, x.balance_after, x.monthly_payment_after, x.due_after, x.interest_after, x.insurance_after"
    if connection.vendor == "postgresql":
        last = (f"CROSS JOIN LATERAL (SELECT {state} FROM {entry} x WHERE x.credit_id = c.id "
                f"ORDER BY x.sequence DESC LIMIT 1) e")
    else:
        last = (f"JOIN {entry} e ON e.credit_id = c.id AND e.sequence = "
                f"(SELECT MAX(x.sequence) FROM {entry} x WHERE x.credit_id = c.id)")
    insert = (
        f"INSERT INTO {entry} (credit_id, sequence, kind, posted_on, period, amount, capital, interest, insurance, "
        f"due, excess, balance_after, monthly_payment_after, operation_id, channel, reverses_id, note, actor_id, "
        f"created_at, due_after, interest_after, insurance_after) "
        f"SELECT t.id, t.sequence + 1, %(kind)s, %(year_start)s, %(year_start)s, t.delta, t.delta, 0, 0, 0, 0, "
        f"t.balance_after + t.delta, {adjusted_payment_sql('t.monthly_payment_after', str(rate_units))}, '', '', "
        f"NULL, %(note)s, %(actor)s, %(now)s, t.due_after, t.interest_after, t.insurance_after "
        f"FROM (SELECT c.id, e.sequence, e.balance_after, e.monthly_payment_after, e.due_after, e.interest_after, "
        f"e.insurance_after, "
        f"{adjustment_sql('e.balance_after', str(rate_units))} AS delta FROM {credit} c {last} "
        f"WHERE {_CANDIDATES} AND c.id >= %(low)s AND c.id < %(high)s AND NOT EXISTS (SELECT 1 FROM {entry} a "
        f"WHERE a.credit_id = c.id AND a.kind = %(kind)s AND a.period = %(year_start)s)) t")
    if connection.vendor == "postgresql":
        return f"WITH added AS ({insert} RETURNING amount) SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM added"
    return insert


def _adjust_batch(run: AdjustmentRun, actor, low: int, high: int | None, rate_units: int,
                  lock: bool = True) -> tuple[int, Decimal]:
    """Adjust the candidates with low ≤ id < high not adjusted this year yet: how many, and the balance change.
    `lock`: take the run's row lock for the batch (one batch at a time, whoever runs it); False when the
    caller holds it for all the batches its sessions run."""
    entry = LedgerEntry._meta.db_table
    params = {"year_start": date(run.year, 1, 1), "low": low, "high": high if high is not None else 2 ** 62,
              "kind": LedgerEntry.Kind.ADJUSTMENT, "now": timezone.now(), "actor": actor.pk,
              "note": f"{run.rate} % ({run.get_decided_by_display()})"[:200]}
    with transaction.atomic(), connection.cursor() as cursor:
        if lock:
            AdjustmentRun.objects.select_for_update().get(pk=run.pk)  # one batch at a time, whoever runs it
        if connection.vendor == "postgresql":
            # A stop loses at most the batches not yet flushed; the next run redoes exactly those (each credit
            # once per year), so the batch need not wait for its WAL flush. JIT compiling costs more than it saves.
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(_adjustment_insert(rate_units), params)
        if connection.vendor != "postgresql":
            cursor.execute(f"SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM {entry} WHERE credit_id >= %(low)s "
                           f"AND credit_id < %(high)s AND kind = %(kind)s AND period = %(year_start)s "
                           f"AND created_at = %(now)s", params)
        count, change = cursor.fetchone()
        change = to_centavos(str(change))  # SQLite sums binary floats
        if count:
            audit.record(actor, "infonavit.adjust_vsm_batch", run, after={
                "year": run.year, "from_id": low, "to_id": high, "credits": count, "change": change})
    return count, change


def adjust_vsm_credits(actor, year: int, progress: Callable[[int, int], None] | None = None,
                       batch_size: int = 50_000) -> AdjustmentRun:
    """The January adjustment for `year`: every active VSM credit originated before that year and not frozen
    gets balance and monthly payment in force × (1 + a) in one new ledger entry, with a from the parameter
    table (rule min(ΔSM, ΔUMA) or the board's value; reference.VsmAdjustment). Each credit once per year: the
    ledger's unique (credit, kind, period) marks it, so running again (or resuming after a stop) changes only
    what was not done. The credit rows are not updated (the payment in force is the ledger's). The run's
    figures are stored in AdjustmentRun. `progress(done, total)` is called after each batch."""
    access.require_role(actor, CREDIT_MANAGER_ROLES)
    year_start = date(year, 1, 1)
    parameter = vsm_adjustment_at(year_start)
    if parameter is None:
        raise DomainError(FieldError("year", "no_rate", _("No hay ajuste anual VSM registrado para %(year)s.")
                                     % {"year": year}))
    if parameter.rate < 0:  # never happened; the integer SQL rounds half-up for non-negative rates only
        raise DomainError(FieldError("year", "negative_rate", _("Un ajuste negativo no está soportado.")))
    with transaction.atomic():
        run, created = AdjustmentRun.objects.select_for_update().get_or_create(
            year=year, defaults={"rate": parameter.rate, "decided_by": parameter.decided_by,
                                 "rate_assumed": parameter.assumed, "started_at": timezone.now(), "actor": actor})
        if run.rate != parameter.rate:
            raise DomainError(FieldError("year", "rate_changed",
                                         _("El ajuste de %(year)s ya se aplicó con %(rate)s %%; el valor cambió "
                                           "después y una corrección no está soportada.")
                                         % {"year": year, "rate": run.rate}))
        if created:
            audit.record(actor, "infonavit.adjust_vsm_start", run, after={"year": year, "rate": run.rate,
                                                                          "decided_by": run.decided_by})
    rate_units = int(parameter.rate * 10_000)
    total, bounds = _batch_bounds(year_start, batch_size)
    done, credits, change = 0, 0, ZERO
    # The batches are independent (each credit's own entries): on PostgreSQL two sessions run them side by side
    # (the insert and its foreign-key checks are the server's work, one core each). This connection then holds
    # the run's row lock for all of them, so another invocation still waits, then finds nothing left to do.
    sessions = parallel_sessions()
    tasks = [functools.partial(_adjust_batch, run, actor, low, high, rate_units, lock=sessions == 1)
             for low, high in zip(bounds, [*bounds[1:], None], strict=True)]
    with transaction.atomic() if sessions > 1 else nullcontext():
        if sessions > 1:
            AdjustmentRun.objects.select_for_update().get(pk=run.pk)
        for count, batch_change in in_sessions(tasks, sessions):
            credits, change = credits + count, change + batch_change
            done = min(done + batch_size, total)
            if progress is not None:
                progress(done, total)
    frozen = Credit.objects.filter(denomination=Credit.Denomination.VSM, status=Credit.Status.ACTIVE, frozen=True,
                                   origination_date__lt=year_start).count()
    with transaction.atomic():
        run = AdjustmentRun.objects.select_for_update().get(pk=run.pk)
        before = audit.snapshot(run)
        # The year's totals from the ledger, not added up here: each batch commits on its own, so a run that
        # stopped half-way left adjusted credits that no stored total counted; the ledger has them all.
        # posted_on = period = 1 January (the insert above): the posted_on index finds them.
        adjusted = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.ADJUSTMENT, posted_on=year_start,
                                              period=year_start).aggregate(credits=Count("id"), change=Sum("amount"))
        run.credits = adjusted["credits"]
        run.total_change = to_centavos(str(adjusted["change"] or 0))  # SQLite sums binary floats
        run.frozen_skipped = frozen
        run.finished_at = timezone.now()
        run.save()
        audit.record(actor, "infonavit.adjust_vsm", run, before=before, after={
            "year": year, "rate": run.rate, "credits_this_run": credits, "change_this_run": change,
            "credits": run.credits, "total_change": run.total_change, "frozen_skipped": frozen})
    run.credits_this_run, run.change_this_run = credits, change  # what this invocation did, for the CLI
    return run


# --- payments by credit number (bank files) --------------------------------------------------------------
# A bank or remittance file line whose reference is a credit number (Infonavit Sin Fronteras: the 10-digit
# credit number is the reference, shared/domain/infonavit.md) reaches the ledger through payments.registry's
# reference formats (registered in apps.py), and each line goes through record_payment like every channel.

def claim_credit_number(raw: str) -> str | None:
    """Ten digits (after dropping spaces and dashes) are a credit number to this app, check digit or not: a
    wrong check digit is then refused on its line instead of read as an unknown reference of ours."""
    number = credit_number.normalize(raw)
    return number if len(number) == credit_number.LENGTH and number.isascii() and number.isdigit() else None


def operations_posted(operations: list[str]) -> set[str]:
    """Which of these operation numbers the credit ledger already holds (payments.registry's operation check:
    a reference payment may not reuse one)."""
    return set(LedgerEntry.objects.filter(operation_id__in=operations).values_list("operation_id", flat=True))


def apply_credit_number_line(actor, line) -> bool:
    """Post one payment file line (payments.registry.ClaimedLine) to the credit it names. True when posted,
    False when the same operation was already posted with the same data; DomainError for an unknown credit,
    a bad check digit or a credit that is not active; OperationConflictError for a reused operation number.
    The bank, not the person who uploaded the file, made the payment: it is posted as the system account
    (the upload itself is audited by payments)."""
    from ventanilla.people.services import system_account

    number = clean_credit_number(line.reference, field="reference")
    credit = Credit.objects.filter(number=number).first()
    if credit is None:
        raise DomainError(FieldError("reference", "unknown_credit", _("No hay un crédito con este número.")))
    already = LedgerEntry.objects.filter(operation_id=line.operation_id).exists()
    record_payment(system_account(), credit, amount=line.amount, paid_at=line.paid_at,
                   operation_id=line.operation_id, channel=line.channel)
    return not already


# --- relief solutions (Cobranza Social) on stored credits ---------------------------------------------------
# Applying, approving (four eyes), refusing and ending a SolutionApplication; the ledger movements each solution
# implies come from rules/solutions/effects.py and are posted through _append on the locked credit. The hooks
# from post_monthly_accrual (ends, prórroga) and record_payment (DLA, BCN reward) are at the end.

# Who may ask for a solution, and by which channel: the borrower in the portal, the officer at the window,
# Infonavit staff at the window or as staff.
APPLICANT_CHANNELS = {
    Role.DERECHOHABIENTE: frozenset({SolutionApplication.Channel.PORTAL}),
    Role.CONSULAR_OFFICER: frozenset({SolutionApplication.Channel.WINDOW}),
    Role.INFONAVIT_STAFF: frozenset({SolutionApplication.Channel.STAFF, SolutionApplication.Channel.WINDOW}),
    Role.ADMINISTRATOR: frozenset({SolutionApplication.Channel.STAFF, SolutionApplication.Channel.WINDOW}),
}
# Why a solution in force ends. Staff record the first three (end_application); the others are the system's.
END_REASONS = ("formal_job", "cancelled", "missed_payment")
SYSTEM_END_REASONS = ("expired", "renewed", "settled", "reward_credited", "dla_less", "dla_full_balance",
                      "payment_reversed")
# A window governs when one applies, not when staff decide: approval does not ask for it again.
APPLICATION_ONLY_REASONS = frozenset({"outside_window", "pending_application", "not_shown_yet"})
TERMS_KINDS = frozenset({LedgerEntry.Kind.CONVERSION, LedgerEntry.Kind.RESTRUCTURE})


def _reason_errors(reasons) -> DomainError:
    language = get_language() or "es"
    return DomainError([FieldError("code", reason.code, reason.text(language)) for reason in reasons])


def _as_json(value) -> dict:
    """Decimals as strings, dates ISO (what the application's JSON columns hold)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _visible_credit(actor, credit: Credit) -> None:
    if not selectors.visible_credits(actor).filter(pk=credit.pk).exists():
        raise NotFoundError("credit")


def _post_plan(actor, credit: Credit, application: SolutionApplication, plan: effects.Plan,
               on: date) -> list[LedgerEntry]:
    """Post a plan's entries on a locked credit and put its new terms in force."""
    state = selectors.ledger_state(credit)
    posted = []
    for planned in plan.movements:
        entry = _append(credit, state, planned.kind, planned.movement, posted_on=on, actor=actor,
                        monthly_payment=plan.monthly_payment if planned.kind in TERMS_KINDS else None,
                        note=planned.note[:200], application=application)
        state = selectors.LedgerState(state.position.after(planned.movement), state.next_sequence + 1,
                                      entry.balance_after, entry.monthly_payment_after, state.last_accrued)
        posted.append(entry)
    if plan.credit_changes:  # RC: a pesos credit at a fixed rate, no more yearly adjustment
        credit.denomination = plan.credit_changes["denomination"]
        credit.rate = plan.credit_changes["rate"]
        credit.amount_lent_vsm = None  # kept in the application's amounts
        credit.save(update_fields=["denomination", "rate", "amount_lent_vsm"])
    _settle_or_reopen(credit, state.balance_after, on, actor)
    application.status = (SolutionApplication.Status.COMPLETED if plan.completes
                          else SolutionApplication.Status.ACTIVE)
    application.starts_on, application.ends_on = plan.starts_on, plan.ends_on
    application.amounts = {**application.amounts, **_as_json({
        "balance_before": posted[0].balance_after - posted[0].amount if posted else state.balance_after,
        "balance_after": state.balance_after, "monthly_payment_after": state.monthly_payment,
        "ledger_change": plan.balance_change, "first_month": plan.first_month})}
    notices.on_solution_started(actor, credit, application, on)  # aviso de modificación or suspensión
    return posted


def _replay_application(actor, key: str, credit: Credit, code: str, typed: dict,
                        channel: str) -> SolutionApplication | None:
    """The application already stored under this key, when the request is the same one again (credit,
    solution, channel and declared facts, compared typed); another request under the key is a conflict."""
    existing = SolutionApplication.objects.filter(requested_by=actor, idempotency_key=key).first()
    if existing is None:
        return None
    if (existing.credit_id != credit.pk or existing.code != code or existing.channel != channel
            or selectors.parse_declared(existing.declared) != typed):
        raise ConflictError("idempotency_key_reused", _("La clave Idempotency-Key ya se usó con otra solicitud."))
    return existing


def apply_solution(actor, credit: Credit, code: str, *, declared: dict, idempotency_key: str,
                   on: date | None = None, channel: str) -> SolutionApplication:
    """Ask for a relief solution on a credit. Eligible: the application is stored and, unless money is
    forgiven at Infonavit's discretion (effects.NEEDS_APPROVAL: it then waits for a second person), its
    ledger entries and new terms are posted at once. Not eligible: a DomainError with one error on "code"
    per reason. The same idempotency key again (same person) returns the same application."""
    role = access.require_role(actor, frozenset(APPLICANT_CHANNELS))
    _visible_credit(actor, credit)
    errors: list[FieldError] = []
    if code not in solution_rules.SOLUTION_CODES:
        errors.append(FieldError("code", "unknown_solution", _("No existe esa solución.")))
    if channel not in APPLICANT_CHANNELS[role]:
        errors.append(FieldError("channel", "invalid_choice", _("Elija un valor de la lista.")))
    key = (idempotency_key or "").strip()
    if not key:
        errors.append(FieldError("Idempotency-Key", "required", _("Falta la clave Idempotency-Key.")))
    elif len(key) > idempotency.MAX_KEY_LENGTH:
        errors.append(FieldError("Idempotency-Key", "too_long", _("La clave es demasiado larga.")))
    if errors:
        raise DomainError(errors)
    typed = selectors.parse_declared(declared)
    existing = _replay_application(actor, key, credit, code, typed, channel)
    if existing is not None:
        return existing
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            locked = _locked(credit)
            _require_active(locked)
            preview = selectors.solution_preview(locked, code, on, typed)
            if not preview.result.eligible:
                raise _reason_errors(preview.result.reasons)
            renewal = preview.result.new_terms.get("renewal", False)
            if renewal:  # STM renewed (its rule checked it was paid on time): the one in force ends first,
                # so the new one lowers the agreed payment again rather than the lowered one
                for renewed in locked.solution_applications.filter(code="STM",
                                                                   status=SolutionApplication.Status.ACTIVE):
                    _end(actor, locked, renewed, "renewed", on)
                renewed_preview = selectors.solution_preview(locked, code, on, typed)
                if not renewed_preview.result.eligible:
                    raise _reason_errors(renewed_preview.result.reasons)
                preview = selectors.SolutionPreview(
                    dataclasses.replace(renewed_preview.result,
                                        new_terms={**renewed_preview.result.new_terms, "renewal": True}),
                    renewed_preview.facts, renewed_preview.plan)
            plan = preview.plan
            state = selectors.ledger_state(locked)
            application = SolutionApplication.objects.create(
                credit=locked, code=code, channel=channel, requested_by=actor, idempotency_key=key,
                status=SolutionApplication.Status.PENDING_APPROVAL, starts_on=on,
                amounts=_as_json({**preview.result.amounts, "previous_monthly_payment": state.monthly_payment,
                                  "previous_rate": locked.rate, "previous_denomination": locked.denomination,
                                  "previous_amount_lent_vsm": locked.amount_lent_vsm,
                                  "missed_payments": preview.facts.missed_payments}),
                new_terms=_as_json(preview.result.new_terms), declared=selectors.declared_json(typed))
            if not plan.needs_approval:
                _post_plan(actor, locked, application, plan, on)
            application.save()
            audit.record(actor, "infonavit.apply_solution", application, after={
                "credit": locked.number, "code": code, "channel": channel, "status": application.status,
                "amounts": application.amounts, "new_terms": application.new_terms})
    except IntegrityError:  # a concurrent request with the same key stored it first
        existing = _replay_application(actor, key, credit, code, typed, channel)
        if existing is not None:
            return existing
        raise
    return application


def _locked_application(application: SolutionApplication) -> SolutionApplication:
    return SolutionApplication.objects.select_for_update().get(pk=application.pk)


def _second_person(actor, application: SolutionApplication) -> None:
    """Four eyes: an Infonavit staff member or administrator other than the one who asked."""
    access.require_role(actor, CREDIT_MANAGER_ROLES)
    if actor.pk == application.requested_by_id:
        raise DomainError(FieldError("application", "four_eyes",
                                     _("La solicitud debe decidirla una persona distinta de quien la registró.")))


def _require_pending(application: SolutionApplication) -> None:
    if application.status != SolutionApplication.Status.PENDING_APPROVAL:
        raise DomainError(FieldError("application", "not_pending",
                                     _("La solicitud ya fue decidida (%(status)s).")
                                     % {"status": application.get_status_display()}))


AMOUNTS_CHANGED = _("Los importes de la solicitud cambiaron con los movimientos posteriores del crédito; la "
                    "solicitud quedó rechazada y debe hacerse de nuevo.")


def approve_application(actor, application: SolutionApplication, on: date | None = None) -> SolutionApplication:
    """The second person approves: the solution is evaluated again on the credit as it is now (the window it
    was asked in is not asked again). When its amounts are the ones asked for (and shown in the queue) its
    entries are posted; when the ledger moved them since, the request is refused (amounts_changed) and must
    be made again: nobody approved the new figures."""
    _second_person(actor, application)
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _locked(application.credit)
        application = _locked_application(application)
        _require_pending(application)
        _require_active(locked)
        facts = selectors.credit_facts(locked, on, selectors.parse_declared(application.declared))
        rule = solution_rules.RULES[application.code]
        result = rule(facts, validation.solution_params(on))
        blocking = [r for r in result.reasons if r.code not in APPLICATION_ONLY_REASONS]
        if blocking:
            raise _reason_errors(blocking)
        if not result.eligible:  # only the window: the rule on the day it was asked, with today's ledger
            asked = application.starts_on
            result = rule(dataclasses.replace(facts, as_of=asked), validation.solution_params(asked))
            if not result.eligible:
                raise _reason_errors(result.reasons)
        changed = {key: value for key, value in _as_json(result.amounts).items()
                   if application.amounts.get(key) != value}
        if changed:  # the queue showed other figures: nobody approved these; the request is made again
            before = audit.snapshot(application)
            application.status = SolutionApplication.Status.REFUSED
            application.refusal_reason = str(AMOUNTS_CHANGED)[:500]
            application.decided_by, application.decided_at = actor, timezone.now()
            application.save()
            audit.record(actor, "infonavit.refuse_solution", application, before=before, after={
                "status": application.status, "reason": "amounts_changed", "recomputed": changed})
        else:
            state = selectors.ledger_state(locked)
            plan = effects.solution_plan(result, facts, state.position, state.last_accrued)
            before = audit.snapshot(application)
            application.new_terms = _as_json(result.new_terms)
            _post_plan(actor, locked, application, plan, on)
            application.decided_by, application.decided_at = actor, timezone.now()
            application.save()
            audit.record(actor, "infonavit.approve_solution", application, before=before,
                         after={"status": application.status, "amounts": application.amounts})
    if changed:  # raised after the commit: the refusal stays
        raise DomainError(FieldError("application", "amounts_changed", AMOUNTS_CHANGED))
    return application


def refuse_application(actor, application: SolutionApplication, reason: str) -> SolutionApplication:
    """The second person refuses, saying why (shown to the borrower); nothing moves in the ledger."""
    _second_person(actor, application)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(FieldError("reason", "required", _("Indique el motivo del rechazo.")))
    with transaction.atomic():
        application = _locked_application(application)
        _require_pending(application)
        before = audit.snapshot(application)
        application.status = SolutionApplication.Status.REFUSED
        application.refusal_reason = reason[:500]
        application.decided_by, application.decided_at = actor, timezone.now()
        application.save()
        audit.record(actor, "infonavit.refuse_solution", application, before=before,
                     after={"status": application.status, "reason": application.refusal_reason})
    return application


def _end(actor, credit: Credit, application: SolutionApplication, reason_code: str, on: date) -> None:
    """End a solution in force on a locked credit: the payment it lowered comes back (a restructure entry)."""
    if reason_code not in END_REASONS + SYSTEM_END_REASONS:  # a programming error, not bad input
        raise ValueError(f"unknown end reason {reason_code!r}")
    if application.code in effects.PAYMENT_CHANGING:
        state = selectors.ledger_state(credit)
        previous = Decimal(application.amounts["previous_monthly_payment"])
        # A VSM credit's yearly adjustments while it was in force raise the agreed payment it restores too.
        first = application.entries.order_by("sequence").values_list("sequence", flat=True).first() or 0
        for period in credit.entries.filter(kind=LedgerEntry.Kind.ADJUSTMENT, sequence__gt=first).values_list(
                "period", flat=True):
            run = AdjustmentRun.objects.filter(year=period.year).first()
            if run is not None:
                previous = ledger_rules.vsm_adjusted_payment(previous, run.rate)
        _append(credit, state, LedgerEntry.Kind.RESTRUCTURE, ledger_rules.Movement(), posted_on=on, actor=actor,
                monthly_payment=previous, note=f"{application.code}: {reason_code}", application=application)
        notices.on_solution_ended(actor, credit, application, on)  # the payment comes back: a new aviso
    before = audit.snapshot(application)
    application.status = (SolutionApplication.Status.COMPLETED if reason_code in ("settled", "reward_credited")
                          else SolutionApplication.Status.ENDED)
    application.ended_on, application.end_reason = on, reason_code
    application.save(update_fields=["status", "ended_on", "end_reason"])
    audit.record(actor, "infonavit.end_solution", application, before=before,
                 after={"status": application.status, "reason": reason_code, "on": on})


def end_application(actor, application: SolutionApplication, reason_code: str,
                    on: date | None = None) -> SolutionApplication:
    """Staff end a solution in force: a formal job ends Apoyo a Jubilados (shared/domain/infonavit.md), the
    borrower cancels a restructure (RC asks it first), or a missed payment ends a Dictamen."""
    access.require_role(actor, CREDIT_MANAGER_ROLES)
    if reason_code not in END_REASONS:
        raise DomainError(FieldError("reason", "invalid_choice", _("Elija un valor de la lista.")))
    on = on or timezone.localdate()
    with transaction.atomic():
        locked = _locked(application.credit)
        application = _locked_application(application)
        if application.status != SolutionApplication.Status.ACTIVE:
            raise DomainError(FieldError("application", "not_active", _("La solución no está en curso.")))
        if on < application.starts_on:
            raise DomainError(FieldError("on", "before_start", _("La fecha es anterior al inicio de la solución.")))
        # The ledger is written in date order and never ahead of today: the end (a restructure entry on the
        # credit) falls between its last entry and today.
        last_posted = locked.entries.order_by("-sequence").values_list("posted_on", flat=True).first()
        if last_posted is not None and on < last_posted:
            raise DomainError(FieldError("on", "before_last_entry",
                                         _("La fecha es anterior al último movimiento del crédito (%(date)s).")
                                         % {"date": last_posted.isoformat()}))
        if on > timezone.localdate():
            raise DomainError(FieldError("on", "future_date", _("La fecha no puede ser posterior a hoy.")))
        _end(actor, locked, application, reason_code, on)
    return application


# Hooks of the monthly accrual and of payments.

def _installment_missed(credit: Credit, state: selectors.LedgerState, month: date) -> bool:
    """Whether the installment billed last (state.last_accrued) was left unpaid before `month`'s accrual:
    payments since it cover less than it billed, and something is overdue."""
    if state.last_accrued is None or state.position.arrears <= 0:
        return False
    billed = LedgerEntry.objects.filter(credit=credit, kind__in=ACCRUAL_KINDS, period=state.last_accrued)
    paid = LedgerEntry.objects.filter(credit=credit, kind=LedgerEntry.Kind.PAYMENT, posted_on__gte=state.last_accrued,
                                      posted_on__lt=month, reversed_by__isnull=True)
    billed_due = sum((due for due in billed.values_list("due", flat=True)), ZERO)
    paid_due = -sum((due for due in paid.values_list("due", flat=True)), ZERO)
    return paid_due < billed_due


def _first_month(application: SolutionApplication) -> date:
    """The first month billed under a payment-changing solution's terms (effects.first_new_month)."""
    stored = application.amounts.get("first_month")
    return date.fromisoformat(stored) if stored else effects.first_new_month(application.starts_on, None)


def _relief_before_accrual(actor, credit: Credit, state: selectors.LedgerState,
                           month: date) -> tuple[selectors.LedgerState, bool]:
    """Before a month's accrual: solutions whose time ran out end; a Dictamen ends when the installment billed
    under it went unpaid (shared/domain/infonavit.md, DCP: "lost on a missed payment"). Answers the ledger
    state afterwards and whether a prórroga suspends the month (no interest, insurance or installment)."""
    changed, suspended = False, False
    for application in credit.solution_applications.filter(status=SolutionApplication.Status.ACTIVE):
        if application.ends_on is not None and application.ends_on < month:
            _end(actor, credit, application, "expired", application.ends_on + timedelta(days=1))
            changed = True
        elif (application.code == "DCP" and state.last_accrued is not None
              and state.last_accrued > application.starts_on and _installment_missed(credit, state, month)):
            _end(actor, credit, application, "missed_payment", month)
            changed = True
        elif application.code == "PRORROGA" and _first_month(application) <= month:
            suspended = True  # from the first month it bills, the one its ends_on counts from
    return (selectors.ledger_state(credit) if changed else state), suspended


def _covered_part(actor, credit: Credit, state: selectors.LedgerState, month: date) -> LedgerEntry | None:
    """After a month's accrual on a locked credit: the part of the installment the Fondo de Protección de
    Pagos or Infonavit (Dictamen de Capacidad de Pago) pays, for each month the solution bills (from its first
    month to ends_on), as its own entry (effects.COVERED_BY, effects.covered_movement). The amount is the one
    fixed when the solution was applied (new_terms)."""
    for application in credit.solution_applications.filter(status=SolutionApplication.Status.ACTIVE,
                                                           code__in=tuple(effects.COVERED_BY)):
        if _first_month(application) > month or (application.ends_on is not None and application.ends_on < month):
            continue
        kind, key = effects.COVERED_BY[application.code]
        movement = effects.covered_movement(Decimal(str(application.new_terms.get(key) or ZERO)), state.position)
        if movement.amount == 0:
            return None
        entry = _append(credit, state, kind, movement, posted_on=month, period=month, actor=actor,
                        note=f"{application.code}: {key}", application=application)
        _settle_or_reopen(credit, entry.balance_after, month, actor)
        return entry
    return None


def _relief_after_payment(actor, credit: Credit, before: selectors.LedgerState, payment: LedgerEntry) -> Decimal:
    """After a payment is posted on a locked credit: the DLA of the month (shared/domain/infonavit.md, DLA:
    exact or more settles with the discount, the excess not refunded; less or the full balance is an ordinary
    payment) and the BCN reward once earned. Answers the balance afterwards."""
    balance = payment.balance_after
    active = list(credit.solution_applications.filter(status=SolutionApplication.Status.ACTIVE,
                                                      code__in=("DLA", "BCN")))
    for application in active:
        if application.code == "DLA" and application.starts_on <= payment.posted_on <= application.ends_on:
            eligible = Decimal(application.amounts["amount_to_pay"])
            paid = -payment.amount + payment.excess
            if not ZERO < eligible <= before.balance_after:  # the balance fell below it since: no benefit
                _end(actor, credit, application, "dla_less", payment.posted_on)
                continue
            outcome = solution_rules.dla_payment_outcome(eligible, before.balance_after, paid)
            if not outcome.with_discount:
                _end(actor, credit, application, f"dla_{outcome.kind}", payment.posted_on)
                continue
            # The whole payment was applied (it is below the balance); the discount takes the rest, so a
            # payment above the amount earns a smaller discount: nothing is refunded.
            state = selectors.ledger_state(credit)
            discount = _append(credit, state, LedgerEntry.Kind.DISCOUNT,
                               effects.forgiven(state.balance_after, state.position), posted_on=payment.posted_on,
                               actor=actor, note=f"DLA ({outcome.kind})", application=application,
                               caused_by=payment)
            balance = discount.balance_after
            application.amounts = {**application.amounts, **_as_json({
                "outcome": outcome.kind, "paid": paid, "discount_posted": -discount.amount,
                "not_refunded": outcome.not_refunded})}
            application.save(update_fields=["amounts"])
            audit.record(actor, "infonavit.dla_discount", application, after={
                "payment": payment.pk, "paid": paid, "discount": -discount.amount, "outcome": outcome.kind})
            _end(actor, credit, application, "settled", payment.posted_on)
        elif application.code == "BCN" and balance > 0:
            rewarded = _bcn_reward_if_earned(actor, credit, application, payment)
            balance = balance if rewarded is None else rewarded
    return balance


def _bcn_reward_if_earned(actor, credit: Credit, application: SolutionApplication,
                          payment: LedgerEntry) -> Decimal | None:
    """shared/domain/infonavit.md, BCN: the reward after a full bimonthly employer payment (payroll), or 3
    consecutive full payments (paying on their own), counted from the application; nothing overdue."""
    state = selectors.ledger_state(credit)
    installment = state.monthly_payment + credit.monthly_insurance_and_fees
    start = application.entries.order_by("sequence").values_list("sequence", flat=True).first() or 0
    paid = [-amount + excess for amount, excess in
            LedgerEntry.objects.filter(credit=credit, kind=LedgerEntry.Kind.PAYMENT, sequence__gt=start,
                                       reversed_by__isnull=True).order_by("sequence").values_list("amount", "excess")]
    # The condition the borrower was told when applying (arrears.reward_by_employer_payment, in new_terms).
    after = application.new_terms.get("reward_after")
    payroll = (after == "bimonthly_employer_payment" if after else credit.regime == Credit.Regime.PAYROLL)
    if not effects.bcn_reward_earned(paid, installment, payroll=payroll) or state.position.arrears > 0:
        return None
    reward = min(Decimal(application.amounts["reward"]), state.balance_after)
    missed = int(application.amounts.get("missed_payments", 0) or 0)
    entry = _append(credit, state, LedgerEntry.Kind.REWARD, effects.reward_movement(reward, missed, state.position),
                    posted_on=payment.posted_on, actor=actor, note="BCN", application=application,
                    caused_by=payment)
    audit.record(actor, "infonavit.bcn_reward", application, after={"payment": payment.pk, "reward": reward,
                                                                     "balance": entry.balance_after})
    _end(actor, credit, application, "reward_credited", payment.posted_on)
    return entry.balance_after
