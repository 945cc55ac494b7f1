"""The demo citizen's credits (what `make run` shows): a VSM credit and a pesos credit with a year of
history posted through the services, the pesos one with its last month unpaid."""

import pytest
from django.utils import timezone

from ventanilla.infonavit import selectors
from ventanilla.infonavit.demo import originate_demo_citizen_credit, originate_demo_citizen_pesos_credit

pytestmark = pytest.mark.django_db


def test_the_demo_citizen_gets_two_credits_with_a_year_of_history(world):
    """world's accounts carry the demo user names (ciudadano, infonavit, consul.la)."""
    originate_demo_citizen_credit()
    originate_demo_citizen_pesos_credit()
    originate_demo_citizen_pesos_credit()  # a second run adds nothing
    credits = list(world["person_la"].infonavit_credits.order_by("denomination"))
    assert [c.denomination for c in credits] == ["pesos", "vsm"]
    today = timezone.localdate()
    pesos = credits[0]
    statement = selectors.statement(pesos, *selectors.default_statement_period(today), on=today)
    channels = {entry.channel for entry in statement.entries if entry.kind == "payment"}
    assert channels == {"window", "remittance", "bank_file"}
    assert statement.summary.arrears > 0 and statement.summary.missed_payments == 1
    assert statement.movements.closing_balance == statement.summary.balance
    vsm = selectors.statement(credits[1], *selectors.default_statement_period(today), on=today)
    assert sum(1 for entry in vsm.entries if entry.kind == "payment") == 12
