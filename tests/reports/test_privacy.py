"""Issue 6: "no personal data in aggregates with fewer than 5 people", against the ways round it: ranges a day
apart, a total minus the rows shown, a running total, a relative whose right has ended. Hand-built data; each
test fails on the code before these fixes."""

from datetime import date, datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import make_person, make_user
from ventanilla.core.errors import DomainError
from ventanilla.imss.models import Affiliation
from ventanilla.people.models import Role, User
from ventanilla.reports.indicators import (
    Filters,
    compute,
    parse_filters,
    suppress_complementary,
    suppress_running_total,
    suppress_small,
)
from ventanilla.reports.selectors import MINIMUM_GROUP_SIZE


def hidden_gaps(series: list[dict], shown: list[dict], key: str) -> list[int]:
    """What a reader gets by subtraction: the hidden rows' sum between consecutive shown running totals."""
    gaps, gap = [], 0
    shown_ids = {id(row) for row in shown}
    for row in series:
        if id(row) in shown_ids:
            gaps.append(gap)
            gap = 0
        else:
            gap += row[key]
    return gaps


# --- 2. complementary suppression, on rows built by hand ------------------------------------------------------

def test_one_hidden_row_takes_the_smallest_shown_row_with_it():
    rows = [{"name": "a", "people": 40}, {"name": "b", "people": 9}, {"name": "c", "people": 7},
            {"name": "d", "people": 7}, {"name": "e", "people": 3}]
    kept, suppressed = suppress_small(rows, "people")
    # Without the complement the total (66) minus the rows shown (63) would give e's 3 back.
    assert [r["name"] for r in kept] == ["a", "b", "c"] and suppressed == 2  # d: the last of the smallest
    assert sum(r["people"] for r in rows) - sum(r["people"] for r in kept) >= MINIMUM_GROUP_SIZE


def test_nothing_more_is_hidden_when_the_hidden_rows_already_count_five():
    rows = [{"people": 40}, {"people": 9}, {"people": 3}, {"people": 2}, {"people": 0}]
    kept, suppressed = suppress_small(rows, "people")
    assert kept == rows[:2] and suppressed == 3  # 3 + 2 hidden: 5, enough
    rows = [{"people": 40}, {"people": 9}, {"people": 0}]  # a row of nobody gives nobody away
    assert suppress_small(rows, "people") == (rows[:2], 1)


def test_rows_that_count_people_again_take_no_complement():
    rows = [{"day": 1, "users": 8}, {"day": 2, "users": 2}]
    assert suppress_small(rows, "users", partition=False) == ([rows[0]], 1)
    assert suppress_small(rows, "users") == ([], 2)


def test_complement_chosen_within_each_population():
    rows = [{"solution": "RC", "people": 30}, {"solution": "RC", "people": 2},
            {"solution": "DLA", "people": 8}, {"solution": "DLA", "people": 6}]
    kept, suppressed = suppress_small(rows, "people", within="solution")
    assert kept == [rows[2], rows[3]] and suppressed == 2  # RC's 30 hidden with RC's 2; DLA untouched


def test_several_people_columns_each_keep_their_hidden_sum_at_five():
    kept = [{"a": 20, "b": 0}, {"a": 6, "b": 9}, {"a": 5, "b": 30}]
    hidden = [{"a": 0, "b": 2}]
    still = suppress_complementary(kept, hidden, ("a", "b"))
    assert still == [kept[0], kept[2]]  # b's 2 takes the row with the fewest b that has any (9, not 0)


def test_a_total_minus_the_rows_shown_never_gives_a_small_group(db, consulate_la, consulate_chicago):
    """By country (one row: the total) beside by consulate: Chicago's 2 came back as 8 - 6."""
    clerk = make_user(Role.IMSS_STAFF)
    for consulate, count in ((consulate_la, 6), (consulate_chicago, 2)):
        for _ in range(count):
            Affiliation.objects.create(person=make_person(consulate), consulate=consulate,
                                       status=Affiliation.Status.ACTIVE, channel=Affiliation.Channel.WINDOW,
                                       zone=Affiliation.Zone.GENERAL, periodicity=Affiliation.Periodicity.MONTHLY,
                                       occupation="Cocina", enrolled_on=date(2025, 3, 10), enrolled_by=clerk)
    boss = make_user(Role.SUPERVISOR)
    total = sum(r["affiliations"] for r in compute(boss, "imss_affiliations_by_country", Filters()).rows)
    shown = sum(r["affiliations"] for r in compute(boss, "imss_affiliations_by_consulate", Filters()).rows)
    assert total == 8 and (total - shown == 0 or total - shown >= MINIMUM_GROUP_SIZE)


# --- 1. date filters are whole months ---------------------------------------------------------------------

