"""Reads of Infonavit credits: who may see which credit, what a credit owes, its movements."""

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from ventanilla.core.calendar import add_months, last_business_day
from ventanilla.core.errors import DomainError, FieldError, NotFoundError
from ventanilla.core.money import ZERO, to_centavos
from ventanilla.core.reasons import Reason
from ventanilla.core.rows import get_row
from ventanilla.imss import selectors as imss_selectors
from ventanilla.imss.models import Affiliation
from ventanilla.imss.rules.coverage import COVERED
from ventanilla.infonavit import validation
from ventanilla.infonavit.models import Credit, LedgerEntry, SolutionApplication
from ventanilla.infonavit.rules import credit_number, solutions
from ventanilla.infonavit.rules import ledger as ledger_rules
from ventanilla.infonavit.rules.solutions import effects
from ventanilla.people import access
from ventanilla.people.models import Role

# Who reads credits: the borrower (own), consular officers (their consulate's borrowers, through
# people.access), Infonavit staff and administrators (all). IMSS staff and supervisors see none: a credit is
# not theirs to look at, and supervisors see figures, never a person.
CREDIT_READER_ROLES = frozenset({Role.DERECHOHABIENTE, Role.CONSULAR_OFFICER, Role.INFONAVIT_STAFF,
                                 Role.ADMINISTRATOR})
ALL_CREDITS_ROLES = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})


def visible_credits(user) -> QuerySet[Credit]:
    role = access.role_of(user)
    if role not in CREDIT_READER_ROLES:
        return Credit.objects.none()
    credits = Credit.objects.select_related("borrower")
    if role in ALL_CREDITS_ROLES:  # visible_persons is every person for them: skip the semi-join
        return credits
    if role == Role.DERECHOHABIENTE:  # visible_persons is their own person: the same without the semi-join
        return credits.filter(borrower_id=user.person_id) if user.person_id else Credit.objects.none()
    return credits.filter(borrower__in=access.visible_persons(user))


# The credit's last ledger entry, one probe of the (credit, sequence) unique index (core.rows: "t" is the credit).
LAST_ENTRY_ID = "last_entry_id"
LAST_ENTRY_SQL = "SELECT e.id FROM infonavit_ledgerentry e WHERE e.credit_id = t.id ORDER BY e.sequence DESC LIMIT 1"


def get_visible_credit(user, number: str) -> Credit:
    """A credit by its number, or NotFoundError when it does not exist, is not well formed or is not this
    user's to see (one answer for all three)."""
    normalised = credit_number.normalize(number)
    if not credit_number.is_valid(normalised):
        raise NotFoundError("credit")
    role = access.role_of(user)
    # The borrower's own credit and the all-credits roles' reads (every statement request) by SQL built once
    # (core.rows): compiling visible_credits' get() cost twice running it. The same rows as visible_credits.
    # The statement cache's key needs the last entry's id: read in the same query (statement_cache.statement_key).
    if role == Role.DERECHOHABIENTE and user.person_id:
        credit = get_row(Credit, {"number": normalised, "borrower_id": user.person_id}, related="borrower",
                         annotations={LAST_ENTRY_ID: LAST_ENTRY_SQL})
    elif role in ALL_CREDITS_ROLES:
        credit = get_row(Credit, {"number": normalised}, related="borrower",
                         annotations={LAST_ENTRY_ID: LAST_ENTRY_SQL})
    else:
        try:
            credit = visible_credits(user).get(number=normalised)
        except Credit.DoesNotExist:
            credit = None
    if credit is None:
        raise NotFoundError("credit")
    return credit


# --- the ledger folded ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LedgerState:
    """A credit's position (the fold of its entries) and where the next entry goes."""

    position: ledger_rules.Position
    next_sequence: int
    balance_after: Decimal  # the last entry's running balance (equals position.balance)
    monthly_payment: Decimal  # the payment in force: the last entry's monthly_payment_after
    last_accrued: date | None  # the latest month with an interest accrual


