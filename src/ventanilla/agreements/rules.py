"""The working group's two warnings about an agreed action, as pure functions over plain values (no Django)."""

from datetime import date

CLOSED_STATUSES = frozenset({"done", "cancelled"})


def is_overdue(due_on: date, status: str, today: date) -> bool:
    """Due date passed and the action neither done nor cancelled."""
    return due_on < today and status not in CLOSED_STATUSES


def is_past_validity(due_on: date, valid_to: date | None) -> bool:
    """Due after the agreement ends (seed 000: the Infonavit–IME agreement is valid until 30 Sep 2024), so the
    agreement no longer covers it."""
    return valid_to is not None and due_on > valid_to
