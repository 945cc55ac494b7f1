"""Relief solutions applied to stored credits, against the real database: each solution's ledger effect, the
balance being the sum of the entries afterwards, four eyes, windows and limits, what ends a solution, the
DLA payment outcomes, the automatic BCN reward, idempotent applications."""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from tests.conftest import make_person, make_user
from ventanilla.core.calendar import add_months
from ventanilla.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.core.money import to_centavos
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.models import Credit, LedgerEntry, SolutionApplication
from ventanilla.infonavit.rules.ledger import Movement, fold
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")
D = Decimal
ON = date(2026, 3, 10)  # inside the RC window (9th to the month's end), DLA amounts shown (from the 10th)
STAFF = SolutionApplication.Channel.STAFF
EMPLOYED_LOWER_INCOME = {"employed": "true", "monthly_income": "10000", "income_at_origination": "15000",
                         "months_in_current_job": "12", "contributing_to_imss": "true"}
UNEMPLOYED = {"employed": "false", "contributing_to_imss": "false", "months_unemployed": "2",
              "months_employed_before_job_loss": "12"}


@pytest.fixture
def staff(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def approver(db):
    return make_user(Role.INFONAVIT_STAFF)


@pytest.fixture
def borrower(consulate_la):
    return make_person(consulate_la, birth_date=date(1975, 5, 2), sex="H")


def originate(staff, borrower, **overrides) -> Credit:
    data = {"product": "tradicional", "denomination": "pesos", "origination_date": date(2020, 1, 15),
            "amount_lent": "500000", "rate": "10", "term_months": 240, "regime": "own", "state": "MN",
            "monthly_insurance_and_fees": "100", **overrides}
    return services.originate_credit(staff, borrower, **data)


def pay(actor, credit, amount, day: date):
    return services.record_payment(actor, credit, amount=amount, paid_at=datetime(day.year, day.month, day.day, 12,
                                                                                     tzinfo=MX),
                                   operation_id=uuid.uuid4().hex[:20])


def apply(actor, credit, code, declared=None, on=ON, key=None, channel=STAFF):
    return services.apply_solution(actor, credit, code, declared=declared or {}, on=on, channel=channel,
                                   idempotency_key=key or uuid.uuid4().hex)


def codes(caught) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in caught.value.errors}


def balance(credit) -> Decimal:
    return selectors.ledger_state(credit).balance_after


def assert_consistent(credit):
    """balance_after is the running sum of the entries; the fold agrees; SUM in the database agrees."""
    entries = list(LedgerEntry.objects.filter(credit=credit).order_by("sequence"))
    running = D(0)
    for number, entry in enumerate(entries, start=1):
        assert entry.sequence == number
        assert entry.amount == entry.capital + entry.interest + entry.insurance
        running += entry.amount
        assert entry.balance_after == running
    total = LedgerEntry.objects.filter(credit=credit).aggregate(total=Sum("amount"))["total"]
    assert to_centavos(total) == running
    assert fold(Movement(e.capital, e.interest, e.insurance, e.due) for e in entries).balance == running


def rc_credit(staff, borrower, first_paid_month: date = date(2024, 3, 1)) -> Credit:
    """A VSM Crédito Tradicional from 2005 meeting every RC condition on 10 March 2026: its balance grown by
    the yearly adjustments (one entry here, through the ledger's writer) and 24 monthly payments in a row
    (March 2024 to February 2026 unless said)."""
    credit = originate(staff, borrower, denomination="vsm", origination_date=date(2005, 6, 15),
                       amount_lent="250000", amount_lent_vsm="5000", rate="9", term_months=360,
                       monthly_payment="3200", monthly_insurance_and_fees="150")
    january = first_paid_month.replace(month=1, day=1)
    services._append(credit, selectors.ledger_state(credit), LedgerEntry.Kind.ADJUSTMENT,
                     Movement(capital=D("300000")), posted_on=january, period=january, actor=staff)
    for month in range(24):
        pay(staff, credit, "3350", add_months(first_paid_month, month).replace(day=20))
    return credit


# --- Responsabilidad Compartida: four eyes, then discount and conversion ----------------------------------