def ledger_state(credit: Credit) -> LedgerState:
    rows = (LedgerEntry.objects.filter(credit=credit).order_by("sequence")
            .values_list("sequence", "kind", "period", "capital", "interest", "insurance", "due", "balance_after",
                         "monthly_payment_after"))
    movements, last, last_accrued = [], (0, ZERO, credit.monthly_payment), None
    for sequence, kind, period, capital, interest, insurance, due, balance_after, payment in rows:
        movements.append(ledger_rules.Movement(capital, interest, insurance, due))
        last = (sequence, balance_after, payment)
        if kind == LedgerEntry.Kind.ACCRUAL_INTEREST and (last_accrued is None or period > last_accrued):
            last_accrued = period
    return LedgerState(ledger_rules.fold(movements), last[0] + 1, last[1], last[2], last_accrued)


def position(credit: Credit) -> ledger_rules.Position:
    return ledger_state(credit).position


def payment_due_date(month: date) -> date:
    """The day a month's payment falls due. ASSUMED: the last business day of the month (the deadline
    Infonavit publishes for the DLA payment; the general due day of a payment is not public)."""
    return last_business_day(month.year, month.month)


@dataclass(frozen=True)
class NextPayment:
    due_on: date
    amount: Decimal  # what to pay by due_on: arrears plus the month's installment, at most the balance
    installment: Decimal
    arrears: Decimal


@dataclass(frozen=True)
class CreditSummary:
    credit: Credit
    position: ledger_rules.Position
    monthly_payment: Decimal  # in force (without insurance and fees)
    installment: Decimal  # what falls due each month: the payment plus insurance and fees
    missed_payments: int
    next_payment: NextPayment | None

    @property
    def balance(self) -> Decimal:
        return self.position.balance

    @property
    def arrears(self) -> Decimal:
        return self.position.arrears


def credit_summary(credit: Credit, on: date) -> CreditSummary:
    """Balance, arrears and the next payment of a credit as of `on`."""
    state = ledger_state(credit)
    current = state.position
    installment = state.monthly_payment + credit.monthly_insurance_and_fees
    next_payment = None
    if credit.status == Credit.Status.ACTIVE and current.balance > 0:
        month = on.replace(day=1)
        if on > payment_due_date(month):
            month = add_months(month, 1)
        billed = state.last_accrued is not None and state.last_accrued >= month
        owed = current.arrears + (ZERO if billed else installment)
        next_payment = NextPayment(due_on=payment_due_date(month), amount=min(owed, current.balance),
                                   installment=installment, arrears=current.arrears)
    return CreditSummary(credit=credit, position=current, monthly_payment=state.monthly_payment,
                         installment=installment, missed_payments=ledger_rules.missed_payments(current, installment),
                         next_payment=next_payment)


@dataclass(frozen=True)
class Movements:
    opening_balance: Decimal
    entries: list[LedgerEntry]
    closing_balance: Decimal


def movements(credit: Credit, start: date, end: date) -> Movements:
    """Entries dated from `start` to `end` (inclusive) in posting order, with the balance before and after
    them (sums of amounts: the balance is the sum of the entries)."""
    entries = list(LedgerEntry.objects.filter(credit=credit, posted_on__gte=start, posted_on__lte=end)
                   .select_related("reverses").order_by("sequence"))
    opening = to_centavos(LedgerEntry.objects.filter(credit=credit, posted_on__lt=start)  # SQLite sums floats
                          .aggregate(total=Sum("amount"))["total"] or ZERO)
    closing = opening + sum((entry.amount for entry in entries), ZERO)
    return Movements(opening_balance=opening, entries=entries, closing_balance=closing)


# --- statements (saldos y movimientos) and the constancia de intereses ------------------------------------
# Owned by the credits screens (views/credits.py, pdf.py "statements", exports.py, the credits API).

STATEMENT_MONTHS = 12  # the period a statement shows unless another is asked for
EARLIEST_STATEMENT_DAY = date(1970, 1, 1)  # before any Infonavit credit (the institute dates from 1972)


@dataclass(frozen=True)
class PaymentOption:
    """One way to pay a credit; `reference` is what the payer gives (the credit number for all of them)."""

    code: str
    title: str
    detail: str
    reference: str


