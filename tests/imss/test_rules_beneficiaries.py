"""Beneficiaries (LSS art. 84; shared/domain/imss-abroad.md, "Beneficiaries (art. 84)")."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ventanilla.core.ages import age_on, birthday
from ventanilla.core.reasons import Reason
from ventanilla.imss.rules.beneficiaries import (
    CHILD,
    CONCUBINE,
    FATHER,
    MOTHER,
    SPOUSE,
    beneficiary_right,
    validate_beneficiary_set,
)

ADULT = date(1985, 5, 20)


def codes(reasons):
    return [reason.code for reason in reasons]


def test_spouse_qualifies_without_end():
    right = beneficiary_right(SPOUSE, birth_date=ADULT, on=date(2026, 3, 10))
    assert right.eligible and right.reasons == [] and right.ends_on is None


@pytest.mark.parametrize(("years", "child_in_common", "unmarried", "expected"), [
    (5, False, True, []),
    (7, False, True, []),
    (2, True, True, []),
    (4, False, True, ["concubinage_too_short"]),
    (None, False, True, ["concubinage_too_short"]),
    (6, False, False, ["concubine_married"]),
    (1, False, False, ["concubinage_too_short", "concubine_married"]),
])
def test_concubine_needs_five_years_or_a_child_both_unmarried(years, child_in_common, unmarried, expected):
    right = beneficiary_right(CONCUBINE, birth_date=ADULT, on=date(2026, 3, 10), years_together=years,
                              child_in_common=child_in_common, both_unmarried=unmarried)
    assert codes(right.reasons) == expected
    assert right.eligible is (expected == [])


def test_concubine_reason_carries_the_numbers():
    right = beneficiary_right(CONCUBINE, birth_date=ADULT, on=date(2026, 3, 10), years_together=3)
    reason = right.reasons[0]
    assert "5 años" in reason.es and "hay 3 años" in reason.es
    assert "5 years" in reason.en and reason.text("en-us") == reason.en and reason.text("es") == reason.es


def test_child_under_16_right_ends_on_16th_birthday():
    right = beneficiary_right(CHILD, birth_date=date(2015, 7, 4), on=date(2026, 3, 10))
    assert right.eligible and right.ends_on == date(2031, 7, 4)
    assert right.holds_on(date(2031, 7, 3)) and not right.holds_on(date(2031, 7, 4))


def test_child_right_lapses_by_itself_on_the_birthday():
    born = date(2010, 3, 10)
    assert beneficiary_right(CHILD, birth_date=born, on=date(2026, 3, 9)).eligible
    lapsed = beneficiary_right(CHILD, birth_date=born, on=date(2026, 3, 10))
    assert not lapsed.eligible and codes(lapsed.reasons) == ["child_over_16_not_studying"]
    assert lapsed.ends_on == date(2026, 3, 10)


def test_student_right_ends_at_the_earlier_of_proof_and_25th_birthday():
    born = date(2004, 9, 1)  # 21 on 2026-03-10
    right = beneficiary_right(CHILD, birth_date=born, on=date(2026, 3, 10), studying_until=date(2026, 7, 31))
    assert right.eligible and right.ends_on == date(2026, 7, 31)
    right = beneficiary_right(CHILD, birth_date=born, on=date(2026, 3, 10), studying_until=date(2031, 7, 31))
    assert right.eligible and right.ends_on == date(2029, 9, 1)  # 25th birthday comes first


def test_under_16_with_proof_of_studies_keeps_the_right_after_16():
    born = date(2010, 6, 1)
    right = beneficiary_right(CHILD, birth_date=born, on=date(2026, 3, 10), studying_until=date(2027, 7, 15))
    assert right.eligible and right.ends_on == date(2027, 7, 15)


def test_expired_proof_and_over_25_are_refused_with_reasons():
    expired = beneficiary_right(CHILD, birth_date=date(2004, 9, 1), on=date(2026, 3, 10),
                                studying_until=date(2025, 12, 31))
    assert not expired.eligible and codes(expired.reasons) == ["study_proof_expired"]
    assert "31 de diciembre de 2025" in expired.reasons[0].es
    too_old = beneficiary_right(CHILD, birth_date=date(2000, 1, 2), on=date(2026, 3, 10),
                                studying_until=date(2026, 7, 31))
    assert not too_old.eligible and codes(too_old.reasons) == ["child_over_25"]
    assert too_old.ends_on == date(2025, 1, 2)


def test_disabled_child_qualifies_at_any_age():
    right = beneficiary_right(CHILD, birth_date=date(1990, 1, 1), on=date(2026, 3, 10), disabled=True)
    assert right.eligible and right.ends_on is None


def test_feb_29_birthday_ends_on_1_march_in_common_years():
    born = date(2012, 2, 29)
    assert birthday(born, 16) == date(2028, 2, 29)  # 2028 is a leap year
    assert birthday(born, 25) == date(2037, 3, 1)
    assert beneficiary_right(CHILD, birth_date=born, on=date(2026, 3, 10)).ends_on == date(2028, 2, 29)
    student = beneficiary_right(CHILD, birth_date=date(2008, 2, 29), on=date(2026, 3, 10),
                                studying_until=date(2040, 1, 1))
    assert student.ends_on == date(2033, 3, 1)
    assert age_on(date(2008, 2, 29), date(2033, 2, 28)) == 24
    assert age_on(date(2008, 2, 29), date(2033, 3, 1)) == 25


@pytest.mark.parametrize(("lives", "depends", "expected"), [
    (True, True, []),
    (False, True, ["parent_not_living_with_worker"]),
    (True, False, ["parent_not_dependent"]),
    (False, False, ["parent_not_living_with_worker", "parent_not_dependent"]),
])
@pytest.mark.parametrize("parent", [FATHER, MOTHER])
def test_parents_live_with_and_depend_on_the_worker(parent, lives, depends, expected):
    right = beneficiary_right(parent, birth_date=date(1955, 4, 1), on=date(2026, 3, 10),
                              lives_with_worker=lives, economically_dependent=depends)
    assert codes(right.reasons) == expected and right.eligible is (expected == [])


def test_unknown_relationship_and_unborn_are_refused():
    assert codes(beneficiary_right("cousin", birth_date=ADULT, on=date(2026, 3, 10)).reasons) == [
        "unknown_relationship"]
    assert codes(beneficiary_right(CHILD, birth_date=date(2026, 5, 1), on=date(2026, 3, 10)).reasons) == [
        "born_after_date"]


@pytest.mark.parametrize(("existing", "new", "expected"), [
    ([], SPOUSE, []),
    ([CHILD, CHILD, FATHER], MOTHER, []),
    ([(CHILD, "A"), (CHILD, "B")], CHILD, []),
    ([SPOUSE], SPOUSE, ["spouse_already_registered"]),
    ([SPOUSE], CONCUBINE, ["spouse_or_concubine"]),
    ([(CONCUBINE, "Ana")], SPOUSE, ["spouse_or_concubine"]),
    ([CONCUBINE], CONCUBINE, ["several_concubines"]),
    ([FATHER, MOTHER], FATHER, ["father_already_registered"]),
    ([(MOTHER, date(1950, 1, 1))], MOTHER, ["mother_already_registered"]),
    ([], "uncle", ["unknown_relationship"]),
])
def test_beneficiary_set(existing, new, expected):
    reasons = validate_beneficiary_set(existing, new)
    assert codes(reasons) == expected
    assert all(isinstance(r, Reason) and r.es and r.en for r in reasons)


dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31))


@given(born=dates, on=dates, studying_until=st.none() | dates)
def test_child_right_never_passes_the_25th_birthday_unless_disabled(born, on, studying_until):
    on = max(on, born)
    right = beneficiary_right(CHILD, birth_date=born, on=on, studying_until=studying_until)
    assert right.ends_on is not None and right.ends_on <= birthday(born, 25)
    assert right.eligible == (on < right.ends_on)
    if right.eligible:
        assert age_on(born, on) < 25
    assert beneficiary_right(CHILD, birth_date=born, on=on, studying_until=studying_until,
                             disabled=True).eligible


@given(born=dates, on=dates)
def test_child_without_proof_qualifies_exactly_while_under_16(born, on):
    on = max(on, born)
    right = beneficiary_right(CHILD, birth_date=born, on=on)
    assert right.eligible == (age_on(born, on) < 16)
    assert right.ends_on == birthday(born, 16)


@given(st.lists(st.sampled_from([SPOUSE, CONCUBINE, CHILD, FATHER, MOTHER]), max_size=8))
def test_sets_built_through_validation_stay_valid(requests):
    registered: list[str] = []
    for relationship in requests:
        if not validate_beneficiary_set(registered, relationship):
            registered.append(relationship)
    assert registered.count(SPOUSE) + registered.count(CONCUBINE) <= 1
    assert registered.count(FATHER) <= 1 and registered.count(MOTHER) <= 1
