"""Bank file lines whose reference is a credit number post to that credit's ledger (payments.registry's
reference formats), line by line through infonavit.services.record_payment; bad lines are reported by
line number; importing the same file again changes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import make_person, make_user
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.models import Credit, LedgerEntry
from ventanilla.infonavit.rules import credit_number
from ventanilla.payments import registry
from ventanilla.payments.models import PaymentFileLine
from ventanilla.payments.services import import_payment_file
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def credits(staff, consulate_la):
    def originate(amount: str, seed: int) -> Credit:
        person = make_person(consulate_la, seed=seed)
        return services.originate_credit(
            staff, person, product="tradicional", denomination="pesos", origination_date=date(2026, 1, 15),
            amount_lent=amount, rate="12", term_months=120, regime="own", state="JC",
            monthly_insurance_and_fees="50")

    open_credit, small = originate("100000", 1), originate("1000", 2)
    services.post_monthly_accrual(staff, open_credit, date(2026, 2, 1))
    services.record_payment(staff, small, amount="1000.00", paid_at="2026-02-01", operation_id="SETTLE-1")
    small.refresh_from_db()
    assert small.status == Credit.Status.SETTLED
    return open_credit, small


def lines_of(payment_file) -> dict[int, tuple[str, str]]:
    return {line.line_number: (line.status, line.error_code)
            for line in PaymentFileLine.objects.filter(payment_file=payment_file)}


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def test_the_infonavit_format_is_registered_and_claims_ten_digits_only():
    assert registry.claim_reference("123-456-7890") == ("infonavit.credit", "1234567890")
    assert registry.claim_reference("12345") is None
    assert registry.claim_reference("ABCDEFGHIJ") is None


def test_credit_number_lines_post_to_the_ledger_and_bad_lines_are_reported_by_number(staff, credits):
    credit, settled = credits
    balance_before = selectors.credit_summary(credit, date(2026, 3, 1)).balance
    unknown = credit_number.credit_number(899_999_999)
    content = "\n".join([
        "reference,amount,paid_at,operation_id",
        f"{credit.number[:4]}-{credit.number[4:]},1500.00,2026-03-10,BANK-1",  # 2: posted (dashes ignored)
        f"{credit.number},1500.00,2026-03-10,BANK-1",  # 3: same operation again in the file
        f"{wrong_check_digit(credit.number)},200.00,2026-03-10,BANK-2",  # 4: bad check digit
        f"{unknown},200.00,2026-03-10,BANK-3",  # 5: no such credit
        f"{settled.number},200.00,2026-03-10,BANK-4",  # 6: settled credit
        f"{credit.number},abc,2026-03-10,BANK-5",  # 7: bad amount (the payments domain's check)
        f"{credit.number},300.00,2026-03-11,BANK-6",  # 8: posted
        f"{credit.number},100.00,2026-03-12,SETTLE-1",  # 9: operation posted earlier with other data
    ]).encode()
    payment_file = import_payment_file(staff, filename="banco.csv", content=content)

    assert lines_of(payment_file) == {
        2: ("applied", ""), 3: ("rejected", "duplicate_in_file"), 4: ("rejected", "invalid_check_digit"),
        5: ("rejected", "unknown_credit"), 6: ("rejected", "credit_settled"), 7: ("rejected", "invalid_amount"),
        8: ("applied", ""), 9: ("rejected", "operation_conflict"),
    }
    assert (payment_file.lines_total, payment_file.lines_applied, payment_file.lines_rejected) == (8, 2, 6)
    rejected = PaymentFileLine.objects.get(payment_file=payment_file, line_number=5)
    assert rejected.error_message == "No hay un crédito con este número."
    posted = list(LedgerEntry.objects.filter(credit=credit, kind="payment").order_by("sequence"))
    assert [(e.operation_id, e.channel, -e.amount + e.excess) for e in posted] == [
        ("BANK-1", "bank_file", D("1500.00")), ("BANK-6", "bank_file", D("300.00"))]
    assert selectors.credit_summary(credit, date(2026, 3, 31)).balance == balance_before - D("1800.00")
    assert not LedgerEntry.objects.filter(credit=settled, operation_id="BANK-4").exists()

    # The same file again: the same record, nothing new in the ledger.
    entries = LedgerEntry.objects.count()
    again = import_payment_file(staff, filename="banco-otra-vez.csv", content=content)
    assert again.pk == payment_file.pk and LedgerEntry.objects.count() == entries

    # The same operation in another file: a duplicate when its data match, a conflict when they do not.
    other = import_payment_file(staff, filename="banco-2.csv", content=(
        "operation_id,reference,amount,paid_at\n"
        f"BANK-1,{credit.number},1500.00,2026-03-10\n"
        f"BANK-6,{credit.number},999.00,2026-03-11\n").encode())
    assert lines_of(other) == {2: ("duplicate", ""), 3: ("rejected", "operation_conflict")}
    assert LedgerEntry.objects.count() == entries


def test_reference_lines_and_credit_lines_mix_in_one_file(staff, credits):
    """Our 20-character references keep their path; an operation number a reference payment used is refused
    on a credit line."""
    from django.utils import timezone

    from ventanilla.payments.models import PaymentReference
    from ventanilla.payments.references import new_reference_code

    credit, _settled = credits
    registry.register("test.credit-mix", lambda payments: None)
    try:
        reference = PaymentReference.objects.create(
            code=new_reference_code(), owner_kind="test.credit-mix", owner_id="1", person=credit.borrower,
            amount="250.00", description="prueba", period_start=date(2026, 3, 1), period_end=date(2026, 3, 31),
            due_date=date(2026, 3, 31), issued_at=timezone.now())
        payment_file = import_payment_file(staff, filename="mixto.csv", content=(
            "reference,amount,paid_at,operation_id\n"
            f"{reference.code},250.00,2026-03-10,MIX-1\n"
            f"{credit.number},250.00,2026-03-10,MIX-1\n"
            f"{credit.number},250.00,2026-03-10,MIX-2\n").encode())
    finally:
        registry.unregister("test.credit-mix")
    assert lines_of(payment_file) == {2: ("applied", ""), 3: ("rejected", "duplicate_in_file"), 4: ("applied", "")}
    reference.refresh_from_db()
    assert reference.status == "paid"
    assert LedgerEntry.objects.filter(credit=credit, operation_id="MIX-2").exists()
