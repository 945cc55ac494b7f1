"""The statement (saldos y movimientos) and the constancia de intereses against a ledger built by hand through
the services: the figures, and the CSV and PDF that carry them."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from tests.conftest import make_person, make_user
from ventanilla.core.errors import DomainError
from ventanilla.infonavit import exports, pdf, selectors, services
from ventanilla.infonavit.models import LedgerEntry
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")
D = Decimal


@pytest.fixture
def staff(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def credit(staff, consulate_la):
    """120,000 pesos at 12 % with 50 pesos of insurance and fees a month; February to April 2025 accrued,
    2,000 pesos paid in February and in March. By hand: February's interest 120,000 × 1 % = 1,200.00; the
    payment pays 50 + 1,200 + 750 of capital → 119,250.00; March's interest 1,192.50, the payment pays 50 +
    1,192.50 + 757.50 → 118,492.50; April's interest 1,184.93 (1,184.925 half-up) + 50 → 119,727.43."""
    person = make_person(consulate_la, seed=31)
    credit = services.originate_credit(
        staff, person, product="tradicional", denomination="pesos", origination_date=date(2025, 1, 15),
        amount_lent="120000", rate="12", term_months=120, regime="own", state="MN",
        monthly_insurance_and_fees="50")
    for month, paid in ((2, True), (3, True), (4, False)):
        services.post_monthly_accrual(staff, credit, date(2025, month, 1))
        if paid:
            services.record_payment(staff, credit, amount="2000.00", paid_at=datetime(2025, month, 20, 11, tzinfo=MX),
                                    operation_id=f"HAND-{month}")
    return credit


def test_the_statement_runs_from_the_opening_to_the_closing_balance(credit):
    found = selectors.statement(credit, date(2025, 2, 1), date(2025, 3, 31), on=date(2025, 3, 31))
    assert found.movements.opening_balance == D("120000.00")
    assert [(e.kind, e.amount) for e in found.entries] == [
        ("accrual_interest", D("1200.00")), ("accrual_insurance", D("50.00")), ("payment", D("-2000.00")),
        ("accrual_interest", D("1192.50")), ("accrual_insurance", D("50.00")), ("payment", D("-2000.00"))]
    assert found.movements.closing_balance == D("118492.50") == found.entries[-1].balance_after
    assert (found.charges, found.reductions, found.paid) == (D("2492.50"), D("4000.00"), D("4000.00"))
    assert found.movements.opening_balance + found.charges - found.reductions == found.movements.closing_balance
    # The whole history ends on the ledger's balance.
    whole = selectors.statement(credit, date(2025, 1, 1), date(2025, 12, 31), on=date(2025, 4, 30))
    assert whole.movements.opening_balance == D("0.00")
    assert whole.movements.closing_balance == D("119727.43") == whole.summary.balance
    assert [option.reference for option in whole.options] == [credit.number] * 3


def test_the_statement_period_is_checked_and_defaults_to_twelve_months():
    today = date(2026, 11, 30)
    assert selectors.statement_period("", None, today) == (date(2025, 11, 1), today)
    assert selectors.statement_period("2026-01-01", "2026-06-30", today) == (date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(DomainError) as caught:
        selectors.statement_period("2026-13-01", "2026-01-01", today)
    assert [(e.field, e.code) for e in caught.value.errors] == [("start", "invalid_date")]
    with pytest.raises(DomainError) as caught:
        selectors.statement_period("2026-06-01", "2026-05-01", today)
    assert [(e.field, e.code) for e in caught.value.errors] == [("end", "before_start")]
    with pytest.raises(DomainError) as caught:
        selectors.statement_period("2026-12-01", "", today)
    assert [(e.field, e.code) for e in caught.value.errors] == [("start", "out_of_range"), ("end", "before_start")]


def test_the_interest_certificate_reads_the_ledger_split_and_its_corrections(staff, credit):
    certificate = selectors.interest_certificate(credit, 2025)
    assert certificate.interest_accrued == D("1200.00") + D("1192.50") + D("1184.93")
    assert certificate.interest_paid == D("2392.50")
    assert certificate.payments == D("4000.00")
    assert (certificate.opening_balance, certificate.closing_balance) == (D("0.00"), D("119727.43"))
    assert certificate.method == "nominal" and certificate.method_assumed
    # A reversed payment gives its interest back: it was not paid after all.
    march = LedgerEntry.objects.get(operation_id="HAND-3")
    services.reverse_entry(staff, march, "cheque devuelto", on=date(2025, 5, 10))
    corrected = selectors.interest_certificate(credit, 2025)
    assert corrected.interest_paid == D("1200.00") and corrected.payments == D("2000.00")
    assert corrected.interest_accrued == certificate.interest_accrued
    assert selectors.interest_certificate(credit, 2024).interest_accrued == D("0.00")
    assert selectors.interest_years(credit, date(2026, 11, 30)) == [2025]


def test_the_csv_has_a_bom_and_every_movement(credit):
    found = selectors.statement(credit, date(2025, 2, 1), date(2025, 3, 31), on=date(2025, 3, 31))
    text = exports.statement_csv(found)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["Número de crédito", credit.number]
    assert rows[3][:4] == ["Fecha", "Movimiento", "Cargo", "Abono"]
    assert rows[4][1] == "Saldo inicial" and rows[4][7] == "120000.00"
    assert rows[5][:8] == ["2025-02-01", "Intereses del mes", "1200.00", "", "0.00", "1200.00", "0.00", "121200.00"]
    payment = rows[7]
    assert payment[1:4] == ["Pago", "", "2000.00"] and payment[8:10] == ["HAND-2", "Ventanilla"]
    assert rows[-1][1:4] == ["Saldo final", "2492.50", "4000.00"] and rows[-1][7] == "118492.50"
    assert len(rows) == 4 + 1 + 6 + 1


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_statement_pdf_carries_the_figures(credit):
    found = selectors.statement(credit, date(2025, 2, 1), date(2025, 3, 31), on=date(2025, 3, 31))
    text = _pdf_text(pdf.statement_pdf(found, issued_on=date(2025, 4, 1)))
    for expected in (credit.number, "Saldo inicial", "$120,000.00", "Saldo final", "$118,492.50", "Pago",
                     "Dónde y cómo pagar", "Referencia: " + credit.number):
        assert expected in text
    english = _pdf_text(pdf.statement_pdf(found, issued_on=date(2025, 4, 1), language="en"))
    assert "Opening balance" in english and "$118,492.50" in english


def test_a_long_statement_runs_over_pages(staff, credit):
    for month in range(5, 13):
        services.post_monthly_accrual(staff, credit, date(2025, month, 1))
    for month in range(1, 12):
        services.post_monthly_accrual(staff, credit, date(2026, month, 1))
    found = selectors.statement(credit, date(2025, 1, 1), date(2026, 11, 30), on=date(2026, 11, 30))
    reader = PdfReader(io.BytesIO(pdf.statement_pdf(found, issued_on=date(2026, 11, 30))))
    assert len(reader.pages) >= 2
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert f"${found.movements.closing_balance:,.2f}" in text


def test_the_interest_certificate_pdf_says_the_method_is_assumed(credit):
    text = _pdf_text(pdf.interest_certificate_pdf(selectors.interest_certificate(credit, 2025),
                                                  issued_on=date(2026, 1, 15)))
    assert "Constancia de intereses" in text and "2025" in text
    assert "$3,577.43" in text and "$2,392.50" in text
    assert "SUPUESTO" in text and "INPC" in text
