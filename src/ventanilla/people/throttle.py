"""Log-in throttling: after LOGIN_FAILURE_LIMIT failures for an account or from an address, refuse for a
window. Counted in the shared cache (Redis in production) so every server process agrees."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, client_ip: str) -> list[str]:
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:account:{account}", f"login-fail:ip:{client_ip}"]


def is_locked(username: str, client_ip: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(username, client_ip))


def register_failure(username: str, client_ip: str) -> None:
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for key in _keys(username, client_ip):
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, timeout=window)


def clear_account(username: str) -> None:
    cache.delete(_keys(username, "-")[0])


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"
