"""Lock stores: claim each scheduled run once across processes and hosts."""

from __future__ import annotations

import os
import socket
import time
from abc import ABC, abstractmethod
from typing import Any, Self

from pyjolt._internal.imports import optional_import
from pyjolt._internal.redact import redact_url
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

    Args:
        url: ``redis://[:password@]host:port/db`` (or ``rediss://``, ``unix://``).
        key_prefix: namespace of the claim keys in Redis.
    """

    def __init__(self, url: str, *, key_prefix: str = "pyjolt:task_manager:") -> None:
        self.url = url
        self.key_prefix = key_prefix
        self._client: Any = None
        self._owner = f"{socket.gethostname()}:{os.getpid()}"

    async def open(self) -> None:
        if self._client is not None:
            return
        redis_asyncio = optional_import("redis.asyncio", "cache")
        client = redis_asyncio.from_url(self.url)
        try:
            await client.ping()
        except Exception as exc:
            await client.aclose()
            raise LockStoreError(
                f"TASK_MANAGER['LOCK_URL']: cannot reach Redis at {redact_url(self.url)}: {exc}"
            ) from exc
        self._client = client

    async def acquire(self, key: str, ttl: float) -> bool:
        if self._client is None:
            raise LockStoreError("RedisLockStore is not open (the app has not started)")
        claimed = await self._client.set(
            self.key_prefix + key, self._owner, nx=True, px=max(1, int(ttl * 1000))
        )
        return bool(claimed)

    async def ping(self) -> None:
        if self._client is None:
            raise LockStoreError("RedisLockStore is not open (the app has not started)")
        await self._client.ping()

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()


__all__ = ["JobLockStore", "LockStoreError", "MemoryLockStore", "RedisLockStore"]
