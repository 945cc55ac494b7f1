"""One definition of a credit's facts: batch.portfolio's set-based reading (every credit at once, from the last
entry's running state, the payments, the entries after the 1st and the applications) equals
infonavit.selectors.credit_facts (one credit at a time, the borrower's screen) field by field, on credits built
through the real services: accruals, payments short, exact and over, missed months, reversals, the yearly VSM
adjustment, relief solutions applied and ended, legal proceedings, a payment after the 1st (DLA's balance of the
1st). The ledger's running columns equal the fold of the entries."""

import dataclasses
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest
from django.db import connection

from tests.batch.conftest import AS_OF
from tests.conftest import make_person, make_user
from ventanilla.batch import portfolio
from ventanilla.batch.solutions import BIT, RATE_SCALE
from ventanilla.core.calendar import add_months
from ventanilla.core.errors import DomainError
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.models import Credit, LedgerEntry, SolutionApplication
from ventanilla.infonavit.rules import ledger as ledger_rules
from ventanilla.infonavit.rules.solutions import SOLUTION_CODES, CreditFacts
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")
D = Decimal


def centavos(value: Decimal) -> int:
    return int(value.scaleb(2))


def build_ledgers(staff, borrower, count: int, seed: int) -> list[Credit]:
    """`count` credits, each with a random history of months: accrued, then paid nothing, part, the
    installment, or more; now and then a payment reversed; VSM credits adjusted in January 2024."""
    rng = np.random.default_rng(seed)
    credits = []
    for _ in range(count):
        vsm = bool(rng.random() < 0.4)
        start = date(2021 + int(rng.integers(0, 2)), int(rng.integers(1, 13)), 15)
        credit = services.originate_credit(
            staff, borrower, product="tradicional", denomination="vsm" if vsm else "pesos",
            origination_date=start, amount_lent=str(int(rng.integers(50_000, 900_000))),
            amount_lent_vsm="150.5" if vsm else None, rate=str(rng.choice(["4.5", "8.25", "10.45"])),
            term_months=int(rng.choice([24, 120, 360])), regime=str(rng.choice(["own", "payroll"])), state="MN",
            monthly_insurance_and_fees=str(rng.choice(["0", "95.50"])))
        month = add_months(start.replace(day=1), 1)
        for _ in range(int(rng.integers(0, 30))):
            if month.year == 2024 and month.month == 1 and vsm:
                services.adjust_vsm_credits(staff, 2024)
            services.post_monthly_accrual(staff, credit, month)
            installment = selectors.credit_summary(credit, month).installment
            choice = rng.random()
            amount = (None if choice < 0.3 else installment / 2 if choice < 0.45
                      else installment if choice < 0.9 else installment * 3)
            if amount:
                entry = services.record_payment(
                    staff, credit, amount=D(amount).quantize(D("0.01")), channel="window",
                    paid_at=datetime(month.year, month.month, 10, 12, tzinfo=MX), operation_id=uuid.uuid4().hex[:20])
                if rng.random() < 0.1:
                    services.reverse_entry(staff, entry, "payment bounced", on=month.replace(day=20))
            month = add_months(month, 1)
        credits.append(credit)
    return credits


EMPLOYED_LOWER_INCOME = {"employed": "true", "monthly_income": "10000", "income_at_origination": "15000",
                         "months_in_current_job": "12", "contributing_to_imss": "true"}


def apply(actor, credit, code, declared, on=AS_OF):
    return services.apply_solution(actor, credit, code, declared=declared, on=on, idempotency_key=uuid.uuid4().hex,
                                   channel=SolutionApplication.Channel.STAFF)


