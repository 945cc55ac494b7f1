"""Issuing, cancelling and reissuing references; recording single payments and every refusal."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from tests.conftest import make_user
from tests.payments.conftest import TEST_KIND, dates
from ventanilla.core.errors import DomainError
from ventanilla.core.models import AuditEntry
from ventanilla.payments import registry, services
from ventanilla.payments.models import Payment, PaymentReference
from ventanilla.payments.references import is_valid_reference, new_reference_code
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
LOCAL = ZoneInfo("America/Mexico_City")


def codes_of(exc: pytest.ExceptionInfo) -> set[tuple[str, str]]:
    return {(error.field, error.code) for error in exc.value.errors}


def pay(reference, *, amount=None, paid_at=None, operation_id="OP-1", channel="window", actor=None, code=None):
    return services.record_payment(
        actor, reference_code=code or reference.code, amount=amount or str(reference.amount),
        paid_at=paid_at or dates()["paid"].isoformat(), operation_id=operation_id, channel=channel,
    )


# --- issuing -------------------------------------------------------------------------------------------------


def test_issue_reference_stores_what_is_owed_and_audits(issue, person):
    clerk = make_user(Role.IMSS_STAFF)
    reference = issue(amount="2345.67", actor=clerk, owner_id="period-77")
    assert is_valid_reference(reference.code) and reference.status == "issued"
    assert reference.amount == Decimal("2345.67") and reference.currency == "MXN"
    assert (reference.owner_kind, reference.owner_id, reference.person) == (TEST_KIND, "period-77", person)
    entry = AuditEntry.objects.get(action="payment_reference.issue")
    assert entry.actor == clerk and entry.object_id == str(reference.pk) and entry.after["code"] == reference.code


def test_an_unregistered_owner_kind_is_a_clear_error(person):
    today = timezone.localdate()
    with pytest.raises(registry.UnknownOwnerKind, match="nobody.kind"):
        services.issue_reference(None, owner_kind="nobody.kind", owner_id="1", person=person, amount=Decimal("1"),
                                 due_date=today, period_start=today, period_end=today, description="x")
    assert PaymentReference.objects.count() == 0


def test_a_kind_is_registered_once(owner):
    registry.register(TEST_KIND, owner)  # the same function again: harmless
    with pytest.raises(ValueError, match="already registered"):
        registry.register(TEST_KIND, lambda payments: None)


@pytest.mark.parametrize(("amount", "field"), [("0", "amount"), ("-5", "amount"), ("10.001", "amount"),
                                               (1.5, "amount")])
def test_issue_refuses_bad_amounts(issue, amount, field):
    with pytest.raises(DomainError) as exc:
        issue(amount=amount)
    assert codes_of(exc) == {(field, "invalid_amount")}


def test_issue_refuses_a_period_that_ends_before_it_starts(owner, person):
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        services.issue_reference(None, owner_kind=TEST_KIND, owner_id="1", person=person, amount="10.00",
                                 due_date=today, period_start=today, period_end=today - timedelta(days=1),
                                 description="  ")
    assert codes_of(exc) == {("period_end", "before_start"), ("description", "invalid")}


def test_a_code_collision_draws_again(issue, monkeypatch):
    first = issue()
    fresh = new_reference_code()
    drawn = iter([first.code, fresh])
    monkeypatch.setattr(services, "new_reference_code", lambda: next(drawn))
    second = issue()
    assert second.code == fresh and PaymentReference.objects.count() == 2


def test_issue_references_bulk(owner, person):
    today = timezone.localdate()
    rows = ({"owner_kind": TEST_KIND, "owner_id": i, "person_id": person.pk, "amount": Decimal("100.50"),
             "due_date": today, "period_start": today, "period_end": today, "description": f"Cuota {i}"}
            for i in range(23))
    ids = services.issue_references_bulk(rows, batch_size=5)
    assert len(ids) == 23
    owners = dict(PaymentReference.objects.values_list("id", "owner_id"))
    assert [owners[pk] for pk in ids] == [str(i) for i in range(23)]  # ids in the order of the rows
    references = list(PaymentReference.objects.all())
    assert len({r.code for r in references}) == 23 and all(is_valid_reference(r.code) for r in references)
    assert AuditEntry.objects.filter(action="payment_reference.issue_bulk").get().after["count"] == 23


def test_issue_references_bulk_draws_again_on_a_collision(issue, owner, person, monkeypatch):
    taken = issue().code
    real = services.new_reference_codes
    draws = []

    def first_draw_collides(count):
        draws.append(count)
        codes = real(count)
        return [taken, *codes[1:]] if len(draws) == 1 else codes

    monkeypatch.setattr(services, "new_reference_codes", first_draw_collides)
    today = timezone.localdate()
    rows = [{"owner_kind": TEST_KIND, "owner_id": i, "person": person, "amount": "10.00", "due_date": today,
             "period_start": today, "period_end": today, "description": "x"} for i in range(3)]
    assert len(services.issue_references_bulk(rows)) == 3
    assert PaymentReference.objects.count() == 4 and PaymentReference.objects.filter(code=taken).count() == 1
    assert draws == [3, 3]  # the whole batch drew again once


def test_issue_references_bulk_refuses_bad_rows_and_unknown_kinds(owner, person):
    today = timezone.localdate()
    row = {"owner_kind": TEST_KIND, "owner_id": 1, "person": person, "amount": "10.00", "due_date": today,
           "period_start": today, "period_end": today, "description": "x"}
    with pytest.raises(DomainError) as exc:
        services.issue_references_bulk([row, {**row, "amount": "-1"}])
    assert codes_of(exc) == {("rows[1]", "invalid")}
    with pytest.raises(registry.UnknownOwnerKind):
        services.issue_references_bulk([{**row, "owner_kind": "nobody"}])
    assert PaymentReference.objects.count() == 0


# --- cancel and reissue ------------------------------------------------------------------------------------------


def test_cancel_reference(issue):
    reference = issue()
    cancelled = services.cancel_reference(None, reference, "Periodo dado de baja")
    assert cancelled.status == "cancelled" and cancelled.cancelled_at and cancelled.cancel_reason
    entry = AuditEntry.objects.get(action="payment_reference.cancel")
    assert entry.before["status"] == "issued" and entry.after["status"] == "cancelled"
    with pytest.raises(DomainError) as exc:
        services.cancel_reference(None, reference, "otra vez")
    assert codes_of(exc) == {("reference", "cancelled")}


def test_cancel_needs_a_reason_and_refuses_a_paid_reference(issue, owner):
    reference = issue()
    with pytest.raises(DomainError) as exc:
        services.cancel_reference(None, reference, " ")
    assert codes_of(exc) == {("reason", "required")}
    pay(reference)
    with pytest.raises(DomainError) as exc:
        services.cancel_reference(None, reference, "tarde")
    assert codes_of(exc) == {("reference", "already_paid")}


def test_reissue_replaces_the_reference(issue):
    old = issue(amount="880.00")
    new_due = timezone.localdate() + timedelta(days=40)
    new = services.reissue_reference(None, old, due_date=new_due)
    old.refresh_from_db()
    assert old.status == "cancelled" and new.status == "issued" and new.replaces == old
    assert new.code != old.code and is_valid_reference(new.code)
    assert (new.owner_kind, new.owner_id, new.person_id, new.amount, new.period_start, new.period_end) == (
        old.owner_kind, old.owner_id, old.person_id, old.amount, old.period_start, old.period_end)
    assert new.due_date == new_due
    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {"payment_reference.cancel",
                                                                       "payment_reference.reissue"}
    with pytest.raises(DomainError) as exc:  # the old code no longer takes money
        pay(old)
    assert codes_of(exc) == {("reference", "cancelled")}
    with pytest.raises(DomainError) as exc:  # and cannot be reissued twice
        services.reissue_reference(None, old)
    assert codes_of(exc) == {("reference", "cancelled")}


def test_reissue_keeps_the_due_date_unless_given_and_refuses_a_past_one(issue):
    old = issue()
    with pytest.raises(DomainError) as exc:
        services.reissue_reference(None, old, due_date=timezone.localdate() - timedelta(days=1))
    assert codes_of(exc) == {("due_date", "in_past")}
    assert services.reissue_reference(None, old).due_date == old.due_date


# --- record_payment ----------------------------------------------------------------------------------------------


def test_record_payment_marks_the_reference_and_lets_the_owner_apply_it(issue, owner):
    officer = make_user(Role.IMSS_STAFF)
    reference = issue(amount="1500.00", owner_id="period-9")
    payment = pay(reference, amount="1500", operation_id="VENT-001", actor=officer)
    reference.refresh_from_db()
    assert reference.status == "paid"
    assert (payment.amount, payment.channel, payment.recorded_by, payment.reference) == (
        Decimal("1500.00"), "window", officer, reference)
    assert owner.applied == ["VENT-001"] and owner.marked() == ["period-9"]
    entry = AuditEntry.objects.get(action="payment.record")
    assert entry.after["operation_id"] == "VENT-001" and entry.after["reference"] == reference.code


def test_the_reference_may_be_typed_as_printed(issue, owner):
    reference = issue()
    payment = pay(reference, code=reference.formatted.lower())
    assert payment.reference == reference


def test_same_operation_again_returns_the_same_payment(issue, owner):
    reference = issue()
    first = pay(reference, operation_id="OP-7")
    again = pay(reference, operation_id="OP-7")
    assert again.pk == first.pk and Payment.objects.count() == 1 and owner.applied == ["OP-7"]


def test_same_operation_with_other_data_is_a_conflict(issue, owner):
    reference, other = issue(), issue()
    pay(reference, operation_id="OP-8")
    with pytest.raises(services.OperationConflictError) as exc:
        pay(other, operation_id="OP-8")
    assert exc.value.code == "operation_conflict" and exc.value.field == "operation_id"
    other.refresh_from_db()
    assert other.status == "issued" and Payment.objects.count() == 1


def test_refusals_name_field_and_code(issue, owner):
    reference = issue(amount="1000.00")
    with pytest.raises(DomainError) as exc:
        pay(reference, code=new_reference_code())
    assert codes_of(exc) == {("reference", "not_found")}
    with pytest.raises(DomainError) as exc:
        pay(reference, amount="999.99")
    assert codes_of(exc) == {("amount", "wrong_amount")}

    expired = issue(due_date=dates()["paid"] - timedelta(days=1))
    with pytest.raises(DomainError) as exc:
        pay(expired)
    assert codes_of(exc) == {("reference", "expired")}

    cancelled = services.cancel_reference(None, issue(), "baja")
    with pytest.raises(DomainError) as exc:
        pay(cancelled)
    assert codes_of(exc) == {("reference", "cancelled")}

    pay(reference, operation_id="FIRST")
    with pytest.raises(DomainError) as exc:
        pay(reference, operation_id="SECOND")
    assert codes_of(exc) == {("reference", "already_paid")}
    assert Payment.objects.count() == 1 and owner.applied == ["FIRST"]


def test_malformed_fields_are_all_named_at_once(issue, owner):
    reference = issue()
    future = (timezone.now() + timedelta(days=2)).isoformat()
    with pytest.raises(DomainError) as exc:
        services.record_payment(None, reference_code=reference.code[:-1] + "0" if reference.code[-1] != "0"
                                else reference.code[:-1] + "1", amount="12,50", paid_at=future,
                                operation_id="has space", channel="bank_file")
    assert codes_of(exc) == {("reference", "invalid_reference"), ("amount", "invalid_amount"),
                             ("paid_at", "future_date"), ("operation_id", "invalid_operation_id"),
                             ("channel", "invalid_choice")}
    with pytest.raises(DomainError) as exc:
        services.record_payment(None, reference_code="", amount=12.5, paid_at="ayer", operation_id="",
                                channel="window")
    assert codes_of(exc) == {("reference", "invalid_reference"), ("amount", "invalid_amount"),
                             ("paid_at", "invalid_date"), ("operation_id", "invalid_operation_id")}


def test_messages_in_spanish_and_english(issue, owner):
    reference = issue(amount="1000.00")
    with pytest.raises(DomainError) as exc:
        pay(reference, amount="1.00")
    message = exc.value.errors[0].message
    assert str(message) == "El importe no coincide con el de la referencia."
    with translation.override("en"):
        assert str(message) == "The amount does not match the reference's amount."


def test_expiry_is_judged_on_the_local_date(issue, owner):
    due = dates()["paid"]
    reference = issue(due_date=due)
    late_evening = datetime.combine(due, time(23, 30), tzinfo=LOCAL)  # already the next day in UTC
    payment = pay(reference, paid_at=late_evening.astimezone(ZoneInfo("UTC")).isoformat())
    assert payment.paid_at == late_evening
    next_morning = datetime.combine(due + timedelta(days=1), time(0, 5), tzinfo=LOCAL)
    with pytest.raises(DomainError) as exc:
        pay(issue(due_date=due), paid_at=next_morning, operation_id="LATE")
    assert codes_of(exc) == {("reference", "expired")}


def test_a_failing_owner_rolls_the_payment_back(issue, owner):
    reference = issue()
    owner.fail_on_call = 1
    with pytest.raises(RuntimeError):
        pay(reference)
    reference.refresh_from_db()
    assert reference.status == "issued" and Payment.objects.count() == 0 and owner.marked() == []
    assert not AuditEntry.objects.filter(action="payment.record").exists()
    pay(reference)  # and a retry goes through
    assert owner.applied == ["OP-1"]


def test_payment_amounts_are_exact_decimals(issue, owner):
    reference = issue(amount="0.10")
    payment = pay(reference, amount=Decimal("0.1"))
    payment.refresh_from_db()
    assert payment.amount == Decimal("0.10") and isinstance(payment.amount, Decimal)
