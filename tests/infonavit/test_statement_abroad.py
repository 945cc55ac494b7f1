"""Sin Fronteras in the statement's documents: a payment from abroad, imported from a remittance company's
settlement file, shows its dollars, the day's rate, the company and the US state in the statement PDF (as on
the credit page) and in four last CSV columns (usd_amount, fx_rate, company, us_state), empty on other rows."""

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from tests.conftest import make_person, make_user
from ventanilla.infonavit import exports, pdf, selectors, services
from ventanilla.payments.models import RemittanceCompany, RemittancePayment
from ventanilla.payments.services import import_settlement_file
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(consulate_la):
    """A pesos credit with March 2025 accrued, paid once at the window and once from California by DolEx."""
    staff = make_user(Role.INFONAVIT_STAFF)
    credit = services.originate_credit(
        staff, make_person(consulate_la, seed=41), product="tradicional", denomination="pesos",
        origination_date=date(2025, 1, 15), amount_lent="120000", rate="12", term_months=120, regime="own",
        state="MN")
    services.post_monthly_accrual(staff, credit, date(2025, 3, 1))
    services.record_payment(staff, credit, amount="500.00", paid_at="2025-03-05", operation_id="WIN-1",
                            channel="window")
    import_settlement_file(staff, company=RemittanceCompany.objects.get(code="DOLEX"), filename="dolex-03.csv",
                           content=("operation_id,credit_number,paid_at,amount_usd,payer,us_state\n"
                                    f"SF-1,{credit.number},2025-03-10,250.00,relative,CA\n").encode())
    return selectors.statement(credit, date(2025, 3, 1), date(2025, 3, 31), on=date(2025, 3, 31))


def test_the_csv_carries_dollars_rate_company_and_state_on_the_payment_from_abroad(statement):
    remittance = RemittancePayment.objects.get(operation_id="DOLEX:SF-1")
    rows = list(csv.reader(io.StringIO(exports.statement_csv(statement).lstrip("\ufeff"))))
    header = rows[3]
    assert header[-4:] == ["usd_amount", "fx_rate", "company", "us_state"]
    by_operation = {row[8]: row for row in rows[5:-1]}
    abroad = by_operation["DOLEX:SF-1"]
    assert abroad[-4:] == ["250.00", str(remittance.usd_mxn_rate), "DolEx", "CA"]
    assert abroad[3] == f"{remittance.amount_mxn:.2f}"  # the pesos credited, in the Abono column
    assert by_operation["WIN-1"][-4:] == ["", "", "", ""]
    assert all(len(row) == len(header) for row in rows[3:])  # opening, movements and closing rows alike


def test_the_pdf_shows_the_payment_from_abroad_with_its_rate(statement):
    remittance = RemittancePayment.objects.get(operation_id="DOLEX:SF-1")
    content = pdf.statement_pdf(statement, issued_on=date(2025, 4, 1))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert (f"Pago desde el extranjero: 250.00 USD en DolEx (CA), tipo de cambio {remittance.usd_mxn_rate}"
            in text)
    assert text.count("Pago desde el extranjero") == 1  # not on the window payment
    english = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(
        pdf.statement_pdf(statement, issued_on=date(2025, 4, 1), language="en"))).pages)
    assert f"Payment from abroad: 250.00 USD at DolEx (CA), exchange rate {remittance.usd_mxn_rate}" in english
