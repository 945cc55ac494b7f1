"""Measures portal use (Mi Cuenta indicators): who of the portal's users came on a day, from when to when,
how many requests, and which services. Staff, officers and anonymous visitors are not portal users.

Throttled: the counts of a user's day accumulate in the cache (core.cache.add_counts: one Redis round trip a
request) and reach the database at most once every WRITE_INTERVAL_SECONDS per user and day (the first request of a day always writes, so first_seen is exact), so
almost every request costs no database write. Counts still in the cache when it is lost are lost too: the
figures are a lower bound by at most a minute of each user's activity."""

import contextlib
import logging

from django.core.cache import cache
from django.utils import timezone

from ventanilla.core.cache import add_counts, take_counts
from ventanilla.people.models import Role
from ventanilla.reports.services import record_portal_use

logger = logging.getLogger(__name__)
WRITE_INTERVAL_SECONDS = 60
REQUESTS, SERVICE = "requests", "service:"  # the counters' fields: requests, and requests per service
PENDING_TTL = 60 * 60 * 26  # seconds: longer than a day, so a day's pending counts outlive its last request


def pending_key(user_id: int, day) -> str:
    return f"reports:usage-counts:{user_id}:{day.isoformat()}"  # a hash on Redis (core.cache.add_counts)


def is_portal_user(user) -> bool:
    return (user is not None and user.is_authenticated and user.is_active and not user.is_staff
            and not user.is_superuser and user.role == Role.DERECHOHABIENTE)


def service_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    return match.view_name or ""  # "namespace:name" ("infonavit:statement"), or the dotted view path


class PortalUsageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)  # after the view: a log-in request counts as the new user's
        if is_portal_user(user):
            note_request(user.pk, service_name(request), timezone.now())
        return response


def note_request(user_id: int, service: str, now) -> bool:
    """Count one request; returns whether it wrote to the database. The first request of a user's day claims
    the write (so first_seen is exact), and so does the first one after each WRITE_INTERVAL_SECONDS: the claim expires."""
    day = timezone.localdate(now)
    key = pending_key(user_id, day)
    counts = {REQUESTS: 1, **({SERVICE + service: 1} if service else {})}
    if not add_counts(cache, key, counts, PENDING_TTL, claim=f"{key}:written", claim_ttl=WRITE_INTERVAL_SECONDS):
        return False
    pending = take_counts(cache, key)
    try:
        record_portal_use(user_id, day, now, pending.get(REQUESTS, 0),
                          {field.removeprefix(SERVICE): count for field, count in pending.items()
                           if field.startswith(SERVICE)})
    except Exception:
        # Telemetry: the user's request already got its answer (a POST may have committed), so a failed write is
        # logged, not raised. The counts go back and the claim stays: the next try comes a minute later.
        logger.exception("portal usage of user %s not written; counts kept for the next try", user_id)
        with contextlib.suppress(Exception):
            add_counts(cache, key, pending, PENDING_TTL, claim=f"{key}:written", claim_ttl=WRITE_INTERVAL_SECONDS)
        return False
    return True
