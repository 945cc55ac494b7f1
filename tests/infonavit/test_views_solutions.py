"""The relief-solution screens through Django's test client: the public simulator, a stored credit's
solutions, preview, apply and letter, staff approvals, each refusal with its message, and who sees what."""

import re
import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import make_person, make_user
from ventanilla.core.calendar import add_months
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.models import Credit, SolutionApplication
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db

SIMULATE = "/infonavit/soluciones/simular/"
MX = ZoneInfo("America/Mexico_City")
D = Decimal
TODAY = date(2026, 11, 30)  # inside the RC window (9th to the month's end); DLA amounts shown (from the 10th)
# An employed borrower earning less than at origination, a year in the job: Solución a tu Medida applies.
LOWER_INCOME = {"employed": "true", "monthly_income": "10000", "income_at_origination": "15000",
                "months_in_current_job": "12"}

# The RC example of tests/infonavit/test_api_solutions.py, as the simulator form sends it (GET).
FACTS = {
    "as_of": "2026-03-10", "product": "tradicional", "denomination": "vsm", "origination_date": "2005-06-15",
    "amount_lent": "250000.00", "balance": "520000.00", "monthly_payment": "3200.00",
    "monthly_insurance_and_fees": "150.00", "rate": "9.00", "remaining_months": "120", "missed_payments": "0",
    "payments_made": "240", "borrower_birth_date": "1975-05-02", "borrower_sex": "H", "monthly_income": "9000.00",
    "monthly_pension": "0", "contributing_to_imss": "on", "employed": "on",
}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def field_errors(response, field: str) -> str:
    """The error list rendered next to a field by web/_field.html."""
    match = re.search(rf'<ul class="errors" id="id_{field}_error">(.*?)</ul>', response.content.decode(), re.S)
    return match.group(1) if match else ""


def solution(response, code: str) -> str:
    """The text of one solution's card."""
    match = re.search(rf'<article class="solution [a-z]+" id="solution-{code}".*?</article>',
                      response.content.decode(), re.S)
    assert match, f"no card for {code}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


# --- the simulator ------------------------------------------------------------------------------------

def test_simulator_answers_the_nine_solutions_without_an_account(client):
    response = client.get(SIMULATE, FACTS)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r'id="solution-([A-Z_]+)"', page) == ["RC", "DLA", "BCN", "JUBILADOS", "DCP", "STM",
                                                          "PARO_TECNICO", "FPP", "PRORROGA"]
    rc = solution(response, "RC")
    # The worked example of the API test: 3.55 % by income band, 322,840.15 repays the rest of the term.
    assert "Procede" in rc and "No procede" not in rc
    assert "$322,840.15 MXN" in rc and "$197,159.85 MXN" in rc and "3.55 %" in rc and "$3,350.00 MXN" in rc
    assert "31 de marzo de 2026" in rc  # apply by the last day of the month
    dla = solution(response, "DLA")
    assert "No procede" in dla
    assert "El saldo debe ser de hasta el 25 % del monto otorgado (62,500.00 pesos); es de 520,000.00." in dla
    # The assumed terms are listed for staff to see which values are assumed.
    assumed = text(response)
    assert "Valores supuestos" in assumed and "Dictamen de Capacidad de Pago: se paga el 50 %" in assumed


def test_simulator_lists_every_reason_of_a_refusal(client):
    response = client.get(SIMULATE, {**FACTS, "denomination": "pesos", "cofinanced": "on"})
    rc = solution(response, "RC")
    assert "No procede" in rc
    assert "Solo se convierten créditos en veces salario mínimo (VSM)." in rc
    assert "Los créditos cofinanciados no pueden convertirse a pesos." in rc


def test_simulator_speaks_english_when_asked(client):
    response = client.get(SIMULATE, {**FACTS, "denomination": "pesos"}, HTTP_ACCEPT_LANGUAGE="en")
    rc = solution(response, "RC")
    assert "Only credits in multiples of the minimum wage (VSM) convert." in rc
    assert "March 31, 2026" not in rc  # refused: no terms
    assert "Not eligible" in rc


