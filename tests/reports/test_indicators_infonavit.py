"""The Infonavit indicators against a hand-built data set: exact people, pesos and years, the filters, the
officer's consulate forced, groups under 5 people suppressed, precomputed figures with their computed_at."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Max

from tests.conftest import make_person, make_user
from ventanilla.batch.models import CampaignRun
from ventanilla.infonavit import services
from ventanilla.infonavit.models import Credit, LedgerEntry, SolutionApplication
from ventanilla.payments.models import RemittanceCompany, RemittancePayment
from ventanilla.people.models import Role
from ventanilla.reports.indicators import Filters, compute

MX = ZoneInfo("America/Mexico_City")
D = Decimal
pytestmark = pytest.mark.django_db


def _credit(staff, borrower, state="MN") -> Credit:
    return services.originate_credit(staff, borrower, product="tradicional", denomination="pesos",
                                     origination_date=date(2012, 1, 1), amount_lent="300000", rate="10",
                                     term_months=240, regime="own", state=state, monthly_insurance_and_fees="0")


def _granted(staff, credit, code, starts_on, status=SolutionApplication.Status.ACTIVE) -> SolutionApplication:
    return SolutionApplication.objects.create(credit=credit, code=code, status=status, channel="staff",
                                              requested_by=staff, starts_on=starts_on,
                                              idempotency_key=uuid.uuid4().hex)


def _entry(credit, kind, amount, posted_on, application=None) -> LedgerEntry:
    """A relief entry as the services post it (the aggregation reads kind, amount, date and application)."""
    last = credit.entries.order_by("-sequence").first()
    amount = D(amount)
    return LedgerEntry.objects.create(
        credit=credit, sequence=credit.entries.aggregate(m=Max("sequence"))["m"] + 1, kind=kind,
        posted_on=posted_on, amount=amount, capital=amount, balance_after=last.balance_after + amount,
        monthly_payment_after=last.monthly_payment_after, application=application)


def _pay(staff, credit, amount, when, channel="window"):
    return services.record_payment(staff, credit, amount=D(amount), paid_at=datetime(*when, 12, tzinfo=MX),
                                   operation_id=uuid.uuid4().hex[:20], channel=channel)


@pytest.fixture
def data(consulate_la, consulate_chicago):
    """Michoacán (MN) at Los Angeles: 5 borrowers with RC (10,000 each, 2024) and DLA (1,000.50 each, 2025), a
    refused RC that does not count, a sixth LA borrower with a DLA of 999 granted in 2023, window payments of 3,000 in 2023 and 2024 and one
    SPEI payment; 5 more MN borrowers at Chicago with DLA 2,000 each; 2 Jalisco (JC) borrowers with RC (too few)."""
    staff = make_user(Role.INFONAVIT_STAFF)
    la = [_credit(staff, make_person(consulate_la)) for _ in range(5)]
    for credit in la:
        rc = _granted(staff, credit, "RC", date(2024, 3, 1), SolutionApplication.Status.COMPLETED)
        _entry(credit, "discount", "-10000", date(2024, 3, 1), rc)
        _entry(credit, "conversion", "0", date(2024, 3, 1), rc)
        dla = _granted(staff, credit, "DLA", date(2025, 6, 10), SolutionApplication.Status.COMPLETED)
        _entry(credit, "discount", "-1000.50", date(2025, 6, 10), dla)
        _pay(staff, credit, "3000", (2023, 5, 5))
        _pay(staff, credit, "3000", (2024, 5, 5))
    _pay(staff, la[0], "700", (2024, 6, 1), channel="spei")  # not at the window
    sixth = _credit(staff, make_person(consulate_la))
    _granted(staff, sixth, "RC", date(2024, 3, 1), SolutionApplication.Status.REFUSED)
    _entry(sixth, "discount", "-999", date(2024, 3, 1), _granted(staff, sixth, "DLA", date(2023, 1, 1)))
    _pay(staff, sixth, "100", (2013, 2, 2))  # one person in 2013: suppressed
    for _ in range(5):
        credit = _credit(staff, make_person(consulate_chicago))
        _entry(credit, "discount", "-2000", date(2025, 6, 10),
               _granted(staff, credit, "DLA", date(2025, 6, 10), SolutionApplication.Status.COMPLETED))
    for _ in range(2):
        credit = _credit(staff, make_person(consulate_la), state="JC")
        _entry(credit, "discount", "-5000", date(2024, 3, 1), _granted(staff, credit, "RC", date(2024, 3, 1)))
    return {"staff": staff, "la": la, "sixth": sixth}


def rows(user, name, **filters):
    return compute(user, name, Filters(**filters)).rows


def test_solutions_granted_by_state_and_solution(data):
    supervisor = make_user(Role.SUPERVISOR)
    table = compute(supervisor, "infonavit_solutions", Filters())
    got = {(r["state"], r["solution"]): (r["people"], r["discount"]) for r in table.rows}
    # The sixth LA borrower's active DLA (granted in 2023 with a 999 discount) makes MN DLA 11 people.
    # Jalisco's RC counts 2: Michoacán's RC (5) is hidden too, or the RC total would give Jalisco's 2 back.
    assert got == {("MN", "DLA"): (11, D("16001.50"))}
    assert table.suppressed == 2
    state = compute(supervisor, "infonavit_solutions", Filters(state="MN"))  # one state: nothing to complement
    assert {(r["solution"], r["people"]) for r in state.rows} == {("RC", 5), ("DLA", 11)} and not state.suppressed
    assert table.rows[0]["state_name"] == "Michoacán"


def test_solutions_honour_period_state_and_consulate(data, consulate_la):
    supervisor = make_user(Role.SUPERVISOR)
    in_2025 = rows(supervisor, "infonavit_solutions", start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert [(r["solution"], r["people"], r["discount"]) for r in in_2025] == [("DLA", 10, D("15002.50"))]
    at_la = rows(supervisor, "infonavit_dla", consulate=consulate_la.pk, start=date(2025, 1, 1))
    assert [(r["people"], r["discount"]) for r in at_la] == [(5, D("5002.50"))]
    assert rows(supervisor, "infonavit_solutions", state="JC") == []


def test_officer_sees_only_the_consulate(data, consulate_la, consulate_chicago):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    asked_chicago = rows(officer, "infonavit_dla", consulate=consulate_chicago.pk, start=date(2025, 1, 1))
    assert [(r["people"], r["discount"]) for r in asked_chicago] == [(5, D("5002.50"))]  # LA's, not Chicago's


def test_citizens_see_no_indicator(data):
    from ventanilla.core.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        compute(make_user(Role.DERECHOHABIENTE), "infonavit_solutions", Filters())


def test_dla_indicator_is_the_dla_rows(data):
    supervisor = make_user(Role.SUPERVISOR)
    assert [(r["state"], r["people"], r["discount"]) for r in rows(supervisor, "infonavit_dla")] == [
        ("MN", 11, D("16001.50"))]


def test_vsm_left_and_converted(data):
    supervisor = make_user(Role.SUPERVISOR)
    Credit.objects.filter(pk__in=[c.pk for c in data["la"]]).update(denomination="vsm", amount_lent_vsm=D("100"))
    got = rows(supervisor, "infonavit_vsm")
    assert [(r["state"], r["vsm_left"], r["converted"], r["converted_people"]) for r in got] == [("MN", 5, 5, 5)]
    assert rows(supervisor, "infonavit_vsm", start=date(2025, 1, 1)) == [
        {"state": "MN", "state_name": "Michoacán", "vsm_left": 5, "converted": 0, "converted_people": 0}]


def test_window_payments_live_by_year(data, consulate_la):
    supervisor = make_user(Role.SUPERVISOR)
    table = compute(supervisor, "infonavit_window_payments", Filters(consulate=consulate_la.pk))
    assert [(r["year"], r["payments"], r["amount"]) for r in table.rows] == [
        ("2023", 5, D("15000.00")), ("2024", 5, D("15000.00"))]
    assert table.suppressed == 1  # 2013: one person
    only_2024 = rows(supervisor, "infonavit_window_payments", start=date(2024, 1, 1), end=date(2024, 12, 31))
    assert [(r["year"], r["amount"]) for r in only_2024] == [("2024", D("15000.00"))]


def test_window_payments_read_the_latest_campaign(data):
    supervisor = make_user(Role.SUPERVISOR)
    finished = datetime(2026, 11, 29, 3, 0, tzinfo=MX)
    figures = {"window_payments": [{"year": 2022, "state": "MN", "payments": 7, "people": 5, "amount": "21000.00"},
                                   {"year": 2022, "state": "JC", "payments": 6, "people": 3, "amount": "600.00"},
                                   {"year": 2023, "state": "MN", "payments": 2, "people": 2, "amount": "50.00"}]}
    CampaignRun.objects.create(as_of=date(2026, 11, 28), actor=supervisor, figures=figures, finished_at=finished)
    table = compute(supervisor, "infonavit_window_payments", Filters(state="MN"))
    assert [(r["year"], r["payments"], r["amount"]) for r in table.rows] == [("2022", 7, D("21000.00"))]
    assert table.computed_at == finished and table.suppressed == 1
    assert "2026-11-28" in table.notes[0]
    everywhere = rows(supervisor, "infonavit_window_payments")
    assert [(r["year"], r["payments"], r["amount"]) for r in everywhere] == [("2022", 13, D("21600.00"))]


def test_precomputed_window_payments_are_suppressed_on_people_not_payments(consulate_la):
    from ventanilla.batch.services import window_payments

    staff, supervisor = make_user(Role.INFONAVIT_STAFF), make_user(Role.SUPERVISOR)
    credit = _credit(staff, make_person(consulate_la), state="ZS")
    for month in range(1, 7):  # one borrower, six payments
        _pay(staff, credit, "1234.56", (2024, month, 5))
    figures = {"window_payments": window_payments(date(2025, 1, 1))}
    assert [(f["year"], f["payments"], f["people"]) for f in figures["window_payments"]] == [(2024, 6, 1)]
    run = CampaignRun.objects.create(as_of=date(2025, 1, 1), actor=supervisor, figures=figures,
                                     finished_at=datetime(2025, 1, 2, tzinfo=MX))
    table = compute(supervisor, "infonavit_window_payments", Filters(state="ZS"))
    assert table.rows == [] and table.suppressed == 1
    # an older run's figures carry no people: treated as suppressed
    run.figures = {"window_payments": [{"year": 2022, "state": "ZS", "payments": 40, "amount": "9000.00"}]}
    run.save(update_fields=["figures"])
    table = compute(supervisor, "infonavit_window_payments", Filters(state="ZS"))
    assert table.rows == [] and table.suppressed == 1


def test_solutions_people_without_dates_and_a_lone_discount_is_blanked(consulate_la):
    staff, supervisor = make_user(Role.INFONAVIT_STAFF), make_user(Role.SUPERVISOR)
    granted = []
    for _ in range(5):
        credit = _credit(staff, make_person(consulate_la), state="ZS")
        granted.append((credit, _granted(staff, credit, "RC", date(2025, 3, 1))))
    _entry(granted[0][0], "discount", "-12345.67", date(2025, 3, 1), granted[0][1])
    table = compute(supervisor, "infonavit_solutions", Filters(state="ZS"))
    # all 5 in force count (not only the one discounted), and one person's discount is not published
    assert [(r["solution"], r["people"], r["discount"]) for r in table.rows] == [("RC", 5, None)]
    assert "discount_people" not in table.rows[0]
    assert any("en blanco" in str(note) for note in table.notes)
    dated = rows(supervisor, "infonavit_solutions", state="ZS", start=date(2000, 1, 1))
    assert [(r["people"], r["discount"]) for r in dated] == [(5, None)]


def test_campaign_potential_by_solution_and_state(db):
    supervisor = make_user(Role.SUPERVISOR)
    solutions = {code: {"eligible": 0} for code in ("BCN", "JUBILADOS", "DCP", "STM", "PARO_TECNICO", "FPP",
                                                    "PRORROGA")}
    figures = {"by_state": [
        {"state": "MN", "credits": 40, "solutions": {**solutions, "RC": {"eligible": 12, "amount": "812345.67"},
                                                     "DLA": {"eligible": 3, "amount": "900.00"}}}]}
    finished = datetime(2026, 11, 29, 3, 0, tzinfo=MX)
    CampaignRun.objects.create(as_of=date(2026, 11, 28), actor=supervisor, figures=figures, finished_at=finished)
    table = compute(supervisor, "infonavit_campaign_potential", Filters(state="MN"))
    assert [(r["solution"], r["eligible"], r["amount"]) for r in table.rows] == [("RC", 12, D("812345.67"))]
    assert table.computed_at == finished and table.suppressed == 8  # DLA's 3 and the seven at zero
    assert compute(supervisor, "infonavit_campaign_potential", Filters(state="JC")).rows == []


def test_figures_not_split_by_consulate_are_withheld_from_officers(db, consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    for name in ("infonavit_campaign_potential", "infonavit_sin_fronteras"):
        table = compute(officer, name, Filters())
        assert table.rows == [] and table.notes


def test_sin_fronteras_by_month_and_us_state(db):
    supervisor = make_user(Role.SUPERVISOR)
    # A company of the test's own: the seeded ones come from a data migration that a flushing test may empty.
    company = RemittanceCompany.objects.create(code="TESTCO", name="Remesas de prueba", commission_usd=D("0"))
    for i in range(6):
        paid_on = date(2026, 3, 2) if i < 5 else date(2026, 4, 1)
        RemittancePayment.objects.create(
            company=company, company_operation_id=f"OP{i}", operation_id=f"SF-TEST-{i}", credit_number=f"15{i:08d}",
            payer="borrower" if i % 2 == 0 else "relative", us_state="CA", amount_usd=D("100.00"),
            usd_mxn_rate=D("18.5000"), amount_mxn=D("1850.00"), commission_usd=D("0"),
            paid_at=datetime(paid_on.year, paid_on.month, paid_on.day, 12, tzinfo=MX), paid_on=paid_on)
    table = compute(supervisor, "infonavit_sin_fronteras", Filters(start=date(2026, 1, 1)))
    assert [(r["month"], r["us_state"], r["operations"], r["credits"], r["payer_borrower"], r["payer_relative"],
             r["amount_usd"], r["amount_mxn"]) for r in table.rows] == [
        (date(2026, 3, 1), "CA", 5, 5, 3, 2, D("500.00"), D("9250.00"))]
    assert table.suppressed == 1  # April: one credit


def test_a_filter_the_indicator_cannot_honour_is_said_on_the_table(db):
    supervisor = make_user(Role.SUPERVISOR)
    table = compute(supervisor, "infonavit_sin_fronteras", Filters(state="JC"))
    assert "Estas cifras no se filtran por: estado." in table.notes
    assert not any("no se filtran" in note for note in compute(supervisor, "infonavit_sin_fronteras", Filters()).notes)


def test_infonavit_indicators_speak_english():
    from django.utils import translation

    from ventanilla.reports.indicators import indicators_for

    with translation.override("en"):
        titles = {indicator.name: str(indicator.title) for indicator in indicators_for("infonavit")}
    assert titles["infonavit_dla"] == "Early-payoff discount (DLA): people helped and discounts"
    assert titles["infonavit_sin_fronteras"].startswith("Infonavit Sin Fronteras: operations")