def test_filters_round_to_whole_months_however_built():
    filters = Filters(start=date(2025, 3, 20), end=date(2024, 2, 3))
    assert (filters.start, filters.end) == (date(2025, 3, 1), date(2024, 2, 29))
    assert Filters(start=date(2025, 3, 2)) == Filters(start=date(2025, 3, 31))  # one snapshot key per month
    parsed = parse_filters({"start": "2025-03", "end": "2025-04-09"})
    assert (parsed.start, parsed.end) == (date(2025, 3, 1), date(2025, 4, 30))
    assert parse_filters({"start": "2025-03-20", "end": "2025-03-10"}).end == date(2025, 3, 31)  # one month
    with pytest.raises(DomainError) as refused:
        parse_filters({"start": "2025-3", "end": "2025-02"})
    assert [(e.field, e.code) for e in refused.value.errors] == [("start", "invalid_date")]
    with pytest.raises(DomainError) as refused:
        parse_filters({"start": "2025-04", "end": "2025-03-31"})
    assert [(e.field, e.code) for e in refused.value.errors] == [("end", "before_start")]
    # A start without an end runs to the current month (or the start's own, when later); a bad end stays an error.
    today = timezone.localdate()
    assert parse_filters({"start": "2025-03"}).end == Filters(end=today).end
    assert parse_filters({"start": f"{today.year + 1}-02"}).end == Filters(end=date(today.year + 1, 2, 1)).end
    assert parse_filters({}).end is None and parse_filters({"end": "2025-03"}).start is None
    with pytest.raises(DomainError) as refused:
        parse_filters({"start": "2025-03", "end": "2025-13"})
    assert [(e.field, e.code) for e in refused.value.errors] == [("end", "invalid_date")]


def test_two_ranges_a_day_apart_cannot_single_out_one_enrolment(db, consulate_la):
    """Five enrolled on 3 March, a sixth on 20 March: "to the 19th" and "to the 20th" once differed by her."""
    clerk = make_user(Role.IMSS_STAFF)
    for day in (3, 3, 3, 3, 3, 20):
        Affiliation.objects.create(person=make_person(consulate_la), consulate=consulate_la,
                                   status=Affiliation.Status.ACTIVE, channel=Affiliation.Channel.WINDOW,
                                   zone=Affiliation.Zone.GENERAL, periodicity=Affiliation.Periodicity.MONTHLY,
                                   occupation="Cocina", enrolled_on=date(2025, 3, day), enrolled_by=clerk)
    boss = make_user(Role.SUPERVISOR)
    for name in ("imss_affiliations_by_country", "imss_affiliations_by_sex", "imss_affiliations_by_consulate"):
        to_19 = compute(boss, name, parse_filters({"start": "2025-03-01", "end": "2025-03-19"}))
        to_20 = compute(boss, name, parse_filters({"start": "2025-03-01", "end": "2025-03-20"}))
        from_20 = compute(boss, name, parse_filters({"start": "2025-03-20", "end": "2025-03-20"}))
        assert to_19.rows == to_20.rows == from_20.rows, name
    assert compute(boss, "imss_affiliations_by_country", Filters(end=date(2025, 3, 19))).rows == [
        {"country": "US", "affiliations": 6}]
    table = compute(boss, "imss_affiliations_by_country", Filters(start=date(2025, 3, 20)))
    assert any("meses completos" in note and "2025-03-01" in note for note in table.notes)


def test_the_page_and_the_api_take_months_and_say_so(db, consulate_la):
    client = Client()
    client.force_login(make_user(Role.SUPERVISOR))
    html = client.get("/tablero/imss/", {"start": "2025-03-20", "end": "2025-04"}).content.decode()
    assert 'type="month"' in html and 'value="2025-03"' in html and 'value="2025-04"' in html
    assert "Desde el primer día de este mes." in html
    answer = client.get("/api/v1/reports/imss_affiliations_by_country", {"start": "2025-03"}).json()
    assert any("meses completos" in note for note in answer["notes"])
    schema = client.get("/api/v1/openapi.json").json()
    described = [op.get("description", "") for path in schema["paths"].values() for op in path.values()
                 if "reports" in op.get("tags", [])]
    assert any("WHOLE MONTHS" in text for text in described)


# --- 3. the Mi Cuenta running total --------------------------------------------------------------------------

def test_running_total_never_gives_a_hidden_month_back_on_rows():
    series, total = [], 0
    for month, new in enumerate([10, 3, 10, 10, 2, 1, 1, 8, 6], start=1):
        total += new
        series.append({"month": month, "new_accounts": new, "accounts": total})
    shown, suppressed = suppress_running_total(series, "new_accounts")
    assert [r["month"] for r in shown] == [1, 4, 9] and suppressed == 6
    assert all(gap == 0 or gap >= MINIMUM_GROUP_SIZE for gap in hidden_gaps(series, shown, "new_accounts"))


@pytest.fixture
def accounts(db, consulate_la):
    """Accounts opened: 10 in January 2026, 3 in February, 10 in March, 10 in April."""
    for month, count in ((1, 10), (2, 3), (3, 10), (4, 10)):
        for _ in range(count):
            user = make_user(Role.DERECHOHABIENTE, person=make_person(consulate_la))
            User.objects.filter(pk=user.pk).update(
                date_joined=timezone.make_aware(datetime(2026, month, 15, 10, 0)))
    return make_user(Role.SUPERVISOR)


def test_accounts_running_total_keeps_february_hidden_in_every_range(accounts):
    everything = compute(accounts, "mi_cuenta_accounts_by_month", Filters()).rows
    # Before: March shown with 23 at its close and January's 10 gave February's 3 back (23 - 10 - 10).
    assert [(r["month"].month, r["new_accounts"], r["accounts"]) for r in everything] == [(1, 10, 10), (4, 10, 33)]
    from_march = compute(accounts, "mi_cuenta_accounts_by_month", Filters(start=date(2026, 3, 1))).rows
    assert [(r["month"].month, r["accounts"]) for r in from_march] == [(4, 33)]  # March's 23 is not shown
    to_march = compute(accounts, "mi_cuenta_accounts_by_month", Filters(end=date(2026, 3, 31)))
    assert [r["month"].month for r in to_march.rows] == [1] and to_march.suppressed == 2