def build_relief_cases(staff, borrower) -> list[Credit]:
    """Credits whose facts come from more than the ledger: solutions in force and ended, legal proceedings, a
    cofinanced product, a frozen credit, a nearly paid-off credit paid again after the 1st of the month."""
    def originate(**overrides) -> Credit:
        data = {"product": "tradicional", "denomination": "pesos", "origination_date": date(2015, 1, 15),
                "amount_lent": "500000", "rate": "10", "term_months": 240, "regime": "own", "state": "MN",
                "monthly_insurance_and_fees": "100", **overrides}
        return services.originate_credit(staff, borrower, **data)

    def pay(credit, amount, day):
        return services.record_payment(staff, credit, amount=D(amount), channel="window",
                                       paid_at=datetime(day.year, day.month, day.day, 12, tzinfo=MX),
                                       operation_id=uuid.uuid4().hex[:20])

    cases = []
    stm = originate()
    apply(staff, stm, "STM", EMPLOYED_LOWER_INCOME)  # in force: lowers the payment
    cases.append(stm)
    dcp = originate(origination_date=date(2010, 3, 2))
    application = apply(staff, dcp, "DCP", EMPLOYED_LOWER_INCOME, on=date(2026, 3, 10))
    services.end_application(staff, application, "formal_job", on=date(2026, 6, 1))  # ended: counts as a use
    cases.append(dcp)
    lawsuit = originate(origination_date=date(2012, 7, 31))
    Credit.objects.filter(pk=lawsuit.pk).update(legal_proceedings=True)  # no service sets it yet (cobranza judicial)
    cases.append(lawsuit)
    cases.append(originate(product="cofinavit", cofinanced_share="0"))  # cofinanced by its product
    frozen = originate(denomination="vsm", amount_lent_vsm="150.5", origination_date=date(2001, 2, 28),
                       term_months=360, rate="6")
    services.set_frozen(staff, frozen, True, "acuerdo de congelamiento")
    cases.append(frozen)
    nearly_paid = originate(amount_lent="200000", origination_date=date(2012, 5, 1), monthly_insurance_and_fees="0")
    pay(nearly_paid, "150000", date(2025, 7, 7))
    pay(nearly_paid, "2000", date(2026, 11, 20))  # after the 1st: DLA keeps the balance of the 1st
    cases.append(nearly_paid)
    streak = originate(origination_date=date(2025, 12, 10))
    month = date(2026, 1, 1)
    while month <= AS_OF:
        services.post_monthly_accrual(staff, streak, month)
        if month.month not in (3, 11):  # a gap in March; November not paid yet: the streak ends in October
            pay(streak, selectors.credit_summary(streak, month).installment, month.replace(day=12))
        month = add_months(month, 1)
    cases.append(streak)
    return cases


def facts_from_row(row: dict) -> dict:
    """The frame's row as CreditFacts fields (centavos and rate units back to Decimal; the bitmask to codes)."""
    def pesos(value):
        return None if value is None else D(value).scaleb(-2)

    return {
        "as_of": AS_OF, "product": str(row["product"]), "denomination": str(row["denomination"]),
        "origination_date": row["origination_date"], "amount_lent": pesos(row["amount_lent"]),
        "balance": pesos(row["balance"]), "monthly_payment": pesos(row["monthly_payment"]),
        "monthly_insurance_and_fees": pesos(row["monthly_insurance_and_fees"]),
        "rate": D(row["rate"]) / RATE_SCALE, "remaining_months": row["remaining_months"],
        "missed_payments": row["missed_payments"], "payments_made": row["payments_made"],
        "borrower_birth_date": row["borrower_birth_date"], "borrower_sex": str(row["borrower_sex"]),
        "monthly_income": pesos(row["monthly_income"]), "monthly_pension": pesos(row["monthly_pension"]),
        "contributing_to_imss": row["contributing_to_imss"], "employed": row["employed"],
        "active_solutions": frozenset(code for code in SOLUTION_CODES if row["active_solutions"] & BIT[code]),
        "legal_proceedings": row["legal_proceedings"], "cofinanced": row["cofinanced"], "frozen": row["frozen"],
        "consecutive_payments": row["consecutive_payments"], "arrears": pesos(row["arrears"]),
        "arrears_interest_from_third_missed": pesos(row["arrears_interest_from_third_missed"]),
        "arrears_insurance_and_fees": pesos(row["arrears_insurance_and_fees"]),
        # not in the portfolio: declared on the borrower's screen, CreditFacts' defaults here
        "months_unemployed": None, "months_employed_before_job_loss": None, "months_in_current_job": None,
        "income_at_origination": None, "employer_agreement_filed": False,
        "payroll": row["payroll"], "fpp_months_used_last_5_years": row["fpp_months_used_last_5_years"],
        "prorroga_months_used": row["prorroga_months_used"],
        # the counts the rules read (arrears.py: BCN in 12 months; relief.py: Jubilados ever)
        "uses_last_12_months": {"BCN": row["bcn_uses_last_12_months"]},
        "uses_ever": {"JUBILADOS": row["jubilados_uses_ever"]},
    }


