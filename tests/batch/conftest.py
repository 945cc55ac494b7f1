"""Fixtures of the batch tests: a scratch var/ for Parquet files and a small seeded portfolio."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import make_person, make_user
from ventanilla.infonavit import services
from ventanilla.infonavit.demo import seed_credits
from ventanilla.infonavit.models import Credit
from ventanilla.people.models import Role
from ventanilla.people.services import system_account

MX = ZoneInfo("America/Mexico_City")
AS_OF = date(2026, 11, 30)
D = Decimal


@pytest.fixture(autouse=True)
def today_is_as_of(monkeypatch):
    """The campaign runs as of today (timezone.localdate()): pinned to AS_OF so the tests do not depend on the
    day the suite runs."""
    from django.utils import timezone

    real = timezone.localdate
    monkeypatch.setattr("django.utils.timezone.localdate",
                        lambda value=None, timezone=None: AS_OF if value is None else real(value, timezone))
    return AS_OF


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


@pytest.fixture
def portfolio_seeded(consulate_la, var_dir):
    return seed_small_portfolio(consulate_la)


def seed_small_portfolio(consulate_la) -> Credit:
    """300 demo credits, and one nearly paid-off credit (DLA) in Michoacán with payments at the window."""
    staff = make_user(Role.INFONAVIT_STAFF)
    borrower = make_person(consulate_la, mx_state="MN")
    for seed in range(3):
        make_person(consulate_la, seed=900 + seed)
    seed_credits(system_account(), 300, seed=5, today=AS_OF)
    nearly_paid = services.originate_credit(
        staff, borrower, product="tradicional", denomination="pesos", origination_date=date(2012, 5, 1),
        amount_lent="200000", rate="10", term_months=240, regime="own", state="MN",
        monthly_insurance_and_fees="0")
    for when, amount in ((datetime(2024, 3, 5, 12, tzinfo=MX), "120000"), (datetime(2025, 7, 7, 12, tzinfo=MX), "40000")):
        services.record_payment(staff, nearly_paid, amount=D(amount), paid_at=when, channel="window",
                                operation_id=uuid.uuid4().hex[:20])
    return nearly_paid