def test_simulator_shows_its_form_first_then_errors_next_to_each_field(client):
    first = client.get(SIMULATE)
    assert first.status_code == 200 and 'id="results"' not in first.content.decode()
    response = client.get(SIMULATE, {**FACTS, "balance": "abc", "rate": "120", "amount_lent": "0",
                                     "borrower_birth_date": "2030-01-01"})
    assert response.status_code == 422 and 'id="results"' not in response.content.decode()
    assert "Escriba un importe en pesos" in field_errors(response, "balance")
    assert "menor que 100" in field_errors(response, "rate")
    assert "mayor que cero" in field_errors(response, "amount_lent")
    assert "posterior" in field_errors(response, "borrower_birth_date")
    too_long = client.get(SIMULATE, {**FACTS, "remaining_months": "900"})
    assert too_long.status_code == 422 and field_errors(too_long, "remaining_months")  # 600 months at most


def test_simulator_date_without_parameters_is_explained_next_to_the_date(client):
    response = client.get(SIMULATE, {**FACTS, "as_of": "1990-06-01", "origination_date": "1985-01-01",
                                     "borrower_birth_date": "1950-01-01"})
    assert response.status_code == 422
    assert "1990-06-01" in field_errors(response, "as_of")


def test_simulator_shares_the_public_rate_limit(client, settings, consulate_la):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 2
    assert [client.get(SIMULATE, FACTS).status_code for _ in range(3)] == [200, 200, 429]
    officer = signed_in(make_user(Role.CONSULAR_OFFICER, consulate=consulate_la))
    assert officer.get(SIMULATE, FACTS).status_code == 200  # staff at the window are not throttled


# --- stored credits, built through the services -----------------------------------------------------------

def pin_today(monkeypatch, day: date = TODAY) -> date:
    """The screens and services read today from timezone.localdate(): pin it so windows do not depend on the
    day the suite runs (the browser's live server runs in this process too)."""
    real = timezone.localdate
    monkeypatch.setattr("django.utils.timezone.localdate",
                        lambda value=None, timezone=None: day if value is None else real(value, timezone))
    return day


def make_cast(consulate) -> dict:
    """Two Infonavit staff (the one who asks and the second person), an officer of the consulate and a
    borrower of it, 51 years old on TODAY."""
    person = make_person(consulate, birth_date=date(1975, 5, 2), sex="H", mx_state="MN", mx_municipality="Morelia")
    return {"staff": make_user(Role.INFONAVIT_STAFF, "infonavit.alta"),
            "approver": make_user(Role.INFONAVIT_STAFF, "infonavit.aprueba"),
            "officer": make_user(Role.CONSULAR_OFFICER, "consul.soluciones", consulate=consulate),
            "borrower": make_user(Role.DERECHOHABIENTE, "acreditada", person=person), "person": person}


@pytest.fixture
def fixed_today(monkeypatch):
    return pin_today(monkeypatch)


@pytest.fixture
def cast(consulate_la):
    return make_cast(consulate_la)


def pesos_credit(staff, person) -> Credit:
    """A pesos Crédito Infonavit from 2020 with nothing overdue: Solución a tu Medida for a lower income."""
    return services.originate_credit(staff, person, product="tradicional", denomination="pesos",
                                     origination_date=date(2020, 1, 15), amount_lent="500000", rate="10",
                                     term_months=240, regime="own", state="MN", monthly_insurance_and_fees="100")


def rc_credit(staff, person, today: date = TODAY) -> Credit:
    """A VSM Crédito Tradicional from 2005 that meets every RC condition on `today`: 36 % a year on 100,000
    with a 500 payment grows the balance past 1.5 × the amount lent in the 24 months before, each billed
    (post_monthly_accrual) and paid in full (record_payment) in the month."""
    credit = services.originate_credit(staff, person, product="tradicional", denomination="vsm",
                                       origination_date=date(2005, 6, 15), amount_lent="100000",
                                       amount_lent_vsm="2000", rate="36", term_months=360, regime="own", state="MN",
                                       monthly_payment="500", monthly_insurance_and_fees="50")
    first = add_months(today.replace(day=1), -24)
    for index in range(24):
        month = add_months(first, index)
        services.post_monthly_accrual(staff, credit, month)
        services.record_payment(staff, credit, amount="550", paid_at=datetime(month.year, month.month, 20, 12,
                                                                               tzinfo=MX),
                                operation_id=uuid.uuid4().hex[:20])
    return credit