def expected_fields(facts: CreditFacts) -> dict:
    fields = {field.name: getattr(facts, field.name) for field in dataclasses.fields(CreditFacts)}
    fields["uses_last_12_months"] = {"BCN": facts.uses_last_12_months.get("BCN", 0)}
    fields["uses_ever"] = {"JUBILADOS": facts.uses_ever.get("JUBILADOS", 0)}
    fields["monthly_income"] = None  # the campaign's one assumption the screen cannot express: income unknown
    return fields


def test_set_based_facts_equal_the_borrowers_screen(consulate_la):
    staff = make_user(Role.INFONAVIT_STAFF)
    borrower = make_person(consulate_la, mx_state="MN")
    credits = build_ledgers(staff, borrower, 40, seed=4) + build_relief_cases(staff, borrower)
    frame = portfolio.read_facts(AS_OF)
    rows = {row["credit_id"]: row for row in frame.iter_rows(named=True)}
    reached = dict.fromkeys(("arrears", "third_missed", "streak", "paid", "in_force", "used", "legal", "frozen",
                             "cofinanced", "dla_1st", "adjusted"), 0)
    for credit in credits:
        credit.refresh_from_db()
        if credit.status != Credit.Status.ACTIVE:
            assert credit.pk not in rows  # the campaign reads active credits only
            continue
        row = rows[credit.pk]
        declared = portfolio.assumed_declared(credit.regime == Credit.Regime.PAYROLL)
        expected = selectors.credit_facts(credit, AS_OF, declared)
        assert facts_from_row(row) == expected_fields(expected), credit.pk
        assert set(facts_from_row(row)) == {field.name for field in dataclasses.fields(CreditFacts)}
        dla_balance = max(selectors.balance_on(credit, AS_OF.replace(day=1)), D(0))
        assert row["dla_balance"] == centavos(dla_balance)
        reached["arrears"] += expected.missed_payments > 0
        reached["third_missed"] += expected.arrears_interest_from_third_missed > 0
        reached["streak"] += expected.consecutive_payments > 1
        reached["paid"] += expected.payments_made > 0
        reached["in_force"] += bool(expected.active_solutions)
        reached["used"] += bool(expected.uses_ever) and not expected.active_solutions
        reached["legal"] += expected.legal_proceedings
        reached["frozen"] += expected.frozen
        reached["cofinanced"] += expected.cofinanced
        reached["dla_1st"] += dla_balance != expected.balance
        reached["adjusted"] += credit.entries.filter(kind=LedgerEntry.Kind.ADJUSTMENT).exists()
    assert all(reached.values()), reached  # every branch of the derivation is compared


def test_running_columns_equal_the_fold(consulate_la):
    """Every entry's due_after, interest_after and insurance_after (written by _append and the adjustment SQL)
    equal the fold of the entries up to it, and balance_after their sum."""
    staff = make_user(Role.INFONAVIT_STAFF)
    borrower = make_person(consulate_la, mx_state="MN")
    build_ledgers(staff, borrower, 12, seed=4)
    build_relief_cases(staff, borrower)
    checked = 0
    for credit in Credit.objects.all():
        position = ledger_rules.Position()
        for entry in credit.entries.order_by("sequence"):
            position = position.after(ledger_rules.Movement(entry.capital, entry.interest, entry.insurance, entry.due))
            assert (entry.due_after, entry.interest_after, entry.insurance_after, entry.balance_after) == (
                position.due, position.interest, position.insurance, position.balance), entry
            checked += 1
    assert checked > 300