def payment_options(credit: Credit) -> list[PaymentOption]:
    """Where and how to pay (shared/domain/infonavit.md, "Infonavit Sin Fronteras" and Mi Cuenta's "dónde y
    cómo pagar"): at a consulate's window, by bank or SPEI, or from the US at an allied remittance agent, always
    with the 10-digit credit number as the reference."""
    number = credit.number
    return [
        PaymentOption("window", str(_("En la ventanilla de su consulado")),
                      str(_("Infonavit Sin Fronteras: la persona funcionaria registra el pago con el número de "
                            "crédito y le entrega el número de operación.")), number),
        PaymentOption("bank", str(_("En el banco o por SPEI")),
                      str(_("Pago en ventanilla bancaria, archivo del banco o transferencia SPEI; escriba el "
                            "número de crédito como referencia.")), number),
        PaymentOption("remittance", str(_("Desde Estados Unidos, en una remesadora aliada")),
                      str(_("DolEx, Maxitransfers, Intercambio Express, Barri o Solopin: paga en dólares al tipo "
                            "de cambio del día e Infonavit cubre la comisión. Dé el número de crédito.")), number),
    ]


@dataclass(frozen=True)
class Statement:
    credit: Credit
    start: date
    end: date
    on: date
    summary: CreditSummary
    movements: Movements
    charges: Decimal  # what the period's entries added (interest, insurance, adjustments…)
    reductions: Decimal  # what they took off (payments, discounts, corrections), positive:
    # opening + charges − reductions = closing
    paid: Decimal  # the payments among the reductions
    options: list[PaymentOption]
    # Sin Fronteras: payments from abroad among the entries, by operation number (dollars and the rate used).
    from_abroad: Mapping = dataclasses.field(default_factory=dict)

    @property
    def entries(self) -> list[LedgerEntry]:
        return self.movements.entries


def default_statement_period(today: date) -> tuple[date, date]:
    """The last twelve months: from the first day of the month a year ago to today."""
    return add_months(today.replace(day=1), -STATEMENT_MONTHS), today


def statement_period(raw_start, raw_end, today: date) -> tuple[date, date]:
    """The period asked for (ISO dates, either may be blank for the default), or DomainError naming the field."""
    default_start, default_end = default_statement_period(today)
    errors: list[FieldError] = []

    def parse(raw, field: str, default: date) -> date | None:
        if raw in (None, ""):
            return default
        if isinstance(raw, date):
            return raw
        try:
            return date.fromisoformat(str(raw).strip())
        except ValueError:
            errors.append(FieldError(field, "invalid_date", _("Use una fecha válida (AAAA-MM-DD).")))
            return None

    start, end = parse(raw_start, "start", default_start), parse(raw_end, "end", default_end)
    if start is not None and not EARLIEST_STATEMENT_DAY <= start <= today:
        errors.append(FieldError("start", "out_of_range", _("El periodo empieza entre 1970 y hoy.")))
    if start is not None and end is not None and end < start:
        errors.append(FieldError("end", "before_start", _("El periodo termina antes de empezar.")))
    if errors:
        raise DomainError(errors)
    return start, end


def statement(credit: Credit, start: date, end: date, on: date) -> Statement:
    """Saldos y movimientos for a period: the summary as of `on`, where and how to pay, and the period's
    movements from the opening to the closing balance (opening + movements = closing)."""
    found = movements(credit, start, end)
    charges = sum((entry.amount for entry in found.entries if entry.amount > 0), ZERO)
    reductions = -sum((entry.amount for entry in found.entries if entry.amount < 0), ZERO)
    paid = -sum((entry.amount for entry in found.entries if entry.kind == LedgerEntry.Kind.PAYMENT), ZERO)
    label_entries(found.entries)
    return Statement(credit=credit, start=start, end=end, on=on, summary=credit_summary(credit, on),
                     movements=found, charges=charges, reductions=reductions, paid=paid,
                     options=payment_options(credit), from_abroad=payments_from_abroad(found.entries))


def label_entries(entries) -> None:
    """Each entry gets `kind_label` and `channel_label` in the active language (channel "" when none). The
    statement page showed get_kind_display and get_channel_display per row, and Django builds a dict of every
    lazy label, translating each, on every such call: a fifth of the page's time under load (BENCHMARKS.md,
    "HTTP load"). Here each label is translated once per statement."""
    kinds = {value: str(label) for value, label in LedgerEntry._meta.get_field("kind").flatchoices}
    channels = {value: str(label) for value, label in LedgerEntry._meta.get_field("channel").flatchoices}
    for entry in entries:
        entry.kind_label = kinds.get(entry.kind, entry.kind)
        entry.channel_label = channels.get(entry.channel, entry.channel)


