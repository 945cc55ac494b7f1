"""The affiliation's services against the real database (PostgreSQL in CI)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import make_person, make_user, payload_born
from ventanilla.core.errors import DomainError, NotFoundError, PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.imss import selectors, services
from ventanilla.imss.models import Affiliation, ContributionPeriod
from ventanilla.payments import services as payments
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")


def codes(exc) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors}


@pytest.fixture
def officer(consulate_la):
    return make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)


@pytest.fixture
def worker(consulate_la):
    return make_person(consulate_la, nss="92919084431", mx_state="JC", mx_municipality="Guadalajara")


def enrol(officer, person, on=date(2026, 3, 5), **overrides):
    data = {"occupation": "Jardinero", "monthly_income": "12000", "periodicity": "monthly",
            "id_document_type": "matricula", "id_document_number": "MC123456", "on": on, **overrides}
    return services.enrol(officer, person, **data)


def pay(period, when: datetime, operation_id: str):
    return payments.record_payment(None, reference_code=period.reference.code, amount=period.amount,
                                   paid_at=when, operation_id=operation_id, channel="window")


def test_enrolment_at_the_window_is_audited_and_active_with_nss(officer, worker):
    affiliation = enrol(officer, worker)
    assert affiliation.status == Affiliation.Status.ACTIVE
    assert affiliation.channel == "window" and affiliation.zone == "general"
    assert affiliation.consulate.code == "US-LOS-ANGELES"
    assert AuditEntry.objects.filter(action="imss.enrol", object_id=str(affiliation.pk)).exists()


def test_border_address_gives_the_zlfn_zone(officer, consulate_la):
    person = make_person(consulate_la, mx_state="BC", mx_municipality="Tijuana")
    assert enrol(officer, person).zone == "zlfn"


def test_without_nss_the_enrolment_waits_until_imss_assigns_one(officer, consulate_la):
    person = make_person(consulate_la, nss=None)
    affiliation = enrol(officer, person)
    assert affiliation.status == Affiliation.Status.PENDING_NSS
    with pytest.raises(DomainError) as caught:
        services.issue_next_reference(officer, affiliation, on=date(2026, 3, 5))
    assert codes(caught) == {"affiliation": "not_active"}
    staff = make_user(Role.IMSS_STAFF)
    with pytest.raises(DomainError):
        services.assign_nss(staff, affiliation, "92919084432")  # bad check digit
    services.assign_nss(staff, affiliation, "92919084431")
    affiliation.refresh_from_db()
    assert affiliation.status == Affiliation.Status.ACTIVE and affiliation.person.nss == "92919084431"
    assert affiliation.nss_request.resolved_by == staff


def test_enrolment_before_the_consulate_opens_is_refused_with_the_date(officer, worker):
    with pytest.raises(DomainError) as caught:
        enrol(officer, worker, on=date(2022, 12, 15))
    assert codes(caught) == {"consulate": "not_open_yet"}
    assert "2023-01-01" in str(caught.value.errors[0].message)


def test_every_bad_enrolment_field_is_named(officer, worker):
    with pytest.raises(DomainError) as caught:
        enrol(officer, worker, occupation="", monthly_income="-5", periodicity="weekly", id_document_number="")
    assert codes(caught) == {"occupation": "required", "monthly_income": "not_positive",
                             "periodicity": "invalid_choice", "id_document_number": "required"}
    assert not Affiliation.objects.exists()


def test_officer_cannot_enrol_a_person_of_another_consulate(officer, consulate_chicago):
    with pytest.raises(NotFoundError):
        enrol(officer, make_person(consulate_chicago))


def test_reference_quote_due_date_and_idempotent_issue(officer, worker):
    affiliation = enrol(officer, worker)
    period = services.issue_next_reference(officer, affiliation, on=date(2026, 3, 5))
    assert period.period_start == date(2026, 4, 1) and period.due_date == date(2026, 3, 20)
    assert period.amount == Decimal("2633.12")  # the worked example of the contribution rules
    assert period.reference.amount == period.amount and period.reference.owner_kind == "imss.contribution"
    again = services.issue_next_reference(officer, affiliation, on=date(2026, 3, 6))
    assert again.pk == period.pk
    after_the_20th = services.issue_next_reference(officer, affiliation, on=date(2026, 3, 21))
    assert after_the_20th.period_start == date(2026, 5, 1)
    period.refresh_from_db()
    assert period.status == ContributionPeriod.Status.CANCELLED and period.reference.status == "cancelled"


def test_payment_by_the_20th_covers_the_period_and_unpaid_ends_it(officer, worker):
    affiliation = enrol(officer, worker)
    period = services.issue_next_reference(officer, affiliation, on=date(2026, 3, 5))
    assert selectors.coverage(affiliation, date(2026, 4, 10)).status == "not_covered"
    pay(period, datetime(2026, 3, 18, 12, tzinfo=MX), "OP-1")
    period.refresh_from_db()
    assert period.status == ContributionPeriod.Status.PAID
    assert selectors.coverage(affiliation, date(2026, 4, 10)).status == "covered"
    assert selectors.coverage(affiliation, date(2026, 3, 31)).status == "not_covered"
    # Fewer than 8 weeks contributed: no conservation of medical care after the period.
    assert selectors.coverage(affiliation, date(2026, 5, 2)).status == "not_covered"


def test_a_late_payment_is_refused_and_changes_nothing(officer, worker):
    affiliation = enrol(officer, worker)
    period = services.issue_next_reference(officer, affiliation, on=date(2026, 3, 5))
    with pytest.raises(DomainError) as caught:
        pay(period, datetime(2026, 3, 21, 9, tzinfo=MX), "OP-LATE")
    assert codes(caught) == {"reference": "expired"}
    period.refresh_from_db()
    assert period.status == ContributionPeriod.Status.PENDING


def test_conservation_after_two_paid_months(officer, worker):
    affiliation = enrol(officer, worker, periodicity="bimonthly")
    period = services.issue_next_reference(officer, affiliation, on=date(2026, 3, 5))
    pay(period, datetime(2026, 3, 10, tzinfo=MX), "OP-2")
    assert selectors.contributed_weeks(affiliation) == Decimal("8.57")  # 60 days / 7
    status = selectors.coverage(affiliation, date(2026, 6, 15))
    assert status.status == "conservation" and status.medical_until == date(2026, 7, 26)


def test_income_change_applies_to_future_periods_only(officer, worker):
    affiliation = enrol(officer, worker)
    first = services.issue_next_reference(officer, affiliation, on=date(2026, 3, 5))
    with pytest.raises(DomainError) as caught:
        services.declare_income(officer, affiliation, "15000", date(2026, 4, 1), on=date(2026, 3, 6))
    assert codes(caught) == {"effective_from": "not_future"}
    services.declare_income(officer, affiliation, "15000", date(2026, 5, 1), on=date(2026, 3, 6))
    pay(first, datetime(2026, 3, 10, tzinfo=MX), "OP-3")
    second = services.issue_next_reference(officer, affiliation, on=date(2026, 4, 2))
    assert second.period_start == date(2026, 5, 1) and second.sbc_daily == Decimal("500.00")
    first.refresh_from_db()
    assert first.sbc_daily == Decimal("400.00")
    assert list(affiliation.incomes.values_list("monthly_income", flat=True)) == [Decimal("12000"), Decimal("15000")]


def test_beneficiaries_rules_and_automatic_end_of_a_childs_right(officer, worker):
    affiliation = enrol(officer, worker)
    child = services.add_beneficiary(officer, affiliation, relationship="child", on=date(2026, 3, 5),
                                     person_data=payload_born(date(2012, 6, 15), "M", seed=901))
    assert child.person.consulate == affiliation.consulate
    rows = {r["beneficiary"].pk: r for r in selectors.beneficiary_coverage(affiliation, date(2028, 6, 14))}
    assert rows[child.pk]["right"].eligible and rows[child.pk]["right"].ends_on == date(2028, 6, 15)
    rows = {r["beneficiary"].pk: r for r in selectors.beneficiary_coverage(affiliation, date(2028, 6, 15))}
    assert not rows[child.pk]["right"].eligible  # the 16th birthday ends it; nobody touched the record

    with pytest.raises(DomainError) as caught:  # a 30-year-old child who is neither studying nor disabled
        services.add_beneficiary(officer, affiliation, relationship="child", on=date(2026, 3, 5),
                                 person_data=payload_born(date(1996, 1, 10), "H", seed=902))
    assert caught.value.errors[0].field == "relationship"

    services.add_beneficiary(officer, affiliation, relationship="spouse", on=date(2026, 3, 5),
                             person_data=payload_born(date(1990, 2, 2), "M", seed=903))
    with pytest.raises(DomainError):  # one spouse or concubine only
        services.add_beneficiary(officer, affiliation, relationship="concubine", years_together=6,
                                 on=date(2026, 3, 5), person_data=payload_born(date(1991, 3, 3), "M", seed=904))


def test_reissue_cancels_the_old_reference(officer, worker):
    affiliation = enrol(officer, worker)
    period = services.issue_next_reference(officer, affiliation, on=date(2026, 3, 5))
    old_code = period.reference.code
    period = services.reissue_reference(officer, period, on=date(2026, 3, 6))
    assert period.reference.code != old_code and period.reference.replaces.code == old_code
    with pytest.raises(DomainError) as caught:
        payments.record_payment(None, reference_code=old_code, amount=period.amount,
                                paid_at=datetime(2026, 3, 7, tzinfo=MX), operation_id="OP-OLD", channel="window")
    assert codes(caught) == {"reference": "cancelled"}


def test_supervisor_and_strangers_cannot_touch_an_affiliation(officer, worker, consulate_chicago):
    affiliation = enrol(officer, worker)
    with pytest.raises(PermissionDeniedError):
        services.issue_next_reference(make_user(Role.SUPERVISOR), affiliation, on=date(2026, 3, 5))
    with pytest.raises(NotFoundError):
        services.issue_next_reference(make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago), affiliation,
                                      on=date(2026, 3, 5))


def test_monthly_job_issues_once_and_lapses_unpaid_periods(officer, worker, consulate_la):
    other = enrol(officer, make_person(consulate_la, nss="12345678903"), periodicity="bimonthly")
    mine = enrol(officer, worker)
    staff = make_user(Role.IMSS_STAFF)
    first = services.issue_monthly_references(staff, on=date(2026, 3, 5))
    assert first["issued"] == 2 and first["period_start"] == date(2026, 4, 1)
    assert services.issue_monthly_references(staff, on=date(2026, 3, 6))["issued"] == 0
    bimonthly = other.periods.get()
    assert bimonthly.months == 2 and bimonthly.reference.amount == bimonthly.amount
    pay(mine.periods.get(), datetime(2026, 3, 15, tzinfo=MX), "OP-JOB")
    later = services.issue_monthly_references(staff, on=date(2026, 3, 25))  # the 20th has passed
    bimonthly.refresh_from_db()
    assert bimonthly.status == ContributionPeriod.Status.CANCELLED
    assert bimonthly.reference.status == "cancelled"
    assert later["period_start"] == date(2026, 5, 1) and later["issued"] == 2
    assert mine.periods.filter(status="paid").count() == 1


def test_a_bank_file_marks_each_period_paid_at_its_own_time(officer, worker, consulate_la):
    from ventanilla.imss.demo import bank_file_for

    first = enrol(officer, worker)
    second = enrol(officer, make_person(consulate_la, nss="12345678903"))
    staff = make_user(Role.IMSS_STAFF)
    assert services.issue_monthly_references(staff, on=date(2026, 3, 5))["issued"] == 2
    early, late = datetime(2026, 3, 9, 11, 30, tzinfo=MX), datetime(2026, 3, 18, 16, 5, tzinfo=MX)
    content = (bank_file_for([(p.pk, p.reference.code, p.amount) for p in first.periods.all()], early, "A")
               + bank_file_for([(p.pk, p.reference.code, p.amount) for p in second.periods.all()], late, "B")
               .split(b"\n", 1)[1])  # one file: the second part without its header
    imported = payments.import_payment_file(staff, filename="march.csv", content=content)
    assert (imported.lines_applied, imported.lines_rejected) == (2, 0)
    assert [(p.status, p.paid_at) for p in first.periods.all()] == [("paid", early)]
    assert [(p.status, p.paid_at) for p in second.periods.all()] == [("paid", late)]
