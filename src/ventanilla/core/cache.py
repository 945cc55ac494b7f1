"""The shared cache's Redis backend (settings.CACHES when REDIS_URL is set).

Django's RedisCacheClient builds a new redis.Redis object for every cache call, and the object's constructor
fills a table of some 170 response callbacks: about half the CPU of a small get (BENCHMARKS.md, "HTTP load").
Here each connection pool keeps one client; a client is thread-safe (it takes a connection from the pool per
command), and Django already gives each thread its own cache backend."""

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # pools live as long as this object: their id is stable
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient


# --- Counters: many small increments, read and reset now and then ---------------------------------------------
# For counts every request adds to (reports.middleware, portal usage): on Redis one round trip per request
# (HINCRBYs in one Lua script) and no lost update when two requests of one user run at once; on any other backend
# (the per-process memory cache of development and tests) a read-modify-write through Django's cache API.

# One command a request (EVALSHA; a pipeline of HINCRBYs, EXPIRE and SET NX cost a third more CPU).
ADD_COUNTS_LUA = """
for i = 3, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
if redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[2]) then return 1 end
return 0
"""
_ADD_COUNTS_SCRIPTS: dict = {}  # one registered script per client (core.cache keeps one client per pool)


def _redis_client(backend):
    if backend is cache:  # the module-level proxy: the backend it stands for
        backend = caches[DEFAULT_CACHE_ALIAS]
    return backend._cache.get_client(write=True) if isinstance(backend, RedisCache) else None


def add_counts(backend, key: str, counts: dict[str, int], ttl: int, *, claim: str, claim_ttl: int) -> bool:
    """Add `counts` to the counters under `key` (kept `ttl` seconds after the last addition), and claim the key
    `claim` for `claim_ttl` seconds if nobody holds it: returns whether this call claimed it (then the caller
    is due to take_counts and store them)."""
    client = _redis_client(backend)
    if client is not None:
        script = _ADD_COUNTS_SCRIPTS.get(id(client)) or _ADD_COUNTS_SCRIPTS.setdefault(
            id(client), client.register_script(ADD_COUNTS_LUA))
        fields = [item for field, count in counts.items() for item in (field, count)]
        return bool(script(keys=[backend.make_and_validate_key(key), backend.make_and_validate_key(claim)],
                           args=[ttl, claim_ttl, *fields]))
    pending = backend.get(key) or {}
    for field, count in counts.items():
        pending[field] = pending.get(field, 0) + count
    backend.set(key, pending, ttl)
    return backend.add(claim, 1, claim_ttl)


def take_counts(backend, key: str) -> dict[str, int]:
    """The counters under `key`, removed at once (on Redis atomically: an increment lands before or after)."""
    client = _redis_client(backend)
    if client is not None:
        name = backend.make_and_validate_key(key)
        pipe = client.pipeline(transaction=True)
        pipe.hgetall(name)
        pipe.delete(name)
        counts, _deleted = pipe.execute()
        return {field.decode(): int(count) for field, count in counts.items()}
    counts = backend.get(key) or {}
    backend.delete(key)
    return counts
