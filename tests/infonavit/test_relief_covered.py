"""What the Fondo de Protección de Pagos (FPP: the fund pays 90 %) and Infonavit under a Dictamen de Capacidad
de Pago (DCP: it covers the rest) pay of the installment is booked on the ledger at each monthly accrual while
the solution bills: its own entry, applied like a payment, the amount due unchanged. A borrower paying the
lowered installment then ends every month exactly where a twin credit paying the whole installment does."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import make_person, make_user
from tests.infonavit.test_relief_services import (
    EMPLOYED_LOWER_INCOME,
    UNEMPLOYED,
    apply,
    assert_consistent,
    installment_of,
    originate,
    pay,
)
from ventanilla.core.calendar import add_months
from ventanilla.infonavit import exports, selectors, services
from ventanilla.infonavit.models import LedgerEntry
from ventanilla.infonavit.rules.ledger import Movement, Position, fold
from ventanilla.infonavit.rules.solutions import effects
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
D = Decimal
FIRST = date(2026, 3, 1)  # applied on 10 March 2026 (test_relief_services.ON): March is its first month


@pytest.fixture
def staff(db):
    return make_user(Role.INFONAVIT_STAFF)


def assert_running_columns(credit):
    """Every entry's running columns equal the fold of the entries up to it (what batch.portfolio reads)."""
    entries = list(LedgerEntry.objects.filter(credit=credit).order_by("sequence"))
    for number in range(1, len(entries) + 1):
        seen = entries[:number]
        position = fold(Movement(e.capital, e.interest, e.insurance, e.due) for e in seen)
        last = seen[-1]
        assert (last.balance_after, last.due_after, last.interest_after, last.insurance_after) == (
            position.balance, position.due, position.interest, position.insurance), last.kind
        assert last.due_after <= last.balance_after


def run_months(staff, credit, months: int, pays):
    """Accrue `months` months from FIRST and pay `pays(credit)` on the 20th of each."""
    for n in range(months):
        month = add_months(FIRST, n)
        services.post_monthly_accrual(staff, credit, month)
        pay(staff, credit, str(pays(credit)), month.replace(day=20))


def test_the_fund_pays_ninety_percent_each_month_and_the_balance_follows_a_full_payment(staff, consulate_la):
    person = make_person(consulate_la, birth_date=date(1975, 5, 2), sex="H")
    helped, twin = originate(staff, person), originate(staff, person)
    full = installment_of(twin)
    application = apply(staff, helped, "FPP", UNEMPLOYED)
    covered = D(application.new_terms["fund_pays"])
    lowered = installment_of(helped)
    assert covered + lowered == full and covered > 0  # 90 % and 10 % of the same installment
    assert application.ends_on == date(2026, 8, 31)  # six months billed from March
    for n in range(7):  # March to September: the fund covers six months, then the payment comes back
        month = add_months(FIRST, n)
        services.post_monthly_accrual(staff, helped, month)
        services.post_monthly_accrual(staff, twin, month)
        pay(staff, helped, str(installment_of(helped)), month.replace(day=20))
        pay(staff, twin, str(installment_of(twin)), month.replace(day=20))
        assert selectors.ledger_state(helped).balance_after == selectors.ledger_state(twin).balance_after, month
        assert selectors.ledger_state(helped).position.arrears == 0
    rows = list(helped.entries.filter(kind="covered_fpp").order_by("sequence"))
    assert [row.period for row in rows] == [add_months(FIRST, n) for n in range(6)]
    assert all(row.amount == -covered and row.due == 0 and row.application_id == application.pk for row in rows)
    assert all(row.posted_on == row.period for row in rows)
    application.refresh_from_db()
    assert application.status == "ended" and application.end_reason == "expired"
    assert installment_of(helped) == full
    # A repeated accrual of a covered month posts nothing more.
    services.post_monthly_accrual(staff, helped, date(2026, 8, 1))
    assert helped.entries.filter(kind="covered_fpp").count() == 6
    assert_consistent(helped)
    assert_running_columns(helped)


