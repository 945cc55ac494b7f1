"""The statement's rows carry their movement and channel labels, translated once per statement (the HTTP load
bench found Django's get_kind_display per row a fifth of the page's time): same words as the model's, in the
reader's language, on the page and through the API."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ventanilla.infonavit import selectors, services
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


@pytest.fixture
def credit(world):
    staff = world["users"][Role.INFONAVIT_STAFF]
    credit = services.originate_credit(
        staff, world["person_la"], product="tradicional", denomination="pesos", origination_date=date(2025, 1, 15),
        amount_lent="120000", rate="12", term_months=120, regime="own", state="MN", monthly_insurance_and_fees="50")
    services.post_monthly_accrual(staff, credit, date(2025, 2, 1))
    services.record_payment(staff, credit, amount="2000.00", paid_at=datetime(2025, 2, 20, 11, tzinfo=MX),
                            operation_id="LABEL-1", channel="window")
    return credit


def test_each_entry_carries_the_model_labels_in_the_active_language(credit):
    found = selectors.statement(credit, date(2025, 2, 1), date(2025, 2, 28), on=date(2025, 2, 28))
    assert [(e.kind_label, e.channel_label) for e in found.entries] == [
        ("Intereses del mes", ""), ("Seguros y comisiones del mes", ""), ("Pago", "Ventanilla")]
    assert [e.kind_label for e in found.entries] == [e.get_kind_display() for e in found.entries]
    with translation.override("en"):
        english = selectors.statement(credit, date(2025, 2, 1), date(2025, 2, 28), on=date(2025, 2, 28))
        assert [e.kind_label for e in english.entries] == [e.get_kind_display() for e in english.entries]
        assert english.entries[0].kind_label == "Month's interest"
        assert english.entries[1].kind_label == "Month's insurance and fees"


def test_the_statement_page_shows_the_labels(world, credit):
    client = Client()
    client.force_login(world["users"][Role.DERECHOHABIENTE])
    page = client.get(f"/infonavit/creditos/{credit.number}/?inicio=2025-02-01&fin=2025-02-28").content.decode()
    assert "Intereses del mes" in page and "Pago · Ventanilla" in page


def test_the_statement_api_computes_the_summary_once(world, credit):
    """The API's summary is the statement's own: one ledger aggregate for it, not two."""
    client = Client()
    client.force_login(world["users"][Role.DERECHOHABIENTE])
    path = f"/api/v1/infonavit/credits/{credit.number}/statement?start=2025-02-01&end=2025-02-28"
    with CaptureQueriesContext(connection) as queries:
        body = client.get(path).json()
    assert body["summary"]["balance"] == body["closing_balance"] == "119250.00"
    ledger_reads = [q["sql"] for q in queries.captured_queries if 'FROM "infonavit_ledgerentry"' in q["sql"]]
    assert len(ledger_reads) == 3  # the period's rows, the opening balance, the summary's ledger state