def test_rc_waits_for_a_second_person_then_converts_to_pesos(staff, approver, borrower):
    credit = rc_credit(staff, borrower)
    before = balance(credit)
    assert before == D("550000") - 24 * D("3350")
    application = apply(staff, credit, "RC", {"monthly_income": "9000", "employed": "true"})
    assert application.status == SolutionApplication.Status.PENDING_APPROVAL
    assert balance(credit) == before  # nothing moves before the approval
    assert list(selectors.pending_applications(approver)) == [application]
    discount = D(application.amounts["discount"])
    assert discount > 0 and D(application.amounts["new_balance"]) + discount == before
    assert application.amounts["rate"] == "3.55"

    with pytest.raises(DomainError) as caught:
        services.approve_application(staff, application, on=ON)
    assert codes(caught) == {("application", "four_eyes")}
    with pytest.raises(PermissionDeniedError):
        services.approve_application(make_user(Role.CONSULAR_OFFICER, consulate=borrower.consulate), application,
                                     on=ON)

    approved = services.approve_application(approver, application, on=ON)
    assert approved.status == SolutionApplication.Status.COMPLETED and approved.decided_by == approver
    credit.refresh_from_db()
    assert credit.denomination == "pesos" and credit.rate == D("3.55") and credit.amount_lent_vsm is None
    entries = list(approved.entries.order_by("sequence"))
    assert [e.kind for e in entries] == ["discount", "conversion"]
    assert entries[0].amount == -discount and entries[1].amount == 0
    assert entries[1].monthly_payment_after == D("3200")
    assert balance(credit) == D(approved.amounts["new_balance"])
    assert_consistent(credit)
    assert approved.amounts["previous_denomination"] == "vsm" and approved.amounts["previous_amount_lent_vsm"]
    # a pesos credit is no longer adjusted, and RC is not offered again
    assert not selectors.credit_solutions(credit, ON, {"monthly_income": "9000"})[0].eligible


def test_rc_refused_by_the_second_person_moves_nothing(staff, approver, borrower):
    credit = rc_credit(staff, borrower)
    before = balance(credit)
    application = apply(staff, credit, "RC", {"monthly_income": "9000"})
    with pytest.raises(DomainError) as caught:
        services.refuse_application(approver, application, "  ")
    assert codes(caught) == {("reason", "required")}
    with pytest.raises(DomainError) as caught:
        services.refuse_application(staff, application, "Mismo solicitante")
    assert codes(caught) == {("application", "four_eyes")}
    refused = services.refuse_application(approver, application, "Ingreso no comprobado")
    assert refused.status == SolutionApplication.Status.REFUSED and refused.refusal_reason == "Ingreso no comprobado"
    assert balance(credit) == before and not refused.entries.exists()
    with pytest.raises(DomainError) as caught:
        services.approve_application(approver, refused, on=ON)
    assert codes(caught) == {("application", "not_pending")}


def test_rc_only_from_the_9th_and_not_twice_while_pending(staff, borrower):
    credit = rc_credit(staff, borrower)
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "RC", {"monthly_income": "9000"}, on=date(2026, 3, 5))
    assert ("code", "outside_window") in codes(caught)
    apply(staff, credit, "RC", {"monthly_income": "9000"})
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "RC", {"monthly_income": "9000"})
    assert codes(caught) == {("code", "pending_application")}


def test_rc_whose_amounts_moved_before_approval_is_refused_and_asked_again(staff, approver, borrower):
    """Four eyes approve the figures the queue shows: a payment and a month later the RC discount is another
    one, so the approval refuses the request (amounts_changed), posts nothing, and it can be asked again."""
    credit = rc_credit(staff, borrower)
    application = apply(staff, credit, "RC", {"monthly_income": "9000"}, on=date(2026, 3, 30))
    asked = application.amounts["discount"]
    pay(staff, credit, "3350", date(2026, 3, 31))  # March paid: still 24 in a row on 2 April
    before = balance(credit)
    with pytest.raises(DomainError) as caught:
        services.approve_application(approver, application, on=date(2026, 4, 2))
    assert codes(caught) == {("application", "amounts_changed")}
    application.refresh_from_db()
    assert application.status == SolutionApplication.Status.REFUSED and application.decided_by == approver
    assert application.amounts["discount"] == asked and "de nuevo" in application.refusal_reason
    assert not application.entries.exists() and balance(credit) == before
    credit.refresh_from_db()
    assert credit.denomination == "vsm"
    refusal = AuditEntry.objects.filter(action="infonavit.refuse_solution").latest("id")
    assert refusal.after["reason"] == "amounts_changed" and refusal.after["recomputed"]["discount"] != asked
    again = apply(staff, credit, "RC", {"monthly_income": "9000"}, on=date(2026, 4, 9))
    assert again.status == SolutionApplication.Status.PENDING_APPROVAL
    approved = services.approve_application(approver, again, on=date(2026, 4, 9))  # same day: same figures
    assert approved.status == SolutionApplication.Status.COMPLETED
    assert_consistent(credit)


def test_rc_needs_an_active_restructure_cancelled_first(staff, approver, borrower):
    credit = rc_credit(staff, borrower)
    stm = apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME)
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "RC", {"monthly_income": "9000"})
    assert ("code", "active_restructure") in codes(caught)
    services.end_application(approver, stm, "cancelled", on=ON)
    assert apply(staff, credit, "RC", {"monthly_income": "9000"}).status == "pending_approval"


