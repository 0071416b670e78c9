"""Lock stores: claim each scheduled run once across processes and hosts."""

from __future__ import annotations

import os
import socket
import time
from abc import ABC, abstractmethod
from typing import Any, Self

from pyjolt._internal.breaker import CircuitBreaker, CircuitOpenError
from pyjolt._internal.redact import redact_url
from pyjolt._internal.redis_pool import RedisStore
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
        timeout: float = 2.0,
        retry_after: float = 5.0,
        max_connections: int = 10,
        idle_timeout: float = 60.0,
    ) -> None:
        self.url = url
        self.key_prefix = key_prefix
        self.timeout = timeout
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self.breaker = CircuitBreaker(retry_after)
        self._store: RedisStore | None = None
        self._owner = f"{socket.gethostname()}:{os.getpid()}"

    async def open(self) -> None:
        if self._store is not None:
            return
        store = RedisStore(
            self.url,
            timeout=self.timeout,
            max_connections=self.max_connections,
            idle_timeout=self.idle_timeout,
        )
        try:
            await store.run(lambda client: client.ping())
        except Exception as exc:
            await store.aclose()
            raise LockStoreError(
                f"TASK_MANAGER['LOCK_URL']: cannot reach Redis at {redact_url(self.url)}: {exc}"
            ) from exc
        store.start()
        self._store = store

    def _opened(self) -> RedisStore:
        if self._store is None:
            raise LockStoreError("RedisLockStore is not open (the app has not started)")
        return self._store

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
            raise LockStoreError(f"lock store {redact_url(self.url)} {exc}") from exc
        return bool(claimed)

    async def ping(self) -> None:
        store = self._opened()
        await store.run(lambda client: client.ping())

    async def close(self) -> None:
        store, self._store = self._store, None
        if store is not None:
            await store.aclose()


__all__ = ["JobLockStore", "LockStoreError", "MemoryLockStore", "RedisLockStore"]
