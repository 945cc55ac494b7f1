"""The shared cache's Redis backend (settings.CACHES when REDIS_URL is set).

Django's RedisCacheClient builds a new redis.Redis object for every cache call, and the object's constructor
fills a table of some 170 response callbacks: about half the CPU of a small get (BENCHMARKS.md, "HTTP load").
Here each connection pool keeps one client; a client is thread-safe (it takes a connection from the pool per
command), and Django already gives each thread its own cache backend."""

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