def test_refusal_messages_follow_the_active_language(staff, borrower):
    from django.utils import translation

    credit = originate(staff, borrower)
    with translation.override("en"), pytest.raises(DomainError) as caught:
        apply(staff, credit, "RC")
    messages = {e.code: e.message for e in caught.value.errors}
    assert messages["not_vsm"] == "Only credits in multiples of the minimum wage (VSM) convert."
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "RC")
    assert {e.code: e.message for e in caught.value.errors}["not_vsm"].startswith("Solo se convierten")


# --- the payment-changing solutions: a restructure entry, the payment in force, what ends them -------------

def installment_of(credit) -> Decimal:
    return selectors.ledger_state(credit).monthly_payment + credit.monthly_insurance_and_fees


@pytest.mark.parametrize(("code", "declared", "share"), [
    ("DCP", EMPLOYED_LOWER_INCOME, D("0.50")),
    ("STM", EMPLOYED_LOWER_INCOME, D("0.75")),
    ("PARO_TECNICO", {"employer_agreement_filed": "true", "employed": "true"}, D("0.75")),
    ("FPP", UNEMPLOYED, D("0.10")),
])
def test_a_lower_payment_is_a_restructure_entry_until_it_ends(staff, borrower, code, declared, share):
    credit = originate(staff, borrower)
    installment = installment_of(credit)
    before = balance(credit)
    application = apply(staff, credit, code, declared)
    assert application.status == SolutionApplication.Status.ACTIVE
    (entry,) = application.entries.all()
    assert entry.kind == "restructure" and entry.amount == 0
    assert entry.monthly_payment_after == to_centavos(installment * share) - D("100")
    assert D(application.amounts["monthly_payment"]) == to_centavos(installment * share)
    assert application.ends_on is not None and application.ends_on > ON
    assert balance(credit) == before
    assert_consistent(credit)
    assert application.amounts["previous_monthly_payment"] == str(credit.monthly_payment)


def test_jubilados_pays_a_quarter_of_the_pension_and_a_formal_job_ends_it(staff, approver, borrower):
    credit = originate(staff, borrower, monthly_payment="3000")
    installment = installment_of(credit)
    pay(staff, credit, str(120 * installment), date(2026, 2, 20))  # 120 complete payments (paid ahead)
    declared = {"monthly_pension": "8000", "employed": "false", "contributing_to_imss": "false"}
    application = apply(staff, credit, "JUBILADOS", declared)
    assert application.amounts["monthly_payment"] == "2100.00"  # 25 % of 8,000 plus 100 insurance and fees
    assert selectors.ledger_state(credit).monthly_payment == D("2000.00")
    assert application.ends_on is None
    with pytest.raises(DomainError) as caught:
        services.end_application(approver, application, "retired")
    assert codes(caught) == {("reason", "invalid_choice")}
    ended = services.end_application(approver, application, "formal_job", on=date(2026, 6, 1))
    assert ended.status == "ended" and ended.end_reason == "formal_job" and ended.ended_on == date(2026, 6, 1)
    assert selectors.ledger_state(credit).monthly_payment == credit.monthly_payment  # the payment comes back
    assert_consistent(credit)
    with pytest.raises(DomainError) as caught:
        services.end_application(approver, ended, "formal_job")
    assert codes(caught) == {("application", "not_active")}


def test_jubilados_at_most_three_times(staff, borrower):
    credit = originate(staff, borrower, monthly_payment="3000")
    pay(staff, credit, str(120 * installment_of(credit)), date(2026, 2, 20))
    for year in (2022, 2023, 2024):  # three earlier grants, ended
        SolutionApplication.objects.create(credit=credit, code="JUBILADOS", status="ended", channel=STAFF,
                                           requested_by=staff, starts_on=date(year, 1, 10),
                                           ended_on=date(year, 6, 1), idempotency_key=f"old-{year}")
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "JUBILADOS", {"monthly_pension": "8000", "contributing_to_imss": "false"})
    assert codes(caught) == {("code", "uses_exhausted")}


def test_a_missed_payment_ends_the_dictamen_at_the_next_accrual(staff, borrower):
    credit = originate(staff, borrower)
    application = apply(staff, credit, "DCP", EMPLOYED_LOWER_INCOME)
    reduced = selectors.ledger_state(credit).monthly_payment
    assert reduced < credit.monthly_payment
    services.post_monthly_accrual(staff, credit, date(2026, 4, 1))  # bills the lower installment
    services.post_monthly_accrual(staff, credit, date(2026, 5, 1))  # April was not paid
    application.refresh_from_db()
    assert application.status == "ended" and application.end_reason == "missed_payment"
    assert application.ended_on == date(2026, 5, 1)
    kinds = list(credit.entries.order_by("sequence").values_list("kind", "monthly_payment_after"))
    assert kinds[-3] == ("restructure", credit.monthly_payment)  # restored before May is billed
    assert kinds[-2] == ("accrual_interest", credit.monthly_payment)
    assert_consistent(credit)