def test_infonavit_covers_the_rest_of_a_dictamen_until_a_missed_payment_ends_it(staff, consulate_la):
    credit = originate(staff, make_person(consulate_la, birth_date=date(1975, 5, 2), sex="H"))
    application = apply(staff, credit, "DCP", EMPLOYED_LOWER_INCOME)
    covered = D(application.new_terms["infonavit_covers"])
    assert covered > 0
    run_months(staff, credit, 2, installment_of)  # March and April paid at the lowered installment
    services.post_monthly_accrual(staff, credit, date(2026, 5, 1))  # May billed, not paid
    services.post_monthly_accrual(staff, credit, date(2026, 6, 1))  # the missed payment ends it first
    application.refresh_from_db()
    assert application.status == "ended" and application.end_reason == "missed_payment"
    rows = list(credit.entries.filter(kind="covered_dcp").order_by("sequence"))
    assert [row.period for row in rows] == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    assert all(row.amount == -covered and row.due == 0 for row in rows)
    # What the borrower owes is their own lowered installment of May, not the part Infonavit covered.
    arrears = selectors.ledger_state(credit).position.arrears
    may_billed = sum(credit.entries.filter(period=date(2026, 5, 1), kind__in=("accrual_interest",
                                                                              "accrual_insurance"))
                     .values_list("due", flat=True), D(0))
    june_billed = sum(credit.entries.filter(period=date(2026, 6, 1), kind__in=("accrual_interest",
                                                                               "accrual_insurance"))
                      .values_list("due", flat=True), D(0))
    assert arrears == may_billed + june_billed and may_billed == D(application.amounts["monthly_payment"])
    assert_consistent(credit)
    assert_running_columns(credit)


def test_the_statement_names_the_covered_part_in_spanish_and_english(staff, consulate_la):
    credit = originate(staff, make_person(consulate_la, birth_date=date(1975, 5, 2), sex="H"))
    apply(staff, credit, "FPP", UNEMPLOYED)
    services.post_monthly_accrual(staff, credit, FIRST)
    found = selectors.statement(credit, FIRST, date(2026, 3, 31), date(2026, 3, 31))
    (row,) = [entry for entry in found.entries if entry.kind == "covered_fpp"]
    assert row.kind_label == "Cubierto por el Fondo de Protección de Pagos"
    assert found.movements.opening_balance - found.reductions + found.charges == found.movements.closing_balance
    assert "Cubierto por el Fondo de Protección de Pagos" in exports.statement_csv(found)
    with translation.override("en"):
        english = selectors.statement(credit, FIRST, date(2026, 3, 31), date(2026, 3, 31))
        assert "Covered by the Fondo de Protección de Pagos" in exports.statement_csv(english)
    client = Client()
    client.force_login(staff)
    page = client.get(f"/infonavit/creditos/{credit.number}/", {"inicio": "2026-03-01", "fin": "2026-03-31"})
    assert page.status_code == 200 and "Cubierto por el Fondo de Protección de Pagos" in page.content.decode()


def test_the_covered_movement_is_applied_like_a_payment_without_touching_what_is_due():
    position = Position(capital=D("1000.00"), interest=D("8.00"), insurance=D("100.00"), due=D("150.00"))
    movement = effects.covered_movement(D("500.00"), position)
    assert (movement.insurance, movement.interest, movement.capital, movement.due) == (
        D("-100.00"), D("-8.00"), D("-392.00"), D("0"))
    # never more than the part of the balance not yet due, so what is due never exceeds the balance
    last = effects.covered_movement(D("5000.00"), position)
    assert last.amount == -(position.balance - position.due)
    assert position.after(last).due <= position.after(last).balance
    assert effects.covered_movement(D("0"), position) == Movement()
    assert effects.covered_movement(D("-5"), position) == Movement()
    advance = Position(capital=D("300.00"), due=D("-50.00"))  # paid ahead: the whole balance can be covered
    assert effects.covered_movement(D("400.00"), advance).amount == D("-300.00")
