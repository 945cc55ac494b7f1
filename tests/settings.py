"""Settings for the test suite: the production settings with test-friendly transport flags."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef-ventanilla")
from ventanilla.core.encryption import derive_key  # noqa: E402 (reads no settings)

# Tests run with DEBUG off: the field key is derived from SECRET_KEY, as in development.
os.environ.setdefault("FIELD_ENCRYPTION_KEY", derive_key(os.environ["SECRET_KEY"]))
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from ventanilla.settings import *  # noqa: E402,F403

LOGGING = {"version": 1, "disable_existing_loggers": False}
STATIC_ROOT = None  # static files come from the app folders (finders) in tests
