from datetime import date

from ventanilla.agreements.rules import is_overdue, is_past_validity

TODAY = date(2026, 11, 30)


def test_overdue_when_the_due_date_passed_and_it_is_still_open():
    assert is_overdue(date(2026, 11, 29), "pending", TODAY)
    assert is_overdue(date(2026, 11, 29), "in_progress", TODAY)
    assert not is_overdue(date(2026, 11, 30), "pending", TODAY)  # due today is not late yet
    assert not is_overdue(date(2026, 1, 1), "done", TODAY)
    assert not is_overdue(date(2026, 1, 1), "cancelled", TODAY)


def test_past_validity_when_due_after_the_agreement_ends():
    assert is_past_validity(date(2024, 10, 1), date(2024, 9, 30))
    assert not is_past_validity(date(2024, 9, 30), date(2024, 9, 30))
    assert not is_past_validity(date(2030, 1, 1), None)  # validity not published