def test_a_dictamen_paid_on_time_stays(staff, borrower):
    credit = originate(staff, borrower)
    application = apply(staff, credit, "DCP", EMPLOYED_LOWER_INCOME)
    services.post_monthly_accrual(staff, credit, date(2026, 4, 1))
    pay(staff, credit, str(installment_of(credit)), date(2026, 4, 25))
    services.post_monthly_accrual(staff, credit, date(2026, 5, 1))
    application.refresh_from_db()
    assert application.status == "active"


def test_a_time_limited_solution_ends_after_its_last_day(staff, borrower):
    credit = originate(staff, borrower)
    application = apply(staff, credit, "PARO_TECNICO", {"employer_agreement_filed": "true"})
    assert application.ends_on == date(2027, 2, 28)  # 12 monthly payments from March 2026
    services.post_monthly_accrual(staff, credit, date(2027, 2, 1))
    application.refresh_from_db()
    assert application.status == "active"
    services.post_monthly_accrual(staff, credit, date(2027, 3, 1))
    application.refresh_from_db()
    assert application.status == "ended" and application.end_reason == "expired"
    assert application.ended_on == date(2027, 3, 1)
    assert selectors.ledger_state(credit).monthly_payment == credit.monthly_payment
    assert_consistent(credit)


def test_prorroga_suspends_interest_insurance_and_the_installment(staff, borrower):
    credit = originate(staff, borrower)
    application = apply(staff, credit, "PRORROGA", UNEMPLOYED)
    assert application.entries.get().monthly_payment_after == 0
    interest, insurance = services.post_monthly_accrual(staff, credit, date(2026, 4, 1))
    assert interest.amount == 0 and insurance.amount == 0 and interest.due == 0 and insurance.due == 0
    # and another one is not granted while it runs
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "PRORROGA", UNEMPLOYED)
    assert ("code", "already_active") in codes(caught)


def test_stm_renews_while_in_force(staff, borrower):
    credit = originate(staff, borrower)
    first = apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME)
    second = apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME, on=date(2026, 4, 10))
    first.refresh_from_db()
    assert first.status == "ended" and first.end_reason == "renewed"
    assert second.new_terms["renewal"] is True and second.status == "active"
    # the renewal lowers the agreed payment again, not the lowered one; ending it restores the agreed one
    assert second.amounts["monthly_payment"] == first.amounts["monthly_payment"]
    assert second.amounts["previous_monthly_payment"] == str(credit.monthly_payment)
    assert [e.kind for e in first.entries.order_by("sequence")] == ["restructure", "restructure"]
    assert_consistent(credit)


def test_one_lowered_payment_at_a_time(staff, approver, borrower):
    credit = originate(staff, borrower, monthly_payment="3000")
    pay(staff, credit, str(120 * installment_of(credit)), date(2026, 2, 20))
    dcp = apply(staff, credit, "DCP", EMPLOYED_LOWER_INCOME)
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "JUBILADOS", {"monthly_pension": "8000", "contributing_to_imss": "false"})
    assert ("code", "payment_already_lowered") in codes(caught)
    services.end_application(approver, dcp, "cancelled", on=ON)
    jubilados = apply(staff, credit, "JUBILADOS", {"monthly_pension": "8000", "contributing_to_imss": "false"})
    assert jubilados.amounts["previous_monthly_payment"] == "3000.00"


# --- Borrón y Cuenta Nueva: arrears into the balance, the reward when kept up ------------------------------

def bcn_credit(staff, borrower, regime="own") -> Credit:
    """Two installments missed (November and December 2025); the payment above the level one, so the balance
    is payable within the term."""
    credit = originate(staff, borrower, origination_date=date(2025, 10, 15), monthly_payment="6000",
                       regime=regime)
    services.post_monthly_accrual(staff, credit, date(2025, 11, 1))
    services.post_monthly_accrual(staff, credit, date(2025, 12, 1))
    return credit


def test_bcn_clears_arrears_and_credits_the_reward_after_three_full_payments(staff, borrower):
    credit = bcn_credit(staff, borrower)
    owed = balance(credit)
    assert selectors.credit_summary(credit, date(2025, 12, 20)).missed_payments == 2
    application = apply(staff, credit, "BCN", {"employed": "true"}, on=date(2025, 12, 20))
    assert application.amounts["reward"] == "6000.00" and application.status == "active"
    (entry,) = application.entries.all()
    assert entry.kind == "capitalized_arrears" and entry.amount == 0 and entry.due == D("-12200.00")
    assert balance(credit) == owed and selectors.ledger_state(credit).position.arrears == 0
    for month in (1, 2):
        services.post_monthly_accrual(staff, credit, date(2026, month, 1))
        pay(staff, credit, "6100", date(2026, month, 5))
    application.refresh_from_db()
    assert application.status == "active"  # two payments: not yet
    services.post_monthly_accrual(staff, credit, date(2026, 3, 1))
    before = balance(credit)
    pay(staff, credit, "6100", date(2026, 3, 5))
    application.refresh_from_db()
    assert application.status == "completed" and application.end_reason == "reward_credited"
    reward = application.entries.get(kind="reward")
    assert reward.amount == D("-6000.00") and reward.capital == D("-6000.00")
    assert balance(credit) == before - D("6100") - D("6000")
    assert_consistent(credit)