def payments_from_abroad(entries) -> dict:
    """Sin Fronteras: the remittance payments (payments.RemittancePayment) behind these ledger entries, by
    operation number; each entry also gets `.from_abroad` (the payment or None) for the templates."""
    from ventanilla.payments.models import RemittancePayment

    operations = [entry.operation_id for entry in entries if entry.channel == "remittance" and entry.operation_id]
    found = {payment.operation_id: payment for payment in
             RemittancePayment.objects.filter(operation_id__in=operations).select_related("company")} \
        if operations else {}
    for entry in entries:
        entry.from_abroad = found.get(entry.operation_id)
    return found


@dataclass(frozen=True)
class InterestCertificate:
    """Constancia de intereses for a tax year: nominal interest accrued and paid, from the ledger's split."""

    credit: Credit
    year: int
    interest_accrued: Decimal
    interest_paid: Decimal
    payments: Decimal  # everything paid in the year (insurance, interest and capital)
    opening_balance: Decimal  # on 1 January
    closing_balance: Decimal  # on 31 December
    # The SAT deducts the real interest (nominal minus inflation on the balance, LISR art. 151 fr. IV), which
    # needs the INPC; we do not hold it, so the certificate states the nominal figures (ASSUMED method).
    method: str = "nominal"
    method_assumed: bool = True


def interest_years(credit: Credit, today: date) -> list[int]:
    """Tax years a constancia can be asked for: from the origination year to the last complete one (newest
    first); the current year too, as a provisional figure, when it is the only one."""
    last = today.year - 1 if today.year > credit.origination_date.year else today.year
    return list(range(last, credit.origination_date.year - 1, -1))


