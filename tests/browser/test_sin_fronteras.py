"""Sin Fronteras in Chromium: Infonavit staff upload a remittance company's settlement file (one bad line
reported by number), and the borrower then sees the payment from abroad, with its dollars and rate, in the
statement."""

import importlib
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.conftest import make_person, make_user
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def companies(transactional_db):
    """The allied companies come from a data migration, which the flush after an earlier transactional test
    empties (reference data come back through post_migrate; these do not): seeded again, as the migration does."""
    from django.apps import apps

    importlib.import_module("ventanilla.payments.migrations.0006_seed_remittance_companies").seed(apps, None)


@pytest.fixture
def credit(companies):
    from ventanilla.infonavit import services
    from ventanilla.reference.models import Consulate

    la = Consulate.objects.get(code="US-LOS-ANGELES")
    staff = make_user(Role.INFONAVIT_STAFF, "infonavit.remesas")
    borrower = make_person(la, mx_state="MN", mx_municipality="Morelia")
    return services.originate_credit(
        staff, borrower, product="tradicional", denomination="pesos", origination_date=date(2025, 1, 15),
        amount_lent="120000", rate="12", term_months=120, regime="own", state="MN")


def test_a_settlement_file_uploaded_by_staff_is_seen_in_the_borrower_statement(page, login, credit, tmp_path):
    from ventanilla.payments.models import RemittancePayment

    settlement = tmp_path / "dolex-2025-03.csv"
    settlement.write_text("operation_id,credit_number,paid_at,amount_usd,payer,us_state\n"
                          f"PW-1,{credit.number},2025-03-10,250.00,relative,CA\n"
                          f"PW-2,{credit.number},2025-03-10,250.00,relative,XX\n")
    login("infonavit.remesas")
    page.get_by_role("link", name="Liquidaciones de remesadoras").click()
    page.get_by_label("Remesadora").select_option(label="DolEx")
    page.get_by_label("Archivo de liquidación (CSV)").set_input_files(str(settlement))
    page.get_by_role("button", name="Importar").click()
    expect(page.locator("#lines-applied")).to_have_text("1")
    expect(page.locator("#lines-rejected")).to_have_text("1")
    expect(page.locator('#settlement-lines tr[data-line="3"]')).to_contain_text("invalid_us_state")
    payment = RemittancePayment.objects.get(operation_id="DOLEX:PW-1")
    expect(page.locator('#settlement-lines tr[data-line="2"]')).to_contain_text(str(payment.amount_mxn))
    page.get_by_role("button", name="Salir").click()

    make_user(Role.DERECHOHABIENTE, "acreditado.remesa", person=credit.borrower)
    login("acreditado.remesa")
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2]
              + f"/infonavit/creditos/{credit.number}/?inicio=2025-03-01&fin=2025-03-31")
    abroad = page.locator('.from-abroad[data-operation="DOLEX:PW-1"]')
    expect(abroad).to_contain_text("250.00 USD en DolEx (CA)")
    expect(abroad).to_contain_text(str(payment.usd_mxn_rate))
