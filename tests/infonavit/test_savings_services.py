"""SCV services on the real database: contributions, returns once per month, a voluntary deposit paid through a
bank file, refunds with documents, four eyes, the deadline and the emptied subaccount."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import make_person, make_user
from ventanilla.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.imss.demo import bank_file_for
from ventanilla.infonavit import refunds_services as refunds
from ventanilla.infonavit import savings_selectors as selectors
from ventanilla.infonavit import savings_services as services
from ventanilla.infonavit.models import RefundRequest, SavingsMovement
from ventanilla.payments import services as payments
from ventanilla.people.models import Role

MX = ZoneInfo("America/Mexico_City")
TODAY = date(2026, 11, 30)
CLABE = "032180000118359719"  # Banxico's published example: check digit 9


def pdf(name="doc.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", content_type="application/pdf")


@pytest.fixture
def staff(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def saver(consulate_la, staff):
    person = make_person(consulate_la)
    services.record_employment(staff, person, employer_name="Constructora del Bajío SA de CV",
                               registro_patronal="Y5412345106", started_on=date(2025, 1, 1),
                               ended_on=date(2025, 12, 31), daily_sbc="600.00")
    return person


def field_codes(exc) -> dict[str, str]:
    return {error.field: error.code for error in exc.value.errors}


def test_contributions_are_posted_once_with_a_running_balance(staff, saver):
    assert services.post_contributions(staff, until=TODAY, persons=[saver.pk]) == 6
    assert services.post_contributions(staff, until=TODAY, persons=[saver.pk]) == 0  # idempotent
    rows = list(SavingsMovement.objects.filter(person=saver).order_by("sequence"))
    # 2025: 59 + 61 + 61 + 62 + 61 + 61 days at 600.00, 5 % each.
    assert [m.amount for m in rows] == [Decimal("1770.00"), Decimal("1830.00"), Decimal("1830.00"),
                                        Decimal("1860.00"), Decimal("1830.00"), Decimal("1830.00")]
    assert rows[-1].balance_after == sum(m.amount for m in rows) == Decimal("10950.00")
    summary = selectors.savings_summary(saver)
    assert summary.total == Decimal("10950.00") and summary.return_rate_assumed
    assert [p.balance for p in summary.periods] == [Decimal("0.00"), Decimal("0.00"), Decimal("10950.00")]


def test_returns_are_credited_once_per_period_and_month(staff, saver):
    services.record_opening_balance(staff, saver, savings_period="scv_92", amount=Decimal("3000.00"),
                                    on=date(1997, 6, 30))
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    first = services.credit_returns(staff, date(2026, 11, 1), persons=[saver.pk])
    again = services.credit_returns(staff, date(2026, 11, 15), persons=[saver.pk])
    # 4 % / 12 of 3,000.00 = 10.00 and of 10,950.00 = 36.50.
    assert (first["movements"], first["total"], first["assumed"]) == (2, Decimal("46.50"), True)
    assert (again["movements"], again["total"]) == (0, 0)
    assert selectors.balances(saver.pk)["scv_92"] == Decimal("3010.00")
    assert AuditEntry.objects.filter(action="infonavit.credit_returns").count() == 1


def test_only_infonavit_staff_post_to_the_subaccount(consulate_la, saver):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    with pytest.raises(PermissionDeniedError):
        services.post_contributions(officer, until=TODAY)
    with pytest.raises(DomainError) as exc:
        services.record_employment(make_user(Role.ADMINISTRATOR), saver, employer_name="", registro_patronal="x",
                                   started_on=date(2020, 1, 1), ended_on=date(2019, 1, 1), daily_sbc="-3")
    assert field_codes(exc) == {"employer_name": "required", "registro_patronal": "invalid",
                                "ended_on": "before_start", "daily_sbc": "invalid_amount"}


def test_a_deposit_paid_by_a_bank_file_credits_the_scv_once(staff, saver):
    citizen = make_user(Role.DERECHOHABIENTE, person=saver)
    deposit, created = services.request_voluntary_deposit(citizen, saver.pk, amount="2500.00",
                                                          idempotency_key="dep-1", on=TODAY)
    again, created_again = services.request_voluntary_deposit(citizen, saver.pk, amount="2500.00",
                                                              idempotency_key="dep-1", on=TODAY)
    assert created and not created_again and again.pk == deposit.pk
    with pytest.raises(ConflictError):
        services.request_voluntary_deposit(citizen, saver.pk, amount="99.00", idempotency_key="dep-1")
    reference = deposit.reference
    assert (reference.owner_kind, reference.amount, reference.due_date) == (
        "infonavit.voluntary_deposit", Decimal("2500.00"), date(2026, 12, 30))
    content = bank_file_for([(deposit.pk, reference.code, reference.amount)],
                            datetime(2026, 11, 27, 10, 0, tzinfo=MX), "SCV")
    imported = payments.import_payment_file(staff, filename="dep.csv", content=content)
    assert (imported.lines_applied, imported.lines_rejected) == (1, 0)
    payments.import_payment_file(staff, filename="dep.csv", content=content)  # same file again: nothing new
    deposit.refresh_from_db()
    movement = SavingsMovement.objects.get(person=saver, kind="voluntary")
    assert (deposit.status, movement.amount, movement.savings_period, movement.posted_on) == (
        "paid", Decimal("2500.00"), "scv_97", date(2026, 11, 27))
    assert selectors.savings_summary(saver).voluntary == Decimal("2500.00")


def test_a_person_asks_deposits_only_for_their_own_subaccount(consulate_la, consulate_chicago, saver):
    other = make_person(consulate_chicago)
    citizen = make_user(Role.DERECHOHABIENTE, person=saver)
    with pytest.raises(NotFoundError):
        services.request_voluntary_deposit(citizen, other.pk, amount="10.00", idempotency_key="x")
    with pytest.raises(PermissionDeniedError):
        services.request_voluntary_deposit(make_user(Role.IMSS_STAFF), saver.pk, amount="10.00",
                                           idempotency_key="x")
    with pytest.raises(DomainError) as exc:
        services.request_voluntary_deposit(citizen, saver.pk, amount="10.001", idempotency_key="y")
    assert field_codes(exc) == {"amount": "invalid_amount"}


def request(actor, person, **overrides):
    data = {"claimant": "worker", "basis": "pension_resolution", "afore": "Afore Azteca", "clabe": CLABE,
            "bank_statement_date": date(2026, 11, 2), "idempotency_key": "ref-1", "today": TODAY,
            "documents": {"pension_resolution": pdf(), "bank_statement": pdf("estado.pdf")}}
    data.update(overrides)
    return refunds.request_refund(actor, person.pk, **data)


def test_refund_through_approval_and_payment_empties_the_subaccount(staff, saver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.record_opening_balance(staff, saver, savings_period="fondo_72", amount=Decimal("1200.00"),
                                    on=date(1992, 2, 29))
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    citizen = make_user(Role.DERECHOHABIENTE, person=saver)
    refund, created = request(citizen, saver)
    assert created and refund.status == "pending"
    assert request(citizen, saver)[0].pk == refund.pk  # the same key: the same request
    stored = sorted(d.kind for d in refund.documents.all())
    assert stored == ["bank_statement", "pension_resolution"]
    assert all((tmp_path / d.file.name).exists() for d in refund.documents.all())
    assert CLABE not in str(AuditEntry.objects.get(action="infonavit.request_refund").after)

    with pytest.raises(PermissionDeniedError):
        refunds.approve_refund(citizen, refund)  # a borrower never decides
    second = make_user(Role.INFONAVIT_STAFF)
    refund = refunds.approve_refund(second, refund, today=TODAY)
    assert (refund.status, refund.due_on) == ("approved", date(2026, 12, 14))
    assert refunds.payment_instruction(refund)["amount"] == Decimal("12150.00")
    assert not selectors.refund_is_overdue(refund, date(2026, 12, 14))
    assert selectors.refund_is_overdue(refund, date(2026, 12, 15))

    paid = refunds.mark_refund_paid(second, refund, spei_tracking="MBAN01002612140001", paid_on=date(2026, 12, 10))
    assert (paid.status, paid.amount) == ("paid", Decimal("12150.00"))
    assert refunds.mark_refund_paid(second, refund, spei_tracking="MBAN01002612140001").pk == refund.pk  # replay
    assert selectors.balances(saver.pk) == {"fondo_72": Decimal("0.00"), "scv_92": Decimal("0.00"),
                                             "scv_97": Decimal("0.00")}
    assert SavingsMovement.objects.filter(person=saver, kind="refund").count() == 2
    assert SavingsMovement.objects.filter(person=saver).order_by("-sequence").first().balance_after == 0


def test_four_eyes_the_filer_cannot_decide(staff, saver, settings, tmp_path, consulate_la):
    settings.MEDIA_ROOT = tmp_path
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    refund, _ = request(staff, saver)
    with pytest.raises(DomainError) as exc:
        refunds.approve_refund(staff, refund)
    assert field_codes(exc) == {"refund": "four_eyes"}
    refused = refunds.refuse_refund(make_user(Role.ADMINISTRATOR), refund, "Resolución ilegible")
    assert (refused.status, refused.refusal_reason) == ("refused", "Resolución ilegible")


def test_an_ineligible_request_is_refused_with_every_reason_and_nothing_stored(staff, saver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    citizen = make_user(Role.DERECHOHABIENTE, person=saver)
    with pytest.raises(DomainError) as exc:
        request(citizen, saver, clabe="032180000118359710", bank_statement_date=date(2026, 8, 1),
                documents={"pension_resolution": pdf()})
    assert field_codes(exc) == {"clabe": "clabe_invalid", "bank_statement_date": "bank_statement_too_old",
                                "person": "nothing_to_refund", "documents.bank_statement": "missing_bank_statement"}
    assert not RefundRequest.objects.exists()


def test_documents_are_checked_for_type_and_size(staff, saver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    citizen = make_user(Role.DERECHOHABIENTE, person=saver)
    fake = SimpleUploadedFile("resolucion.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(DomainError) as exc:
        request(citizen, saver, documents={"pension_resolution": fake, "bank_statement": pdf()})
    assert field_codes(exc) == {"documents.pension_resolution": "bad_type"}
    settings.REFUND_DOCUMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("a.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(DomainError) as exc:
        request(citizen, saver, documents={"pension_resolution": big, "bank_statement": pdf()})
    assert field_codes(exc) == {"documents.pension_resolution": "too_large"}


def test_an_heir_claims_at_the_window_with_the_death_certificate(staff, saver, settings, tmp_path, consulate_la):
    settings.MEDIA_ROOT = tmp_path
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    citizen = make_user(Role.DERECHOHABIENTE, person=saver)
    with pytest.raises(DomainError) as exc:
        request(citizen, saver, claimant="spouse", claimant_name="María López")
    assert field_codes(exc) == {"claimant": "heir_at_window"}
    with pytest.raises(DomainError) as exc:
        request(officer, saver, claimant="spouse", claimant_name="María López")
    assert field_codes(exc) == {"documents.death_certificate": "missing_death_certificate"}
    refund, _ = request(officer, saver, claimant="spouse", claimant_name="María López",
                        documents={"pension_resolution": pdf(), "bank_statement": pdf(),
                                   "death_certificate": pdf("acta.pdf")})
    assert (refund.claimant, refund.documents.count()) == ("spouse", 3)
    with pytest.raises(DomainError) as exc:
        request(officer, saver, idempotency_key="ref-2")  # one request in progress per subaccount
    assert field_codes(exc) == {"person": "refund_in_progress"}


# --- review fixes (fix5b): stored extension from the detected type; no file left after a rollback ---------------

def test_a_document_is_stored_with_the_extension_of_its_detected_type(staff, saver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    citizen = make_user(Role.DERECHOHABIENTE, person=saver)
    disguised = SimpleUploadedFile("x.html", b"%PDF-1.4\n<script>alert(1)</script>", content_type="text/html")
    refund, _ = request(citizen, saver, documents={"pension_resolution": disguised, "bank_statement": pdf()})
    document = refund.documents.get(kind="pension_resolution")
    assert document.content_type == "application/pdf"
    assert document.file.name.endswith(".pdf") and "x.html" not in document.file.name
    assert (tmp_path / document.file.name).exists()


def test_a_failed_request_leaves_no_document_on_disk(staff, saver, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    citizen = make_user(Role.DERECHOHABIENTE, person=saver)

    def audit_fails(*args, **kwargs):  # a failure after the files were written, inside the transaction
        raise RuntimeError("audit store unavailable")
    monkeypatch.setattr(refunds.audit, "record", audit_fails)
    with pytest.raises(RuntimeError):
        request(citizen, saver)
    assert not RefundRequest.objects.exists()
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


# --- review fix (fix5b): the refund is fixed at approval; no returns dated before it are posted after it ---------

def test_the_refund_amount_is_fixed_at_approval_per_period(staff, saver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.record_opening_balance(staff, saver, savings_period="fondo_72", amount=Decimal("1200.00"),
                                    on=date(1992, 2, 29))
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    refund, _ = request(make_user(Role.DERECHOHABIENTE, person=saver), saver)
    second = make_user(Role.INFONAVIT_STAFF)
    refund = refunds.approve_refund(second, refund, today=TODAY)
    assert refund.approved_amounts == {"fondo_72": "1200.00", "scv_97": "10950.00"}
    assert AuditEntry.objects.get(action="infonavit.approve_refund").after["amounts"] == refund.approved_amounts
    services.credit_returns(staff, date(2026, 11, 1), persons=[saver.pk])  # the balance grows after approval
    grown = selectors.balances(saver.pk)
    assert grown["scv_97"] > Decimal("10950.00")
    refund.refresh_from_db()
    assert refunds.payment_instruction(refund)["amount"] == Decimal("12150.00")
    paid = refunds.mark_refund_paid(second, refund, spei_tracking="MBAN01002612140002", paid_on=date(2026, 12, 10))
    assert paid.amount == Decimal("12150.00")
    posted = dict(SavingsMovement.objects.filter(refund=refund).values_list("savings_period", "amount"))
    assert posted == {"fondo_72": Decimal("-1200.00"), "scv_97": Decimal("-10950.00")}
    assert selectors.balances(saver.pk)["scv_97"] == grown["scv_97"] - Decimal("10950.00")  # the returns stay


def test_a_refund_is_not_paid_when_the_balance_fell_below_the_approved_amount(staff, saver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    refund, _ = request(make_user(Role.DERECHOHABIENTE, person=saver), saver)
    second = make_user(Role.INFONAVIT_STAFF)
    refund = refunds.approve_refund(second, refund, today=TODAY)
    services.append_movements(staff, saver.pk, [services.NewMovement(  # a correction after approval
        "opening", "scv_97", TODAY, Decimal("-100.00"), note="corrección")])
    with pytest.raises(DomainError) as exc:
        refunds.mark_refund_paid(second, refund, spei_tracking="MBAN01002612140003")
    assert field_codes(exc) == {"refund": "balance_changed"}
    assert not SavingsMovement.objects.filter(refund=refund).exists()


def test_returns_are_not_posted_for_months_up_to_a_paid_refund(staff, saver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    refund, _ = request(make_user(Role.DERECHOHABIENTE, person=saver), saver)
    second = make_user(Role.INFONAVIT_STAFF)
    refund = refunds.approve_refund(second, refund, today=TODAY)
    refunds.mark_refund_paid(second, refund, spei_tracking="MBAN01002612140004", paid_on=date(2026, 12, 10))
    # October's returns, run late: the balance at 31 October was refunded on 10 December.
    assert services.credit_returns(staff, date(2026, 10, 1), persons=[saver.pk])["movements"] == 0
    assert services.credit_returns(staff, date(2026, 12, 1), persons=[saver.pk])["movements"] == 0
    assert not SavingsMovement.objects.filter(person=saver, kind="returns").exists()
    assert selectors.balances(saver.pk)["scv_97"] == Decimal("0.00")


def test_an_approved_refund_the_balance_no_longer_covers_goes_back_to_review(staff, saver, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.post_contributions(staff, until=TODAY, persons=[saver.pk])
    requester = make_user(Role.DERECHOHABIENTE, person=saver)
    refund, _ = request(requester, saver)
    first, second = make_user(Role.INFONAVIT_STAFF), make_user(Role.INFONAVIT_STAFF)
    refund = refunds.approve_refund(first, refund, today=TODAY)
    with pytest.raises(DomainError) as exc:  # the balance still covers it: pay it, do not reopen it
        refunds.reopen_refund(second, refund, "Corrección de saldo")
    assert field_codes(exc) == {"refund": "balance_covers"}
    services.append_movements(staff, saver.pk, [services.NewMovement(  # a correction after approval
        "opening", "scv_97", TODAY, Decimal("-100.00"), note="corrección")])
    assert selectors.refund_balance_short(refund) is True
    with pytest.raises(PermissionDeniedError):  # the requester cannot
        refunds.reopen_refund(requester, refund, "Corrección de saldo")
    with pytest.raises(DomainError) as exc:
        refunds.reopen_refund(second, refund, " x ")
    assert field_codes(exc) == {"reason": "required"}
    reopened = refunds.reopen_refund(second, refund, "Se corrigió un bimestre de 2025")
    assert (reopened.status, reopened.approved_amounts, reopened.amount, reopened.due_on, reopened.decided_by) == (
        RefundRequest.Status.PENDING, {}, None, None, None)
    entry = AuditEntry.objects.get(action="infonavit.reopen_refund")
    assert entry.before["amounts"] == {"scv_97": "10950.00"} and entry.before["decided_by"] == first.pk
    assert entry.after["reason"] == "Se corrigió un bimestre de 2025"
    assert [(item["reason"], item["amount"]) for item in selectors.refund_reopenings(reopened)] == [
        ("Se corrigió un bimestre de 2025", Decimal("10950.00"))]
    with pytest.raises(DomainError) as exc:  # pending now: not reopened twice
        refunds.reopen_refund(second, reopened, "Otra vez")
    assert field_codes(exc) == {"refund": "not_approved"}
    # A new approval fixes the fresh amount and a new deadline; then it is paid.
    again = refunds.approve_refund(second, reopened, today=date(2026, 12, 1))
    assert again.approved_amounts == {"scv_97": "10850.00"} and again.due_on > refund.due_on
    paid = refunds.mark_refund_paid(first, again, spei_tracking="MBAN01002612140009", paid_on=date(2026, 12, 2))
    assert paid.amount == Decimal("10850.00") and selectors.balances(saver.pk)["scv_97"] == Decimal("0.00")
