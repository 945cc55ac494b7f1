"""Measures portal use (Mi Cuenta indicators): who of the portal's users came on a day, from when to when,
how many requests, and which services. Staff, officers and anonymous visitors are not portal users.

Throttled: the counts of a user's day accumulate in the cache and reach the database at most once every
WRITE_INTERVAL per user and day (the first request of a day always writes, so first_seen is exact), so
almost every request costs no database write. Counts still in the cache when it is lost are lost too: the
figures are a lower bound by at most a minute of each user's activity."""

from datetime import timedelta

from django.core.cache import cache
from django.utils import timezone

from ventanilla.people.models import Role
from ventanilla.reports.services import record_portal_use

WRITE_INTERVAL = timedelta(minutes=1)
PENDING_TTL = 60 * 60 * 26  # seconds: longer than a day, so a day's pending counts outlive its last request


def pending_key(user_id: int, day) -> str:
    return f"reports:usage:{user_id}:{day.isoformat()}"


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
    """Count one request; returns whether it wrote to the database."""
    day = timezone.localdate(now)
    key = pending_key(user_id, day)
    pending = cache.get(key) or {"written_at": None, "requests": 0, "services": {}}
    pending["requests"] += 1
    if service:
        pending["services"][service] = pending["services"].get(service, 0) + 1
    written_at = pending["written_at"]
    if written_at is not None and now - written_at < WRITE_INTERVAL:
        cache.set(key, pending, PENDING_TTL)
        return False
    record_portal_use(user_id, day, now, pending["requests"], pending["services"])
    cache.set(key, {"written_at": now, "requests": 0, "services": {}}, PENDING_TTL)
    return True
