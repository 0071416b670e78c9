"""Redis cache through ``redis.asyncio``: Redis expires the entries itself."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pyjolt._internal.imports import optional_import
from pyjolt._internal.redact import redact_url
from pyjolt._internal.redis_pool import RedisStore
from pyjolt.caching.base import BaseCacheBackend
from pyjolt.caching.config import CacheConfig, require
from pyjolt.caching.payload import decode, encode

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol

_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


class RedisCacheBackend(BaseCacheBackend):
    """Entries are ``KEY_PREFIX + key`` strings holding JSON, with a Redis TTL.

    ``clear()`` deletes only keys under ``KEY_PREFIX`` (found with ``SCAN``), never the whole
    database. Each call is one attempt given up after ``timeout`` seconds (no retry); the pool
    holds at most ``max_connections`` connections and closes those idle for ``idle_timeout``
    seconds. The ``Cache`` extension's circuit breaker skips Redis after a failure and lets one
    probe through every ``RETRY_AFTER`` seconds; the pool reconnects once Redis is back.
    """

    def __init__(
        self,
        url: str,
        *,
        password: str | None = None,
        key_prefix: str = "pyjolt:cache:",
        timeout: float = 2.0,
        max_connections: int = 50,
        idle_timeout: float = 60.0,
    ) -> None:
        self.url = url
        self.key_prefix = key_prefix
        self.timeout = timeout
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self._password = password
        self._store: RedisStore | None = None

    @classmethod
    def from_config(
        cls,
        config: CacheConfig,
        namespace: str,
        *,
        app: AppProtocol,
        variable_prefix: str,
        section: str = "CACHE",
    ) -> RedisCacheBackend:
        optional_import("redis.asyncio", "cache")
        return cls(
            require(config.REDIS_URL, "REDIS_URL", cls.__name__, section),
            password=config.REDIS_PASSWORD,
            key_prefix=namespace,
            timeout=config.REDIS_TIMEOUT,
            max_connections=config.REDIS_MAX_CONNECTIONS,
            idle_timeout=config.REDIS_IDLE_TIMEOUT,
        )

    @classmethod
    def configure_from_app(cls, app: AppProtocol, variable_prefix: str) -> BaseCacheBackend:
        return cls.from_registered_cache(app, variable_prefix)

    @property
    def client(self) -> Any:
        """The ``redis.asyncio.Redis`` client (after ``connect``)."""
        return self._connected().client

    def _connected(self) -> RedisStore:
        if self._store is None:
            raise RuntimeError("RedisCacheBackend is not connected (startup did not run)")
        return self._store

    async def connect(self) -> None:
        if self._store is None:
            self._store = RedisStore(
                self.url,
                password=self._password,
                timeout=self.timeout,
                max_connections=self.max_connections,
                idle_timeout=self.idle_timeout,
            )
            self._store.start()
        # Fails while Redis is down; the pool connects again on a later command.
        await self._store.run(lambda client: client.ping())

    async def disconnect(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            await store.aclose()

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self._connected().run(lambda client: client.get(self.key_prefix + key))
        return None if raw is None else decode(raw)

    async def set(self, key: str, value: dict[str, Any], duration: int | None = None) -> None:
        raw = encode(value)
        ttl = None if duration is None else max(1, int(duration))
        await self._connected().run(lambda client: client.set(self.key_prefix + key, raw, ex=ttl))

    async def delete(self, key: str) -> None:
        await self._connected().run(lambda client: client.delete(self.key_prefix + key))

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
        return f"RedisCacheBackend(url={redact_url(self.url)!r}, key_prefix={self.key_prefix!r})"
