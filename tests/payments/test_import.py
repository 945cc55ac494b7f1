"""Payment files: good lines apply, bad lines are reported by number, nothing is ever posted twice."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import make_user
from tests.payments.conftest import dates
from ventanilla.core.errors import DomainError
from ventanilla.core.models import AuditEntry
from ventanilla.payments import services
from ventanilla.payments.models import Payment, PaymentFile, PaymentFileLine, PaymentReference
from ventanilla.payments.references import new_reference_code
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
HEADER = "reference,amount,paid_at,operation_id"


def csv_of(*lines: str, header: str = HEADER, newline: str = "\n") -> bytes:
    return (newline.join([header, *lines]) + newline).encode()


def run(content: bytes, filename="banco.csv", **kwargs) -> PaymentFile:
    return services.import_payment_file(kwargs.pop("actor", None), filename=filename, content=content, **kwargs)


def lines_of(payment_file) -> dict[int, tuple[str, str]]:
    return {line.line_number: (line.status, line.error_code) for line in payment_file.lines.all()}


def test_good_lines_apply_and_bad_lines_are_reported_by_number(issue, owner):
    paid = dates()["paid"].isoformat()
    good_1, good_2, wrong, cancelled, expired, twice = (issue(amount="1500.00") for _ in range(6))
    services.cancel_reference(None, cancelled, "baja")
    expired_ref = issue(due_date=dates()["paid"] - timedelta(days=1))
    future = (timezone.now() + timedelta(days=3)).date().isoformat()
    content = csv_of(
        f"{good_1.code},1500.00,{paid},OP-1",                  # 2 applied
        f"{good_2.formatted},1500,{paid}T10:30:00-06:00,OP-2",  # 3 applied (printed form, time with offset)
        f"{new_reference_code()},1500.00,{paid},OP-3",         # 4 not_found
        f"{wrong.code},1499.99,{paid},OP-4",                   # 5 wrong_amount
        f"{cancelled.code},1500.00,{paid},OP-5",               # 6 cancelled
        f"{expired_ref.code},1500.00,{paid},OP-6",             # 7 expired
        f"{good_1.code},1500.00,{paid},OP-7",                  # 8 already_paid (paid on line 2)
        f"{twice.code},1500.00,{paid},OP-1",                   # 9 duplicate_in_file
        f"{twice.code},15.5.0,{paid},OP-9",                    # 10 invalid_amount
        f"{twice.code},1500.00,31/12/2026,OP-10",              # 11 invalid_date
        f"{twice.code},1500.00",                               # 12 missing_column
        f"{twice.code[:-1]}X,1500.00,{paid},OP-12",            # 13 invalid_reference
        f"{twice.code},1500.00,{paid},OP 13",                  # 14 invalid_operation_id
        f"{twice.code},1500.00,{future},OP-14",                # 15 future_date
        "",                                                    # 16 blank: not a line of data
        f"{twice.code},1500.00,{paid},OP-16",                  # 17 applied
    )
    clerk = make_user(Role.IMSS_STAFF)
    payment_file = run(content, actor=clerk)
    assert lines_of(payment_file) == {
        2: ("applied", ""), 3: ("applied", ""), 4: ("rejected", "not_found"), 5: ("rejected", "wrong_amount"),
        6: ("rejected", "cancelled"), 7: ("rejected", "expired"), 8: ("rejected", "already_paid"),
        9: ("rejected", "duplicate_in_file"), 10: ("rejected", "invalid_amount"),
        11: ("rejected", "invalid_date"), 12: ("rejected", "missing_column"),
        13: ("rejected", "invalid_reference"), 14: ("rejected", "invalid_operation_id"),
        15: ("rejected", "future_date"), 17: ("applied", ""),
    }
    assert (payment_file.status, payment_file.lines_total, payment_file.lines_applied,
            payment_file.lines_duplicate, payment_file.lines_rejected) == ("done", 15, 3, 0, 12)
    assert payment_file.uploaded_by == clerk and payment_file.finished_at
    assert sorted(owner.applied) == ["OP-1", "OP-16", "OP-2"] and len(owner.calls) == 1
    assert {r.code for r in PaymentReference.objects.filter(status="paid")} == {good_1.code, good_2.code, twice.code}
    wrong.refresh_from_db()
    assert wrong.status == "issued"
    rejected = payment_file.lines.get(line_number=5)
    assert rejected.error_message == "El importe no coincide con el de la referencia."
    assert rejected.reference_text == wrong.code and rejected.operation_id == "OP-4"
    payment = Payment.objects.get(operation_id="OP-2")
    assert payment.channel == "bank_file" and payment.payment_file == payment_file and payment.amount == Decimal("1500")


def test_the_same_file_twice_changes_nothing(issue, owner):
    references = [issue() for _ in range(4)]
    content = csv_of(*(f"{r.code},1500.00,{dates()['paid']},OP-{i}" for i, r in enumerate(references)),
                     "garbage,line,here,X")
    first = run(content)
    counts = (Payment.objects.count(), PaymentFileLine.objects.count(), AuditEntry.objects.count())
    again = run(content, filename="otra-vez.csv")
    assert again.pk == first.pk and again.filename == "banco.csv"
    assert (Payment.objects.count(), PaymentFileLine.objects.count(), AuditEntry.objects.count()) == counts
    assert len(owner.applied) == 4


def test_another_file_with_the_same_operations_gets_duplicates(issue, owner):
    references = [issue() for _ in range(3)]
    paid = dates()["paid"].isoformat()
    run(csv_of(*(f"{r.code},1500.00,{paid},OP-{i}" for i, r in enumerate(references))))
    # another file (columns in another order, an extra one): the same operation is a duplicate, the same
    # number with other data a conflict, another operation on a paid reference "already paid"
    third = run(csv_of(
        f"OP-0,{paid},1500.00,{references[0].code},norte", f"OP-1,{paid},1500.00,{references[2].code},norte",
        f"OP-NEW,{paid},1500.00,{references[1].code},sur", header="Operation_ID,Paid_At,Amount,Reference,Branch",
    ), filename="c.csv")
    assert lines_of(third) == {2: ("duplicate", ""), 3: ("rejected", "operation_conflict"),
                               4: ("rejected", "already_paid")}
    assert (third.lines_applied, third.lines_duplicate, third.lines_rejected) == (0, 1, 2)
    assert Payment.objects.count() == 3 and len(owner.applied) == 3
    # an operation number already posted, now on an issued reference: refused, and the reference stays issued
    fresh, other = issue(), issue()
    fourth = run(csv_of(f"{other.code},1500.00,{paid},OP-NEW-2", f"{fresh.code},1500.00,{paid},OP-2"), filename="d.csv")
    assert lines_of(fourth) == {2: ("applied", ""), 3: ("rejected", "operation_conflict")}
    fresh.refresh_from_db()
    assert fresh.status == "issued" and Payment.objects.count() == 4


def test_chunks_each_commit_and_duplicates_are_found_across_chunks(issue, owner):
    references = [issue() for _ in range(7)]
    paid = dates()["paid"].isoformat()
    rows = [f"{r.code},1500.00,{paid},OP-{i}" for i, r in enumerate(references)]
    rows.insert(0, f"{references[6].code},1.00,{paid},OP-R")  # line 2: rejected (wrong amount)
    rows.append(f"{references[0].code},1500.00,{paid},OP-1")  # line 10 repeats line 4's (applied) operation
    rows.append(f"{issue().code},1500.00,{paid},OP-R")  # line 11 repeats line 2's (rejected) operation
    payment_file = run(csv_of(*rows), chunk_size=3)
    assert len(owner.calls) == 3 and len(owner.applied) == 7
    assert lines_of(payment_file)[2] == ("rejected", "wrong_amount")
    assert lines_of(payment_file)[10] == lines_of(payment_file)[11] == ("rejected", "duplicate_in_file")
    assert AuditEntry.objects.filter(action="payment_file.chunk").count() == 4


def test_an_interrupted_import_resumes_without_posting_twice(issue, owner):
    references = [issue(owner_id=f"p{i}") for i in range(8)]
    paid = dates()["paid"].isoformat()
    content = csv_of(*(f"{r.code},1500.00,{paid},OP-{i}" for i, r in enumerate(references)),
                     f"{new_reference_code()},1.00,{paid},OP-X")
    owner.fail_on_call = 2  # the owner fails while applying the second chunk
    with pytest.raises(RuntimeError):
        run(content, chunk_size=3)
    stopped = PaymentFile.objects.get()
    assert stopped.status == "processing" and stopped.lines_total == 3
    assert Payment.objects.count() == 3 and owner.marked() == ["p0", "p1", "p2"]
    assert PaymentReference.objects.filter(status="paid").count() == 3

    resumed = run(content, chunk_size=4)  # another chunk size on the second run is fine
    assert resumed.pk == stopped.pk and resumed.status == "done"
    assert (resumed.lines_total, resumed.lines_applied, resumed.lines_rejected) == (9, 8, 1)
    assert sorted(lines_of(resumed)) == list(range(2, 11))
    assert Payment.objects.count() == 8 and owner.marked() == [f"p{i}" for i in range(8)]
    assert sorted(owner.applied) == sorted(f"OP-{i}" for i in range(8))
    assert AuditEntry.objects.filter(action="payment_file.resume").count() == 1


def test_file_shape_errors_refuse_the_whole_file(owner):
    for content, code in [
        (b"", "empty"), (b"\n\n", "empty"),
        (b"ref,amount,date,op\nX,1,2026-01-01,1\n", "bad_header"),
        ("reference,amount,paid_at,operation_id\nÁ,1,2026-01-01,1\n".encode("latin-1"), "encoding"),
        (b"reference,amount,paid_at,operation_id\n\x00\n", "encoding"),
    ]:
        with pytest.raises(DomainError) as exc:
            run(content)
        assert [(e.field, e.code) for e in exc.value.errors] == [("file", code)]
    assert PaymentFile.objects.count() == 0


def test_bom_crlf_quotes_and_file_objects(issue, owner):
    reference = issue()
    content = "\ufeff".encode() + csv_of(f'"{reference.code}","1500.00","{dates()["paid"]}","OP-Q"', newline="\r\n")
    payment_file = services.import_payment_file(None, filename="q.csv", content=io.BytesIO(content))
    assert lines_of(payment_file) == {2: ("applied", "")}


def test_header_only_file_is_done_with_no_lines(owner):
    payment_file = run(csv_of())
    assert payment_file.status == "done" and payment_file.lines_total == 0


def test_a_chunk_that_races_with_another_payment_is_matched_again(issue, owner, monkeypatch):
    from ventanilla.payments import store

    references = [issue() for _ in range(3)]
    real, calls = store.mark_paid, []

    def racing(ids):  # the first attempt finds a reference changed under it (a window payment meanwhile)
        calls.append(ids)
        return real(ids) - (1 if len(calls) == 1 else 0)

    monkeypatch.setattr(store, "mark_paid", racing)
    payment_file = run(csv_of(*(f"{r.code},1500.00,{dates()['paid']},OP-{i}" for i, r in enumerate(references))))
    assert len(calls) == 2 and payment_file.lines_applied == 3
    assert Payment.objects.count() == 3 and len(owner.applied) == 3 and len(owner.marked()) == 3


def test_a_line_csv_cannot_read_is_reported_and_the_rest_applies(issue, owner):
    reference = issue()
    huge = "x" * 200_000  # over the csv module's field limit
    payment_file = run(csv_of(f"{huge},1.00,2026-01-01,OP-H", f"{reference.code},1500.00,{dates()['paid']},OP-G"))
    assert lines_of(payment_file) == {2: ("rejected", "malformed_line"), 3: ("applied", "")}