def test_bcn_reward_for_three_to_nine_missed_comes_from_the_ledger(staff, borrower):
    """Four months missed: the reward is the interest billed in the 3rd and 4th missed months plus the
    insurance and fees owed, read from the ledger (not the simulator's estimate)."""
    credit = originate(staff, borrower, origination_date=date(2025, 8, 15), monthly_payment="6000")
    accruals = [services.post_monthly_accrual(staff, credit, date(2025, month, 1)) for month in (9, 10, 11, 12)]
    facts = selectors.credit_facts(credit, date(2025, 12, 20), {"employed": True})
    assert facts.missed_payments == 4
    assert facts.arrears_interest_from_third_missed == accruals[2][0].amount + accruals[3][0].amount
    assert facts.arrears_insurance_and_fees == D("400.00")
    application = apply(staff, credit, "BCN", {"employed": "true"}, on=date(2025, 12, 20))
    expected = accruals[2][0].amount + accruals[3][0].amount + D("400.00")
    assert D(application.amounts["reward"]) == expected
    for month in (1, 2, 3):
        services.post_monthly_accrual(staff, credit, date(2026, month, 1))
        pay(staff, credit, "6100", date(2026, month, 5))
    reward = application.entries.get(kind="reward")
    assert reward.amount == -expected
    assert_consistent(credit)


def test_a_converted_credit_is_no_longer_adjusted(staff, approver, borrower):
    from ventanilla.infonavit.models import AdjustmentRun

    credit = rc_credit(staff, borrower)
    still_vsm = originate(staff, borrower, denomination="vsm", origination_date=date(2005, 6, 15),
                          amount_lent="250000", amount_lent_vsm="5000", rate="9", term_months=360)
    services.approve_application(approver, apply(staff, credit, "RC", {"monthly_income": "9000"}), on=ON)
    services.adjust_vsm_credits(staff, 2026)
    assert AdjustmentRun.objects.get(year=2026).credits == 1
    assert still_vsm.entries.filter(kind="adjustment", period=date(2026, 1, 1)).exists()
    assert not credit.entries.filter(kind="adjustment", period=date(2026, 1, 1)).exists()


def test_bcn_payroll_reward_after_a_full_bimonthly_payment(staff, borrower):
    credit = bcn_credit(staff, borrower, regime="payroll")
    application = apply(staff, credit, "BCN", {"employed": "true"}, on=date(2025, 12, 20))
    services.post_monthly_accrual(staff, credit, date(2026, 1, 1))
    services.post_monthly_accrual(staff, credit, date(2026, 2, 1))
    pay(staff, credit, "12200", date(2026, 2, 10))  # the employer's bimonthly payment
    application.refresh_from_db()
    assert application.status == "completed"
    assert_consistent(credit)


def test_bcn_at_most_twice_a_year(staff, borrower):
    credit = bcn_credit(staff, borrower)
    for month in (2, 6):
        SolutionApplication.objects.create(credit=credit, code="BCN", status="completed", channel=STAFF,
                                           requested_by=staff, starts_on=date(2025, month, 1),
                                           idempotency_key=f"old-{month}")
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "BCN", {"employed": "true"}, on=date(2025, 12, 20))
    assert codes(caught) == {("code", "uses_exhausted")}


# --- DLA: the amount of the 1st, the payment's outcome ------------------------------------------------------

def dla_credit(staff, borrower) -> Credit:
    """100,000 lent; 20,000 left on 1 March 2026 (≤ 25 %): 10,000 pays it off with the DLA."""
    credit = originate(staff, borrower, origination_date=date(2024, 1, 15), amount_lent="100000", term_months=60,
                       monthly_insurance_and_fees="0")
    pay(staff, credit, "80000", date(2026, 2, 20))
    return credit


def test_dla_is_shown_from_the_10th_on_the_balance_of_the_1st(staff, borrower):
    credit = dla_credit(staff, borrower)
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "DLA", on=date(2026, 3, 9))
    assert codes(caught) == {("code", "not_shown_yet")}
    pay(staff, credit, "1000", date(2026, 3, 5))  # after the 1st: the amount stays that of the 1st
    application = apply(staff, credit, "DLA")
    assert application.amounts["amount_to_pay"] == "10000.00" and application.amounts["discount"] == "10000.00"
    assert application.ends_on == date(2026, 3, 31) and not application.entries.exists()