def url(credit, tail="") -> str:
    return f"/infonavit/creditos/{credit.number}/soluciones/{tail}"


def confirm_key(response) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', response.content.decode()).group(1)


def test_the_borrower_sees_the_nine_solutions_with_reasons_and_may_declare_facts(fixed_today, cast):
    staff, borrower = cast["staff"], cast["borrower"]
    credit = pesos_credit(staff, borrower.person)
    client = signed_in(borrower)
    first = client.get(url(credit))
    assert first.status_code == 200
    assert re.findall(r'id="solution-([A-Z_]+)"', first.content.decode())[0] == "RC"
    assert "Solo se convierten créditos en veces salario mínimo (VSM)." in solution(first, "RC")
    # nothing declared: no formal job, so the unemployment fund comes before a Dictamen
    assert "Primero debe usarse el Fondo de Protección de Pagos" in solution(first, "DCP")
    declared = client.get(url(credit), LOWER_INCOME)
    assert "No procede" not in solution(declared, "DCP")  # employed, earning less than at origination
    stm = solution(declared, "STM")
    assert "Procede" in stm and "No procede" not in stm
    installment = selectors.credit_summary(credit, TODAY).installment
    assert f"${installment * D('0.75'):,.2f} MXN" in stm  # 75 % of the installment (assumed share)
    assert f'href="/infonavit/creditos/{credit.number}/soluciones/STM/?' in declared.content.decode()


def test_a_declared_fact_refused_is_shown_next_to_its_field(fixed_today, cast):
    staff, borrower = cast["staff"], cast["borrower"]
    credit = pesos_credit(staff, borrower.person)
    response = signed_in(borrower).get(url(credit), {"monthly_income": "mucho", "months_in_current_job": "-3"})
    assert response.status_code == 422
    assert "Escriba un importe en pesos" in field_errors(response, "monthly_income")
    assert "número entero de meses" in field_errors(response, "months_in_current_job")
    assert 'id="results"' not in response.content.decode()


def test_preview_confirm_applies_once_and_shows_the_application_and_its_letter(fixed_today, cast):
    staff, borrower = cast["staff"], cast["borrower"]
    credit = pesos_credit(staff, borrower.person)
    client = signed_in(borrower)
    preview = client.get(url(credit, "STM/"), LOWER_INCOME)
    assert preview.status_code == 200
    page = text(preview)
    assert "Vista previa" in page and "Reestructura (nuevas condiciones)" in page  # the ledger entry it implies
    assert "Se aplica al confirmar." in page and "Doce meses, renovable si se pagó a tiempo." in page
    key = confirm_key(preview)
    data = {**LOWER_INCOME, "idempotency_key": key}
    response = client.post(url(credit, "STM/"), data)
    (application,) = SolutionApplication.objects.filter(credit=credit)
    assert response.status_code == 302 and response["Location"] == f"/infonavit/solicitudes/{application.pk}/"
    assert application.status == "active" and application.channel == "portal" and application.code == "STM"
    again = client.post(url(credit, "STM/"), data)  # a double submit: the same application, applied once
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert SolutionApplication.objects.filter(credit=credit).count() == 1
    page = client.get(response["Location"])
    assert page.status_code == 200
    shown = text(page)
    assert "Vigente" in shown and "Solución a tu Medida" in shown and "Reestructura (nuevas condiciones)" in shown
    assert f'href="/infonavit/solicitudes/{application.pk}/carta.pdf"' in page.content.decode()
    letter = client.get(f"/infonavit/solicitudes/{application.pk}/carta.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF") and letter["Cache-Control"] == "private, no-store"
    assert f"carta-stm-{credit.number}-{application.pk}.pdf" in letter["Content-Disposition"]
    # now in force: Solución a tu Medida is offered again only as its renewal
    assert "Es una renovación Sí" in solution(client.get(url(credit), LOWER_INCOME), "STM")


