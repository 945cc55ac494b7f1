"""The yearly adjustment of VSM credits against the real database: worked example, once per year, frozen and
pesos credits untouched, the set-based SQL equal to the rule, the command line."""

import io
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection

from tests.conftest import make_person, make_user
from ventanilla.core.bulk import parallel_sessions
from ventanilla.core.errors import DomainError, PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.demo import seed_credits
from ventanilla.infonavit.models import AdjustmentRun, Credit, LedgerEntry
from ventanilla.infonavit.rules.ledger import vsm_adjusted_payment, vsm_adjustment
from ventanilla.people.models import Role
from ventanilla.people.services import system_account

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def borrower(consulate_la):
    return make_person(consulate_la)


def vsm_credit(staff, borrower, **overrides) -> Credit:
    data = {"product": "tradicional", "denomination": "vsm", "origination_date": date(2005, 8, 1),
            "amount_lent": "250000", "amount_lent_vsm": "180.5", "rate": "6", "term_months": 360,
            "monthly_payment": "3000.00", "regime": "payroll", "state": "JC", **overrides}
    return services.originate_credit(staff, borrower, **data)


def test_worked_example_2024_and_a_second_run_changes_nothing(staff, borrower):
    """2024: a = 4.66 % by the rule (reference-values.md). 250,000 → 261,650.00; 3,000 → 3,139.80."""
    credit = vsm_credit(staff, borrower)
    calls = []
    run = services.adjust_vsm_credits(staff, 2024, progress=lambda done, total: calls.append((done, total)))
    credit.refresh_from_db()
    entry = credit.entries.get(kind="adjustment")
    assert (entry.amount, entry.capital, entry.balance_after) == (D("11650.00"), D("11650.00"), D("261650.00"))
    assert (entry.period, entry.posted_on, entry.sequence, entry.monthly_payment_after) == (
        date(2024, 1, 1), date(2024, 1, 1), 2, D("3139.80"))
    summary = selectors.credit_summary(credit, date(2024, 1, 2))
    assert (summary.balance, summary.monthly_payment) == (D("261650.00"), D("3139.80"))
    assert credit.monthly_payment == D("3000.00")  # as agreed at origination: the credit row is not touched
    assert (run.year, run.rate, run.decided_by, run.credits, run.total_change) == (
        2024, D("4.6600"), "rule", 1, D("11650.00"))
    assert run.finished_at is not None and calls == [(1, 1)]
    assert AuditEntry.objects.filter(action="infonavit.adjust_vsm", object_id=str(run.pk)).exists()

    again = services.adjust_vsm_credits(staff, 2024)
    credit.refresh_from_db()
    assert again.pk == run.pk and again.credits_this_run == 0 and again.change_this_run == 0
    assert (again.credits, again.total_change) == (1, D("11650.00"))
    assert selectors.credit_summary(credit, date(2024, 1, 2)).monthly_payment == D("3139.80")
    assert credit.entries.count() == 2
    assert AdjustmentRun.objects.count() == 1


def test_only_active_unfrozen_vsm_credits_originated_before_the_year_move(staff, borrower):
    moving = vsm_credit(staff, borrower)
    frozen = vsm_credit(staff, borrower, frozen=True)
    pesos = services.originate_credit(staff, borrower, product="tradicional", denomination="pesos",
                                      origination_date=date(2015, 1, 10), amount_lent="300000", rate="10",
                                      term_months=240, regime="own", state="JC")
    too_new = vsm_credit(staff, borrower, origination_date=date(2024, 1, 5))
    settled = vsm_credit(staff, borrower, amount_lent="1000")
    services.record_payment(staff, settled, amount="1000.00", paid_at=date(2023, 5, 1), operation_id="PAYOFF-1")
    def state(credit):
        return selectors.ledger_state(credit)

    before = {c.pk: state(c) for c in (frozen, pesos, too_new, settled)}
    run = services.adjust_vsm_credits(staff, 2024)
    assert (run.credits, run.frozen_skipped) == (1, 1)
    assert moving.entries.filter(kind="adjustment").exists()
    for credit in (frozen, pesos, too_new, settled):
        assert state(credit) == before[credit.pk]


