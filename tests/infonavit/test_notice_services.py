"""Notices issued by the credit's events, against the real database: a new credit's retención, a settlement's
suspensión (once, even when replayed), an RC conversion's modificación, a prórroga and its end, an employer
change; the PDFs (worker and employer copies, read back with pypdf), the cancellation letter, the API and the
screens per role."""

import io
import uuid
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from pypdf import PdfReader

from tests.conftest import make_person, make_user
from tests.infonavit.test_relief_services import UNEMPLOYED, apply, rc_credit
from ventanilla.core.errors import DomainError, PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.infonavit import notice_selectors, notices, pdf, selectors, services
from ventanilla.infonavit.models import Credit, EmploymentRelation, Notice
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")
D = Decimal
ON = date(2026, 3, 10)


@pytest.fixture
def staff(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def approver(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def borrower(consulate_la):
    # An NSS of its own: the demo generator leaves some persons without one, and the notice prints it.
    return make_person(consulate_la, birth_date=date(1975, 5, 2), sex="H", nss="92919084431")


def originate(staff, borrower, **overrides) -> Credit:
    data = {"product": "tradicional", "denomination": "pesos", "origination_date": date(2025, 1, 15),
            "amount_lent": "100000", "rate": "10", "term_months": 120, "regime": "payroll", "state": "MN",
            "monthly_payment": "1500", "monthly_insurance_and_fees": "50", **overrides}
    return services.originate_credit(staff, borrower, **data)


def pay(actor, credit, amount, day: date, operation_id=None):
    return services.record_payment(actor, credit, amount=amount, operation_id=operation_id or uuid.uuid4().hex[:20],
                                   paid_at=datetime(day.year, day.month, day.day, 12, tzinfo=MX))


def text_of(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def kinds(credit) -> list[tuple[str, str]]:
    return [(n.event, n.kind) for n in credit.notices.order_by("id")]


# --- issued by the events ---------------------------------------------------------------------------------

def test_a_new_credit_issues_a_retention_with_the_fixed_amount(staff, borrower):
    credit = originate(staff, borrower)
    notice = credit.notices.get()
    assert (notice.kind, notice.event, notice.event_key) == ("retention", "new_credit", "new_credit")
    assert (notice.discount_type, notice.discount_value, notice.monthly_amount) == ("fixed_amount", D("1550.00"),
                                                                                      D("1550.00"))
    assert notice.issued_on == date(2025, 1, 15) and notice.effective_from == date(2025, 1, 16)
    assert notice.previous_amount is None and notice.regime == "payroll"
    assert AuditEntry.objects.filter(action="infonavit.issue_notice", object_id=str(notice.pk)).count() == 1


def test_a_vsm_credit_is_stated_as_a_factor_of_umi(staff, borrower):
    credit = originate(staff, borrower, denomination="vsm", amount_lent_vsm="1000", origination_date=date(2024, 6, 3),
                       monthly_payment="3300", monthly_insurance_and_fees="50")
    notice = credit.notices.get()
    # 2024 UMI 100.81 a day (reference-values.md): monthly 3,064.624; 3,350 / 3,064.624 = 1.0931
    assert (notice.discount_type, notice.discount_value, notice.monthly_amount) == ("umi_factor", D("1.0931"),
                                                                                      D("3349.94"))


def test_settlement_issues_one_suspension_and_a_replay_no_other(staff, borrower):
    credit = originate(staff, borrower, amount_lent="1000", monthly_payment="100", monthly_insurance_and_fees="0")
    operation = "SETTLE-1"
    pay(staff, credit, "1000.00", date(2025, 1, 20), operation_id=operation)
    pay(staff, credit, "1000.00", date(2025, 1, 20), operation_id=operation)  # the same operation again
    credit.refresh_from_db()
    assert credit.status == "settled"
    assert kinds(credit) == [("new_credit", "retention"), ("payoff", "suspension")]
    suspension = credit.notices.get(kind="suspension")
    assert (suspension.monthly_amount, suspension.discount_value, suspension.previous_amount) == (D(0), D(0),
                                                                                                  D("100.00"))
    assert suspension.issued_on == date(2025, 1, 20) and suspension.effective_from == date(2025, 1, 21)
    # issuing the same event again answers the same notice
    locked = Credit.objects.get(pk=credit.pk)
    assert notices.on_settled(staff, locked, date(2025, 1, 20)) == suspension
    assert credit.notices.count() == 2


def test_a_credit_reopened_and_settled_again_gets_a_second_suspension(staff, borrower):
    credit = originate(staff, borrower, amount_lent="1000", monthly_payment="100", monthly_insurance_and_fees="0")
    payment = pay(staff, credit, "1000.00", date(2025, 1, 20))
    services.reverse_entry(staff, payment, "cheque devuelto", on=date(2025, 1, 22))
    pay(staff, credit, "1000.00", date(2025, 1, 25))
    assert [k for _, k in kinds(credit)] == ["retention", "suspension", "suspension"]


def test_rc_conversion_issues_a_modification_to_a_fixed_amount(staff, approver, borrower):
    credit = rc_credit(staff, borrower)
    assert kinds(credit) == [("new_credit", "retention")]
    application = apply(staff, credit, "RC", {"monthly_income": "9000", "employed": "true"})
    assert credit.notices.count() == 1  # waiting for the second person: nothing changed yet
    services.approve_application(approver, application, on=ON)
    # a replay is refused as already decided: no second notice
    with pytest.raises(DomainError):
        services.approve_application(approver, application, on=ON)
    notice = credit.notices.get(event="conversion")
    application.refresh_from_db()
    assert notice.kind == "modification" and notice.application == application
    assert notice.discount_type == "fixed_amount"
    assert notice.monthly_amount == D(application.amounts["monthly_payment_after"]) + D("150")
    assert notice.previous_amount == credit.notices.get(event="new_credit").monthly_amount
    assert notice.issued_on == ON and notice.effective_from == date(2026, 3, 11)
    assert credit.notices.count() == 2


def test_prorroga_suspends_and_its_end_retains_again(staff, borrower):
    credit = originate(staff, borrower, origination_date=date(2025, 6, 15))
    application = apply(staff, credit, "PRORROGA", UNEMPLOYED, key="prorroga-1")
    apply(staff, credit, "PRORROGA", UNEMPLOYED, key="prorroga-1")  # replay: the same application
    assert kinds(credit) == [("new_credit", "retention"), ("prorroga", "suspension")]
    assert credit.notices.get(event="prorroga").monthly_amount == 0
    services.end_application(staff, application, "formal_job", on=date(2026, 5, 2))
    resumed = credit.notices.get(event="prorroga_ended")
    assert resumed.kind == "retention" and resumed.monthly_amount == D("1550.00")
    assert resumed.previous_amount == D("0.00") and resumed.effective_from == date(2026, 5, 3)


def test_employer_change_names_the_employer_and_can_state_a_percentage(staff, borrower):
    credit = originate(staff, borrower)
    job = EmploymentRelation.objects.create(person=borrower, employer_name="Constructora del Bajío SA de CV",
                                            registro_patronal="Y5412345101", started_on=date(2026, 2, 2),
                                            daily_sbc=D("450.00"))
    notice = notices.issue_employer_change(staff, credit, job, sdi_percent="25")
    assert (notice.kind, notice.event, notice.employment) == ("retention", "employer_change", job)
    assert (notice.discount_type, notice.discount_value, notice.monthly_amount) == ("sdi_percent", D("25"),
                                                                                      D("3420.00"))
    assert notices.issue_employer_change(staff, credit, job) == notice  # once per employment relation
    with pytest.raises(DomainError) as caught:
        notices.issue_employer_change(staff, credit, job, sdi_percent="150")
    assert {(e.field, e.code) for e in caught.value.errors} == {("sdi_percent", "out_of_range")}
    with pytest.raises(PermissionDeniedError):
        notices.issue_employer_change(make_user(Role.CONSULAR_OFFICER, consulate=borrower.consulate), credit, job)
    own = originate(staff, borrower, regime="own")
    with pytest.raises(DomainError) as caught:
        notices.issue_employer_change(staff, own, job)
    assert {(e.field, e.code) for e in caught.value.errors} == {("credit", "not_payroll")}
    # a later notice keeps naming the employer
    pay(staff, credit, "200000", date(2026, 2, 10))
    assert credit.notices.get(kind="suspension").employment == job


# --- documents ------------------------------------------------------------------------------------------------

def test_notice_pdf_worker_and_employer_copies(staff, borrower):
    credit = originate(staff, borrower)
    notice = credit.notices.get()
    worker = text_of(pdf.notice_pdf(notice, "worker"))
    employer = text_of(pdf.notice_pdf(notice, "employer"))
    for text in (worker, employer):
        assert "Aviso de retención de descuentos" in text and credit.number in text
        assert "Cuota fija mensual" in text and "$1,550.00" in text and borrower.nss in text
    assert "Copia para el trabajador" in worker and "Entregue la copia para el patrón" in worker
    assert "Copia para el patrón" in employer
    english = text_of(pdf.notice_pdf(notice, "employer", language="en"))
    assert "Notice of payroll discount retention" in english and "Employer's copy" in english


def test_cancellation_letter_only_for_a_settled_credit(staff, borrower):
    credit = originate(staff, borrower, amount_lent="1000", monthly_payment="100", monthly_insurance_and_fees="0")
    with pytest.raises(DomainError) as caught:
        notice_selectors.cancellation_letter(credit)
    assert caught.value.errors[0].code == "not_settled"
    pay(staff, credit, "600.00", date(2025, 1, 20))
    pay(staff, credit, "450.00", date(2025, 2, 3))  # 50 too much: kept as excess
    credit.refresh_from_db()
    letter = notice_selectors.cancellation_letter(credit)
    assert (letter.settled_on, letter.payments, letter.discounts, letter.balance) == (date(2025, 2, 3), D("1050.00"),
                                                                                      D("0.00"), D("0.00"))
    text = text_of(pdf.cancellation_letter_pdf(letter, issued_on=date(2026, 11, 30)))
    assert "Carta de cancelación de hipoteca" in text and credit.number in text and "$1,050.00" in text
    assert "Registro Público de la Propiedad" in text


# --- screens and API per role -----------------------------------------------------------------------------

def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_screens_and_api(staff, borrower, consulate_chicago):
    credit = originate(staff, borrower, amount_lent="1000", monthly_payment="100", monthly_insurance_and_fees="0")
    own = client_for(make_user(Role.DERECHOHABIENTE, person=borrower))
    notice = credit.notices.get()
    page = own.get(f"/infonavit/creditos/{credit.number}/avisos/")
    assert page.status_code == 200 and "Aviso de retención de descuentos" in page.content.decode()
    assert f"/infonavit/creditos/{credit.number}/avisos/" in own.get(f"/infonavit/creditos/{credit.number}/") \
        .content.decode()
    refused = own.get(f"/infonavit/creditos/{credit.number}/carta-cancelacion.pdf")
    assert refused.status_code == 422
    assert "Solo un crédito liquidado tiene carta de cancelación de hipoteca" in refused.content.decode()
    for slug in ("trabajador", "patron"):
        response = own.get(f"/infonavit/creditos/{credit.number}/avisos/{notice.pk}/{slug}.pdf")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert own.get(f"/infonavit/creditos/{credit.number}/avisos/{notice.pk}/otro.pdf").status_code == 404
    answer = own.get(f"/api/v1/infonavit/credits/{credit.number}/notices").json()
    assert answer["cancellation_letter_pdf"] is None and answer["status"] == "active"
    assert [(n["kind"], n["monthly_amount"]) for n in answer["notices"]] == [("retention", "100.00")]
    assert set(answer["notices"][0]["pdf"]) == {"worker", "employer"}

    pay(staff, credit, "1000.00", date(2025, 1, 20))
    answer = own.get(f"/api/v1/infonavit/credits/{credit.number}/notices").json()
    assert [n["kind"] for n in answer["notices"]] == ["suspension", "retention"]
    letter = own.get(answer["cancellation_letter_pdf"])
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")

    stranger = client_for(make_user(Role.DERECHOHABIENTE, person=make_person(consulate_chicago)))
    assert stranger.get(f"/infonavit/creditos/{credit.number}/avisos/").status_code == 404
    assert stranger.get(f"/api/v1/infonavit/credits/{credit.number}/notices").status_code == 404
    assert stranger.get(f"/infonavit/creditos/{credit.number}/carta-cancelacion.pdf").status_code == 404
    officer_elsewhere = client_for(make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago))
    assert officer_elsewhere.get(f"/infonavit/creditos/{credit.number}/avisos/{notice.pk}/trabajador.pdf") \
        .status_code == 404
    assert client_for(make_user(Role.IMSS_STAFF)).get(f"/infonavit/creditos/{credit.number}/avisos/") \
        .status_code == 403


def test_own_payment_credit_has_no_employer_copy(staff, borrower):
    credit = originate(staff, borrower, regime="own")
    notice = credit.notices.get()
    assert notice_selectors.copies(notice) == ("worker",)
    client = client_for(staff)
    assert client.get(f"/infonavit/creditos/{credit.number}/avisos/{notice.pk}/patron.pdf").status_code == 404
    assert client.get(f"/infonavit/creditos/{credit.number}/avisos/{notice.pk}/trabajador.pdf").status_code == 200
    assert set(client.get(f"/api/v1/infonavit/credits/{credit.number}/notices").json()["notices"][0]["pdf"]) == {
        "worker"}
    assert selectors.get_visible_credit(staff, credit.number) == credit
    assert Notice.objects.filter(credit=credit).count() == 1


def test_recording_a_new_job_issues_the_retention_for_payroll_credits_only(staff, borrower):
    from ventanilla.infonavit import savings_services

    payroll = originate(staff, borrower)
    own = originate(staff, borrower, regime="own")
    settled = originate(staff, borrower, amount_lent="1000", monthly_payment="100", monthly_insurance_and_fees="0")
    pay(staff, settled, "1000.00", date(2025, 1, 20))
    old = savings_services.record_employment(staff, borrower, employer_name="Taller Morelia",
                                             registro_patronal="A1234567890", started_on=date(2020, 1, 6),
                                             ended_on=None, daily_sbc="300")
    assert not Notice.objects.filter(employment=old).exists()  # before the credits: no change of employer
    job = savings_services.record_employment(staff, borrower, employer_name="Constructora del Bajío SA de CV",
                                             registro_patronal="y5412345101", started_on=date(2026, 2, 2),
                                             ended_on=None, daily_sbc="450.00")
    notice = Notice.objects.get(employment=job)
    assert (notice.credit, notice.kind, notice.event) == (payroll, "retention", "employer_change")
    assert notice.effective_from == date(2026, 2, 3) and notice.monthly_amount == D("1550.00")
    assert own.notices.count() == 1 and settled.notices.count() == 2
    text = text_of(pdf.notice_pdf(notice, "employer"))
    assert "Constructora del Bajío SA de CV" in text and "Y5412345101" in text


# --- review fix (fix5b): a discount reversed with its payment is not on the cancellation letter ----------------

def test_cancellation_letter_nets_a_discount_reversed_with_its_payment(staff, borrower):
    from tests.infonavit.test_relief_services import dla_credit
    from tests.infonavit.test_relief_services import pay as pay_on
    credit = dla_credit(staff, borrower)
    apply(staff, credit, "DLA", on=date(2026, 3, 10))
    payment = pay_on(staff, credit, "10000", date(2026, 3, 20))  # settles with a 10,000 DLA discount
    services.reverse_entry(staff, payment, "cheque rebotado", on=date(2026, 3, 25))  # the discount goes too
    pay_on(staff, credit, "20000", date(2026, 3, 26))
    credit.refresh_from_db()
    letter = notice_selectors.cancellation_letter(credit)
    assert (letter.settled_on, letter.payments, letter.discounts, letter.balance) == (
        date(2026, 3, 26), D("100000.00"), D("0.00"), D("0.00"))
