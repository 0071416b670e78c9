"""Redis cache through ``redis.asyncio``: Redis expires the entries itself."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from pyjolt._internal.imports import optional_import
from pyjolt._internal.redact import redact_url
from pyjolt.caching.base import BaseCacheBackend
from pyjolt.caching.config import CacheConfig, require
from pyjolt.caching.payload import decode, encode

if TYPE_CHECKING:
    from pyjolt.appcontext import AppProtocol

_GLOB_SPECIAL = re.compile(r"([*?\[\]\\])")


class RedisCacheBackend(BaseCacheBackend):
    """Entries are ``KEY_PREFIX + key`` strings holding JSON, with a Redis TTL.

    ``clear()`` deletes only keys under ``KEY_PREFIX`` (found with ``SCAN``), never the whole
    database. The client reconnects by itself once Redis is back after an outage.
    """

    def __init__(
        self,
        url: str,
        *,
        password: str | None = None,
        key_prefix: str = "pyjolt:cache:",
        timeout: float = 2.0,
    ) -> None:
        self.url = url
        self.key_prefix = key_prefix
        self.timeout = timeout
        self._password = password
        self._client: Any = None

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
        )

    @classmethod
    def configure_from_app(cls, app: AppProtocol, variable_prefix: str) -> BaseCacheBackend:
        return cls.from_registered_cache(app, variable_prefix)

    @property
    def client(self) -> Any:
        """The ``redis.asyncio.Redis`` client (after ``connect``)."""
        if self._client is None:
            raise RuntimeError("RedisCacheBackend is not connected (startup did not run)")
        return self._client

    async def connect(self) -> None:
        if self._client is None:
            aioredis = optional_import("redis.asyncio", "cache")
            backoff = optional_import("redis.backoff", "cache")
            retry = optional_import("redis.asyncio.retry", "cache")
            options: dict[str, Any] = {
                "socket_connect_timeout": self.timeout,
                "socket_timeout": self.timeout,
                # One immediate retry replaces a connection Redis dropped (e.g. a restart);
                # the default backoff would hold every request for seconds while Redis is down.
                "retry": retry.Retry(backoff.NoBackoff(), 1),
            }
            if self._password:
                options["password"] = self._password
            self._client = aioredis.Redis.from_url(self.url, **options)
        # Fails while Redis is down; the client stays and reconnects on a later command.
        await self._client.ping()

    async def disconnect(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    async def get(self, key: str) -> dict[str, Any] | None:
        raw = await self.client.get(self.key_prefix + key)
        return None if raw is None else decode(raw)

    async def set(self, key: str, value: dict[str, Any], duration: int | None = None) -> None:
        raw = encode(value)
        if duration is None:
            await self.client.set(self.key_prefix + key, raw)
        else:
            await self.client.set(self.key_prefix + key, raw, ex=max(1, int(duration)))

    async def delete(self, key: str) -> None:
        await self.client.delete(self.key_prefix + key)

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
        await self.client.ping()

    def describe(self) -> str:
        return f"RedisCacheBackend(url={redact_url(self.url)!r}, key_prefix={self.key_prefix!r})"
