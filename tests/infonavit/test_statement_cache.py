"""The statement from the shared cache (infonavit.statement_cache): any new ledger entry shows on the next
request, the API's ETag and 304, access checked before the cache is read, a revoked token refused at once,
one answer per language."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_user
from ventanilla.infonavit import services
from ventanilla.infonavit.models import LedgerEntry
from ventanilla.people import services as people_services
from ventanilla.people.models import Role
from ventanilla.settings import session_engine

pytestmark = pytest.mark.django_db
PERIOD = "?start=2025-01-01&end=2025-12-31"
PAGE_PERIOD = "?inicio=2025-01-01&fin=2025-12-31"


@pytest.fixture
def credit(world):
    staff = world["users"][Role.INFONAVIT_STAFF]
    credit = services.originate_credit(
        staff, world["person_la"], product="tradicional", denomination="pesos", origination_date=date(2025, 1, 15),
        amount_lent="120000", rate="12", term_months=120, regime="own", state="MN", monthly_insurance_and_fees="50")
    services.post_monthly_accrual(staff, credit, date(2025, 2, 1))
    return credit


def client_for(user, **defaults) -> Client:
    client = Client(**defaults)
    client.force_login(user)
    return client


def api(number: str) -> str:
    return f"/api/v1/infonavit/credits/{number}/statement{PERIOD}"


def page(number: str) -> str:
    return f"/infonavit/creditos/{number}/{PAGE_PERIOD}"


def statement_part(response) -> str:
    """The page without its chrome (the language and log-out forms carry a CSRF token masked per request)."""
    html = response.content.decode()
    return html[html.index("<h1>"):html.index("</main>")]


def ledger_reads(queries) -> list[str]:
    """The statement's own reads of the ledger (the credit lookup's probe of the last entry is not one)."""
    return [q["sql"] for q in queries.captured_queries
            if q["sql"].startswith(('SELECT "infonavit_ledgerentry"', 'SELECT SUM("infonavit_ledgerentry"'))]


def test_a_payment_shows_on_the_next_api_request(world, credit):
    client = client_for(world["users"][Role.DERECHOHABIENTE])
    first = client.get(api(credit.number))
    with CaptureQueriesContext(connection) as queries:
        again = client.get(api(credit.number))
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert ledger_reads(queries) == []  # served from the cache
    services.record_payment(world["users"][Role.CONSULAR_OFFICER], credit, amount="2000.00", paid_at="2025-02-20",
                            operation_id="SF-CACHE-1")
    after = client.get(api(credit.number)).json()
    assert after["closing_balance"] == "119250.00" and after["paid"] == "2000.00"
    assert [m["operation_id"] for m in after["movements"] if m["kind"] == "payment"] == ["SF-CACHE-1"]
    assert after["summary"]["balance"] == "119250.00"


def test_any_ledger_entry_shows_on_the_next_page(world, credit):
    staff = world["users"][Role.INFONAVIT_STAFF]
    client = client_for(world["users"][Role.DERECHOHABIENTE])
    before = statement_part(client.get(page(credit.number)))
    assert "SF-CACHE-2" not in before and "Corrección (reverso)" not in before
    with CaptureQueriesContext(connection) as queries:
        assert statement_part(client.get(page(credit.number))) == before
    assert ledger_reads(queries) == []
    # a payment taken at the window (the page's own form), then a reversal of it: each a new entry
    officer = client_for(world["users"][Role.CONSULAR_OFFICER])
    posted = officer.post(f"/infonavit/creditos/{credit.number}/pagos/",
                          {"operation_id": "SF-CACHE-2", "amount": "2000.00", "paid_at": "2025-02-20"})
    assert posted.status_code == 302
    paid = statement_part(client.get(page(credit.number)))
    assert "SF-CACHE-2" in paid and "119,250.00" in paid
    payment = LedgerEntry.objects.get(credit=credit, operation_id="SF-CACHE-2", kind="payment")
    services.reverse_entry(staff, payment, "Pago duplicado en el banco", on=date(2025, 2, 21))
    reversed_page = statement_part(client.get(page(credit.number)))
    assert "Corrección (reverso)" in reversed_page
    services.post_monthly_accrual(staff, credit, date(2025, 3, 1))
    assert reversed_page != statement_part(client.get(page(credit.number)))


def test_the_api_answers_a_strong_etag_and_304(world, credit):
    client = client_for(world["users"][Role.DERECHOHABIENTE])
    first = client.get(api(credit.number))
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and not etag.startswith("W/")
    assert "private" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    unchanged = client.get(api(credit.number), HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged["ETag"] == etag
    other_period = client.get(f"/api/v1/infonavit/credits/{credit.number}/statement?start=2025-02-01",
                              HTTP_IF_NONE_MATCH=etag)
    assert other_period.status_code == 200 and other_period["ETag"] != etag
    services.record_payment(world["users"][Role.CONSULAR_OFFICER], credit, amount="500.00", paid_at="2025-02-20",
                            operation_id="SF-CACHE-3")
    changed = client.get(api(credit.number), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["paid"] == "500.00"


def test_a_change_to_the_credit_itself_changes_the_answer(world, credit):
    client = client_for(world["users"][Role.DERECHOHABIENTE])
    etag = client.get(api(credit.number))["ETag"]
    services.set_frozen(world["users"][Role.INFONAVIT_STAFF], credit, True, "Congelamiento de créditos VSM")
    assert client.get(api(credit.number), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_nobody_gets_a_statement_they_may_not_see_from_the_cache(world, credit):
    owner = client_for(world["users"][Role.DERECHOHABIENTE])
    answer = owner.get(api(credit.number))
    assert owner.get(page(credit.number)).status_code == 200  # both answers are now in the cache
    other_borrower = client_for(make_user(Role.DERECHOHABIENTE, person=world["person_chicago"]))
    chicago_officer = client_for(make_user(Role.CONSULAR_OFFICER, consulate=world["person_chicago"].consulate))
    for client in (other_borrower, chicago_officer):
        assert client.get(api(credit.number)).status_code == 404
        assert client.get(api(credit.number), HTTP_IF_NONE_MATCH=answer["ETag"]).status_code == 404
        assert client.get(page(credit.number)).status_code == 404
    for role in (Role.IMSS_STAFF, Role.SUPERVISOR):
        assert client_for(world["users"][role]).get(page(credit.number)).status_code == 403
    assert Client().get(api(credit.number)).status_code == 401
    # the consulate's own officer gets the statement, with the payment form the borrower never sees
    officer_page = client_for(world["users"][Role.CONSULAR_OFFICER]).get(page(credit.number)).content.decode()
    assert 'id="window-payment"' in officer_page and "csrfmiddlewaretoken" in officer_page
    assert 'id="window-payment"' not in owner.get(page(credit.number)).content.decode()


def test_a_revoked_token_is_refused_at_once(world, credit):
    borrower = world["users"][Role.DERECHOHABIENTE]
    token, secret = people_services.issue_api_token(borrower, borrower, "banca en línea")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    answer = Client().get(api(credit.number), **bearer)
    assert answer.status_code == 200
    people_services.revoke_api_token(borrower, token)
    assert Client().get(api(credit.number), **bearer).status_code == 401
    assert Client().get(api(credit.number), HTTP_IF_NONE_MATCH=answer["ETag"], **bearer).status_code == 401


def test_each_language_gets_its_own_statement(world, credit):
    borrower = world["users"][Role.DERECHOHABIENTE]
    spanish = client_for(borrower, HTTP_ACCEPT_LANGUAGE="es")
    english = client_for(borrower, HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(2):  # the second round comes from the cache
        es = spanish.get(page(credit.number)).content.decode()
        en = english.get(page(credit.number)).content.decode()
        assert "Saldo inicial" in es and "Intereses del mes" in es and "Opening balance" not in es
        assert "Opening balance" in en and "Saldo inicial" not in en and "Intereses del mes" not in en


def test_a_warm_statement_request_only_reads(world, credit, settings):
    """Neither the session, the portal-usage counts nor the token's last use are written on each request."""
    settings.SESSION_ENGINE = session_engine("redis://as-in-production")  # sessions read from the cache
    borrower = world["users"][Role.DERECHOHABIENTE]
    _token, secret = people_services.issue_api_token(borrower, borrower, "banca en línea")
    bearer = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    session = client_for(borrower)
    for client, path in ((bearer, api(credit.number)), (session, page(credit.number))):
        client.get(path)  # the first of the day may record the usage and the token's use
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SELECT")] == []
        assert len(queries.captured_queries) <= 3  # who is asking, the credit, its last entry