@pytest.mark.parametrize(("paid", "outcome", "status", "final_balance", "discount"), [
    ("10000", "exact", "completed", D("0.00"), D("10000.00")),
    ("12000", "more", "completed", D("0.00"), D("8000.00")),
    ("9000", "less", "ended", D("11000.00"), None),
    ("20000", "full_balance", "ended", D("0.00"), None),
])
def test_dla_payment_outcomes(staff, borrower, paid, outcome, status, final_balance, discount):
    credit = dla_credit(staff, borrower)
    application = apply(staff, credit, "DLA")
    entry = pay(staff, credit, paid, date(2026, 3, 20))
    assert entry.kind == "payment" and -entry.amount == D(paid)  # nothing refunded, nothing set aside
    application.refresh_from_db()
    credit.refresh_from_db()
    assert application.status == status
    assert balance(credit) == final_balance
    posted = application.entries.filter(kind="discount").first()
    if discount is None:
        assert posted is None and application.end_reason == f"dla_{outcome}"
    else:
        assert -posted.amount == discount and application.amounts["outcome"] == outcome
        assert application.end_reason == "settled"
        audit = AuditEntry.objects.get(action="infonavit.dla_discount", object_id=str(application.pk))
        assert audit.after["discount"] == str(discount) and audit.after["outcome"] == outcome
    if final_balance == 0:
        assert credit.status == Credit.Status.SETTLED and credit.settled_on == date(2026, 3, 20)
    assert_consistent(credit)


def test_dla_outside_its_month_is_an_ordinary_payment(staff, borrower):
    credit = dla_credit(staff, borrower)
    application = apply(staff, credit, "DLA")
    pay(staff, credit, "10000", date(2026, 4, 2))
    application.refresh_from_db()
    assert application.status == "active" and balance(credit) == D("10000.00")


# --- idempotency, access, bad input ------------------------------------------------------------------------

def test_the_same_key_returns_the_same_application(staff, borrower):
    credit = originate(staff, borrower)
    first = apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME, key="k-1")
    entries = credit.entries.count()
    again = apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME, key="k-1")
    assert again.pk == first.pk and credit.entries.count() == entries
    with pytest.raises(ConflictError):
        apply(staff, credit, "PRORROGA", UNEMPLOYED, key="k-1")


def test_who_may_apply_and_by_which_channel(staff, borrower, consulate_chicago):
    credit = originate(staff, borrower)
    own = make_user(Role.DERECHOHABIENTE, person=borrower)
    stranger = make_user(Role.DERECHOHABIENTE, person=make_person(consulate_chicago))
    with pytest.raises(NotFoundError):
        apply(stranger, credit, "STM", EMPLOYED_LOWER_INCOME, channel="portal")
    with pytest.raises(PermissionDeniedError):
        apply(make_user(Role.IMSS_STAFF), credit, "STM", EMPLOYED_LOWER_INCOME)
    with pytest.raises(DomainError) as caught:
        apply(own, credit, "STM", EMPLOYED_LOWER_INCOME, channel="staff")
    assert codes(caught) == {("channel", "invalid_choice")}
    application = apply(own, credit, "STM", EMPLOYED_LOWER_INCOME, channel="portal")
    assert application.requested_by == own and application.channel == "portal"
    assert selectors.get_visible_application(own, application.pk) == application
    with pytest.raises(NotFoundError):
        selectors.get_visible_application(stranger, application.pk)
    assert not selectors.pending_applications(own).exists()


def test_bad_declared_facts_name_each_field(staff, borrower):
    credit = originate(staff, borrower)
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "STM", {"monthly_income": "12,34", "employed": "maybe", "months_in_current_job": "-1",
                                     "salary": "1"})
    assert codes(caught) == {("monthly_income", "invalid_number"), ("employed", "invalid_choice"),
                             ("months_in_current_job", "invalid_months"), ("salary", "unknown_fact")}
    with pytest.raises(DomainError) as caught:
        services.apply_solution(staff, credit, "NOPE", declared={}, idempotency_key=" ", on=ON, channel=STAFF)
    assert codes(caught) == {("code", "unknown_solution"), ("Idempotency-Key", "required")}


def test_facts_come_from_the_ledger_and_the_declaration(staff, borrower):
    credit = rc_credit(staff, borrower)
    facts = selectors.credit_facts(credit, ON, selectors.parse_declared({"monthly_income": "9000"}))
    assert facts.balance == D("469600.00") and facts.consecutive_payments == 24 and facts.payments_made == 24
    assert facts.remaining_months == 111 and facts.missed_payments == 0 and facts.monthly_payment == D("3200")
    assert facts.borrower_birth_date == date(1975, 5, 2) and facts.monthly_income == D("9000")
    assert facts.contributing_to_imss is False  # not declared, no IMSS affiliation
    assert facts.active_solutions == frozenset()


