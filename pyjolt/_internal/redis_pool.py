"""A ``redis.asyncio`` client for shared stores that must never hold a request up.

- one attempt per operation (no redis-py retry), bounded by ``timeout`` seconds in total
  (waiting for a pooled connection, connecting and the command together);
- a bounded pool: at most ``max_connections`` connections; a caller waits for a free one
  within the same ``timeout``;
- idle connections closed: a task running while the store is open closes connections that
  have sat unused in the pool for ``idle_timeout`` seconds (checked every
  ``idle_timeout / 2`` seconds), so the pool shrinks back after a burst.

redis is imported lazily (extra ``cache``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypedDict, TypeVar

from typing_extensions import Unpack

from pyjolt._internal.imports import optional_import

T = TypeVar("T")


@functools.cache
def _pool_class() -> Any:
    connection = optional_import("redis.asyncio.connection", "cache")

    class IdleClosingPool(connection.BlockingConnectionPool):  # type: ignore[misc, name-defined]
        """``BlockingConnectionPool`` that remembers when each connection was released."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.released_at: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

        async def release(self, connection: Any) -> None:
            self.released_at[connection] = time.monotonic()
            await super().release(connection)

        def take_idle(self, idle_timeout: float) -> list[Any]:
            """Remove (without awaiting: nobody can pick them meanwhile) the pooled connections
            unused for ``idle_timeout`` seconds; the pool makes new ones when needed."""
            now = time.monotonic()
            idle = [
                conn
                for conn in self._available_connections
                if now - self.released_at.get(conn, now) >= idle_timeout
            ]
            for conn in idle:
                self._available_connections.remove(conn)
            return idle

    return IdleClosingPool


class RedisStore:
    """The client, its pool and the idle-connection task of one shared store."""

    def __init__(
        self,
        url: str,
        *,
        password: str | None = None,
        timeout: float,
        max_connections: int,
        idle_timeout: float,
    ) -> None:
        aioredis = optional_import("redis.asyncio", "cache")
        retry = optional_import("redis.asyncio.retry", "cache")
        backoff = optional_import("redis.backoff", "cache")
        options: dict[str, Any] = {
            "max_connections": max_connections,
            "timeout": timeout,  # waiting for a free pooled connection
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            "retry": retry.Retry(backoff.NoBackoff(), 0),  # one attempt: no retry
        }
        if password:
            options["password"] = password
        self.timeout = timeout
        self.idle_timeout = idle_timeout
        self.pool = _pool_class().from_url(url, **options)
        self.client: Any = aioredis.Redis(connection_pool=self.pool)
        self._reaper: asyncio.Task[None] | None = None

    async def run(self, operation: Callable[[Any], Awaitable[T]]) -> T:
        """``await operation(client)``, given up after ``timeout`` seconds (TimeoutError)."""
        try:
            async with asyncio.timeout(self.timeout):
                return await operation(self.client)
        except TimeoutError as exc:
            raise TimeoutError(f"no answer from Redis within {self.timeout}s") from exc

    def start(self) -> None:
        """Start closing idle connections (on the running loop, until ``aclose``)."""
        if self._reaper is None or self._reaper.done():
            self._reaper = asyncio.get_running_loop().create_task(
                self._close_idle_forever(), name="pyjolt redis idle connections"
            )

    async def close_idle(self) -> int:
        """Close the connections idle for ``idle_timeout`` seconds; returns how many."""
        idle = self.pool.take_idle(self.idle_timeout)
        connected = [conn for conn in idle if conn.is_connected]
        await asyncio.gather(*(conn.disconnect() for conn in connected), return_exceptions=True)
        return len(connected)

    def connection_counts(self) -> tuple[int, int]:
        """(connected idle connections in the pool, connections in use)."""
        idle = sum(1 for conn in self.pool._available_connections if conn.is_connected)
        return idle, len(self.pool._in_use_connections)

    async def _close_idle_forever(self) -> None:
        while True:
            await asyncio.sleep(max(self.idle_timeout / 2, 0.05))
            with contextlib.suppress(Exception):
                await self.close_idle()

    async def aclose(self) -> None:
        reaper, self._reaper = self._reaper, None
        if reaper is not None:
            reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reaper
        await self.client.aclose()
        await self.pool.disconnect()


class RedisPoolOptions(TypedDict, total=False):
    """How a shared store reaches Redis (the keywords of ``RedisStore``); every one optional."""

    password: str | None
    timeout: float
    max_connections: int
    idle_timeout: float


class RedisConnection:
    """One Redis URL with its pool options and, once opened, its ``RedisStore``: what the Redis
    cache backend and the Redis lock store each keep. Defaults: ``timeout`` 2 s,
    ``idle_timeout`` 60 s, ``max_connections`` as the owner says."""

    def __init__(
        self, url: str, default_max_connections: int, **options: Unpack[RedisPoolOptions]
    ) -> None:
        self.url = url
        self.password = options.get("password")
        self.timeout = options.get("timeout", 2.0)
        self.max_connections = options.get("max_connections", default_max_connections)
        self.idle_timeout = options.get("idle_timeout", 60.0)
        self.store: RedisStore | None = None

    async def open(self) -> RedisStore:
        """Make and start the store on the first call, then PING Redis through it (raises while
        Redis is down; the store stays open and its pool connects again on a later command)."""
        if self.store is None:
            self.store = RedisStore(
                self.url,
                password=self.password,
                timeout=self.timeout,
                max_connections=self.max_connections,
                idle_timeout=self.idle_timeout,
            )
            self.store.start()
        await self.store.run(lambda client: client.ping())
        return self.store

    async def close(self) -> None:
        store, self.store = self.store, None
        if store is not None:
            await store.aclose()


__all__ = ["RedisConnection", "RedisPoolOptions", "RedisStore"]
