"""Lock stores: claim each scheduled run once across processes and hosts."""

from __future__ import annotations

import os
import socket
import time
from abc import ABC, abstractmethod
from typing import Any, Self

from typing_extensions import Unpack

from pyjolt._internal.breaker import CircuitBreaker, CircuitOpenError
from pyjolt._internal.redact import redact_url
from pyjolt._internal.redis_pool import RedisConnection, RedisPoolOptions, RedisStore
from pyjolt.exceptions.errors import PyJoltError


class LockStoreError(PyJoltError):
    """The lock store cannot be reached."""


class JobLockStore(ABC):
    """Claims ``"<job id>:<scheduled time>"`` keys; the first process to claim a key runs it.

    Subclass it for another shared store (a SQL table, etcd...) and pass an instance as
    ``TASK_MANAGER["LOCK_STORE"]``. Copies are the instance itself: config values are copied
    per app, and a copied store would no longer be shared.
    """

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    async def open(self) -> None:  # noqa: B027 - optional hook
        """Connect (called when the app starts)."""

    @abstractmethod
    async def acquire(self, key: str, ttl: float) -> bool:
        """Claim ``key`` for ``ttl`` seconds; True if this call claimed it, False if taken."""

    async def ping(self) -> None:  # noqa: B027 - optional hook
        """Raise when the shared store does not answer (readiness check)."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Disconnect (called when the app shuts down)."""


class MemoryLockStore(JobLockStore):
    """Claims in this process only: for several schedulers in one process, and for tests."""

    def __init__(self) -> None:
        self._claims: dict[str, float] = {}

    async def acquire(self, key: str, ttl: float) -> bool:
        now = time.monotonic()
        if len(self._claims) > 1024:
            self._claims = {k: exp for k, exp in self._claims.items() if exp > now}
        expires = self._claims.get(key)
        if expires is not None and expires > now:
            return False
        self._claims[key] = now + ttl
        return True


class RedisLockStore(JobLockStore):
    """Redis ``SET key owner NX PX ttl``: atomic, so exactly one process claims each run.

    Each claim is one attempt of at most ``timeout`` seconds. After a failure, claims are
    refused at once (a ``LockStoreError``: the run is skipped, never run unlocked) for
    ``retry_after`` seconds; then one claim at a time tries Redis again. The pool holds at most
    ``max_connections`` connections and closes those unused for ``idle_timeout`` seconds.

    Args:
        url: ``redis://[:password@]host:port/db`` (or ``rediss://``, ``unix://``).
        key_prefix: namespace of the claim keys in Redis.
    """

    def __init__(
        self,
        url: str,
        *,
        key_prefix: str = "pyjolt:task_manager:",
        retry_after: float = 5.0,
        **pool: Unpack[RedisPoolOptions],
    ) -> None:
        self.redis = RedisConnection(url, 10, **pool)
        self.key_prefix = key_prefix
        self.breaker = CircuitBreaker(retry_after)
        self._owner = f"{socket.gethostname()}:{os.getpid()}"

    async def open(self) -> None:
        if self.redis.store is not None:
            return
        try:
            await self.redis.open()
        except Exception as exc:
            await self.redis.close()
            where = redact_url(self.redis.url)
            raise LockStoreError(
                f"TASK_MANAGER['LOCK_URL']: cannot reach Redis at {where}: {exc}"
            ) from exc

    def _opened(self) -> RedisStore:
        if self.redis.store is None:
            raise LockStoreError("RedisLockStore is not open (the app has not started)")
        return self.redis.store

    async def acquire(self, key: str, ttl: float) -> bool:
        store = self._opened()
        try:
            claimed = await self.breaker.call(
                lambda: store.run(
                    lambda client: client.set(
                        self.key_prefix + key, self._owner, nx=True, px=max(1, int(ttl * 1000))
                    )
                )
            )
        except CircuitOpenError as exc:
            raise LockStoreError(f"lock store {redact_url(self.redis.url)} {exc}") from exc
        return bool(claimed)

    async def ping(self) -> None:
        store = self._opened()
        await store.run(lambda client: client.ping())

    async def close(self) -> None:
        await self.redis.close()


__all__ = ["JobLockStore", "LockStoreError", "MemoryLockStore", "RedisLockStore"]
