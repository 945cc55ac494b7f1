"""Infonavit Sin Fronteras settlement files: each line converted at the day's rate (stored on the payment),
posted in pesos to the credit's ledger through payments.registry, bad lines reported by number, the same file
again changes nothing, and the statement shows the payment as one from abroad with its dollars and rate."""

from datetime import date
from decimal import Decimal

import pytest

from tests.conftest import make_person, make_user
from ventanilla.core.errors import DomainError
from ventanilla.core.models import AuditEntry
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.models import Credit, LedgerEntry
from ventanilla.payments import registry, rules
from ventanilla.payments.models import PaymentFile, PaymentFileLine, RemittanceCompany, RemittancePayment
from ventanilla.payments.services import import_settlement_file, save_remittance_company, usd_mxn_rate
from ventanilla.people.models import Role
from ventanilla.reference.models import ExchangeRate

pytestmark = pytest.mark.django_db
D = Decimal
HEADER = "operation_id,credit_number,paid_at,amount_usd,payer,us_state"


@pytest.fixture
def staff(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def rate(db):
    """February 2026 at a known rate: the payment must store exactly this one."""
    ExchangeRate.objects.filter(currency="USD", valid_from__lte=date(2026, 2, 28),
                                valid_to__gte=date(2026, 2, 1)).delete()
    ExchangeRate.objects.create(currency="USD", rate=D("18.3000"), valid_from=date(2026, 2, 1),
                                valid_to=date(2026, 2, 28), assumed=True, source="test")
    return D("18.3000")


@pytest.fixture
def credit(staff, consulate_la, rate) -> Credit:
    person = make_person(consulate_la, seed=11)
    made = services.originate_credit(
        staff, person, product="tradicional", denomination="pesos", origination_date=date(2026, 1, 15),
        amount_lent="100000", rate="12", term_months=120, regime="own", state="JC", monthly_insurance_and_fees="50")
    services.post_monthly_accrual(staff, made, date(2026, 2, 1))
    return made


@pytest.fixture
def dolex(db) -> RemittanceCompany:
    return RemittanceCompany.objects.get(code="DOLEX")


def settle(actor, company, rows: list[str], name: str = "dolex.csv"):
    return import_settlement_file(actor, company=company, filename=name, content="\n".join([HEADER, *rows]).encode())


def lines_of(payment_file) -> dict[int, tuple[str, str]]:
    return {line.line_number: (line.status, line.error_code)
            for line in PaymentFileLine.objects.filter(payment_file=payment_file)}


def wrong_check_digit(number: str) -> str:
    return number[:-1] + str((int(number[-1]) + 1) % 10)


def test_the_five_allied_companies_are_seeded():
    assert sorted(RemittanceCompany.objects.values_list("name", flat=True)) == [
        "Barri", "DolEx", "Intercambio Express", "Maxitransfers", "Solopin"]
    assert all(company.commission_assumed for company in RemittanceCompany.objects.all())


def test_pesos_are_rounded_half_up_to_centavos():
    assert rules.pesos_for(D("1.15"), D("18.3000")) == D("21.05")  # 21.045: half-even would give 21.04
    assert rules.pesos_for(D("100.00"), D("18.3000")) == D("1830.00")
    assert rules.remittance_operation_id("DOLEX", "A-1") == "DOLEX:A-1"


def test_good_lines_post_to_the_ledger_with_the_rate_stored(staff, credit, dolex, rate):
    payment_file = settle(staff, dolex, [
        f"DX-1,{credit.number},2026-02-10,100.00,borrower,CA",
        f"DX-2,{credit.number[:3]}-{credit.number[3:]},2026-02-11T09:30:00-08:00,1.15,relative,tx",
    ])
    assert payment_file.status == PaymentFile.Status.DONE and payment_file.remittance_company == dolex
    assert (payment_file.lines_total, payment_file.lines_applied, payment_file.lines_rejected) == (2, 2, 0)
    first = RemittancePayment.objects.get(operation_id="DOLEX:DX-1")
    assert (first.amount_usd, first.usd_mxn_rate, first.amount_mxn) == (D("100.00"), rate, D("1830.00"))
    assert (first.company_operation_id, first.payer, first.us_state, first.paid_on) == ("DX-1", "borrower", "CA",
                                                                                       date(2026, 2, 10))
    assert first.commission_usd == dolex.commission_usd == D("3.00")
    second = RemittancePayment.objects.get(operation_id="DOLEX:DX-2")
    assert (second.amount_mxn, second.us_state, second.payer) == (D("21.05"), "TX", "relative")
    entries = {entry.operation_id: entry for entry in LedgerEntry.objects.filter(credit=credit, channel="remittance")}
    assert entries["DOLEX:DX-1"].amount == D("-1830.00") and entries["DOLEX:DX-1"].kind == LedgerEntry.Kind.PAYMENT
    assert entries["DOLEX:DX-2"].amount == D("-21.05")
    assert usd_mxn_rate(date(2026, 2, 10)) == rate


def test_bad_lines_are_reported_by_line_number_and_good_ones_still_apply(staff, credit, dolex):
    unknown = next(number for number in (f"10000000{i:02d}" for i in range(100))
                   if services.credit_number.is_valid(number) and not Credit.objects.filter(number=number).exists())
    payment_file = settle(staff, dolex, [
        f"OK-1,{credit.number},2026-02-10,50.00,borrower,AZ",                  # line 2
        f"BAD-1,{wrong_check_digit(credit.number)},2026-02-10,50.00,borrower,AZ",
        f"BAD-2,{unknown},2026-02-10,50.00,borrower,AZ",
        f"BAD-3,{credit.number},2026-02-10,50.00,borrower,ZZ",
        f"BAD-4,{credit.number},2026-02-10,50.00,cousin,AZ",
        f"BAD-5,{credit.number},2026-02-10,50.5.0,borrower,AZ",
        "BAD-6,12345,2026-02-10,50.00,borrower,AZ",
        f"OK-1,{credit.number},2026-02-10,50.00,borrower,AZ",                  # line 9: repeated in the file
        f"BAD-7,{credit.number},2090-01-01,50.00,borrower,AZ",
        f"BAD-8,{credit.number},2026-02-10",
        f"BAD-9,{credit.number},2025-03-10,50.00,borrower,AZ",                 # before the credit existed
    ])
    assert lines_of(payment_file) == {
        2: ("applied", ""), 3: ("rejected", "invalid_check_digit"), 4: ("rejected", "unknown_credit"),
        5: ("rejected", "invalid_us_state"), 6: ("rejected", "invalid_payer"), 7: ("rejected", "invalid_amount_usd"),
        8: ("rejected", "invalid_credit_number"), 9: ("rejected", "duplicate_in_file"), 10: ("rejected", "future_date"),
        11: ("rejected", "missing_column"), 12: ("rejected", "before_origination"),
    }
    assert (payment_file.lines_applied, payment_file.lines_rejected) == (1, 10)
    # A refused line leaves nothing behind: neither a remittance payment nor a ledger entry.
    assert list(RemittancePayment.objects.values_list("operation_id", flat=True)) == ["DOLEX:OK-1"]
    assert LedgerEntry.objects.filter(channel="remittance").count() == 1


def test_importing_again_changes_nothing_and_another_file_with_the_same_operation_is_a_duplicate(staff, credit,
                                                                                             dolex):
    rows = [f"DX-9,{credit.number},2026-02-10,80.00,third_party,IL"]
    first = settle(staff, dolex, rows)
    entries, audits = LedgerEntry.objects.count(), AuditEntry.objects.count()
    again = settle(staff, dolex, rows)
    assert again.pk == first.pk
    assert (LedgerEntry.objects.count(), AuditEntry.objects.count(), RemittancePayment.objects.count()) == \
        (entries, audits, 1)
    other = settle(staff, dolex, [*rows, f"DX-9,{credit.number},2026-02-10,81.00,third_party,IL"], name="dolex-2.csv")
    assert lines_of(other) == {2: ("duplicate", ""), 3: ("rejected", "duplicate_in_file")}
    changed = settle(staff, dolex, [f"DX-9,{credit.number},2026-02-12,80.00,third_party,IL"], name="dolex-3.csv")
    assert lines_of(changed) == {2: ("rejected", "operation_conflict")}
    # Another company may use the same number of its own: it is another operation.
    maxi = RemittanceCompany.objects.get(code="MAXI")
    with pytest.raises(DomainError) as caught:  # DolEx's very file, uploaded as Maxitransfers'
        settle(staff, maxi, rows, name="maxi.csv")
    assert caught.value.errors[0].code == "other_company"
    theirs = settle(staff, maxi, [f"DX-9,{credit.number},2026-02-10,80.00,third_party,TX"], name="maxi.csv")
    assert lines_of(theirs) == {2: ("applied", "")}
    assert LedgerEntry.objects.filter(channel="remittance").count() == 2


def test_an_import_that_stopped_resumes_after_the_last_recorded_line(staff, credit, dolex):
    rows = [f"R-{i},{credit.number},2026-02-1{i},10.00,borrower,CA" for i in range(1, 5)]
    content = "\n".join([HEADER, *rows]).encode()
    claims, apply_line = registry._formats["infonavit.credit"]

    def failing(actor, line):  # the server goes away while the second chunk is posted
        if line.operation_id == "DOLEX:R-3":
            raise RuntimeError("connection lost")
        return apply_line(actor, line)

    registry.unregister_reference_format("infonavit.credit")
    registry.register_reference_format("infonavit.credit", claims, failing)
    try:
        with pytest.raises(RuntimeError):
            import_settlement_file(staff, company=dolex, filename="r.csv", content=content, chunk_size=2)
    finally:
        registry.unregister_reference_format("infonavit.credit")
        registry.register_reference_format("infonavit.credit", claims, apply_line)
    stopped = PaymentFile.objects.get(filename="r.csv")
    assert (stopped.status, stopped.lines_total, RemittancePayment.objects.count()) == (PaymentFile.Status.PROCESSING,
                                                                                       2, 2)
    resumed = import_settlement_file(staff, company=dolex, filename="r.csv", content=content, chunk_size=2)
    assert (resumed.pk, resumed.status, resumed.lines_total, resumed.lines_applied) == (
        stopped.pk, PaymentFile.Status.DONE, 4, 4)
    assert RemittancePayment.objects.count() == 4
    assert LedgerEntry.objects.filter(channel="remittance").count() == 4


def test_no_rate_for_the_day_refuses_the_line(staff, credit, dolex):
    ExchangeRate.objects.filter(currency="USD", valid_from__lte=date(2026, 2, 20),
                                valid_to__gte=date(2026, 2, 20)).delete()
    payment_file = settle(staff, dolex, [f"NR-1,{credit.number},2026-02-20,10.00,borrower,CA"])
    assert lines_of(payment_file) == {2: ("rejected", "no_exchange_rate")}


def test_a_bad_header_or_an_inactive_company_is_refused(staff, dolex):
    with pytest.raises(DomainError) as caught:
        import_settlement_file(staff, company=dolex, filename="x.csv", content=b"reference,amount\n1,2\n")
    assert caught.value.errors[0].code == "bad_header"
    dolex.active = False
    dolex.save()
    with pytest.raises(DomainError) as caught:
        settle(staff, dolex, [])
    assert caught.value.errors[0].field == "company"


def test_the_statement_marks_the_payment_from_abroad(staff, credit, dolex, rate):
    settle(staff, dolex, [f"ST-1,{credit.number},2026-02-10,100.00,relative,CA"])
    statement = selectors.statement(credit, date(2026, 1, 1), date(2026, 2, 28), date(2026, 2, 28))
    payment = statement.from_abroad["DOLEX:ST-1"]
    assert (payment.amount_usd, payment.usd_mxn_rate, payment.company.name) == (D("100.00"), rate, "DolEx")
    entry = next(entry for entry in statement.entries if entry.operation_id == "DOLEX:ST-1")
    assert entry.from_abroad == payment and entry.amount == D("-1830.00")
    assert statement.paid == D("1830.00")


def test_editing_a_company_is_audited(staff, dolex):
    dolex.commission_usd = D("4.50")
    dolex.commission_assumed = False
    save_remittance_company(staff, dolex)
    entry = AuditEntry.objects.filter(action="remittance_company.save").latest("id")
    assert entry.before["commission_usd"] == "3.00" and entry.after["commission_usd"] == "4.50"
    dolex.code = "DOL EX"
    with pytest.raises(DomainError):
        save_remittance_company(staff, dolex)


# --- review fixes (fix5b): a stored operation met at insert time is a rejected line; the code is fixed ---------

def test_an_operation_the_company_already_settled_under_another_code_is_a_conflict_line(staff, credit, dolex):
    settle(staff, dolex, [f"DX-1,{credit.number},2026-02-10,100.00,borrower,CA"])
    # A code edited before the rule (straight in the table): "DX-1" is stored for this company as "DOLEX:DX-1".
    RemittanceCompany.objects.filter(pk=dolex.pk).update(code="DOLEXUS")
    dolex.refresh_from_db()
    payment_file = settle(staff, dolex, [f"DX-1,{credit.number},2026-02-10,100.00,borrower,CA",
                                         f"DX-2,{credit.number},2026-02-11,10.00,borrower,CA"], name="dolex-2.csv")
    assert payment_file.status == PaymentFile.Status.DONE
    assert lines_of(payment_file) == {2: ("rejected", "operation_conflict"), 3: ("applied", "")}
    assert LedgerEntry.objects.filter(credit=credit, channel="remittance").count() == 2


def test_a_company_code_is_fixed_once_it_has_payments(staff, credit, dolex):
    barri = RemittanceCompany.objects.get(name="Barri")
    barri.code = "BARRIUS"
    assert save_remittance_company(staff, barri).code == "BARRIUS"  # no payments yet: may change
    settle(staff, dolex, [f"DX-1,{credit.number},2026-02-10,100.00,borrower,CA"])
    dolex.code = "DOLEXUS"
    with pytest.raises(DomainError) as caught:
        save_remittance_company(staff, dolex)
    assert [(error.field, error.code) for error in caught.value.errors] == [("code", "code_in_use")]
    assert RemittanceCompany.objects.get(pk=dolex.pk).code == "DOLEX"
    dolex.code, dolex.name = "DOLEX", "DolEx USA"
    assert save_remittance_company(staff, dolex).name == "DolEx USA"  # other fields still editable


def test_the_admin_shows_the_code_read_only_once_the_company_has_payments(staff, credit, dolex, rf):
    from django.contrib import admin as django_admin

    from ventanilla.payments.admin import RemittanceCompanyAdmin
    model_admin = RemittanceCompanyAdmin(RemittanceCompany, django_admin.site)
    request = rf.get("/")
    assert model_admin.get_readonly_fields(request, dolex) == ()
    settle(staff, dolex, [f"DX-1,{credit.number},2026-02-10,100.00,borrower,CA"])
    assert model_admin.get_readonly_fields(request, dolex) == ("code",)
