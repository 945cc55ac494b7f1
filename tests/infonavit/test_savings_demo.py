"""The demo citizen's housing subaccount (what `make run` shows at /infonavit/mi-ahorro/): an employment
history with its contributions, a voluntary deposit paid by a bank file and a year of returns, all through
the services, in date order; a second run adds nothing."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client
from django.utils import timezone

from ventanilla.core.calendar import add_months
from ventanilla.infonavit import savings_selectors
from ventanilla.infonavit.demo import DEMO_RETURN_MONTHS, seed_demo_citizen_savings
from ventanilla.infonavit.models import SavingsMovement, VoluntaryDeposit
from ventanilla.payments.models import Payment

pytestmark = pytest.mark.django_db


def test_the_demo_citizen_gets_contributions_a_paid_deposit_and_returns(world):
    """world's accounts carry the demo user names (ciudadano, infonavit, consul.la)."""
    person = world["person_la"]
    seed_demo_citizen_savings()
    count = SavingsMovement.objects.filter(person=person).count()
    seed_demo_citizen_savings()  # a second run adds nothing
    assert SavingsMovement.objects.filter(person=person).count() == count

    relations = list(person.employment_relations.order_by("started_on"))
    assert [r.employer_name for r in relations][0] == "Constructora del Bajío"
    movements = list(SavingsMovement.objects.filter(person=person).order_by("sequence"))
    contributions = [m for m in movements if m.kind == "contribution"]
    # Every bimester of every relation, each 5 % of the SBC for the days worked (Ley del Infonavit art. 29).
    first = contributions[0]
    assert first.amount == (relations[0].daily_sbc * int(first.note.split()[0]) * Decimal("0.05")).quantize(
        Decimal("0.01"), ROUND_HALF_UP)
    assert {m.employment_id for m in contributions} == {r.pk for r in relations}

    deposit = VoluntaryDeposit.objects.get(person=person)
    assert (deposit.status, deposit.amount) == ("paid", Decimal("2500.00"))
    payment = Payment.objects.get(reference=deposit.reference)
    assert payment.channel == "bank_file" and payment.payment_file is not None

    today = timezone.localdate()
    months = [add_months(today.replace(day=1), -back) for back in range(DEMO_RETURN_MONTHS, 0, -1)]
    returns = [m for m in movements if m.kind == "returns"]
    assert sorted({m.period for m in returns}) == months
    # A month's returns: 4 % a year (assumed) over twelve on each period's balance at the month's end.
    last_month = months[-1]
    month_end = add_months(last_month, 1) - timedelta(days=1)
    for movement in (m for m in returns if m.period == last_month):
        balance = sum(m.amount for m in movements if m.savings_period == movement.savings_period
                      and m.posted_on <= month_end and m.sequence < movement.sequence)
        assert movement.amount == (balance * Decimal("0.04") / 12).quantize(Decimal("0.01"), ROUND_HALF_UP)
    # The running balance reads in date order.
    assert [m.posted_on for m in movements] == sorted(m.posted_on for m in movements)
    assert movements[-1].balance_after == sum(m.amount for m in movements)

    summary = savings_selectors.savings_summary(person)
    assert summary.contributions == sum(m.amount for m in contributions) > 0
    assert summary.voluntary == Decimal("2500.00") and summary.returns == sum(m.amount for m in returns) > 0
    client = Client()
    client.force_login(world["users"]["derechohabiente"])
    page = client.get("/infonavit/mi-ahorro/").content.decode()
    assert f"{summary.total:,.2f}" in page and "$2,500.00" in page
