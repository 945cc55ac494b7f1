"""Rate limits for public endpoints (simulators, parameters), per client address."""

from django.conf import settings
from ninja.throttling import AnonRateThrottle


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


def public_throttle() -> list[AnonRateThrottle]:
    """Simulators and parameters need no account; each client address gets a per-minute budget."""
    return [PublicRateThrottle()]