def interest_certificate(credit: Credit, year: int) -> InterestCertificate:
    """Interest accrued (the monthly accruals and their corrections) and interest paid (the interest part of
    payments and of their reversals) in `year`, from the ledger's split columns."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    in_year = LedgerEntry.objects.filter(credit=credit, posted_on__gte=first, posted_on__lte=last)
    accrual, payment = LedgerEntry.Kind.ACCRUAL_INTEREST, LedgerEntry.Kind.PAYMENT

    def total(queryset, column: str) -> Decimal:
        return to_centavos(queryset.aggregate(total=Sum(column))["total"] or ZERO)  # SQLite sums floats

    accrued = total(in_year.filter(Q(kind=accrual) | Q(kind=LedgerEntry.Kind.REVERSAL, reverses__kind=accrual)),
                    "interest")
    paid_rows = in_year.filter(Q(kind=payment) | Q(kind=LedgerEntry.Kind.REVERSAL, reverses__kind=payment))
    found = movements(credit, first, last)
    return InterestCertificate(credit=credit, year=year, interest_accrued=accrued,
                               interest_paid=-total(paid_rows, "interest"), payments=-total(paid_rows, "amount"),
                               opening_balance=found.opening_balance, closing_balance=found.closing_balance)


# --- relief solutions on stored credits (Cobranza Social) -------------------------------------------------
# Owned by the relief services (services.py "relief solutions"); the solutions screens and the API read these.

# The CreditFacts a borrower or officer declares because the ledger cannot know them.
DECLARABLE_FACTS = ("monthly_income", "monthly_pension", "employed", "contributing_to_imss", "months_unemployed",
                    "months_employed_before_job_loss", "months_in_current_job", "income_at_origination",
                    "employer_agreement_filed")
_DECLARED_AMOUNTS = frozenset({"monthly_income", "monthly_pension", "income_at_origination"})
_DECLARED_FLAGS = frozenset({"employed", "contributing_to_imss", "employer_agreement_filed"})
_YES, _NO = frozenset({"true", "1", "yes", "si", "sí", "on"}), frozenset({"false", "0", "no", "off"})
MAX_DECLARED_MONTHS = 600  # 50 years: a typo is refused, not computed
# Applications that were granted (they count towards a solution's limits: BCN twice a year, Jubilados 3 times).
GRANTED_STATUSES = frozenset({SolutionApplication.Status.ACTIVE, SolutionApplication.Status.ENDED,
                              SolutionApplication.Status.COMPLETED})


def parse_declared(raw: Mapping) -> dict:
    """Declared facts as typed text (a form, query parameters, a stored application) → typed values: amounts
    Decimal, flags bool, months int. Empty values are left out (not declared); an unknown name or a bad value
    is a DomainError naming each field."""
    errors: list[FieldError] = []
    typed: dict = {}
    for name, value in raw.items():
        if name not in DECLARABLE_FACTS:
            errors.append(FieldError(name, "unknown_fact", _("Este dato no se declara.")))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = str(value).strip().lower()
        if name in _DECLARED_FLAGS:
            if isinstance(value, bool) or text in _YES | _NO:
                typed[name] = value if isinstance(value, bool) else text in _YES
            else:
                errors.append(FieldError(name, "invalid_choice", _("Indique sí o no.")))
        elif name in _DECLARED_AMOUNTS:
            amount = validation._parse(str(value).strip(), name, 2, errors)
            if amount is not None:
                typed[name] = amount
        elif isinstance(value, bool) or not text.isdigit() or int(text) > MAX_DECLARED_MONTHS:
            errors.append(FieldError(name, "invalid_months",
                                     _("Escriba un número entero de meses, de 0 a %(max)s.") % {"max": MAX_DECLARED_MONTHS}))
        else:
            typed[name] = int(text)
    if errors:
        raise DomainError(errors)
    return typed


def declared_json(typed: Mapping) -> dict:
    """Typed declared facts as stored text (the inverse of parse_declared)."""
    return {name: (("true" if value else "false") if isinstance(value, bool) else str(value))
            for name, value in typed.items()}


def balance_on(credit: Credit, day: date) -> Decimal:
    """The balance after every entry dated `day` or earlier (the sum of their amounts)."""
    total = LedgerEntry.objects.filter(credit=credit, posted_on__lte=day).aggregate(total=Sum("amount"))["total"]
    return to_centavos(total or ZERO)  # SQLite sums binary floats


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _payments_by_month(credit: Credit, on: date) -> dict[date, Decimal]:
    """What payments applied to the credit each month up to `on` (reversed payments left out)."""
    paid: dict[date, Decimal] = {}
    rows = (LedgerEntry.objects.filter(credit=credit, kind=LedgerEntry.Kind.PAYMENT, posted_on__lte=on,
                                       reversed_by__isnull=True).values_list("posted_on", "amount"))
    for posted_on, amount in rows:
        month = posted_on.replace(day=1)
        paid[month] = paid.get(month, ZERO) - amount
    return paid


def _interest_from_third_missed(credit: Credit, position: ledger_rules.Position, missed: int) -> Decimal:
    """The interest billed in the months of the 3rd missed payment on (the BCN reward for 3-9 missed,
    shared/domain/infonavit.md): payments pay the oldest months first, so the missed ones are the last
    `missed` accrued; never more than the interest still owed."""
    if missed < 3:
        return ZERO
    recent = (LedgerEntry.objects.filter(credit=credit, kind=LedgerEntry.Kind.ACCRUAL_INTEREST)
              .order_by("-period").values_list("amount", flat=True)[:missed - 2])
    return min(sum(recent, ZERO), max(position.interest, ZERO))


def _imss_contributing(person, on: date) -> bool:
    """Whether the borrower's IMSS affiliation abroad covers `on` (contributions paid for that day)."""
    affiliation = Affiliation.objects.filter(person_id=person.pk).first()
    return affiliation is not None and imss_selectors.coverage(affiliation, on).status == COVERED


def _uses(applications, on: date) -> tuple[dict[str, int], dict[str, int]]:
    granted = [a for a in applications if a.status in GRANTED_STATUSES and a.starts_on <= on]
    year_ago = add_months(on, -12)
    last_12: dict[str, int] = {}
    ever: dict[str, int] = {}
    for application in granted:
        ever[application.code] = ever.get(application.code, 0) + 1
        if application.starts_on > year_ago:
            last_12[application.code] = last_12.get(application.code, 0) + 1
    return last_12, ever