def test_contributing_to_imss_comes_from_the_affiliation_abroad_when_not_declared(staff, borrower):
    """Stored directly (as the access matrix does): an affiliation with March 2026 paid."""
    from ventanilla.imss.models import Affiliation, ContributionPeriod, QuoteBreakdown

    credit = originate(staff, borrower, monthly_payment="3000")
    pay(staff, credit, str(120 * installment_of(credit)), date(2026, 2, 20))
    affiliation = Affiliation.objects.create(person=borrower, consulate=borrower.consulate, status="active",
                                             channel="window", zone="general", periodicity="monthly",
                                             occupation="Cocinero", enrolled_on=date(2026, 2, 5), enrolled_by=staff)
    ContributionPeriod.objects.create(affiliation=affiliation, period_start=date(2026, 3, 1),
                                      period_end=date(2026, 3, 31), months=1, sbc_daily=400, amount=2633,
                                      due_date=date(2026, 2, 20), status="paid",
                                      breakdown=QuoteBreakdown.objects.create(digest="relief", data=[]))
    assert selectors.credit_facts(credit, ON, {}).contributing_to_imss is True
    assert selectors.credit_facts(credit, date(2026, 4, 10), {}).contributing_to_imss is False
    with pytest.raises(DomainError) as caught:
        apply(staff, credit, "JUBILADOS", {"monthly_pension": "8000"})
    assert codes(caught) == {("code", "contributing_to_imss")}
    declared = apply(staff, credit, "JUBILADOS", {"monthly_pension": "8000", "contributing_to_imss": "false"})
    assert declared.declared == {"monthly_pension": "8000", "contributing_to_imss": "false"}


def test_ending_restores_the_agreed_payment_with_the_yearly_adjustments_in_between(staff, approver, borrower):
    credit = originate(staff, borrower, denomination="vsm", origination_date=date(2005, 6, 15), amount_lent="250000",
                       amount_lent_vsm="5000", rate="9", term_months=360, monthly_payment="3200")
    application = apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME, on=date(2023, 6, 10))
    services.adjust_vsm_credits(staff, 2024)  # 4.66 %
    services.end_application(approver, application, "cancelled", on=date(2024, 3, 1))
    assert selectors.ledger_state(credit).monthly_payment == D("3349.12")  # 3,200 × 1.0466
    assert_consistent(credit)


# --- review fixes (relieffix) ----------------------------------------------------------------------------------

def test_a_prorroga_applied_after_the_month_was_billed_suspends_all_twelve_months(staff, borrower):
    credit = originate(staff, borrower)
    services.post_monthly_accrual(staff, credit, date(2026, 3, 1))  # March billed on the 1st, at the old terms
    application = apply(staff, credit, "PRORROGA", UNEMPLOYED)  # 10 March
    assert application.new_terms["months"] == 12
    assert application.ends_on == date(2027, 3, 31)  # April 2026 to March 2027
    suspended, month = [], date(2026, 4, 1)
    for _ in range(13):
        interest, _insurance = services.post_monthly_accrual(staff, credit, month)
        if interest.amount == 0 and interest.due == 0:
            suspended.append(month)
        month = add_months(month, 1)
    assert suspended == [add_months(date(2026, 4, 1), n) for n in range(12)]
    application.refresh_from_db()
    assert application.status == "ended" and application.end_reason == "expired"


def test_a_prorroga_applied_before_the_months_bill_suspends_that_month(staff, borrower):
    credit = originate(staff, borrower)
    services.post_monthly_accrual(staff, credit, date(2026, 2, 1))
    application = apply(staff, credit, "PRORROGA", UNEMPLOYED, on=date(2026, 3, 1))  # before March's accrual
    assert application.ends_on == date(2027, 2, 28)
    interest, _insurance = services.post_monthly_accrual(staff, credit, date(2026, 3, 1))
    assert interest.amount == 0 and interest.due == 0


def test_a_lowered_payment_applied_after_the_month_was_billed_bills_twelve_lowered_installments(staff, borrower):
    credit = originate(staff, borrower)
    services.post_monthly_accrual(staff, credit, date(2026, 3, 1))
    application = apply(staff, credit, "DCP", EMPLOYED_LOWER_INCOME)
    lowered = selectors.ledger_state(credit).monthly_payment
    assert application.ends_on == date(2027, 3, 31)
    pay(staff, credit, "200000", date(2026, 3, 10))  # paid well ahead: nothing falls overdue
    billed_lowered, month = 0, date(2026, 4, 1)
    for _ in range(13):
        interest, _insurance = services.post_monthly_accrual(staff, credit, month)
        billed_lowered += interest.monthly_payment_after == lowered
        month = add_months(month, 1)
    assert billed_lowered == 12


