"""How API clients prove who they are: a bearer token (other systems) or a session (screens, with CSRF),
optionally limited to roles before the request body is even read."""

from datetime import timedelta

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from ventanilla.core.rows import get_row
from ventanilla.people import access
from ventanilla.people.models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)  # how stale a token's last_used_at may be


class BearerToken(HttpBearer):
    """`Authorization: Bearer vnt_…` for other systems; the token's user and role apply."""

    def authenticate(self, request, token: str):
        # The digest is unique. By SQL built once (core.rows): compiling this get() cost more than running it.
        record = get_row(ApiToken, {"digest": ApiToken.digest_of(token), "revoked_at": None, "user__is_active": True},
                         related="user")
        if record is None:
            return None
        now = timezone.now()
        # The time of last use to the minute: updating it on every request made each API read a write and a
        # commit (BENCHMARKS.md, "HTTP load").
        if record.last_used_at is None or now - record.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user


class RoleBearerToken(BearerToken):
    def __init__(self, roles):
        super().__init__()
        self.roles = roles

    def authenticate(self, request, token: str):
        user = super().authenticate(request, token)
        if user is not None:
            access.require_role(user, self.roles)
        return user


class RoleSession(SessionAuth):
    def __init__(self, roles):
        super().__init__()
        self.roles = roles

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is not None:
            access.require_role(user, self.roles)
        return user


def private(roles=None) -> list:
    """Auth for a private endpoint: a session (screens, with CSRF) or a bearer token (other systems).
    With `roles`, other roles get a 403 before the request body is even read."""
    if roles is None:
        return [BearerToken(), SessionAuth()]
    return [RoleBearerToken(roles), RoleSession(roles)]


PRIVATE = private()
