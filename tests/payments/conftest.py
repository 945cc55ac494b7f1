"""A throw-away owner kind for the payments tests: it records what it is given and marks each paid owner
record in the database (an audit row), so a test sees whether the owner's writes committed or rolled back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import make_person
from ventanilla.core.models import AuditEntry
from ventanilla.payments import registry, services

TEST_KIND = "test.owner"
MARK = "test.owner.paid"


class Owner:
    def __init__(self):
        self.calls: list[list[str]] = []
        self.fail_on_call: int | None = None

    def __call__(self, payments):
        if self.fail_on_call == len(self.calls) + 1:
            self.fail_on_call = None
            raise RuntimeError("the owner's database went away")
        for payment in payments:  # what the registry promises its owners
            assert payment.pk is not None and payment.reference.status == "paid"
            assert payment.reference.owner_kind == TEST_KIND
        self.calls.append([payment.operation_id for payment in payments])
        AuditEntry.objects.bulk_create([
            AuditEntry(actor_label="test", action=MARK, object_type=TEST_KIND, object_id=payment.reference.owner_id)
            for payment in payments
        ])

    @property
    def applied(self) -> list[str]:
        return [operation for call in self.calls for operation in call]

    @staticmethod
    def marked() -> list[str]:
        return sorted(AuditEntry.objects.filter(action=MARK).values_list("object_id", flat=True))


@pytest.fixture
def owner():
    handler = Owner()
    registry.register(TEST_KIND, handler)
    yield handler
    registry.unregister(TEST_KIND)


@pytest.fixture
def person(consulate_la):
    return make_person(consulate_la)


def dates():
    """Due in four weeks, paid two days ago: relative to the clock, as the services judge against it."""
    today = timezone.localdate()
    return {"today": today, "due": today + timedelta(days=28), "paid": today - timedelta(days=2)}


@pytest.fixture
def issue(owner, person):
    counter = iter(range(1, 1_000_000))

    def make(amount="1500.00", person=person, due_date=None, owner_id=None, actor=None):
        today = timezone.localdate()
        return services.issue_reference(
            actor, owner_kind=TEST_KIND, owner_id=owner_id or f"period-{next(counter)}", person=person,
            amount=Decimal(amount) if isinstance(amount, str) else amount,
            due_date=due_date or today + timedelta(days=28),
            period_start=today.replace(day=1), period_end=today.replace(day=28),
            description="Cuotas IMSS prueba",
        )

    return make
