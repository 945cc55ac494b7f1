"""Demo Infonavit credits for existing persons, for `ventanilla seed` and the portfolio benchmarks.

Every column is drawn with NumPy for all rows at once; rows are plain tuples written with COPY
(core.bulk.copy_rows), so millions of credits load at the speed of the database. Each credit gets its
disbursement entry. The mix follows the domain note where it has figures (shared/domain/infonavit.md:
about 6.2 M credits, VSM credits granted until about 2013, rates and products); the rest is an assumed
demo mix, marked as such.
"""

from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.utils import timezone
from stdnum import damm

from ventanilla.core import audit
from ventanilla.core.bulk import allocate_ids, copy_rows
from ventanilla.infonavit.models import Credit, LedgerEntry
from ventanilla.infonavit.rules import credit_number
from ventanilla.infonavit.rules.ledger import level_payment_factor
from ventanilla.people.demo import STATE_POPULATION
from ventanilla.people.models import Person

VSM_SHARE = 0.30  # share of VSM credits in the demo portfolio (assumed; issue 4 asks ~30 %)
VSM_YEARS = (1990, 2013)  # VSM credits were granted until about 2013–2016 (domain note)
# The 2024 freeze covered about 2 M pre-2013 VSM credits (reference-values.md), nearly all of them; the demo
# freezes fewer, so that the yearly adjustment still has credits to work on (assumed).
FROZEN_SHARE_OF_VSM = 0.4
HOME_IN_OWN_STATE = 0.85  # the home is in the borrower's state of origin (assumed)
OWN_REGIME_SHARE = 0.4  # paying on their own rather than by payroll discount: many borrowers live abroad (assumed)
# Demo product mix (assumed), by denomination.
VSM_PRODUCTS = {"tradicional": 0.85, "cofinavit": 0.10, "apoyo_infonavit": 0.05}
PESOS_PRODUCTS = {"tradicional": 0.55, "cofinavit": 0.08, "unamos": 0.08, "mejoravit": 0.15,
                  "infonavit_total": 0.05, "construyo": 0.05, "segundo_credito": 0.04}
# Approximate general minimum wage, pesos a day (CONASAMI; demo only, to express VSM amounts in pesos: the
# parameter table starts in 2015 and no rule reads these).
DEMO_MINIMUM_WAGE = {1990: 10.08, 1995: 18.43, 2000: 37.90, 2005: 46.80, 2010: 57.46, 2013: 64.76}
PAYMENT_TERMS = np.array([120, 180, 240, 300, 360])  # pesos credits, months
INSURANCE_AND_FEES_YEARLY = 0.0025  # of the amount lent (assumed: the real premiums are not public)
CHUNK = 100_000  # credits per COPY batch

CREDIT_COLUMNS = ("id", "number", "borrower_id", "product", "denomination", "origination_date", "amount_lent",
                  "amount_lent_vsm", "rate", "term_months", "monthly_payment", "monthly_insurance_and_fees",
                  "regime", "cofinanced_share", "frozen", "status", "settled_on", "state", "originated_by_id",
                  "created_at")
ENTRY_COLUMNS = ("credit_id", "sequence", "kind", "posted_on", "period", "amount", "capital", "interest",
                 "insurance", "due", "excess", "balance_after", "monthly_payment_after", "operation_id", "channel",
                 "reverses_id", "note", "actor_id", "created_at", "due_after", "interest_after", "insurance_after")
_DAMM_TABLE = np.array(damm._operation_table, dtype=np.int8)