def test_reversing_the_dla_payment_reverses_its_discount_and_ends_the_solution(staff, borrower):
    credit = dla_credit(staff, borrower)
    application = apply(staff, credit, "DLA")
    payment = pay(staff, credit, "10000", date(2026, 3, 20))
    discount = application.entries.get(kind="discount")
    assert discount.caused_by == payment
    credit.refresh_from_db()
    assert credit.status == Credit.Status.SETTLED
    reversal = services.reverse_entry(staff, payment, "cheque rebotado", on=date(2026, 3, 25))
    credit.refresh_from_db()
    application.refresh_from_db()
    assert balance(credit) == D("20000.00") and reversal.balance_after == D("20000.00")
    assert credit.status == Credit.Status.ACTIVE and credit.settled_on is None
    assert discount.reversed_by.get().amount == -discount.amount
    assert application.status == "ended" and application.end_reason == "payment_reversed"
    assert application.ended_on == date(2026, 3, 25)
    audit = AuditEntry.objects.filter(action="infonavit.end_solution", object_id=str(application.pk)).latest("id")
    assert audit.after["reason"] == "payment_reversed" and audit.before["status"] == "completed"
    assert_consistent(credit)


def test_reversing_the_payment_that_earned_the_bcn_reward_takes_it_back(staff, borrower):
    credit = bcn_credit(staff, borrower)
    application = apply(staff, credit, "BCN", {"employed": "true"}, on=date(2025, 12, 20))
    for month in (1, 2, 3):
        services.post_monthly_accrual(staff, credit, date(2026, month, 1))
        last = pay(staff, credit, "6100", date(2026, month, 5))
    reward = application.entries.get(kind="reward")
    assert reward.caused_by == last
    before_reward = reward.balance_after - reward.amount
    services.reverse_entry(staff, last, "pago devuelto", on=date(2026, 3, 8))
    application.refresh_from_db()
    assert balance(credit) == before_reward + D("6100")  # neither the payment nor its reward
    assert reward.reversed_by.exists()
    assert application.status == "active" and application.end_reason == "" and application.ended_on is None
    assert AuditEntry.objects.filter(action="infonavit.reopen_solution", object_id=str(application.pk)).exists()
    pay(staff, credit, "6100", date(2026, 3, 9))  # kept up again: the reward comes back, once
    application.refresh_from_db()
    assert application.status == "completed"
    assert application.entries.filter(kind="reward").count() == 2
    assert_consistent(credit)


def test_the_bcn_reward_condition_told_is_the_one_applied(staff, borrower):
    own = bcn_credit(staff, borrower)  # paying on their own, though employed: three full payments
    application = apply(staff, own, "BCN", {"employed": "true"}, on=date(2025, 12, 20))
    assert application.new_terms["reward_after"] == "three_consecutive_payments"
    services.post_monthly_accrual(staff, own, date(2026, 1, 1))
    pay(staff, own, "12200", date(2026, 1, 10))  # a bimonthly-sized payment is not what this borrower was told
    application.refresh_from_db()
    assert application.status == "active"
    payroll = bcn_credit(staff, make_person(borrower.consulate, birth_date=date(1975, 5, 2), sex="H"),
                         regime="payroll")
    told = apply(staff, payroll, "BCN", {"employed": "true"}, on=date(2025, 12, 20))
    assert told.new_terms["reward_after"] == "bimonthly_employer_payment"


def test_the_same_key_with_other_facts_or_channel_is_a_conflict(staff, borrower):
    credit = originate(staff, borrower)
    apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME, key="k-2")
    same = apply(staff, credit, "STM", {**EMPLOYED_LOWER_INCOME, "monthly_income": "10000.00"}, key="k-2")
    assert same.declared["monthly_income"] == "10000"  # the same amount written otherwise: a replay
    with pytest.raises(ConflictError):
        apply(staff, credit, "STM", {**EMPLOYED_LOWER_INCOME, "monthly_income": "9000"}, key="k-2")
    with pytest.raises(ConflictError):
        apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME, key="k-2", channel=SolutionApplication.Channel.WINDOW)


def test_a_solution_ends_between_the_last_entry_and_today(staff, approver, borrower):
    from django.utils import timezone

    credit = originate(staff, borrower)
    application = apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME)
    services.post_monthly_accrual(staff, credit, date(2026, 4, 1))
    with pytest.raises(DomainError) as caught:
        services.end_application(approver, application, "cancelled", on=date(2026, 3, 20))
    assert codes(caught) == {("on", "before_last_entry")}
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError) as caught:
        services.end_application(approver, application, "cancelled", on=tomorrow)
    assert codes(caught) == {("on", "future_date")}
    ended = services.end_application(approver, application, "cancelled", on=date(2026, 4, 1))
    assert ended.status == "ended"


def test_an_unknown_end_reason_is_a_programming_error(staff, borrower):
    credit = originate(staff, borrower)
    application = apply(staff, credit, "STM", EMPLOYED_LOWER_INCOME)
    with pytest.raises(ValueError):
        services._end(staff, credit, application, "because", ON)
