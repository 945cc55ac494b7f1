"""The set-based form of the payment rule (one UPDATE for a chunk of a file) equals rules.refusal_for."""

import random
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from tests.payments.conftest import TEST_KIND
from ventanilla.payments import rules, services, store
from ventanilla.payments.models import PaymentReference

# On SQLite `pay_payable` applies the scalar rule itself, so the comparison means something on PostgreSQL only.
pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL form runs on PostgreSQL")]


def test_pay_payable_equals_the_scalar_rule_on_10000_cases(owner, person):
    rng = random.Random(97)
    today = timezone.localdate()
    amounts = [Decimal("0.01"), Decimal("1.00"), Decimal("1.10"), Decimal("1234.50"), Decimal("99999.99")]
    rows = []
    for i in range(10_000):
        rows.append({"owner_kind": TEST_KIND, "owner_id": i, "person": person, "amount": rng.choice(amounts),
                     "due_date": today + timedelta(days=rng.randint(-3, 3)), "period_start": today,
                     "period_end": today, "description": "caso"})
    services.issue_references_bulk(rows)
    references = list(PaymentReference.objects.order_by("id"))
    for reference in references:  # some already paid or cancelled
        reference.status = rng.choices(["issued", "paid", "cancelled"], weights=[8, 1, 1])[0]
    PaymentReference.objects.bulk_update(references, ["status"], batch_size=2_000)
    cases = []
    for reference in references:
        amount = reference.amount if rng.random() < 0.8 else rng.choice(amounts + [reference.amount + Decimal("0.01")])
        if rng.random() < 0.2:  # the same amount written differently: 1234.5 for 1234.50
            amount = amount.normalize()
        cases.append((reference.code, amount, today + timedelta(days=rng.randint(-3, 3))))
    expected = {code for (code, amount, paid_on), reference in zip(cases, references, strict=True)
                if rules.refusal_for(reference.status, reference.amount, reference.due_date, amount, paid_on) is None}
    assert 1_000 < len(expected) < 9_000  # the cases exercise both answers
    paid = store.pay_payable(cases)
    assert set(paid) == expected
    assert all(reference.status == "paid" for reference in paid.values())
    assert set(PaymentReference.objects.filter(code__in=expected).values_list("status", flat=True)) == {"paid"}