def test_the_adjustment_follows_the_ledger_balance_and_the_next_year_builds_on_it(staff, borrower):
    credit = vsm_credit(staff, borrower)
    services.post_monthly_accrual(staff, credit, date(2023, 12, 1))  # interest 1,250 + billed installment
    services.record_payment(staff, credit, amount="1000.00", paid_at=date(2023, 12, 20), operation_id="DEC-1")
    balance_2023 = selectors.position(credit).balance
    services.adjust_vsm_credits(staff, 2023)  # 5.20 %, the board's (assumed UMI)
    services.adjust_vsm_credits(staff, 2024)
    credit.refresh_from_db()
    first = vsm_adjustment(balance_2023, D("5.20")).capital
    second = vsm_adjustment(balance_2023 + first, D("4.66")).capital
    assert [e.amount for e in credit.entries.filter(kind="adjustment").order_by("sequence")] == [first, second]
    assert selectors.ledger_state(credit).monthly_payment == vsm_adjusted_payment(
        vsm_adjusted_payment(D("3000.00"), D("5.20")), D("4.66"))
    assert AdjustmentRun.objects.get(year=2023).rate_assumed is True
    assert selectors.position(credit).balance == balance_2023 + first + second


def test_a_frozen_year_posts_zero_changes_and_a_year_without_a_value_is_refused(staff, borrower):
    credit = vsm_credit(staff, borrower)
    run = services.adjust_vsm_credits(staff, 2025)  # the 2025 freeze: a = 0 by the board
    assert (run.rate, run.decided_by, run.credits, run.total_change) == (D("0"), "board", 1, D("0"))
    assert credit.entries.get(kind="adjustment").amount == 0
    with pytest.raises(DomainError) as caught:
        services.adjust_vsm_credits(staff, 2019)
    assert caught.value.errors[0].code == "no_rate"


@pytest.mark.parametrize("role", [Role.CONSULAR_OFFICER, Role.IMSS_STAFF, Role.SUPERVISOR])
def test_only_infonavit_staff_run_it(role, consulate_la):
    with pytest.raises(PermissionDeniedError):
        services.adjust_vsm_credits(make_user(role, consulate=consulate_la), 2024)


def test_batches_on_a_demo_portfolio_equal_the_rule_credit_by_credit(consulate_la):
    assert parallel_sessions() == 1  # inside the test's transaction: one session
    _batches_equal_the_rule(consulate_la)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel sessions are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_batches_in_two_sessions_equal_the_rule_credit_by_credit(consulate_la, monkeypatch):
    """Outside a transaction on PostgreSQL the batches run in two sessions at once (threads with their own
    connections): the same entries, totals, progress and audit as one at a time."""
    monkeypatch.setattr("ventanilla.core.bulk.os.cpu_count", lambda: 2)
    assert parallel_sessions() == 2
    _batches_equal_the_rule(consulate_la)
    run = AdjustmentRun.objects.get(year=2024)
    again = services.adjust_vsm_credits(system_account(), 2024, batch_size=17)  # once per year per credit
    assert again.credits_this_run == 0 and again.credits == run.credits


def test_a_run_stopped_after_some_batches_then_resumed_stores_the_ledger_totals(consulate_la, monkeypatch):
    """Batches commit one by one: the totals of the run that finishes count the stopped run's batches too."""
    for _ in range(60):
        make_person(consulate_la)
    system = system_account()
    seed_credits(system, 300, seed=5, today=date(2026, 11, 22))
    real_batch, calls = services._adjust_batch, []

    def stops_at_the_third(*args, **kwargs):
        calls.append(args[2])
        if len(calls) == 3:
            raise RuntimeError("the server went away")  # as a lost connection would, mid-run
        return real_batch(*args, **kwargs)

    monkeypatch.setattr(services, "_adjust_batch", stops_at_the_third)
    with pytest.raises(RuntimeError):
        services.adjust_vsm_credits(system, 2024, batch_size=17)
    stopped_after = LedgerEntry.objects.filter(kind="adjustment", period=date(2024, 1, 1)).count()
    assert stopped_after > 0  # two batches were kept
    monkeypatch.setattr(services, "_adjust_batch", real_batch)
    run = services.adjust_vsm_credits(system, 2024, batch_size=17)
    entries = LedgerEntry.objects.filter(kind="adjustment", period=date(2024, 1, 1))
    assert run.credits_this_run == entries.count() - stopped_after  # what this invocation did
    assert run.credits == entries.count() == Credit.objects.filter(denomination="vsm", frozen=False).count()
    assert run.total_change == sum(entry.amount for entry in entries)
    run.refresh_from_db()
    assert (run.credits, run.total_change) == (entries.count(), sum(entry.amount for entry in entries))


