"""Small secrets encrypted at rest (today the Mi Cuenta TOTP secret): Fernet (AES-128-CBC + HMAC-SHA256,
authenticated) from `cryptography`, with the key from settings.FIELD_ENCRYPTION_KEY.

The setting holds one or more Fernet keys separated by commas: the first encrypts, every one decrypts, so a
key is rotated by putting the new one first and re-saving. A value that does not decrypt with any key (a wrong
key, a tampered or a plaintext value) raises DecryptionError: callers refuse, never fall back to the text.
"""

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "fernet:"  # tells a ciphertext from a legacy plaintext value (the data migration relies on it)


class DecryptionError(Exception):
    """The stored value cannot be read with the configured key(s)."""


def derive_key(secret_key: str) -> str:
    """A Fernet key derived from SECRET_KEY, for development and tests only (production sets its own key, so
    that rotating SECRET_KEY does not make every stored secret unreadable)."""
    digest = hashlib.sha256(b"ventanilla.field-encryption\x00" + secret_key.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


def parse_keys(value: str) -> list[str]:
    """The keys of the setting; raises ValueError naming the bad one's position (never its text)."""
    keys = [key.strip() for key in (value or "").split(",") if key.strip()]
    if not keys:
        raise ValueError("FIELD_ENCRYPTION_KEY is empty")
    for position, key in enumerate(keys, 1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            raise ValueError(f"FIELD_ENCRYPTION_KEY: key {position} is not a Fernet key (32 bytes, url-safe base64)"
                             ) from None
    return keys


def _cipher(keys: str | None) -> MultiFernet:
    if keys is None:
        from django.conf import settings

        keys = settings.FIELD_ENCRYPTION_KEY
    return MultiFernet([Fernet(key) for key in parse_keys(keys)])


def encrypt(text: str, keys: str | None = None) -> str:
    return PREFIX + _cipher(keys).encrypt(text.encode()).decode("ascii")


def decrypt(stored: str, keys: str | None = None) -> str:
    if not stored or not stored.startswith(PREFIX):
        raise DecryptionError("not an encrypted value")
    try:
        return _cipher(keys).decrypt(stored[len(PREFIX):].encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise DecryptionError("the value does not decrypt with the configured key") from exc


def is_encrypted(stored: str) -> bool:
    return bool(stored) and stored.startswith(PREFIX)
