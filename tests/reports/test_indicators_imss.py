"""IMSS abroad indicators against a hand-built data set: exact figures, filters, the officer's forced
consulate and small-group suppression."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.conftest import make_person, make_user
from ventanilla.imss import selectors as imss_selectors
from ventanilla.imss.models import Affiliation, Beneficiary, BenefitClaim, ContributionPeriod, QuoteBreakdown
from ventanilla.people.models import Role
from ventanilla.reports.indicators import Filters, compute

SBC = [Decimal("380.00"), Decimal("385.00"), Decimal("389.00"), Decimal("390.00"), Decimal("400.33")]


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12, 0))


def affiliate(person, consulate, enrolled_on, clerk) -> Affiliation:
    return Affiliation.objects.create(person=person, consulate=consulate, status=Affiliation.Status.ACTIVE,
                                      channel=Affiliation.Channel.WINDOW, zone=Affiliation.Zone.GENERAL,
                                      periodicity=Affiliation.Periodicity.MONTHLY, occupation="Cocina",
                                      enrolled_on=enrolled_on, enrolled_by=clerk)


def period(affiliation, start, end, sbc, amount, status, paid_on=None, breakdown=None):
    return ContributionPeriod.objects.create(
        affiliation=affiliation, period_start=start, period_end=end, months=1, sbc_daily=sbc, amount=amount,
        due_date=start, breakdown=breakdown, status=status, paid_at=aware(paid_on) if paid_on else None)


@pytest.fixture
def data(db, consulate_la, consulate_chicago):
    """Los Angeles: 6 affiliations (5 women from Jalisco enrolled in March 2025 with March and April paid,
    1 man from Michoacán enrolled in April with a pending May period). Chicago: 2 men from Jalisco (March)."""
    clerk = make_user(Role.IMSS_STAFF)
    breakdown = QuoteBreakdown.objects.create(digest="test-imss-indicators", data={})
    la = []
    for i in range(5):
        affiliation = affiliate(make_person(consulate_la, sex="M", mx_state="JC"), consulate_la,
                                date(2025, 3, 10), clerk)
        period(affiliation, date(2025, 3, 1), date(2025, 3, 31), Decimal("300.00"), Decimal("1000.00"),
               ContributionPeriod.Status.PAID, date(2025, 2, 15), breakdown)
        period(affiliation, date(2025, 4, 1), date(2025, 4, 30), SBC[i], Decimal("1010.10"),
               ContributionPeriod.Status.PAID, date(2025, 3, 15), breakdown)
        la.append(affiliation)
    period(la[0], date(2025, 5, 1), date(2025, 5, 31), Decimal("999.00"), Decimal("9.99"),
           ContributionPeriod.Status.CANCELLED, breakdown=breakdown)  # cancelled: never counted
    late = affiliate(make_person(consulate_la, sex="H", mx_state="MN"), consulate_la, date(2025, 4, 2), clerk)
    period(late, date(2025, 5, 1), date(2025, 5, 31), Decimal("500.00"), Decimal("1500.00"),
           ContributionPeriod.Status.PENDING, breakdown=breakdown)
    chicago = [affiliate(make_person(consulate_chicago, sex="H", mx_state="JC"), consulate_chicago,
                         date(2025, 3, 20), clerk) for _ in range(2)]
    for i, affiliation in enumerate(la):  # one child (10) each; the fifth's ended 1 Apr and a second joined
        Beneficiary.objects.create(affiliation=affiliation, person=make_person(None, birth_date=date(2015, 6, 1)),
                                   relationship="child",
                                   registered_on=date(2025, 3, 10), registered_by=clerk,
                                   ended_on=date(2025, 4, 1) if i == 4 else None)
    Beneficiary.objects.create(affiliation=la[4], person=make_person(None), relationship="mother",
                               registered_on=date(2025, 3, 20), registered_by=clerk, lives_with_worker=True,
                               economically_dependent=True)
    for affiliation in la:
        BenefitClaim.objects.create(affiliation=affiliation, kind=BenefitClaim.Kind.SICK_PAY,
                                    event_date=date(2025, 4, 5), eligible=True, amount=Decimal("1000.50"),
                                    status=BenefitClaim.Status.APPROVED, registered_by=clerk)
    BenefitClaim.objects.create(affiliation=la[0], kind=BenefitClaim.Kind.FUNERAL, event_date=date(2025, 4, 5),
                                eligible=False, registered_by=clerk)
    BenefitClaim.objects.update(registered_at=aware(date(2025, 4, 10)))
    supervisor = make_user(Role.SUPERVISOR)
    return {"la": la, "late": late, "chicago": chicago, "supervisor": supervisor, "clerk": clerk}


def rows(user, name, **filters):
    return compute(user, name, Filters(**filters))


def test_affiliations_by_consulate_country_month_and_sex(data, consulate_la):
    boss = data["supervisor"]
    # The country's 8 is shown: Los Angeles's 6 beside it would give Chicago's 2 back, so both are hidden
    # (complementary suppression); April's 1 would come back from March's 7, the 3 men from the 5 women.
    assert rows(boss, "imss_affiliations_by_country").rows == [{"country": "US", "affiliations": 8}]
    table = rows(boss, "imss_affiliations_by_consulate")
    assert table.rows == [] and table.suppressed == 2
    by_month = rows(boss, "imss_affiliations_by_month")
    assert by_month.rows == [] and by_month.suppressed == 2
    by_sex = rows(boss, "imss_affiliations_by_sex")
    assert by_sex.rows == [] and by_sex.suppressed == 2
    # One consulate alone hides nothing: its figures are exact.
    la = rows(boss, "imss_affiliations_by_consulate", consulate=consulate_la.pk)
    assert [(r["code"], r["affiliations"]) for r in la.rows] == [("US-LOS-ANGELES", 6)] and la.suppressed == 0
    by_sex = rows(boss, "imss_affiliations_by_sex", consulate=consulate_la.pk, end=date(2025, 3, 31))
    assert by_sex.rows == [{"sex": "M", "affiliations": 5}] and by_sex.suppressed == 0  # March: 5 women


def test_affiliation_filters_dates_state_and_consulate(data, consulate_la, consulate_chicago):
    boss = data["supervisor"]
    assert rows(boss, "imss_affiliations_by_country", end=date(2025, 3, 31)).rows == [
        {"country": "US", "affiliations": 7}]
    assert rows(boss, "imss_affiliations_by_country", start=date(2025, 4, 1)).rows == []  # 1: suppressed
    assert rows(boss, "imss_affiliations_by_country", state="JC").rows == [{"country": "US", "affiliations": 7}]
    assert rows(boss, "imss_affiliations_by_consulate", consulate=consulate_la.pk).rows[0]["affiliations"] == 6
    assert rows(boss, "imss_affiliations_by_consulate", consulate=consulate_chicago.pk).rows == []


def test_an_officer_sees_their_consulate_whatever_they_ask(data, consulate_la, consulate_chicago):
    officer_la = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    table = rows(officer_la, "imss_affiliations_by_consulate", consulate=consulate_chicago.pk)
    assert table.suppressed == 0
    assert [(r["code"], r["affiliations"]) for r in table.rows] == [("US-LOS-ANGELES", 6)]
    officer_chicago = make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago)
    table = rows(officer_chicago, "imss_affiliations_by_country")
    assert table.rows == [] and table.suppressed == 1  # their 2 affiliations are too few to show


def test_relatives_in_force_on_the_end_date(data):
    boss = data["supervisor"]
    before_the_end = rows(boss, "imss_relatives_covered", end=date(2025, 3, 31)).rows
    assert [(r["workers"], r["relatives"]) for r in before_the_end] == [(5, 6)]
    after_the_end = rows(boss, "imss_relatives_covered", end=date(2025, 4, 15)).rows  # read on 30 April
    assert [(r["workers"], r["relatives"]) for r in after_the_end] == [(5, 5)]
    before_the_mother = rows(boss, "imss_relatives_covered", end=date(2025, 2, 28)).rows  # none registered yet
    assert before_the_mother == []
    assert rows(boss, "imss_relatives_covered", end=date(2025, 3, 15), state="MN").rows == []


def test_relatives_lose_the_count_when_art_84_ends_their_right(data):
    """A child past 16 without proof of studies, or past 25, is no relative with rights any more (LSS art. 84),
    though still registered and never given a baja: the figure reads the IMSS rule on the report date."""
    boss, la = data["supervisor"], data["la"]
    Beneficiary.objects.filter(affiliation__in=la, relationship="child").delete()
    for i, affiliation in enumerate(la):
        if i < 2:  # turned 16 on 1 May 2025, not studying: counted in April, not in May
            child = make_person(None, birth_date=date(2009, 5, 1))
            Beneficiary.objects.create(affiliation=affiliation, person=child, relationship="child",
                                       registered_on=date(2025, 3, 10), registered_by=data["clerk"])
        elif i < 4:  # 20, studying until the end of 2025: counted in both months
            child = make_person(None, birth_date=date(2005, 1, 1))
            Beneficiary.objects.create(affiliation=affiliation, person=child, relationship="child",
                                       registered_on=date(2025, 3, 10), registered_by=data["clerk"],
                                       studying_until=date(2025, 12, 31))
    april = rows(boss, "imss_relatives_covered", end=date(2025, 4, 1)).rows
    assert [(r["workers"], r["relatives"]) for r in april] == [(5, 5)]  # 4 children and the fifth's mother
    may = rows(boss, "imss_relatives_covered", end=date(2025, 5, 1)).rows
    assert may == []  # 2 students and the mother: 3 workers, too few to show
    may_by_rule = sum(1 for affiliation in la for b in imss_selectors.beneficiary_coverage(affiliation,
                                                                                         date(2025, 5, 31))
                      if b["right"].eligible and not b["ended"])
    assert may_by_rule == 3  # the worker's own screen reads the same rule


def test_average_declared_base_is_decimal_half_up(data):
    boss = data["supervisor"]
    table = rows(boss, "imss_average_sbc", end=date(2025, 4, 30))
    assert [(r["affiliations"], r["average_sbc"]) for r in table.rows] == [(5, Decimal("388.87"))]  # 1944.33 / 5
    everything = rows(boss, "imss_average_sbc").rows  # the pending May period of the sixth counts; cancelled not
    assert [(r["affiliations"], r["average_sbc"]) for r in everything] == [(6, Decimal("407.39"))]


def test_contributions_collected_by_month_paid(data):
    table = rows(data["supervisor"], "imss_contributions_collected")
    assert table.rows == [
        {"month": date(2025, 2, 1), "amount": Decimal("5000.00"), "periods": 5, "workers": 5},
        {"month": date(2025, 3, 1), "amount": Decimal("5050.50"), "periods": 5, "workers": 5},
    ]
    assert rows(data["supervisor"], "imss_contributions_collected", start=date(2025, 3, 1)).rows[0]["amount"] == \
        Decimal("5050.50")
    assert rows(data["supervisor"], "imss_contributions_collected", state="MN").rows == []


def test_coverage_in_force_uses_the_imss_coverage_rule(data, consulate_la):
    boss = data["supervisor"]
    assert rows(boss, "imss_coverage_in_force", end=date(2025, 4, 15)).rows == []  # Chicago's 2, LA complement
    covered = rows(boss, "imss_coverage_in_force", end=date(2025, 4, 15), consulate=consulate_la.pk).rows
    assert covered == [{"code": "US-LOS-ANGELES", "name": covered[0]["name"], "affiliations": 6, "covered": 5,
                        "conservation": 0, "in_force": 5, "share": Decimal("83.3")}]
    kept = rows(boss, "imss_coverage_in_force", end=date(2025, 5, 20), consulate=consulate_la.pk).rows
    assert (kept[0]["covered"], kept[0]["conservation"], kept[0]["in_force"]) == (0, 5, 5)
    for on, expected in ((date(2025, 4, 15), "covered"), (date(2025, 5, 20), "conservation")):
        # the same figure the worker's own screen reads, one affiliation at a time
        assert {imss_selectors.coverage(a, on).status for a in data["la"]} == {expected}


def test_benefit_claims_by_kind_and_status(data):
    table = rows(data["supervisor"], "imss_benefit_claims", start=date(2025, 4, 1), end=date(2025, 4, 30))
    assert table.rows == [{"kind": "sick_pay", "status": "approved", "claims": 5, "workers": 5,
                           "amount": Decimal("5002.50")}]
    assert table.suppressed == 1  # the single funeral claim
    assert rows(data["supervisor"], "imss_benefit_claims", end=date(2025, 3, 31)).rows == []


def test_citizens_see_no_indicator(data, consulate_la):
    from ventanilla.core.errors import PermissionDeniedError

    citizen = make_user(Role.DERECHOHABIENTE, person=data["la"][0].person)
    with pytest.raises(PermissionDeniedError):
        rows(citizen, "imss_affiliations_by_consulate")


def test_coverage_on_a_past_date_ignores_periods_paid_after_it(data, consulate_chicago):
    boss, clerk = data["supervisor"], data["clerk"]
    breakdown = QuoteBreakdown.objects.get(digest="test-imss-indicators")
    for _ in range(5):  # January paid late, on 1 March
        affiliation = affiliate(make_person(consulate_chicago, sex="H", mx_state="JC"), consulate_chicago,
                                date(2025, 1, 2), clerk)
        period(affiliation, date(2025, 1, 1), date(2025, 1, 31), Decimal("300.00"), Decimal("1000.00"),
               ContributionPeriod.Status.PAID, date(2025, 3, 1), breakdown)
    table = rows(boss, "imss_coverage_in_force", end=date(2025, 1, 20), consulate=consulate_chicago.pk)
    assert [(r["affiliations"], r["covered"], r["in_force"]) for r in table.rows] == [(5, 0, 0)]
