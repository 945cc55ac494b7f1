"""The pure ledger effects of the relief solutions (rules/solutions/effects.py), with properties: a discount
is never negative nor above the balance, the amount due never exceeds the balance, and a DLA payment that
earns the discount leaves a settled credit with balance zero (against the database)."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_person, make_user
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.models import Credit
from ventanilla.infonavit.rules import solutions
from ventanilla.infonavit.rules.ledger import Position
from ventanilla.infonavit.rules.solutions import effects
from ventanilla.people.models import Role

D = Decimal
cents = st.integers(min_value=0, max_value=50_000_000).map(lambda n: D(n) / 100)
signed_cents = st.integers(min_value=-1_000_000, max_value=5_000_000).map(lambda n: D(n) / 100)


@st.composite
def positions(draw):
    capital, interest, insurance = draw(cents), draw(cents), draw(cents)
    balance = capital + interest + insurance
    due = min(draw(signed_cents), balance)
    return Position(capital, interest, insurance, due)


@given(position=positions(), amount=cents, capital_first=st.booleans())
def test_a_forgiven_amount_never_raises_the_debt_nor_passes_the_balance(position, amount, capital_first):
    movement = effects.forgiven(amount, position, capital_first=capital_first)
    assert movement.capital <= 0 and movement.interest <= 0 and movement.insurance <= 0 and movement.due <= 0
    assert -movement.amount == min(amount, position.balance)
    after = position.after(movement)
    assert after.balance >= 0 and after.due <= after.balance


def test_a_negative_discount_is_refused():
    with pytest.raises(ValueError):
        effects.forgiven(D("-1"), Position(D("10")))


def test_a_reward_goes_to_capital_or_to_insurance_and_interest_first():
    position = Position(D("1000"), D("50"), D("20"))
    assert effects.reward_movement(D("60"), 2, position).capital == D("-60")
    three_plus = effects.reward_movement(D("60"), 5, position)
    assert (three_plus.insurance, three_plus.interest, three_plus.capital) == (D("-20"), D("-40"), D("0"))


@pytest.mark.parametrize(("payments", "payroll", "earned"), [
    ([D("100"), D("100"), D("100")], False, True),
    ([D("100"), D("99"), D("100"), D("100")], False, False),  # the run starts again after a short payment
    ([D("100"), D("100"), D("99"), D("100"), D("100"), D("100")], False, True),
    ([D("100"), D("150")], True, False),
    ([D("200")], True, True),  # a full bimonthly payment by the employer
])
def test_the_bcn_reward_condition(payments, payroll, earned):
    assert effects.bcn_reward_earned(payments, D("100"), payroll=payroll) is earned


def test_dla_is_shown_from_the_10th():
    assert effects.dla_not_shown_yet(date(2026, 3, 9)).code == "not_shown_yet"
    assert effects.dla_not_shown_yet(date(2026, 3, 10)) is None


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(balance=st.integers(min_value=1, max_value=3_000_000), payment=st.integers(min_value=1, max_value=20_000),
       months=st.integers(min_value=1, max_value=360), income=st.integers(min_value=0, max_value=30_000))
def test_an_rc_plan_never_adds_to_the_debt(balance, payment, months, income):
    from ventanilla.reference.selectors import params_at

    on = date(2026, 3, 10)
    facts = solutions.CreditFacts(
        as_of=on, product="tradicional", denomination="vsm", origination_date=date(2005, 6, 15),
        amount_lent=D("1"), balance=D(balance), monthly_payment=D(payment), monthly_insurance_and_fees=D("0"),
        rate=D("9"), remaining_months=months, missed_payments=0, payments_made=240, borrower_birth_date=date(1970, 1, 1),
        borrower_sex="H", monthly_income=D(income), monthly_pension=D("0"), contributing_to_imss=True, employed=True,
        active_solutions=frozenset(), legal_proceedings=False, cofinanced=False, frozen=False)
    result = solutions.responsabilidad_compartida(facts, _params(on, params_at))
    if not result.eligible:
        return
    plan = effects.solution_plan(result, facts, Position(D(balance)))
    assert result.amounts["discount"] >= 0
    assert plan.balance_change == -result.amounts["discount"] <= 0
    assert D(balance) + plan.balance_change == result.amounts["new_balance"] >= 0


_SNAPSHOTS: dict = {}


def _params(on, params_at):
    if on not in _SNAPSHOTS:
        _SNAPSHOTS[on] = params_at(on)
    return _SNAPSHOTS[on]


MX = ZoneInfo("America/Mexico_City")


@pytest.mark.django_db
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(left=st.integers(min_value=100, max_value=25_000), extra=st.integers(min_value=0, max_value=10_000))
def test_a_dla_settled_credit_has_balance_zero(consulate_la, left, extra):
    """100,000 lent, `left` pesos owed on the 1st; any payment from the DLA amount up to (not including) the
    balance settles the credit with the discount, and the ledger's balance is zero."""
    staff = make_user(Role.INFONAVIT_STAFF)
    credit = services.originate_credit(staff, make_person(consulate_la), product="tradicional",
                                       denomination="pesos", origination_date=date(2024, 1, 15),
                                       amount_lent="100000", rate="12", term_months=60, regime="own", state="MN")
    services.record_payment(staff, credit, amount=str(100_000 - left), paid_at=datetime(2026, 2, 20, 12, tzinfo=MX),
                            operation_id=uuid.uuid4().hex[:20])
    application = services.apply_solution(staff, credit, "DLA", declared={}, idempotency_key=uuid.uuid4().hex,
                                          on=date(2026, 3, 10), channel="staff")
    eligible = D(application.amounts["amount_to_pay"])
    paid = min(eligible + extra, D(left) - D("0.01"))
    if paid < eligible:
        return
    services.record_payment(staff, credit, amount=str(paid), paid_at=datetime(2026, 3, 20, 12, tzinfo=MX),
                            operation_id=uuid.uuid4().hex[:20])
    credit.refresh_from_db()
    assert credit.status == Credit.Status.SETTLED
    assert selectors.ledger_state(credit).balance_after == 0 == selectors.balance_on(credit, date(2026, 3, 31))
    assert D(application.amounts["discount"]) >= 0