def credit_numbers(serials: np.ndarray) -> np.ndarray:
    """rules.credit_number.credit_number for a whole column of serials, as int64 (the same arithmetic:
    scrambled 9-digit body, then the Damm check digit). tests/infonavit/test_rules_credit_number.py holds
    the two equal on generated serials."""
    body = credit_number.BODY_FIRST + serials.astype(np.int64) * credit_number.SCRAMBLE % credit_number.BODY_SPACE
    interim = np.zeros(len(body), dtype=np.int8)
    for power in range(credit_number.BODY_LENGTH - 1, -1, -1):
        interim = _DAMM_TABLE[interim, body // 10 ** power % 10]
    return body * 10 + interim


def _days(first: date, last: date, rng, size: int) -> np.ndarray:
    return rng.integers(0, max((last - first).days, 1), size=size)


def _payment_factors(rates: np.ndarray, terms: np.ndarray) -> np.ndarray:
    """The rule's level-payment factor for each distinct (rate, term), spread over the rows as floats."""
    pairs, inverse = np.unique(np.stack([rates, terms], axis=1), axis=0, return_inverse=True)
    factors = np.array([float(level_payment_factor(Decimal(int(rate_hundredths)).scaleb(-2), int(term)))
                        for rate_hundredths, term in pairs])
    return factors[inverse.ravel()]


def _hundredths(values: np.ndarray) -> list[Decimal]:
    """Integers counted in hundredths (centavos, hundredths of a percent or of a VSM) as Decimals."""
    return [Decimal(value).scaleb(-2) for value in values.tolist()]


def generate_credits(count: int, seed: int, persons: np.ndarray, person_states: list[str],
                     today: date) -> dict[str, np.ndarray]:
    """All columns of `count` demo credits (NumPy arrays; money in centavos, rates in hundredths)."""
    rng = np.random.default_rng(seed + 11)
    borrower_index = (rng.choice(len(persons), size=count, replace=False) if count <= len(persons)
                      else rng.integers(0, len(persons), size=count))
    vsm = rng.random(count) < VSM_SHARE
    product_names = sorted(set(VSM_PRODUCTS) | set(PESOS_PRODUCTS))
    vsm_p = np.array([VSM_PRODUCTS.get(name, 0) for name in product_names])
    pesos_p = np.array([PESOS_PRODUCTS.get(name, 0) for name in product_names])
    product = np.where(vsm, rng.choice(len(product_names), size=count, p=vsm_p),
                       rng.choice(len(product_names), size=count, p=pesos_p))
    vsm_first, vsm_last = date(VSM_YEARS[0], 1, 1), date(VSM_YEARS[1], 12, 31)
    pesos_first, pesos_last = date(VSM_YEARS[1] + 1, 1, 1), today - timedelta(days=31)
    origination = np.where(vsm, (vsm_first - date(1970, 1, 1)).days + _days(vsm_first, vsm_last, rng, count),
                           (pesos_first - date(1970, 1, 1)).days + _days(pesos_first, pesos_last, rng, count))
    years = (origination / 365.25 + 1970).astype(int)
    wage_years = np.array(sorted(DEMO_MINIMUM_WAGE))
    wage = np.interp(years, wage_years, [DEMO_MINIMUM_WAGE[y] for y in wage_years])
    amount_vsm = np.round(rng.uniform(80, 250, size=count), 2)  # monthly minimum wages
    mejoravit = np.array(product_names)[product] == "mejoravit"
    pesos_amount = np.where(mejoravit, rng.uniform(20_000, 163_000, size=count),
                            np.clip(rng.lognormal(np.log(650_000), 0.5, size=count), 150_000, 2_830_000))
    amount = np.where(vsm, amount_vsm * wage * 30.4, pesos_amount)
    amount_centavos = (np.round(amount / 100) * 100 * 100).astype(np.int64)  # lent in whole hundreds of pesos
    rate = np.where(vsm, rng.integers(400, 901, size=count), rng.integers(350, 1046, size=count))
    rate = np.where(mejoravit, np.where(pesos_amount <= 41_273.47, 1000, 1100), rate)  # Mejoravit 10 % / 11 %
    term = np.where(vsm, 360, np.where(mejoravit, rng.choice([12, 24, 36, 48, 60], size=count),
                                       rng.choice(PAYMENT_TERMS, size=count)))
    payment = np.round(amount_centavos * _payment_factors(rate, term)).astype(np.int64)
    fees = np.round(amount_centavos * INSURANCE_AND_FEES_YEARLY / 12).astype(np.int64)
    cofinanced = np.isin(np.array(product_names)[product], Credit.COFINANCED_PRODUCTS)
    share = np.where(cofinanced, rng.integers(30, 51, size=count), 0)
    own_state = rng.random(count) < HOME_IN_OWN_STATE
    states = list(STATE_POPULATION)
    weights = np.array(list(STATE_POPULATION.values()))
    other_state = rng.choice(len(states), size=count, p=weights / weights.sum())
    return {
        "borrower_index": borrower_index, "vsm": vsm, "product": product, "product_names": np.array(product_names),
        "origination": origination, "amount_centavos": amount_centavos,
        "amount_vsm_hundredths": np.round(amount_vsm * 100).astype(np.int64), "rate": rate, "term": term,
        "payment": payment, "fees": fees, "share": share,
        "own_regime": rng.random(count) < OWN_REGIME_SHARE,
        "frozen": vsm & (rng.random(count) < FROZEN_SHARE_OF_VSM),
        "state": np.where(own_state, -1, other_state), "states": np.array(states),
        "persons": persons, "person_states": np.array(person_states),
    }


def seed_credits(actor, count: int, seed: int, today: date | None = None) -> int:
    """Write `count` demo credits (deterministic by seed) for existing persons, each with its disbursement."""
    today = today or timezone.localdate()
    rows = list(Person.objects.order_by("pk").values_list("pk", "mx_state"))
    if not rows or count <= 0:
        return 0
    persons = np.array([pk for pk, _state in rows], dtype=np.int64)
    columns = generate_credits(count, seed, persons, [state for _pk, state in rows], today)
    now = timezone.now()
    epoch = date(1970, 1, 1)
    with transaction.atomic():
        for start in range(0, count, CHUNK):
            part = slice(start, min(start + CHUNK, count))
            _write_chunk(actor, columns, part, now, epoch)
        audit.record(actor, "infonavit.seed_credits", object_type="infonavit.credit", after={"count": count})
    return count


def _write_chunk(actor, columns: dict, part: slice, now, epoch: date) -> None:
    size = part.stop - part.start
    ids = np.array(allocate_ids(Credit, size), dtype=np.int64)
    borrower = columns["persons"][columns["borrower_index"][part]]
    home_state = np.where(columns["state"][part] >= 0, columns["states"][np.maximum(columns["state"][part], 0)],
                          columns["person_states"][columns["borrower_index"][part]])
    vsm = columns["vsm"][part]
    days = columns["origination"][part].tolist()
    origination = {day: epoch + timedelta(days=day) for day in set(days)}
    amount = (columns["amount_centavos"][part] // 100).tolist()  # whole pesos: ints go to NUMERIC as they are
    vsm_amount = [value if is_vsm else None for value, is_vsm in
                  zip(_hundredths(columns["amount_vsm_hundredths"][part]), vsm.tolist(), strict=True)]
    rate = _hundredths(columns["rate"][part])
    payment, fees = _hundredths(columns["payment"][part]), _hundredths(columns["fees"][part])
    product = columns["product_names"][columns["product"][part]].tolist()
    credits = zip(
        ids.tolist(), map(str, credit_numbers(ids).tolist()), borrower.tolist(), product,
        np.where(vsm, "vsm", "pesos").tolist(), days, amount, vsm_amount, rate, columns["term"][part].tolist(),
        payment, fees, np.where(columns["own_regime"][part], "own", "payroll").tolist(),
        columns["share"][part].tolist(), columns["frozen"][part].tolist(), home_state.tolist(), strict=True)
    actor_id = actor.pk
    credit_rows = [(pk, number, person, prod, denomination, origination[day], lent, lent_vsm, yearly, months,
                    monthly, monthly_fees, regime, cofinanced, frozen, "active", None, state, actor_id, now)
                   for (pk, number, person, prod, denomination, day, lent, lent_vsm, yearly, months, monthly,
                        monthly_fees, regime, cofinanced, frozen, state) in credits]
    copy_rows(Credit, CREDIT_COLUMNS, credit_rows)
    copy_rows(LedgerEntry, ENTRY_COLUMNS, (
        (row[0], 1, "disbursement", row[5], None, row[6], row[6], 0, 0, 0, 0, row[6], row[10], "", "", None, "",
         actor_id, now, 0, 0, 0) for row in credit_rows))


def originate_demo_citizen_credit() -> None:
    """The demo citizen has a VSM credit from 2009, originated by the Infonavit demo account through the real
    service, with the last twelve months accrued and paid through the real services too."""
    from ventanilla.core.calendar import add_months
    from ventanilla.infonavit import selectors, services
    from ventanilla.people.models import User

    citizen = User.objects.filter(username="ciudadano", person__isnull=False).select_related("person").first()
    staff = User.objects.filter(username="infonavit").first()
    if citizen is None or staff is None or citizen.person.infonavit_credits.exists():
        return
    person = citizen.person
    credit = services.originate_credit(
        staff, person, product="tradicional", denomination="vsm", origination_date=date(2009, 6, 15),
        amount_lent="380000", amount_lent_vsm="230.5", rate="6.5", term_months=360, regime="own",
        state=person.mx_state, monthly_payment="3150.00", monthly_insurance_and_fees="95.00")
    today = timezone.localdate()
    for back in range(12, 0, -1):
        month = add_months(today.replace(day=1), -back)
        services.post_monthly_accrual(staff, credit, month)
        installment = selectors.credit_summary(credit, month).installment
        services.record_payment(staff, credit, amount=installment, paid_at=month + timedelta(days=9),
                                operation_id=f"DEMO-{credit.number}-{month:%Y%m}", channel="remittance")


def originate_demo_citizen_pesos_credit() -> None:
    """A second demo credit for the demo citizen: a Mejoravit in pesos from a year ago, its months accrued and
    paid through the real services, by remittance, at the window and by a bank file by credit number, with
    the last month left unpaid so the screens show arrears and a missed payment."""
    from ventanilla.core.calendar import add_months
    from ventanilla.infonavit import selectors, services
    from ventanilla.payments.services import import_payment_file
    from ventanilla.people.models import User

    citizen = User.objects.filter(username="ciudadano", person__isnull=False).select_related("person").first()
    staff = User.objects.filter(username="infonavit").first()
    officer = User.objects.filter(username="consul.la").first()
    if citizen is None or staff is None or officer is None:
        return
    person = citizen.person
    if person.infonavit_credits.filter(denomination=Credit.Denomination.PESOS).exists():
        return
    today = timezone.localdate()
    first = add_months(today.replace(day=1), -12)
    credit = services.originate_credit(
        staff, person, product="mejoravit", denomination="pesos", origination_date=first + timedelta(days=9),
        amount_lent="60000", rate="10", term_months=60, regime="own", state=person.mx_state,
        monthly_insurance_and_fees="25.00")
    lines = ["reference,amount,paid_at,operation_id"]
    for back in range(11, 0, -1):
        month = add_months(today.replace(day=1), -back)
        services.post_monthly_accrual(staff, credit, month)
        if back == 1:
            continue  # the last month is left unpaid
        installment = selectors.credit_summary(credit, month).installment
        paid_on = month + timedelta(days=12)
        operation = f"DEMO-{credit.number}-{month:%Y%m}"
        if back % 3 == 0:  # every third month by a bank file line that names the credit number
            lines.append(f"{credit.number},{installment},{paid_on.isoformat()},{operation}")
        else:
            services.record_payment(officer if back % 3 == 1 else staff, credit, amount=installment,
                                    paid_at=paid_on.isoformat(), operation_id=operation,
                                    channel="window" if back % 3 == 1 else "remittance")
    import_payment_file(staff, filename=f"demo-banco-{credit.number}.csv", content="\n".join(lines).encode())


# --- Infonavit Sin Fronteras demo (payments' settlement files) ---------------------------------------------

def import_demo_remittances() -> None:
    """A DolEx and a Maxitransfers settlement file with payments from abroad for the demo citizen's credits
    (a relative in California, the borrower in Texas), imported through the real settlement import, so the
    statement shows them with their dollars and rate. Run once: the files are known by their content."""
    from ventanilla.core.calendar import add_months
    from ventanilla.payments.models import RemittanceCompany
    from ventanilla.payments.services import import_settlement_file
    from ventanilla.people.models import User

    citizen = User.objects.filter(username="ciudadano", person__isnull=False).select_related("person").first()
    staff = User.objects.filter(username="infonavit").first()
    if citizen is None or staff is None:
        return
    # The VSM credit only: the pesos credit keeps its unpaid last month (the arrears the screens show).
    credits = list(citizen.person.infonavit_credits.filter(status=Credit.Status.ACTIVE)
                   .exclude(denomination=Credit.Denomination.PESOS).order_by("number"))
    if not credits:
        return
    month = add_months(timezone.localdate().replace(day=1), -1)
    header = "operation_id,credit_number,paid_at,amount_usd,payer,us_state"
    for code, payer, state, usd, day in (("DOLEX", "relative", "CA", "120.00", 20), ("MAXI", "borrower", "TX",
                                                                                      "85.50", 25)):
        company = RemittanceCompany.objects.filter(code=code, active=True).first()
        if company is None:
            continue
        rows = [f"DEMO-{credit.number}-{month:%Y%m},{credit.number},{month.replace(day=day).isoformat()},{usd},"
                f"{payer},{state}" for credit in credits]
        import_settlement_file(staff, company=company, filename=f"demo-{code.lower()}-{month:%Y%m}.csv",
                               content="\n".join([header, *rows]).encode())


# --- the demo citizen's housing subaccount (SCV) -----------------------------------------------------------

DEMO_JOBS = (  # employer, registro patronal, years after turning 20 it starts and ends, daily SBC (demo values)
    ("Constructora del Bajío", "C1234567891", 0, 6, "380.00"),
    ("Empacadora de Michoacán", "E2345678912", 7, 14, "540.00"),
)
DEMO_DEPOSIT_AMOUNT = "2500.00"  # a voluntary deposit from abroad (demo value)
DEMO_RETURN_MONTHS = 12  # returns credited for the last twelve months only: seeding stays fast


def seed_demo_citizen_savings(today: date | None = None) -> None:
    """The demo citizen's SCV, written through the real services: two relaciones laborales in Mexico (ended
    before migrating) with their bimester contributions, a voluntary deposit requested in the portal and paid
    by a bank file line naming its reference, and a year of monthly returns, in date order so the running
    balance reads as the history. Run again, it adds nothing (each service is idempotent)."""
    from ventanilla.core.calendar import add_months
    from ventanilla.infonavit import savings_services
    from ventanilla.infonavit.models import EmploymentRelation
    from ventanilla.infonavit.rules import savings as savings_rules
    from ventanilla.payments.services import import_payment_file
    from ventanilla.people.models import User

    citizen = User.objects.filter(username="ciudadano", person__isnull=False).select_related("person").first()
    staff = User.objects.filter(username="infonavit").first()
    if citizen is None or staff is None:
        return
    person = citizen.person
    today = today or timezone.localdate()
    first_return_month = add_months(today.replace(day=1), -DEMO_RETURN_MONTHS)
    # The jobs end with a whole bimester before the year of returns shown: every contribution is posted and
    # comes first in the history.
    last_job_day = savings_rules.bimester_start(first_return_month) - timedelta(days=1)
    if not EmploymentRelation.objects.filter(person=person).exists():
        twenty = date(person.birth_date.year + 20, 1, 1)
        jobs = [(name, registro, max(add_months(twenty, 12 * start), savings_rules.INFONAVIT_START),
                 min(add_months(twenty, 12 * end) - timedelta(days=1), last_job_day), sbc)
                for name, registro, start, end, sbc in DEMO_JOBS]
        jobs = [job for job in jobs if job[2] < job[3]] or [  # a young citizen: one job in the last years
            (DEMO_JOBS[0][0], DEMO_JOBS[0][1], add_months(first_return_month, -36), last_job_day, DEMO_JOBS[0][4])]
        for name, registro, started_on, ended_on, sbc in jobs:
            savings_services.record_employment(staff, person, employer_name=name, registro_patronal=registro,
                                               started_on=started_on, ended_on=ended_on, daily_sbc=sbc)
    savings_services.post_contributions(staff, until=last_job_day, persons=[person.pk])
    deposit_month = add_months(today.replace(day=1), -2)
    for back in range(DEMO_RETURN_MONTHS, 0, -1):
        month = add_months(today.replace(day=1), -back)
        if month == deposit_month:  # requested in the portal on the 3rd, paid at the bank on the 8th
            deposit, _created = savings_services.request_voluntary_deposit(
                citizen, person.pk, amount=DEMO_DEPOSIT_AMOUNT, idempotency_key="demo-scv-deposit",
                on=month.replace(day=3))
            code = deposit.reference.code
            import_payment_file(staff, filename=f"demo-banco-scv-{month:%Y%m}.csv", content=(
                "reference,amount,paid_at,operation_id\n"
                f"{code},{DEMO_DEPOSIT_AMOUNT},{month.replace(day=8).isoformat()},DEMO-SCV-{code}\n").encode())
        savings_services.credit_returns(staff, month, persons=[person.pk])