def test_only_the_default_period_single_months_and_years_are_cached(world, credit):
    """Any start and end would fill the cache (one entry per period asked): those are computed, not stored;
    so are other ranges of whole months (hundreds of thousands since 1970)."""
    from django.core.cache import cache
    from django.utils import timezone

    from ventanilla.infonavit.selectors import default_statement_period

    today = timezone.localdate()
    client = client_for(world["users"][Role.DERECHOHABIENTE])
    default = default_statement_period(today)
    cases = [(default, True), ((date(2025, 1, 1), date(2025, 12, 31)), True),
             ((date(2025, 1, 1), date(2025, 6, 30)), False), ((date(2024, 3, 1), date(2025, 2, 28)), False),
             ((today.replace(month=1, day=1), today), True),
             ((date(2025, 2, 1), date(2025, 2, 28)), True), ((today.replace(day=1), today), True),
             ((date(2024, 2, 1), date(2024, 2, 29)), True), ((date(2024, 2, 1), date(2024, 2, 28)), False),
             ((date(2025, 1, 2), date(2025, 12, 31)), False), ((date(2025, 1, 1), date(2025, 12, 30)), False),
             ((date(2025, 3, 1), date(2099, 12, 31)), False)]
    for (start, end), stored in cases:
        cache.clear()
        query = "" if (start, end) == default else f"?start={start}&end={end}"
        response = client.get(f"/api/v1/infonavit/credits/{credit.number}/statement{query}")
        assert response.status_code == 200, (start, end)
        key = response["ETag"].strip('"')  # the cache key (statement_cache)
        assert (cache.get(f"infonavit:statement:api:{key}") is not None) is stored, (start, end)
        assert response.json()["start"] == start.isoformat()
        page_query = "" if (start, end) == default else f"?inicio={start}&fin={end}"
        assert client.get(f"/infonavit/creditos/{credit.number}/{page_query}").status_code == 200
        assert (cache.get(f"infonavit:statement:page:{key}") is not None) is stored, (start, end)
