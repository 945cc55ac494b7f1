"""Pure eligibility of the devolución del saldo de la SCV: every reason, and the 10-business-day deadline."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from ventanilla.infonavit.rules import refunds as rules

TODAY = date(2026, 11, 30)
GOOD = rules.RefundFacts(
    today=TODAY, claimant="worker", basis="pension_resolution", incapacity_percent=None, has_current_credit=False,
    afore="XXI Banorte", clabe_valid=True, bank_statement_date=date(2026, 11, 2), balance=Decimal("85000.00"),
    documents=frozenset({"pension_resolution", "bank_statement"}))


def codes(facts) -> list[str]:
    return [reason.code for reason in rules.evaluate(facts).reasons]


def test_a_pensioned_worker_with_everything_in_order_is_eligible():
    decision = rules.evaluate(GOOD)
    assert decision.eligible and decision.reasons == ()


@pytest.mark.parametrize(("changes", "code"), [
    ({"basis": "none"}, "no_pension_basis"),
    ({"basis": "pension_denial", "incapacity_percent": Decimal("49.99")}, "incapacity_below_minimum"),
    ({"basis": "pension_denial", "incapacity_percent": None}, "incapacity_below_minimum"),
    ({"has_current_credit": True}, "current_credit"),
    ({"afore": "  "}, "no_afore"),
    ({"clabe_valid": False}, "clabe_invalid"),
    ({"bank_statement_date": date(2026, 9, 29)}, "bank_statement_too_old"),
    ({"bank_statement_date": date(2026, 12, 1)}, "bank_statement_future"),
    ({"balance": Decimal("0.00")}, "nothing_to_refund"),
    ({"documents": frozenset({"bank_statement"})}, "missing_pension_resolution"),
    ({"documents": frozenset({"pension_resolution"})}, "missing_bank_statement"),
    ({"claimant": "spouse"}, "missing_death_certificate"),
    ({"claimant": "cousin"}, "claimant_not_allowed"),
])
def test_each_unmet_condition_gives_its_reason(changes, code):
    decision = rules.evaluate(replace(GOOD, **changes))
    assert not decision.eligible
    assert codes(replace(GOOD, **changes)) == [code]
    assert decision.reasons[0].es and decision.reasons[0].en


def test_a_denial_with_fifty_percent_incapacity_qualifies():
    assert rules.evaluate(replace(GOOD, basis="pension_denial", incapacity_percent=Decimal("50"))).eligible


def test_a_statement_exactly_two_months_old_is_accepted():
    assert rules.evaluate(replace(GOOD, bank_statement_date=date(2026, 9, 30))).eligible


def test_an_heir_with_the_death_certificate_is_eligible():
    documents = GOOD.documents | {"death_certificate"}
    for heir in ("spouse", "child", "parent"):
        assert rules.evaluate(replace(GOOD, claimant=heir, documents=documents)).eligible


def test_all_reasons_are_given_at_once():
    facts = replace(GOOD, has_current_credit=True, clabe_valid=False, afore="", documents=frozenset())
    assert codes(facts) == ["current_credit", "no_afore", "clabe_invalid", "missing_pension_resolution",
                            "missing_bank_statement"]


def test_the_deadline_is_ten_bank_business_days_after_approval():
    # Approved Mon 30 Nov 2026: 10 business days → Mon 14 Dec 2026 (12 Dec is a Saturday anyway).
    assert rules.payment_deadline(date(2026, 11, 30)) == date(2026, 12, 14)
    # Approved Fri 18 Dec 2026: 25 Dec and 1 Jan are holidays → Tue 5 Jan 2027.
    assert rules.payment_deadline(date(2026, 12, 18)) == date(2027, 1, 5)


def test_overdue_only_when_unpaid_after_the_deadline():
    assert rules.is_overdue(date(2026, 12, 14), date(2026, 12, 15), paid=False)
    assert not rules.is_overdue(date(2026, 12, 14), date(2026, 12, 14), paid=False)
    assert not rules.is_overdue(date(2026, 12, 14), date(2026, 12, 20), paid=True)
    assert not rules.is_overdue(None, date(2026, 12, 20), paid=False)
