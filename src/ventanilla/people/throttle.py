"""Log-in throttling: after LOGIN_FAILURE_LIMIT failures for an account or from an address, refuse for a
window. Counted in the shared cache (Redis in production) so every server process agrees."""

import hashlib

from django.conf import settings
from django.core.cache import cache

from ventanilla.core.throttling import client_address


def _keys(username: str, client_ip: str) -> list[str]:
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:account:{account}", f"login-fail:ip:{client_ip}"]


def is_locked(username: str, client_ip: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(username, client_ip))


def register_failure(username: str, client_ip: str) -> None:
    for key in _keys(username, client_ip):
        _bump(key, settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _bump(key: str, window_seconds: int) -> None:
    """Add one to a counter that lives for the window from its first hit (atomic add/incr in the cache)."""
    if not cache.add(key, 1, timeout=window_seconds):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds)


def clear_account(username: str) -> None:
    cache.delete(_keys(username, "-")[0])


def client_ip(request) -> str:
    # the same resolver as the public API's rate limits (NUM_PROXIES aware)
    return client_address(request)


# --- Mi Cuenta: counters for registration, e-mail codes and second-factor codes (issue 5) ---

def _counter_key(scope: str, value: str) -> str:
    # hashed: an NSS or an address never sits in the cache in clear
    return f"throttle:{scope}:" + hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def over_limit(scope: str, values, limit: int) -> bool:
    """True when any of the values (an address, an NSS, an account) has used its budget in this scope."""
    return any((cache.get(_counter_key(scope, value)) or 0) >= limit for value in values if value)


def count(scope: str, values, window_seconds: int) -> None:
    for value in values:
        if value:
            _bump(_counter_key(scope, value), window_seconds)


def reset(scope: str, value: str) -> None:
    cache.delete(_counter_key(scope, value))