def test_the_campaign_reads_todays_ledger_only(consulate_la, var_dir):
    from ventanilla.batch.services import run_campaign

    staff = make_user(Role.INFONAVIT_STAFF)
    for day in (AS_OF - timedelta(days=1), AS_OF + timedelta(days=1), date(2024, 6, 30)):
        with pytest.raises(DomainError) as caught:
            run_campaign(staff, day)
        assert [(error.field, error.code) for error in caught.value.errors] == [("as_of", "not_today")]
    assert run_campaign(staff, AS_OF).as_of == AS_OF


def test_missed_payments_column_equals_the_rule():
    from ventanilla.infonavit.rules.ledger import Position, missed_payments

    rng = np.random.default_rng(3)
    due = rng.integers(-500_000, 5_000_000, 5_000)
    installment = rng.choice([0, 1, 99_999, 350_000, 1_234_567], 5_000)
    got = pl.DataFrame({"due": due, "inst": installment}).select(
        portfolio.missed_payments(pl.col("due"), pl.col("inst")))["due"].to_list()
    expected = [missed_payments(Position(due=D(int(d)).scaleb(-2)), D(int(i)).scaleb(-2))
                for d, i in zip(due, installment, strict=True)]
    assert got == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel sessions are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_read_in_two_sessions_equals_one(consulate_la, monkeypatch):
    """Outside a transaction on PostgreSQL the portfolio is read in two ranges of credit ids at once (threads
    with their own connections): the same rows as one read, each credit once."""
    from tests.batch.conftest import seed_small_portfolio
    from ventanilla.core.bulk import parallel_sessions

    seed_small_portfolio(consulate_la)
    staff = make_user(Role.INFONAVIT_STAFF)
    build_ledgers(staff, make_person(consulate_la, mx_state="MN"), 6, seed=8)
    monkeypatch.setattr("ventanilla.core.bulk.os.cpu_count", lambda: 2)
    assert parallel_sessions() == 2
    two = portfolio.read_portfolio()
    one = portfolio._read_part(None, None)
    assert two.height == one.height == Credit.objects.filter(status=Credit.Status.ACTIVE).count() > 300
    assert two["credit_id"].n_unique() == two.height
    assert two.sort("credit_id").equals(one.sort("credit_id"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel sessions are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_parallel_read_sees_one_moment(consulate_la, monkeypatch):
    """The two sessions import the snapshot core.bulk.shared_snapshot() exported: a change another session
    commits after that moment is seen by neither part (without the import, the part started later saw it)."""
    import threading

    from tests.batch.conftest import seed_small_portfolio
    from ventanilla.core.bulk import shared_snapshot

    seed_small_portfolio(consulate_la)
    monkeypatch.setattr("ventanilla.core.bulk.os.cpu_count", lambda: 2)
    first, last = (Credit.objects.filter(status=Credit.Status.ACTIVE, frozen=False).order_by(order).first()
                   for order in ("pk", "-pk"))

    def freeze_elsewhere() -> None:
        try:
            Credit.objects.filter(pk__in=[first.pk, last.pk]).update(frozen=True)  # autocommit, its own session
        finally:
            connection.close()

    with shared_snapshot() as snapshot:
        assert snapshot is not None
        writer = threading.Thread(target=freeze_elsewhere)
        writer.start()
        writer.join()
        read = portfolio.read_portfolio(snapshot)
    frozen = dict(read.select("credit_id", "frozen").iter_rows())
    assert frozen[first.pk] is False and frozen[last.pk] is False  # both parts read before the change
    assert Credit.objects.get(pk=last.pk).frozen  # which did commit


@pytest.mark.skipif(connection.vendor != "postgresql", reason="session settings are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_one_session_in_the_shared_snapshot_leaves_the_settings_as_they_were(consulate_la, monkeypatch):
    """With one core the read runs inside shared_snapshot()'s transaction: its work_mem and no-parallel settings
    must not carry over to the reads after it (payments, entries, applications)."""
    from tests.batch.conftest import seed_small_portfolio
    from ventanilla.core.bulk import shared_snapshot

    seed_small_portfolio(consulate_la)
    monkeypatch.setattr("ventanilla.core.bulk.os.cpu_count", lambda: 1)
    with shared_snapshot() as snapshot, connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        before = cursor.fetchone()[0]
        assert portfolio.read_portfolio(snapshot).height > 0
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == before != portfolio.READ_WORK_MEM
