"""Sessions live in the shared cache only when it is shared (Redis): a worker's own memory would keep a session
that was logged out in another worker alive."""

from ventanilla.settings import session_engine


def test_cached_sessions_only_with_a_shared_cache():
    assert session_engine("redis://127.0.0.1:6379/0") == "django.contrib.sessions.backends.cached_db"
    assert session_engine("") == "django.contrib.sessions.backends.db"
