"""The set-based reading of the portfolio equals the scalar fold: batch.portfolio's ledger states (one grouped
pass over the ledger) against infonavit.selectors.ledger_state and credit_summary, on ledgers built through
the real services (accruals, payments short, exact and over, reversals, the yearly adjustment)."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import polars as pl
import pytest

from tests.conftest import make_person, make_user
from ventanilla.batch import portfolio
from ventanilla.core.calendar import add_months
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.models import Credit
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


def test_set_based_ledger_state_equals_the_scalar_fold(consulate_la):
    staff = make_user(Role.INFONAVIT_STAFF)
    borrower = make_person(consulate_la, mx_state="MN")
    credits = build_ledgers(staff, borrower, 40, seed=4)
    states = {row["credit_id"]: row for row in portfolio.ledger_states().iter_rows(named=True)}
    facts = {row["credit_id"]: row for row in
             portfolio.to_facts(portfolio.read_portfolio(), date(2026, 11, 30)).iter_rows(named=True)}
    with_arrears = 0
    for credit in credits:
        credit.refresh_from_db()
        scalar = selectors.ledger_state(credit)
        row = states[credit.pk]
        assert row["balance"] == centavos(scalar.balance_after) == centavos(scalar.position.balance)
        assert row["monthly_payment"] == centavos(scalar.monthly_payment)
        assert row["due"] == centavos(scalar.position.due)
        if credit.status == Credit.Status.ACTIVE:
            summary = selectors.credit_summary(credit, date(2026, 11, 30))
            assert facts[credit.pk]["missed_payments"] == summary.missed_payments
            assert facts[credit.pk]["arrears"] == centavos(summary.arrears)
            with_arrears += summary.missed_payments > 0
        else:
            assert credit.pk not in facts  # the campaign reads active credits only
    assert with_arrears  # the generator reaches the arrears branch


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
