"""Sin Fronteras figures for the reports: operations, credits, payers and pesos by month and US state, on a
hand-built set of remittance payments (stored directly: the figures read what the import stores)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ventanilla.payments.models import RemittanceCompany, RemittancePayment
from ventanilla.payments.selectors import remittance_figures

pytestmark = pytest.mark.django_db
D = Decimal


def paid(company, operation, credit, day, state, usd, payer="borrower", rate="18.0000"):
    return RemittancePayment.objects.create(
        company=company, company_operation_id=operation, operation_id=f"{company.code}:{operation}",
        credit_number=credit, payer=payer, us_state=state, amount_usd=D(usd), usd_mxn_rate=D(rate),
        amount_mxn=(D(usd) * D(rate)).quantize(D("0.01")), commission_usd=D("3.00"),
        paid_at=datetime(day.year, day.month, day.day, 12, tzinfo=ZoneInfo("America/Mexico_City")), paid_on=day)


def test_figures_by_month_and_state():
    dolex, maxi = RemittanceCompany.objects.get(code="DOLEX"), RemittanceCompany.objects.get(code="MAXI")
    paid(dolex, "1", "1000000011", date(2026, 1, 5), "CA", "100.00")
    paid(maxi, "1", "1000000011", date(2026, 1, 20), "CA", "50.50", payer="relative")
    paid(dolex, "2", "2000000022", date(2026, 1, 31), "CA", "10.00", payer="third_party")
    paid(dolex, "3", "2000000022", date(2026, 1, 31), "TX", "20.00", payer="relative")
    paid(dolex, "4", "1000000011", date(2026, 2, 1), "CA", "1.00")
    figures = remittance_figures()
    assert [(f.month, f.us_state, f.operations, f.credits, f.amount_usd, f.amount_mxn) for f in figures] == [
        (date(2026, 1, 1), "CA", 3, 2, D("160.50"), D("2889.00")),
        (date(2026, 1, 1), "TX", 1, 1, D("20.00"), D("360.00")),
        (date(2026, 2, 1), "CA", 1, 1, D("1.00"), D("18.00")),
    ]
    assert figures[0].payers == {"borrower": 1, "relative": 1, "third_party": 1}
    assert [f.operations for f in remittance_figures(start=date(2026, 1, 31), end=date(2026, 1, 31))] == [1, 1]
