"""Errors a user sees: a field, a stable code and a translatable message (Spanish first, English too)."""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class FieldError:
    field: str
    code: str
    message: str | Promise

    def as_dict(self) -> dict:
        return {"field": self.field, "code": self.code, "message": str(self.message)}


class DomainError(Exception):
    """A refused operation; `errors` name each field and reason. Views show them next to the fields."""

    status = 422

    def __init__(self, errors: list[FieldError] | FieldError):
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in self.errors))

    def as_dict(self) -> dict:
        return {"errors": [error.as_dict() for error in self.errors]}


class PermissionDeniedError(Exception):
    """The actor may not do this (403)."""


class NotFoundError(Exception):
    """Not there, or not visible to this actor (404: we do not say which)."""


class ConflictError(Exception):
    """A repeated key with a different request, or a concurrent change (409)."""

    def __init__(self, code: str, message: str | Promise):
        self.code = code
        self.message = message
        super().__init__(code)
