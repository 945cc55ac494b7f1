"""The Redis cache backend (core.cache) keeps one client per connection pool and behaves as Django's."""

import os
import uuid

import pytest
import redis

from ventanilla.core.cache import RedisCache

LOCATION = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def backend():
    try:
        redis.Redis.from_url(LOCATION, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:  # refused, timed out or not a Redis server: skip all the same
        pytest.skip(f"no Redis at {LOCATION}")
    cache = RedisCache(LOCATION, {"KEY_PREFIX": f"test-core-cache-{uuid.uuid4().hex}"})
    yield cache
    cache.delete_many(["statement", "counter"])


def test_one_client_per_pool_and_the_same_answers(backend):
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client  # one server: reads and writes share its pool
    backend.set("statement", {"closing_balance": "119250.00"}, 60)
    assert backend.get("statement") == {"closing_balance": "119250.00"}
    assert backend.get("missing", "default") == "default"
    assert backend.add("counter", 1, 60) and not backend.add("counter", 5, 60)
    assert backend.incr("counter") == 2 and backend.get("counter") == 2
