"""Redis cache through ``redis.asyncio``: Redis expires the entries itself."""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from typing_extensions import Unpack

from pyjolt._internal.imports import optional_import
from pyjolt._internal.redact import redact_url
from pyjolt._internal.redis_pool import RedisConnection, RedisPoolOptions, RedisStore
from pyjolt.caching.base import BaseCacheBackend, CacheSetup
from pyjolt.caching.config import require
from pyjolt.caching.payload import decode, encode

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol

_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")

#: Stores one entry, files it in the namespace's index and under its tags, and keeps the
#: namespace within its bound. KEYS: entry, index, tag sets; ARGV: value, TTL (0: none),
#: most entries. Index scores are expiry times (Redis's clock); a set lives as long as its
#: longest-lived member.
_STORE = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local ttl = tonumber(ARGV[2])
local function add(kind, key, score)
  local fresh = redis.call('EXISTS', key) == 0
  if kind == 'z' then
    redis.call('ZADD', key, score, KEYS[1])
  else
    redis.call('SADD', key, KEYS[1])
  end
  local left = redis.call('TTL', key)
  if ttl == 0 then
    redis.call('PERSIST', key)
  elseif fresh or left >= 0 and left < ttl then
    redis.call('EXPIRE', key, ttl)
  end
end
if ttl > 0 then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ttl)
  add('z', KEYS[2], now + ttl)
else
  redis.call('SET', KEYS[1], ARGV[1])
  add('z', KEYS[2], '+inf')
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
for i = 3, #KEYS do
  add('s', KEYS[i], 0)
end
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[3])
if over > 0 then
  local victims = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #victims, 2 do
    redis.call('UNLINK', victims[i])
  end
end
return over
"""


class RedisCacheBackend(BaseCacheBackend):
    """Entries are ``KEY_PREFIX + key`` strings holding JSON, with a Redis TTL.

    ``clear()`` deletes only keys under ``KEY_PREFIX`` (found with ``SCAN``), never the whole
    database. Each call is one attempt given up after ``timeout`` seconds (no retry); the pool
    holds at most ``max_connections`` connections and closes those idle for ``idle_timeout``
    seconds. The ``Cache`` extension's circuit breaker skips Redis after a failure and lets one
    probe through every ``RETRY_AFTER`` seconds; the pool reconnects once Redis is back.

    Bound: every write files its key in the sorted set ``KEY_PREFIX + "~entries"``, scored
    by expiry; past ``max_entries`` (``MAX_ENTRIES``) live keys, those closest to expiry are
    deleted, in the same Lua script as the write. Tags are sets ``KEY_PREFIX + "~tag:" +
    tag``. (Keys are used outside ``KEYS`` by the script: not for Redis Cluster.)
    """

    supports_tags = True

    def __init__(
        self,
        url: str,
        *,
        key_prefix: str = "pyjolt:cache:",
        max_entries: int = 1024,
        **pool: Unpack[RedisPoolOptions],
    ) -> None:
        self.redis = RedisConnection(url, 50, **pool)
        self.key_prefix = key_prefix
        self.max_entries = max_entries

    @classmethod
    def from_config(cls, setup: CacheSetup) -> RedisCacheBackend:
        optional_import("redis.asyncio", "cache")
        url = require(setup.config.REDIS_URL, "REDIS_URL", cls.__name__, setup.section)
        pool = setup.config.redis_pool()
        return cls(url, key_prefix=setup.namespace, max_entries=setup.config.MAX_ENTRIES, **pool)

    @classmethod
    def configure_from_app(cls, app: AppProtocol, variable_prefix: str) -> BaseCacheBackend:
        return cls.from_registered_cache(app, variable_prefix)

    @property
    def client(self) -> Any:
        """The ``redis.asyncio.Redis`` client (after ``connect``)."""
        return self._connected().client

    def _connected(self) -> RedisStore:
        if self.redis.store is None:
            raise RuntimeError("RedisCacheBackend is not connected (startup did not run)")
        return self.redis.store

    async def connect(self) -> None:
        # Fails while Redis is down; the pool connects again on a later command.
        await self.redis.open()

    async def disconnect(self) -> None:
        await self.redis.close()

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self._connected().run(lambda client: client.get(self.key_prefix + key))
        return None if raw is None else decode(raw)

    async def set(self, key: str, value: dict[str, Any], duration: int | None = None) -> None:
        await self.store(key, value, duration)

    # -- bound and tags -------------------------------------------------------------------
    @property
    def index_key(self) -> str:
        """The sorted set of this namespace's entries (score: expiry time)."""
        return self.key_prefix + "~entries"

    def tag_key(self, tag: str) -> str:
        return self.key_prefix + "~tag:" + tag

    async def store(
        self, key: str, value: dict[str, Any], duration: int | None, tags: Sequence[str] = ()
    ) -> None:
        ttl = 0 if duration is None else max(1, int(duration))
        keys = [self.key_prefix + key, self.index_key, *map(self.tag_key, tags)]
        raw, most = encode(value), self.max_entries
        await self._connected().run(lambda c: c.eval(_STORE, len(keys), *keys, raw, ttl, most))

    async def add_tags(self, key: str, tags: Sequence[str], duration: int | None) -> None:
        value = await self.get(key)
        if value is not None:
            await self.store(key, value, duration, tags)

    async def tagged_keys(self, tag: str) -> frozenset[str]:
        members = await self._connected().run(lambda c: c.smembers(self.tag_key(tag)))
        cut = len(self.key_prefix)
        return frozenset((m.decode() if isinstance(m, bytes) else str(m))[cut:] for m in members)

    async def forget_tags(self, tags: Collection[str]) -> None:
        names = [self.tag_key(tag) for tag in tags]
        await self._connected().run(lambda client: client.unlink(*names))

    async def delete_many(self, keys: Collection[str]) -> None:
        full = [self.key_prefix + key for key in keys]
        for start in range(0, len(full), 500):
            chunk = full[start : start + 500]
            await self._connected().run(functools.partial(self._drop, keys=chunk))

    async def _drop(self, client: Any, keys: list[str]) -> None:
        async with client.pipeline(transaction=False) as pipe:
            pipe.unlink(*keys)
            pipe.zrem(self.index_key, *keys)
            await pipe.execute()

    async def delete(self, key: str) -> None:
        await self.delete_many([key])  # and out of the index, so it no longer counts

    async def clear(self) -> None:
        if not self.key_prefix:
            raise RuntimeError("refusing to clear a Redis cache without a KEY_PREFIX")
        pattern = _GLOB_SPECIAL.sub(r"\\\1", self.key_prefix) + "*"
        batch: list[Any] = []
        async for key in self.client.scan_iter(match=pattern, count=500):
            batch.append(key)
            if len(batch) >= 500:
                await self.client.unlink(*batch)
                batch.clear()
        if batch:
            await self.client.unlink(*batch)

    async def ping(self) -> None:
        await self._connected().run(lambda client: client.ping())

    def describe(self) -> str:
        return (
            f"RedisCacheBackend(url={redact_url(self.redis.url)!r}, "
            f"key_prefix={self.key_prefix!r}, max_entries={self.max_entries})"
        )
