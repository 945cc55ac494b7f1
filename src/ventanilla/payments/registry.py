"""Owners of payment references plug in here; `payments` never imports them (ARCHITECTURE.md, dependency
direction). `imss` registers "imss.contribution", `infonavit` its own kinds, each from its app's ready().

An owner's `apply_batch(payments)` receives the payments just matched to its references, each with
`.reference` loaded, and runs inside the same transaction that stores them: whatever it writes commits or
rolls back with the payments. It is called once per chunk of a payment file (or with one payment), so it
should do bulk work, not a query per payment.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ventanilla.payments.models import Payment

ApplyBatch = Callable[[list["Payment"]], None]

_handlers: dict[str, ApplyBatch] = {}


class UnknownOwnerKind(LookupError):
    """A reference names an owner kind nobody registered: a deployment or programming error, not bad input."""

    def __init__(self, owner_kind: str):
        self.owner_kind = owner_kind
        known = ", ".join(sorted(_handlers)) or "none"
        super().__init__(
            f"no payment owner registered for kind {owner_kind!r} (registered: {known}); "
            "call ventanilla.payments.registry.register() from the owner app's ready()"
        )


def register(owner_kind: str, apply_batch: ApplyBatch) -> None:
    """Make `apply_batch` the handler of `owner_kind`. Registering the same function again is harmless;
    another function for a kind already taken is refused (two owners for one reference would both post)."""
    if not owner_kind or len(owner_kind) > 40:
        raise ValueError("owner_kind must be 1 to 40 characters, like 'imss.contribution'")
    if not callable(apply_batch):
        raise TypeError("apply_batch must be callable")
    current = _handlers.get(owner_kind)
    if current is not None and current is not apply_batch:
        raise ValueError(f"payment owner kind {owner_kind!r} is already registered to {current!r}")
    _handlers[owner_kind] = apply_batch


def unregister(owner_kind: str) -> None:
    """Remove a handler (tests register throw-away kinds)."""
    _handlers.pop(owner_kind, None)


def handler_for(owner_kind: str) -> ApplyBatch:
    try:
        return _handlers[owner_kind]
    except KeyError:
        raise UnknownOwnerKind(owner_kind) from None


def is_registered(owner_kind: str) -> bool:
    return owner_kind in _handlers


def registered_kinds() -> list[str]:
    return sorted(_handlers)


# --- references in an owner's own format ------------------------------------------------------------------
# Some owners are paid with a reference of their own rather than one of ours: Infonavit's 10-digit credit
# number (Sin Fronteras, bank files). An owner registers a format: `claims(raw)` returns the normalised
# reference when the text is one of its own (else None), and `apply_line(actor, line)` posts one payment file
# line to its records, inside the import's transaction. It returns True when it posted the payment, False
# when the same operation was already posted with the same data (a duplicate line), and raises
# core.errors.DomainError (the line is rejected with the first error's code and message) or ConflictError (the
# operation number was posted with other data). Lines are few compared with reference lines, so a call per
# line is fine; the importer asks the formats only about text that is not one of our references.

@dataclass(frozen=True)
class ClaimedLine:
    reference: str  # normalised by the owner's `claims`
    amount: Decimal
    paid_at: datetime
    operation_id: str
    channel: str


ClaimReference = Callable[[str], str | None]
ApplyLine = Callable[[object, ClaimedLine], bool]

_formats: dict[str, tuple[ClaimReference, ApplyLine]] = {}


def register_reference_format(name: str, claims: ClaimReference, apply_line: ApplyLine) -> None:
    """Let the owner `name` take file lines whose reference `claims` recognises. Same rules as `register`:
    the same functions again are harmless; other functions under a taken name are refused."""
    if not name or len(name) > 40:
        raise ValueError("name must be 1 to 40 characters, like 'infonavit.credit'")
    if not callable(claims) or not callable(apply_line):
        raise TypeError("claims and apply_line must be callable")
    current = _formats.get(name)
    if current is not None and current != (claims, apply_line):
        raise ValueError(f"reference format {name!r} is already registered")
    _formats[name] = (claims, apply_line)


def unregister_reference_format(name: str) -> None:
    _formats.pop(name, None)


def claim_reference(raw: str) -> tuple[str, str] | None:
    """(format name, normalised reference) of the first format that claims `raw`, or None."""
    for name, (claims, _apply) in _formats.items():
        reference = claims(raw)
        if reference:
            return name, reference
    return None


def line_handler(name: str) -> ApplyLine:
    try:
        return _formats[name][1]
    except KeyError:
        raise UnknownOwnerKind(name) from None


# --- operation numbers taken outside payments -------------------------------------------------------------
# An operation number moves money once, whichever ledger takes it: a payment of a reference (Payment) or an
# owner's own posting (Infonavit's credit ledger, by credit number). An owner registers `taken(numbers)`, the
# subset of numbers it already posted; payments asks before storing a reference payment (one call per
# payment or per file chunk, so the check should be one query).

OperationsTaken = Callable[[list[str]], set[str]]

_operation_checks: dict[str, OperationsTaken] = {}


def register_operation_check(name: str, taken: OperationsTaken) -> None:
    """Let the owner `name` claim operation numbers posted in its own records (same rules as `register`)."""
    if not name or len(name) > 40:
        raise ValueError("name must be 1 to 40 characters, like 'infonavit.credit'")
    if not callable(taken):
        raise TypeError("taken must be callable")
    current = _operation_checks.get(name)
    if current is not None and current is not taken:
        raise ValueError(f"operation check {name!r} is already registered")
    _operation_checks[name] = taken


def unregister_operation_check(name: str) -> None:
    _operation_checks.pop(name, None)


def operations_taken(operations: list[str]) -> set[str]:
    """Which of these operation numbers an owner already posted in its own records."""
    if not operations:
        return set()
    taken: set[str] = set()
    for check in _operation_checks.values():
        taken |= check(operations)
    return taken
