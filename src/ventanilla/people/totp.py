"""Time-based one-time passwords, RFC 6238 (HOTP of RFC 4226 over 30-second steps, SHA-1, 6 digits), the
kind every authenticator app reads from an otpauth:// URI. Pure: standard library only."""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP_SECONDS = 30  # RFC 6238 section 4.1, the default every app uses
DIGITS = 6
DRIFT_STEPS = 1  # accept the step before and after: phones' clocks drift (RFC 6238 section 5.2)


def new_secret() -> str:
    """160 random bits in base32 (RFC 4226 section 4 recommends 160)."""
    return base64.b32encode(secrets.token_bytes(20)).decode()


def hotp(secret: str, counter: int) -> str:
    """RFC 4226 section 5.3: HMAC-SHA-1 of the counter, dynamic truncation, modulo 10^digits."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def step_at(unix_time: float) -> int:
    return int(unix_time // STEP_SECONDS)


def code_at(secret: str, unix_time: float) -> str:
    return hotp(secret, step_at(unix_time))


def matching_step(secret: str, code: str, unix_time: float, after_step: int = 0) -> int | None:
    """The step whose code this is (within the drift window), or None. Steps at or before `after_step` are
    refused so that a code cannot be used twice."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    now = step_at(unix_time)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if step > after_step and hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// URI (Google Authenticator key-URI format) the QR code carries."""
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?" + urlencode({"secret": secret, "issuer": issuer, "digits": DIGITS,
                                                   "period": STEP_SECONDS})