def _batches_equal_the_rule(consulate_la):
    for _ in range(60):
        make_person(consulate_la)
    system = system_account()
    seed_credits(system, 300, seed=5, today=date(2026, 11, 22))
    vsm = Credit.objects.filter(denomination="vsm", frozen=False)
    before = {c.pk: (selectors.position(c).balance, selectors.ledger_state(c).monthly_payment) for c in vsm}
    calls = []
    run = services.adjust_vsm_credits(system, 2024, batch_size=17,
                                      progress=lambda done, total: calls.append((done, total)))
    assert run.credits == len(before) > 30
    assert calls[-1] == (len(before), len(before)) and len(calls) == -(-len(before) // 17)
    expected_change = D(0)
    for credit in Credit.objects.filter(pk__in=before):
        balance, payment = before[credit.pk]
        change = vsm_adjustment(balance, D("4.66")).capital
        expected_change += change
        assert selectors.ledger_state(credit).monthly_payment == vsm_adjusted_payment(payment, D("4.66"))
        assert selectors.position(credit).balance == balance + change
        assert credit.entries.get(kind="adjustment").balance_after == balance + change
    assert run.total_change == expected_change
    assert AuditEntry.objects.filter(action="infonavit.adjust_vsm_batch").count() == len(calls)


def _sql_values(build, balances: list[Decimal], rate_units: int) -> list[Decimal]:
    """Evaluate a service's SQL expression (`build(column, rate_units)`) over a column of values, in chunks."""
    results = []
    with connection.cursor() as cursor:
        for start in range(0, len(balances), 500):
            chunk = balances[start:start + 500]
            values = ", ".join(["(CAST(%s AS NUMERIC))"] * len(chunk))  # as a NUMERIC column stores them
            cursor.execute(f"SELECT {build('column1', str(rate_units))} FROM (VALUES {values}) AS v", chunk)
            results.extend(Decimal(str(row[0])).quantize(D("0.01")) for row in cursor.fetchall())
    return results


def test_the_set_based_sql_equals_the_rule_on_10000_generated_cases():
    """One definition of the arithmetic: the batch SQL (integer centavos) must give what rules/ledger.py gives,
    on this database (exact NUMERIC on PostgreSQL, binary floats on SQLite), ties included."""
    rng = np.random.default_rng(2024)
    cents = np.concatenate([rng.integers(1, 5 * 10**9, size=9_000), rng.integers(1, 10**6, size=1_000)])
    balances = [D(int(c)).scaleb(-2) for c in cents]
    ties = [D("150.00"), D("100.50"), D("1001.00"), D("0.01"), D("99999999.99"), D("0.00"), D("-5.00")]
    balances.extend(ties)
    for rate in (D("4.66"), D("4.99"), D("5.20"), D("2.83"), D("3.15"), D("0"), D("12.3456")):
        units = int(rate * 10_000)
        got_changes = _sql_values(services.adjustment_sql, balances, units)
        got_payments = _sql_values(services.adjusted_payment_sql, balances[:-2], units)
        assert got_changes == [vsm_adjustment(b, rate).capital for b in balances], rate
        assert got_payments == [vsm_adjusted_payment(b, rate) for b in balances[:-2]], rate


def test_command_prints_the_summary(staff, borrower):
    vsm_credit(staff, borrower)
    out = io.StringIO()
    call_command("infonavit", "adjust", "--year", "2024", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "VSM adjustment 2024: a = 4.66 % decided by rule" in text
    assert "this run: 1 credits adjusted, balances +11,650.00 pesos" in text
    assert LedgerEntry.objects.filter(kind="adjustment").count() == 1