def _months_granted(applications, code: str, since: date | None = None) -> int:
    return sum(int(a.new_terms.get("months", 0)) for a in applications
               if a.code == code and a.status in GRANTED_STATUSES and (since is None or a.starts_on > since))


def in_force(application: SolutionApplication, on: date) -> bool:
    return (application.status == SolutionApplication.Status.ACTIVE and application.starts_on <= on
            and (application.ends_on is None or on <= application.ends_on))


def credit_facts(credit: Credit, on: date, declared: Mapping) -> solutions.CreditFacts:
    """A stored credit's CreditFacts on `on`: the ledger's figures (balance, arrears, missed payments,
    payments made and in a row, months left, the payment in force), the borrower's birth date and sex, the
    solutions granted on it, and what was declared (typed: parse_declared)."""
    declared = dict(declared)
    state = ledger_state(credit)
    installment = state.monthly_payment + credit.monthly_insurance_and_fees
    paid = _payments_by_month(credit, on)
    # ASSUMED: complete payments = everything paid over the installment in force, rounded down; in a row =
    # the months back from this one (or the last one, if nothing was paid yet this month) each paid in full.
    payments_made = int(sum(paid.values(), ZERO) // installment) if installment > 0 else 0
    month = on.replace(day=1)
    if paid.get(month, ZERO) < installment:
        month = add_months(month, -1)
    streak = 0
    while installment > 0 and paid.get(month, ZERO) >= installment:
        streak, month = streak + 1, add_months(month, -1)
    applications = list(credit.solution_applications.all())
    last_12, ever = _uses(applications, on)
    missed = ledger_rules.missed_payments(state.position, installment)
    person = credit.borrower
    if "contributing_to_imss" not in declared:
        declared["contributing_to_imss"] = _imss_contributing(person, on)
    return solutions.CreditFacts(
        as_of=on, product=credit.product, denomination=credit.denomination,
        origination_date=credit.origination_date, amount_lent=credit.amount_lent,
        balance=max(state.balance_after, ZERO), monthly_payment=state.monthly_payment,
        monthly_insurance_and_fees=credit.monthly_insurance_and_fees, rate=credit.rate,
        # ASSUMED: one installment a month from the month after origination
        remaining_months=max(credit.term_months - _months_between(credit.origination_date, on), 0),
        missed_payments=missed, payments_made=payments_made, consecutive_payments=streak,
        arrears=state.position.arrears, arrears_insurance_and_fees=max(state.position.insurance, ZERO),
        arrears_interest_from_third_missed=_interest_from_third_missed(credit, state.position, missed),
        borrower_birth_date=person.birth_date, borrower_sex=person.sex,
        monthly_income=declared.get("monthly_income", ZERO), monthly_pension=declared.get("monthly_pension", ZERO),
        contributing_to_imss=declared["contributing_to_imss"], employed=declared.get("employed", False),
        months_unemployed=declared.get("months_unemployed"),
        months_employed_before_job_loss=declared.get("months_employed_before_job_loss"),
        months_in_current_job=declared.get("months_in_current_job"),
        income_at_origination=declared.get("income_at_origination"),
        employer_agreement_filed=declared.get("employer_agreement_filed", False),
        payroll=credit.regime == Credit.Regime.PAYROLL,  # the BCN reward's condition (arrears.py)
        active_solutions=frozenset(a.code for a in applications if in_force(a, on)),
        legal_proceedings=credit.legal_proceedings,
        cofinanced=credit.cofinanced_share > 0 or credit.product in Credit.COFINANCED_PRODUCTS,
        frozen=credit.frozen,
        fpp_months_used_last_5_years=_months_granted(applications, "FPP", add_months(on, -60)),
        prorroga_months_used=_months_granted(applications, "PRORROGA"),
        uses_last_12_months=last_12, uses_ever=ever)


@dataclass(frozen=True)
class SolutionPreview:
    """One solution for a stored credit: the rule's answer, the facts it read and, when eligible, the plan
    (the ledger entries and new terms applying it would post)."""

    result: solutions.SolutionResult
    facts: solutions.CreditFacts
    plan: effects.Plan | None


def _refused(result: solutions.SolutionResult, reason) -> solutions.SolutionResult:
    return solutions.SolutionResult(result.code, False, (*result.reasons, reason))


def solution_previews(credit: Credit, on: date, declared: Mapping) -> list[SolutionPreview]:
    """Every solution for a stored credit on `on`, in SOLUTION_CODES order, with the parameters of `on`."""
    facts = credit_facts(credit, on, declared)
    params = validation.solution_params(on)
    results = solutions.evaluate_all(facts, params)
    applications = list(credit.solution_applications.all())
    pending = {a.code for a in applications if a.status == SolutionApplication.Status.PENDING_APPROVAL}
    state = ledger_state(credit)
    previews = []
    for result in results:
        used = facts
        if result.code == "DLA":
            # shared/domain/infonavit.md, DLA: the amount is fixed on the balance of the 1st, shown from the 10th
            used = dataclasses.replace(facts, balance=max(balance_on(credit, on.replace(day=1)), ZERO))
            result = solutions.early_payoff_discount(used, params)
            hidden = effects.dla_not_shown_yet(on)
            if hidden is not None:
                result = _refused(result, hidden) if not result.eligible else solutions.SolutionResult(
                    "DLA", False, (hidden,))
        # STM renews while in force (its rule says when); any other solution in force is not granted again
        if result.code in facts.active_solutions and result.code != "STM":
            reason = Reason("already_active", "La solución ya está en curso en este crédito.",
                            "The solution is already in force on this credit.")
            result = _refused(result, reason) if not result.eligible else solutions.SolutionResult(
                result.code, False, (reason,))
        # Our booking keeps one lowered payment in force at a time (ending one restores the payment it
        # lowered): another payment-lowering solution waits until the one in force ends (STM renews itself).
        lowering = sorted((facts.active_solutions & effects.PAYMENT_CHANGING) - {result.code})
        if result.code in effects.PAYMENT_CHANGING and lowering:
            listed = ", ".join(lowering)
            reason = Reason("payment_already_lowered",
                            f"El pago ya está modificado por otra solución en curso ({listed}).",
                            f"The payment is already changed by another solution in force ({listed}).")
            result = _refused(result, reason) if not result.eligible else solutions.SolutionResult(
                result.code, False, (reason,))
        if result.code in pending:
            reason = Reason("pending_application", "Ya hay una solicitud de esta solución en espera de aprobación.",
                            "An application for this solution is already waiting for approval.")
            result = _refused(result, reason) if not result.eligible else solutions.SolutionResult(
                result.code, False, (reason,))
        plan = (effects.solution_plan(result, used, state.position, state.last_accrued) if result.eligible
                else None)
        previews.append(SolutionPreview(result, used, plan))
    return previews


def credit_solutions(credit: Credit, on: date, declared: Mapping) -> list[solutions.SolutionResult]:
    """The nine solutions for a stored credit (evaluate_all with the parameters of `on`)."""
    return [preview.result for preview in solution_previews(credit, on, declared)]


def solution_preview(credit: Credit, code: str, on: date, declared: Mapping) -> SolutionPreview:
    return next(preview for preview in solution_previews(credit, on, declared) if preview.result.code == code)


def applications_for(credit: Credit) -> QuerySet[SolutionApplication]:
    return (SolutionApplication.objects.filter(credit=credit).select_related("requested_by", "decided_by")
            .order_by("-requested_at", "-id"))


def pending_applications(user) -> QuerySet[SolutionApplication]:
    """The four-eyes queue: applications waiting for approval, oldest first (Infonavit staff only)."""
    if access.role_of(user) not in ALL_CREDITS_ROLES:
        return SolutionApplication.objects.none()
    return (SolutionApplication.objects.filter(status=SolutionApplication.Status.PENDING_APPROVAL)
            .select_related("credit", "credit__borrower", "requested_by").order_by("requested_at", "id"))


def get_visible_application(user, pk) -> SolutionApplication:
    """An application on a credit this user may see, or NotFoundError (one answer for absent and hidden)."""
    application = (SolutionApplication.objects.filter(pk=pk, credit__in=visible_credits(user))
                   .select_related("credit", "credit__borrower", "requested_by", "decided_by").first()
                   if str(pk).isdigit() and int(pk) < 2 ** 63 else None)
    if application is None:
        raise NotFoundError("application")
    return application
