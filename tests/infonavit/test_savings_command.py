"""`ventanilla infonavit savings`: the SCV's periodic jobs. Employer contributions of a bimester from the
employment history (earlier bimesters never posted caught up) and a month's returns; a second run changes
nothing; periods not over yet and malformed periods are refused."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import make_person, make_user
from ventanilla.infonavit import savings_services as services
from ventanilla.infonavit.models import SavingsMovement
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
D = Decimal


def savings(*args) -> str:
    out = io.StringIO()
    call_command("infonavit", "savings", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def saver(consulate_la):
    """A current relation since 1 January 2026 at 600 pesos a day: 5 % of 600 = 30 pesos a day worked."""
    person = make_person(consulate_la, seed=51)
    services.record_employment(make_user(Role.INFONAVIT_STAFF), person, employer_name="Empacadora del Valle",
                               registro_patronal="B9876543210", started_on=date(2026, 1, 1), ended_on=None,
                               daily_sbc="600.00")
    return person


def test_a_bimester_of_contributions_is_posted_once(saver):
    # January–February 2026: 59 days × 30 = 1,770.00.
    output = savings("--bimester", "2026-1")
    assert "SCV contributions 2026-1 (2026-01-01 to 2026-02-28): 1 bimesters posted for 1 persons, 1,770.00 pesos" \
        in output
    assert list(SavingsMovement.objects.filter(person=saver).values_list("period", "amount", "posted_on")) == [
        (date(2026, 1, 1), D("1770.00"), date(2026, 2, 28))]
    again = savings("--bimester", "2026-1")
    assert "0 bimesters posted for 0 persons, 0.00 pesos" in again
    assert SavingsMovement.objects.filter(person=saver).count() == 1
    # A later bimester catches up the one never posted: March–April and May–June, 61 days each (1,830.00).
    later = savings("--bimester", "2026-3")
    assert "2 bimesters posted for 1 persons, 3,660.00 pesos" in later
    assert SavingsMovement.objects.filter(person=saver).order_by("-sequence").first().balance_after == D("5430.00")


def test_a_month_of_returns_is_credited_once(saver):
    savings("--bimester", "2026-3")
    # Balance at the end of June 2026: 5,430.00 in the SCV 1997; 4 % a year (assumed) / 12 = 18.10.
    output = savings("--returns-month", "2026-06")
    assert "SCV returns 2026-06 at 4.00 % a year (assumed rate): 1 movements for 1 persons, 18.10 pesos" in output
    returns = SavingsMovement.objects.get(person=saver, kind="returns")
    assert (returns.savings_period, returns.period, returns.posted_on, returns.amount, returns.balance_after) == (
        "scv_97", date(2026, 6, 1), date(2026, 6, 30), D("18.10"), D("5448.10"))
    assert "0 movements for 0 persons, 0.00 pesos" in savings("--returns-month", "2026-06")
    assert SavingsMovement.objects.filter(person=saver, kind="returns").count() == 1


def test_both_jobs_in_one_run_contributions_first(saver):
    output = savings("--bimester", "2026-1", "--returns-month", "2026-02")
    lines = output.strip().splitlines()
    assert lines[0].startswith("SCV contributions 2026-1") and lines[1].startswith("SCV returns 2026-02")
    assert "5.90 pesos" in lines[1]  # 1,770.00 × 4 % / 12 = 5.90
    unchanged = SavingsMovement.objects.count()
    savings("--bimester", "2026-1", "--returns-month", "2026-02")
    assert SavingsMovement.objects.count() == unchanged


@pytest.mark.parametrize("args, message", [
    ((), "needs --bimester"),
    (("--bimester", "2026-7"), "use YYYY-B"),
    (("--bimester", "26-1"), "use YYYY-B"),
    (("--returns-month", "2026-13"), "use YYYY-MM"),
    (("--bimester", "2099-1"), "not over yet"),
    (("--returns-month", "2099-01"), "not over yet"),
])
def test_bad_or_unfinished_periods_are_refused(saver, args, message):
    with pytest.raises(CommandError, match=message):
        savings(*args)
    assert not SavingsMovement.objects.exists()
