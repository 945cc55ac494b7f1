"""Writes of Infonavit credits and their ledger: one transaction and one audit entry each.

Every single-credit write locks the credit row, folds its ledger (selectors.ledger_state), asks
rules/ledger.py for the movement and appends it with the next sequence and the running state (balance and
payment in force). The yearly VSM adjustment is the exception: one INSERT … SELECT per batch of credits (the
portfolio holds millions), with the same arithmetic held equal to the rule by tests/infonavit/test_adjustment.py.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit
from ventanilla.core.bulk import allocate_ids
from ventanilla.core.errors import DomainError, FieldError
from ventanilla.core.money import ZERO, parse_amount, to_centavos
from ventanilla.infonavit import selectors
from ventanilla.infonavit.models import ACCRUAL_KINDS, AdjustmentRun, Credit, LedgerEntry
from ventanilla.infonavit.rules import credit_number
from ventanilla.infonavit.rules import ledger as ledger_rules
from ventanilla.payments import services as payment_services
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
                            LedgerEntry.Kind.CONVERSION, LedgerEntry.Kind.REVERSAL})
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
        actor=actor if getattr(actor, "is_authenticated", False) else None, **fields)


def _settle_or_reopen(credit: Credit, balance: Decimal, on: date) -> None:
    """A credit whose balance reaches zero is settled; a correction that brings a balance back reopens it."""
    if credit.status == Credit.Status.ACTIVE and balance == ZERO:
        credit.status, credit.settled_on = Credit.Status.SETTLED, on
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
            accrual = ledger_rules.monthly_accrual(state.position, locked.rate, state.monthly_payment,
                                                   locked.monthly_insurance_and_fees)
            interest = _append(locked, state, LedgerEntry.Kind.ACCRUAL_INTEREST, accrual.interest,
                               posted_on=month, period=month, actor=actor)
            after_interest = selectors.LedgerState(state.position.after(accrual.interest), state.next_sequence + 1,
                                                   interest.balance_after, state.monthly_payment, month)
            insurance = _append(locked, after_interest, LedgerEntry.Kind.ACCRUAL_INSURANCE, accrual.insurance,
                                posted_on=month, period=month, actor=actor)
            audit.record(actor, "infonavit.accrual", locked, after={
                "month": month, "interest": accrual.interest.interest, "insurance": accrual.insurance.insurance,
                "billed": accrual.billed, "balance": insurance.balance_after})
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
            _settle_or_reopen(locked, entry.balance_after, posted_on)
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
            state = selectors.ledger_state(locked)
            original = ledger_rules.Movement(entry.capital, entry.interest, entry.insurance, entry.due)
            reversal = _append(locked, state, LedgerEntry.Kind.REVERSAL, original.reversed(), posted_on=on,
                               actor=actor, reverses=entry, excess=-entry.excess, note=reason[:200])
            _settle_or_reopen(locked, reversal.balance_after, on)
            audit.record(actor, "infonavit.reverse_entry", reversal, before={"entry": entry.pk, "kind": entry.kind,
                                                                             "amount": entry.amount},
                         after={"reason": reason, "balance": reversal.balance_after, "status": locked.status})
    except IntegrityError as exc:  # a concurrent correction of the same entry won
        raise already from exc
    return reversal


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
    state = "x.sequence, x.balance_after, x.monthly_payment_after"
    if connection.vendor == "postgresql":
        last = (f"CROSS JOIN LATERAL (SELECT {state} FROM {entry} x WHERE x.credit_id = c.id "
                f"ORDER BY x.sequence DESC LIMIT 1) e")
    else:
        last = (f"JOIN {entry} e ON e.credit_id = c.id AND e.sequence = "
                f"(SELECT MAX(x.sequence) FROM {entry} x WHERE x.credit_id = c.id)")
    insert = (
        f"INSERT INTO {entry} (credit_id, sequence, kind, posted_on, period, amount, capital, interest, insurance, "
        f"due, excess, balance_after, monthly_payment_after, operation_id, channel, reverses_id, note, actor_id, "
        f"created_at) "
        f"SELECT t.id, t.sequence + 1, %(kind)s, %(year_start)s, %(year_start)s, t.delta, t.delta, 0, 0, 0, 0, "
        f"t.balance_after + t.delta, {adjusted_payment_sql('t.monthly_payment_after', str(rate_units))}, '', '', "
        f"NULL, %(note)s, %(actor)s, %(now)s "
        f"FROM (SELECT c.id, e.sequence, e.balance_after, e.monthly_payment_after, "
        f"{adjustment_sql('e.balance_after', str(rate_units))} AS delta FROM {credit} c {last} "
        f"WHERE {_CANDIDATES} AND c.id >= %(low)s AND c.id < %(high)s AND NOT EXISTS (SELECT 1 FROM {entry} a "
        f"WHERE a.credit_id = c.id AND a.kind = %(kind)s AND a.period = %(year_start)s)) t")
    if connection.vendor == "postgresql":
        return f"WITH added AS ({insert} RETURNING amount) SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM added"
    return insert


def _adjust_batch(run: AdjustmentRun, actor, low: int, high: int | None, rate_units: int) -> tuple[int, Decimal]:
    """Adjust the candidates with low ≤ id < high not adjusted this year yet: how many, and the balance change."""
    entry = LedgerEntry._meta.db_table
    params = {"year_start": date(run.year, 1, 1), "low": low, "high": high if high is not None else 2 ** 62,
              "kind": LedgerEntry.Kind.ADJUSTMENT, "now": timezone.now(), "actor": actor.pk,
              "note": f"{run.rate} % ({run.get_decided_by_display()})"[:200]}
    with transaction.atomic(), connection.cursor() as cursor:
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
    for index, low in enumerate(bounds):
        high = bounds[index + 1] if index + 1 < len(bounds) else None
        count, batch_change = _adjust_batch(run, actor, low, high, rate_units)
        credits, change = credits + count, change + batch_change
        done = min(done + batch_size, total)
        if progress is not None:
            progress(done, total)
    frozen = Credit.objects.filter(denomination=Credit.Denomination.VSM, status=Credit.Status.ACTIVE, frozen=True,
                                   origination_date__lt=year_start).count()
    with transaction.atomic():
        run = AdjustmentRun.objects.select_for_update().get(pk=run.pk)
        before = audit.snapshot(run)
        run.credits += credits
        run.total_change += change
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
