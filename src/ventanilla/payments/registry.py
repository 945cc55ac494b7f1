"""Owners of payment references plug in here; `payments` never imports them (ARCHITECTURE.md, dependency
direction). `imss` registers "imss.contribution", `infonavit` its own kinds, each from its app's ready().

An owner's `apply_batch(payments)` receives the payments just matched to its references, each with
`.reference` loaded, and runs inside the same transaction that stores them: whatever it writes commits or
rolls back with the payments. It is called once per chunk of a payment file (or with one payment), so it
should do bulk work, not a query per payment.
"""

from collections.abc import Callable
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
