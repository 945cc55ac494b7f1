"""Rate limits for public endpoints (simulators, parameters), per client address."""

from django.conf import settings
from ninja.throttling import AnonRateThrottle


def client_address(request) -> str:
    """The client's address, the one resolver every rate limit keys on: REMOTE_ADDR, or behind NUM_PROXIES
    trusted proxies the entry the nearest trusted proxy appended to X-Forwarded-For (the ones before it are
    typed by the client and can be forged). Read per request so settings changes apply."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.NINJA_NUM_PROXIES
    if proxies and forwarded:
        chain = [part.strip() for part in forwarded.split(",")]
        remote = chain[-min(proxies, len(chain))]
    return remote or "unknown"


class PublicRateThrottle(AnonRateThrottle):
    """Per client address (REMOTE_ADDR, or X-Forwarded-For behind NUM_PROXIES trusted proxies).
    The limit is read on each request so that settings changes apply without re-declaring routes."""

    def __init__(self):
        super().__init__(self._rate())

    @staticmethod
    def _rate() -> str:
        return f"{settings.PUBLIC_RATE_LIMIT_PER_MINUTE}/min"

    def allow_request(self, request) -> bool:
        self.num_requests, self.duration = self.parse_rate(self._rate())
        return super().allow_request(request)

    def get_ident(self, request) -> str:
        return client_address(request)


def public_throttle() -> list[AnonRateThrottle]:
    """Simulators and parameters need no account; each client address gets a per-minute budget."""
    return [PublicRateThrottle()]
