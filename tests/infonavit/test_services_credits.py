"""Credits and their ledger against the real database (PostgreSQL in CI): origination, accrual, payments,
corrections, settlement, and who sees which credit."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import make_person, make_user
from ventanilla.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.core.money import to_centavos
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.demo import seed_credits
from ventanilla.infonavit.models import Credit, LedgerEntry
from ventanilla.infonavit.rules import credit_number
from ventanilla.infonavit.rules.ledger import Movement, fold
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")
D = Decimal


def codes(caught) -> dict[str, str]:
    return {e.field: e.code for e in caught.value.errors}


@pytest.fixture
def staff(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def borrower(consulate_la):
    return make_person(consulate_la, mx_state="MN", mx_municipality="Morelia")


def originate(staff, borrower, **overrides) -> Credit:
    data = {"product": "tradicional", "denomination": "pesos", "origination_date": date(2024, 3, 15),
            "amount_lent": "100000", "rate": "12", "term_months": 12, "regime": "own", "state": "MN",
            "monthly_insurance_and_fees": "50", **overrides}
    return services.originate_credit(staff, borrower, **data)


def pay(actor, credit, amount, when=datetime(2024, 4, 20, 12, tzinfo=MX), operation_id=None, **kw):
    return services.record_payment(actor, credit, amount=amount, paid_at=when,
                                   operation_id=operation_id or uuid.uuid4().hex[:20], **kw)


def ledger_sum(credit) -> Decimal:
    """SUM(amount) in the database (rounded to centavos: SQLite adds binary floats)."""
    return to_centavos(LedgerEntry.objects.filter(credit=credit).aggregate(total=Sum("amount"))["total"])


def assert_ledger_consistent(credit):
    """The balance is the sum of the entries; the cached running balance and the fold agree with it."""
    entries = list(credit.entries.order_by("sequence"))
    running = D(0)
    for number, entry in enumerate(entries, start=1):
        assert entry.sequence == number
        assert entry.amount == entry.capital + entry.interest + entry.insurance
        running += entry.amount
        assert entry.balance_after == running
        assert entry.monthly_payment_after == credit.monthly_payment  # nothing here changes the payment
    position = fold(Movement(e.capital, e.interest, e.insurance, e.due) for e in entries)
    assert position.balance == running == ledger_sum(credit)
    assert selectors.position(credit) == position


# --- origination ---------------------------------------------------------------------------------------

def test_origination_writes_the_credit_its_number_and_its_disbursement(staff, borrower):
    credit = originate(staff, borrower)
    assert credit_number.is_valid(credit.number) and credit.number == credit_number.credit_number(credit.pk)
    assert credit.monthly_payment == D("8884.88")  # level payment: 100,000 at 12 % in 12 months
    summary = selectors.credit_summary(credit, date(2024, 3, 20))
    assert credit.status == Credit.Status.ACTIVE and summary.installment == D("8934.88")
    assert summary.monthly_payment == D("8884.88") and summary.balance == D("100000.00")
    (entry,) = credit.entries.all()
    assert (entry.kind, entry.amount, entry.capital, entry.balance_after, entry.posted_on) == (
        "disbursement", D("100000.00"), D("100000.00"), D("100000.00"), date(2024, 3, 15))
    assert entry.monthly_payment_after == D("8884.88")
    assert AuditEntry.objects.filter(action="infonavit.originate_credit", object_id=str(credit.pk)).exists()


def test_origination_refuses_bad_terms_naming_each_field(staff, borrower):
    with pytest.raises(DomainError) as caught:
        originate(staff, borrower, product="casa", denomination="vsm", amount_lent="-5", rate="150",
                  term_months=480, state="XX", cofinanced_share="20", origination_date=date(2099, 1, 1))
    assert codes(caught) == {"product": "invalid_choice", "state": "invalid_choice", "amount_lent": "not_positive",
                             "rate": "out_of_range", "term_months": "out_of_range",
                             "cofinanced_share": "out_of_range", "amount_lent_vsm": "invalid_number",
                             "origination_date": "invalid_date"}
    with pytest.raises(DomainError) as caught:
        originate(staff, borrower, amount_lent_vsm="120")
    assert codes(caught) == {"amount_lent_vsm": "not_vsm"}
    assert not Credit.objects.exists()


@pytest.mark.parametrize("role", [Role.CONSULAR_OFFICER, Role.IMSS_STAFF, Role.DERECHOHABIENTE, Role.SUPERVISOR])
def test_only_infonavit_staff_originate(role, borrower, consulate_la):
    actor = make_user(role, consulate=consulate_la if role == Role.CONSULAR_OFFICER else None,
                      person=borrower if role == Role.DERECHOHABIENTE else None)
    with pytest.raises(PermissionDeniedError):
        originate(actor, borrower)


def test_clean_credit_number_names_the_problem():
    assert services.clean_credit_number("718 033 989-4") == "7180339894"
    with pytest.raises(DomainError) as caught:
        services.clean_credit_number("7180339895")
    assert codes(caught) == {"credit_number": "invalid_check_digit"}


# --- monthly accrual ----------------------------------------------------------------------------------

def test_accrual_posts_interest_and_fees_once_per_month(staff, borrower):
    credit = originate(staff, borrower)
    interest, insurance = services.post_monthly_accrual(staff, credit, date(2024, 4, 10))
    assert (interest.kind, interest.period, interest.interest, interest.due) == (
        "accrual_interest", date(2024, 4, 1), D("1000.00"), D("8884.88"))
    assert (insurance.kind, insurance.insurance, insurance.due, insurance.balance_after) == (
        "accrual_insurance", D("50.00"), D("50.00"), D("101050.00"))
    again = services.post_monthly_accrual(staff, credit, date(2024, 4, 1))
    assert [e.pk for e in again] == [interest.pk, insurance.pk]
    assert credit.entries.count() == 3
    assert selectors.position(credit).arrears == D("8934.88")
    assert_ledger_consistent(credit)


def test_accrual_refuses_the_origination_month_and_going_back(staff, borrower):
    credit = originate(staff, borrower)
    with pytest.raises(DomainError) as caught:
        services.post_monthly_accrual(staff, credit, date(2024, 3, 1))
    assert codes(caught) == {"month": "before_first_installment"}
    services.post_monthly_accrual(staff, credit, date(2024, 6, 1))
    with pytest.raises(DomainError) as caught:
        services.post_monthly_accrual(staff, credit, date(2024, 5, 1))
    assert codes(caught) == {"month": "out_of_order"}


# --- payments ------------------------------------------------------------------------------------------

def test_payment_is_split_fees_interest_capital_and_stored(staff, borrower):
    credit = originate(staff, borrower)
    services.post_monthly_accrual(staff, credit, date(2024, 4, 1))
    entry = pay(staff, credit, "8934.88", operation_id="SF-0001", channel="remittance")
    assert (entry.insurance, entry.interest, entry.capital, entry.excess) == (D("-50.00"), D("-1000.00"),
                                                                              D("-7884.88"), D("0.00"))
    assert entry.amount == D("-8934.88") and entry.posted_on == date(2024, 4, 20) and entry.channel == "remittance"
    summary = selectors.credit_summary(credit, date(2024, 4, 21))
    assert summary.balance == D("92115.12") and summary.arrears == 0 and summary.missed_payments == 0
    assert AuditEntry.objects.filter(action="infonavit.payment", object_id=str(credit.pk)).exists()
    assert_ledger_consistent(credit)


def test_payment_is_idempotent_per_operation_id(staff, borrower):
    credit = originate(staff, borrower)
    first = pay(staff, credit, "1000.00", operation_id="OP-1")
    again = pay(staff, credit, "1000.00", operation_id="OP-1")
    assert again.pk == first.pk and credit.entries.count() == 2
    with pytest.raises(ConflictError) as caught:
        pay(staff, credit, "999.00", operation_id="OP-1")
    assert caught.value.code == "operation_conflict"


def test_bad_payments_are_refused_with_the_payments_domain_codes(staff, borrower):
    credit = originate(staff, borrower)
    with pytest.raises(DomainError) as caught:
        services.record_payment(staff, credit, amount="12,5", paid_at="mañana", operation_id="con espacio",
                                channel="pigeon")
    assert codes(caught) == {"amount": "invalid_amount", "paid_at": "invalid_date",
                             "operation_id": "invalid_operation_id", "channel": "invalid_choice"}
    with pytest.raises(DomainError) as caught:
        pay(staff, credit, "100.00", when=datetime(2024, 1, 2, tzinfo=MX))
    assert codes(caught) == {"paid_at": "before_origination"}


def test_paying_the_balance_settles_and_an_excess_is_kept_apart(staff, borrower):
    credit = originate(staff, borrower)
    services.post_monthly_accrual(staff, credit, date(2024, 4, 1))
    entry = pay(staff, credit, "101100.00")  # balance 101,050 + 50 too much
    credit.refresh_from_db()
    assert entry.amount == D("-101050.00") and entry.excess == D("50.00") and entry.balance_after == 0
    assert credit.status == Credit.Status.SETTLED and credit.settled_on == date(2024, 4, 20)
    assert selectors.position(credit).balance == 0 and ledger_sum(credit) == 0
    assert selectors.credit_summary(credit, date(2024, 5, 1)).next_payment is None
    with pytest.raises(DomainError) as caught:
        pay(staff, credit, "10.00")
    assert codes(caught) == {"credit": "credit_settled"}
    with pytest.raises(DomainError):
        services.post_monthly_accrual(staff, credit, date(2024, 5, 1))
    assert_ledger_consistent(credit)


def test_officer_takes_payments_for_their_consulate_only(staff, borrower, consulate_la, consulate_chicago):
    credit = originate(staff, borrower)
    la = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    chicago = make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago)
    assert pay(la, credit, "500.00").actor == la
    with pytest.raises(NotFoundError):
        pay(chicago, credit, "500.00")
    with pytest.raises(PermissionDeniedError):
        pay(make_user(Role.DERECHOHABIENTE, person=borrower), credit, "500.00")


# --- corrections ---------------------------------------------------------------------------------------

def test_reversing_the_settling_payment_reopens_the_credit(staff, borrower):
    credit = originate(staff, borrower)
    payment = pay(staff, credit, "100000.00")
    credit.refresh_from_db()
    assert credit.status == Credit.Status.SETTLED
    with pytest.raises(DomainError) as caught:
        services.reverse_entry(staff, payment, "  ")
    assert codes(caught) == {"reason": "required"}
    reversal = services.reverse_entry(staff, payment, "cheque devuelto", on=date(2024, 4, 25))
    credit.refresh_from_db()
    assert (reversal.kind, reversal.reverses_id, reversal.amount, reversal.capital) == (
        "reversal", payment.pk, D("100000.00"), D("100000.00"))
    assert credit.status == Credit.Status.ACTIVE and credit.settled_on is None
    with pytest.raises(DomainError) as caught:
        services.reverse_entry(staff, payment, "otra vez")
    assert codes(caught) == {"entry": "already_reversed"}
    for entry in (reversal, credit.entries.get(kind="disbursement")):
        with pytest.raises(DomainError) as caught:
            services.reverse_entry(staff, entry, "no")
        assert codes(caught) == {"entry": "not_reversible"}
    assert AuditEntry.objects.filter(action="infonavit.reverse_entry").count() == 1
    assert_ledger_consistent(credit)


def test_reversing_a_charge_that_was_all_that_was_left_settles(staff, borrower):
    credit = originate(staff, borrower, amount_lent="1000", term_months=1)
    insurance = services.post_monthly_accrual(staff, credit, date(2024, 4, 1))[1]
    pay(staff, credit, str(selectors.position(credit).balance - insurance.insurance))
    services.reverse_entry(staff, insurance, "seguro cobrado por error", on=date(2024, 4, 30))
    credit.refresh_from_db()
    assert credit.status == Credit.Status.SETTLED and selectors.position(credit).balance == 0


def test_ledger_entries_are_append_only(staff, borrower):
    entry = originate(staff, borrower).entries.get()
    entry.note = "edited"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    if connection.vendor == "postgresql":  # the database refuses too (migration 0002)
        with pytest.raises(DatabaseError), transaction.atomic():
            LedgerEntry.objects.filter(pk=entry.pk).update(note="edited")


# --- the property over the real database ------------------------------------------------------------------

STEPS = st.lists(st.one_of(st.just("accrue"), st.integers(1, 12_000_00).map(lambda c: D(c).scaleb(-2)),
                           st.just("payoff"), st.just("reverse")), max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_balance_always_equals_the_sum_of_entries_and_settled_means_zero(staff, borrower, steps):
    credit = originate(staff, borrower, amount_lent="50000", rate="10.45", term_months=36)
    month, paid = date(2024, 4, 1), []
    for step in steps:
        credit.refresh_from_db()
        if credit.status == Credit.Status.SETTLED:
            assert selectors.position(credit).balance == 0 == ledger_sum(credit)
        if step == "accrue":
            if credit.status == Credit.Status.ACTIVE:
                services.post_monthly_accrual(staff, credit, month)
                month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        elif step == "reverse":
            if paid:
                services.reverse_entry(staff, paid.pop(), "prueba")
        elif credit.status == Credit.Status.ACTIVE:
            amount = selectors.position(credit).balance if step == "payoff" else step
            if amount > 0:
                paid.append(pay(staff, credit, amount))
        assert_ledger_consistent(credit)
    credit.refresh_from_db()
    assert (credit.status == Credit.Status.SETTLED) == (selectors.position(credit).balance == 0)


# --- selectors ---------------------------------------------------------------------------------------------

def test_credits_visible_per_role(world, staff):
    users = world["users"]
    own = originate(staff, world["person_la"])
    neighbour = originate(staff, world["other_la"])
    far = originate(staff, world["person_chicago"])
    expected = {
        Role.DERECHOHABIENTE: {own},
        Role.CONSULAR_OFFICER: {own, neighbour},
        Role.INFONAVIT_STAFF: {own, neighbour, far},
        Role.ADMINISTRATOR: {own, neighbour, far},
        Role.IMSS_STAFF: set(),
        Role.SUPERVISOR: set(),
    }
    for role, credits in expected.items():
        assert set(selectors.visible_credits(users[role])) == credits, role
    assert set(selectors.visible_credits(None)) == set()
    citizen, officer = users[Role.DERECHOHABIENTE], users[Role.CONSULAR_OFFICER]
    assert selectors.get_visible_credit(citizen, own.number) == own
    assert selectors.get_visible_credit(officer, f"{neighbour.number[:5]} {neighbour.number[5:]}") == neighbour
    for user, number in ((citizen, neighbour.number), (officer, far.number), (citizen, "7180339895"),
                         (users[Role.IMSS_STAFF], own.number)):
        with pytest.raises(NotFoundError):
            selectors.get_visible_credit(user, number)


def test_summary_counts_missed_payments_and_says_what_to_pay_next(staff, borrower):
    credit = originate(staff, borrower, amount_lent="500000", rate="10.45", term_months=240)
    for month in (date(2024, 4, 1), date(2024, 5, 1), date(2024, 6, 1)):
        services.post_monthly_accrual(staff, credit, month)
    pay(staff, credit, "5025.12", when=datetime(2024, 4, 28, tzinfo=MX))  # one installment of three
    summary = selectors.credit_summary(credit, date(2024, 6, 10))
    assert summary.installment == D("5025.12")
    assert summary.arrears == D("10050.24") and summary.missed_payments == 2
    assert summary.next_payment.due_on == date(2024, 6, 28)  # last business day of June 2024 (30th is Sunday)
    assert summary.next_payment.amount == D("10050.24")  # June is billed already: the arrears
    july = selectors.credit_summary(credit, date(2024, 7, 2)).next_payment
    assert july.due_on == date(2024, 7, 31) and july.amount == D("15075.36")  # arrears + July's installment


def test_movements_of_a_period_with_opening_and_closing_balance(staff, borrower):
    credit = originate(staff, borrower)
    services.post_monthly_accrual(staff, credit, date(2024, 4, 1))
    pay(staff, credit, "8934.88", when=datetime(2024, 4, 20, tzinfo=MX))
    services.post_monthly_accrual(staff, credit, date(2024, 5, 1))
    april = selectors.movements(credit, date(2024, 4, 1), date(2024, 4, 30))
    assert [e.kind for e in april.entries] == ["accrual_interest", "accrual_insurance", "payment"]
    assert april.opening_balance == D("100000.00")
    assert april.closing_balance == D("92115.12") == april.entries[-1].balance_after


# --- demo ------------------------------------------------------------------------------------------------

def test_demo_credits_are_valid_and_each_has_its_disbursement(consulate_la):
    for _ in range(40):
        make_person(consulate_la)
    system = make_user(Role.ADMINISTRATOR)
    assert seed_credits(system, 30, seed=3, today=date(2026, 11, 22)) == 30
    credits = list(Credit.objects.all())
    assert len(credits) == 30 and all(credit_number.is_valid(c.number) for c in credits)
    for credit in credits:
        (entry,) = credit.entries.all()
        assert entry.kind == "disbursement" and entry.amount == credit.amount_lent == entry.balance_after
        assert entry.monthly_payment_after == credit.monthly_payment
        assert (credit.denomination == "vsm") == (credit.amount_lent_vsm is not None)
        if credit.denomination == "vsm":
            assert credit.origination_date.year <= 2013
        assert credit.monthly_payment > 0 and credit.borrower_id
    assert seed_credits(system, 5, seed=4, today=date(2026, 11, 22)) == 5  # a second load: no number clash