def test_confirming_an_ineligible_solution_shows_every_reason(fixed_today, cast):
    staff, borrower = cast["staff"], cast["borrower"]
    credit = pesos_credit(staff, borrower.person)
    client = signed_in(borrower)
    preview = client.get(url(credit, "RC/"))
    assert preview.status_code == 200 and 'id="confirm"' not in preview.content.decode()
    response = client.post(url(credit, "RC/"), {"idempotency_key": uuid.uuid4().hex})
    assert response.status_code == 422
    refusal = re.search(r'id="refusal">(.*?)</div>', response.content.decode(), re.S).group(1)
    assert "Solo se convierten créditos en veces salario mínimo (VSM)." in refusal
    assert "La persona acreditada debe tener" not in refusal  # 51 years old: that condition is met
    english = client.post(url(credit, "RC/"), {"idempotency_key": uuid.uuid4().hex}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Only credits in multiples of the minimum wage (VSM) convert." in text(english)
    assert not SolutionApplication.objects.filter(credit=credit).exists()
    missing_key = client.post(url(credit, "STM/"), LOWER_INCOME)
    assert missing_key.status_code == 422 and not SolutionApplication.objects.exists()


def test_officer_applies_rc_staff_approves_on_the_pending_list(fixed_today, cast):
    staff, approver, officer, borrower_person = cast["staff"], cast["approver"], cast["officer"], cast["person"]
    credit = rc_credit(staff, borrower_person)
    client = signed_in(officer)
    declared = {"monthly_income": "9000", "employed": "true"}
    preview = client.get(url(credit, "RC/"), declared)
    page = text(preview)
    assert "Perdona dinero: la aprueba una segunda persona del Infonavit antes de aplicarse." in page
    assert "Descuento" in page and "Conversión a pesos" in page and "Se solicita del día 9" in page
    response = client.post(url(credit, "RC/"), {**declared, "idempotency_key": confirm_key(preview)})
    application = SolutionApplication.objects.get(credit=credit)
    assert response.status_code == 302 and application.status == "pending_approval"
    assert application.channel == "window"
    assert "espera la aprobación de una segunda persona" in text(client.get(response["Location"]))
    balance_before = selectors.ledger_state(credit).balance_after

    pending = signed_in(approver).get("/infonavit/solicitudes/pendientes/")
    assert pending.status_code == 200 and f'id="application-{application.pk}"' in pending.content.decode()
    assert "Responsabilidad Compartida" in text(pending) and credit.number in text(pending)
    approved = signed_in(approver).post(f"/infonavit/solicitudes/{application.pk}/aprobar/")
    assert approved.status_code == 302
    application.refresh_from_db()
    credit.refresh_from_db()
    assert application.status == "completed" and application.decided_by == approver
    discount = D(application.amounts["discount"])
    assert discount > 0 and selectors.ledger_state(credit).balance_after == balance_before - discount
    assert credit.denomination == "pesos"
    assert f'id="application-{application.pk}"' not in signed_in(approver).get(
        "/infonavit/solicitudes/pendientes/").content.decode()


def test_the_requester_cannot_approve_their_own_and_sees_why(fixed_today, cast):
    staff, borrower_person = cast["staff"], cast["person"]
    credit = rc_credit(staff, borrower_person)
    application = services.apply_solution(staff, credit, "RC", declared={"monthly_income": "9000"},
                                          idempotency_key="own-1", channel="staff")
    client = signed_in(staff)
    pending = client.get("/infonavit/solicitudes/pendientes/")
    assert "Usted la registró: la decide otra persona." in text(pending)
    response = client.post(f"/infonavit/solicitudes/{application.pk}/aprobar/")
    assert response.status_code == 422
    assert "La solicitud debe decidirla una persona distinta de quien la registró." in text(response)
    application.refresh_from_db()
    assert application.status == "pending_approval"


def test_staff_refuse_with_a_reason_the_officer_sees_it(fixed_today, cast):
    staff, approver, officer, borrower_person = cast["staff"], cast["approver"], cast["officer"], cast["person"]
    credit = rc_credit(staff, borrower_person)
    application = services.apply_solution(officer, credit, "RC", declared={"monthly_income": "9000"},
                                          idempotency_key="refuse-1", channel="window")
    client = signed_in(approver)
    blank = client.post(f"/infonavit/solicitudes/{application.pk}/rechazar/", {"reason": "  "})
    assert blank.status_code == 422 and "Indique el motivo del rechazo" in text(blank)
    refused = client.post(f"/infonavit/solicitudes/{application.pk}/rechazar/",
                          {"reason": "El ingreso declarado no coincide con el comprobante."})
    assert refused.status_code == 302
    page = signed_in(officer).get(f"/infonavit/solicitudes/{application.pk}/")
    reason = re.search(r'id="refusal-reason">(.*?)</div>', page.content.decode(), re.S).group(1)
    assert "Solicitud rechazada." in reason and "El ingreso declarado no coincide con el comprobante." in reason
    assert "carta.pdf" not in page.content.decode()
    english = signed_in(officer).get(f"/infonavit/solicitudes/{application.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Application refused." in text(english)


def test_staff_end_a_solution_in_force(fixed_today, cast):
    staff, borrower = cast["staff"], cast["borrower"]
    credit = pesos_credit(staff, borrower.person)
    application = services.apply_solution(borrower, credit, "STM", declared=LOWER_INCOME, idempotency_key="end-1",
                                          channel="portal")
    assert signed_in(borrower).post(f"/infonavit/solicitudes/{application.pk}/terminar/",
                                    {"reason": "cancelled"}).status_code == 403
    client = signed_in(staff)
    bad = client.post(f"/infonavit/solicitudes/{application.pk}/terminar/", {"reason": "boredom"})
    assert bad.status_code == 422
    ended = client.post(f"/infonavit/solicitudes/{application.pk}/terminar/", {"reason": "cancelled"})
    assert ended.status_code == 302
    application.refresh_from_db()
    assert application.status == "ended" and application.end_reason == "cancelled"
    assert "La persona acreditada la cancela" in text(client.get(ended["Location"]))


def test_who_sees_a_credits_solutions_and_applications(fixed_today, consulate_chicago, cast):
    staff, borrower = cast["staff"], cast["borrower"]
    credit = pesos_credit(staff, borrower.person)
    application = services.apply_solution(borrower, credit, "STM", declared=LOWER_INCOME, idempotency_key="see-1",
                                          channel="portal")
    other = make_user(Role.DERECHOHABIENTE, person=make_person(borrower.person.consulate))
    chicago_officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago)
    for user in (other, chicago_officer):
        client = signed_in(user)
        assert client.get(url(credit)).status_code == 404
        assert client.get(url(credit, "STM/")).status_code == 404
        assert client.get(f"/infonavit/solicitudes/{application.pk}/").status_code == 404
    for role in (Role.IMSS_STAFF, Role.SUPERVISOR):
        assert signed_in(make_user(role)).get(url(credit)).status_code == 403
    assert signed_in(borrower).get("/infonavit/solicitudes/pendientes/").status_code == 403
    assert signed_in(borrower).get(url(credit, "XYZ/")).status_code == 404


def test_a_key_reused_for_another_solution_is_a_conflict_not_a_second_application(fixed_today, cast):
    staff, borrower = cast["staff"], cast["borrower"]
    credit = pesos_credit(staff, borrower.person)
    client = signed_in(borrower)
    key = confirm_key(client.get(url(credit, "STM/"), LOWER_INCOME))
    assert client.post(url(credit, "STM/"), {**LOWER_INCOME, "idempotency_key": key}).status_code == 302
    response = client.post(url(credit, "DCP/"), {**LOWER_INCOME, "idempotency_key": key})
    assert response.status_code == 409 and "ya se usó con otra solicitud" in text(response)
    assert list(SolutionApplication.objects.values_list("code", flat=True)) == ["STM"]


def test_the_menus_lead_to_the_simulator_and_the_approval_queue(cast):
    def menu(user) -> str:
        return re.search(r'<ul class="menu">(.*?)</ul>', signed_in(user).get("/infonavit/soluciones/simular/")
                         .content.decode(), re.S).group(1)

    for user in (cast["officer"], cast["staff"], make_user(Role.ADMINISTRATOR)):
        assert 'href="/infonavit/soluciones/simular/"' in menu(user)
    for user in (cast["staff"], make_user(Role.ADMINISTRATOR)):
        assert 'href="/infonavit/solicitudes/pendientes/"' in menu(user)
    assert "/infonavit/solicitudes/pendientes/" not in menu(cast["officer"])
    assert "/infonavit/solicitudes/pendientes/" not in menu(cast["borrower"])
