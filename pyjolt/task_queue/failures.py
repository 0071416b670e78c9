"""Failed tasks: recorded after their last attempt, listable from the app and the CLI."""

from __future__ import annotations

import json
from collections import deque
from dataclasses import asdict, dataclass, field
from typing import Any

from pyjolt._internal.imports import optional_import


@dataclass(frozen=True)
class FailedTask:
    """A task that failed after its retries."""

    task_id: str
    task_name: str
    error: str
    attempts: int
    failed_at: float
    arguments: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=repr)

    @classmethod
    def from_json(cls, text: str | bytes) -> FailedTask:
        return cls(**json.loads(text))


class FailedTaskStore:
    """Where failed tasks are kept (newest first, at most ``keep``)."""

    def __init__(self, keep: int) -> None:
        self.keep = keep

    async def open(self) -> None:
        """Connect (called when the extension starts)."""

    async def close(self) -> None:
        """Disconnect."""

    async def record(self, failed: FailedTask) -> None:
        raise NotImplementedError

    async def list(self, limit: int = 100) -> list[FailedTask]:
        raise NotImplementedError

    async def clear(self) -> None:
        raise NotImplementedError


class MemoryFailedTaskStore(FailedTaskStore):
    """In this process only (the memory broker, or brokers without a Redis URL)."""

    def __init__(self, keep: int) -> None:
        super().__init__(keep)
        self._items: deque[FailedTask] = deque(maxlen=keep)

    async def record(self, failed: FailedTask) -> None:
        self._items.appendleft(failed)

    async def list(self, limit: int = 100) -> list[FailedTask]:
        return list(self._items)[:limit]

    async def clear(self) -> None:
        self._items.clear()


class RedisFailedTaskStore(FailedTaskStore):
    """A capped Redis list under ``key`` (shared by the web processes and the workers)."""

    def __init__(self, url: str, key: str, keep: int) -> None:
        super().__init__(keep)
        self.url = url
        self.key = key
        self._client: Any = None

    async def open(self) -> None:
        redis = optional_import("redis.asyncio", "taskqueue-redis")
        self._client = redis.Redis.from_url(self.url)

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()

    def _redis(self) -> Any:
        if self._client is None:
            raise RuntimeError("the failed-task store is not open: start the app first")
        return self._client

    async def record(self, failed: FailedTask) -> None:
        async with self._redis().pipeline(transaction=True) as pipe:
            pipe.lpush(self.key, failed.to_json())
            pipe.ltrim(self.key, 0, self.keep - 1)
            await pipe.execute()

    async def list(self, limit: int = 100) -> list[FailedTask]:
        raw = await self._redis().lrange(self.key, 0, max(0, limit - 1))
        return [FailedTask.from_json(item) for item in raw]

    async def clear(self) -> None:
        await self._redis().delete(self.key)


__all__ = ["FailedTask", "FailedTaskStore", "MemoryFailedTaskStore", "RedisFailedTaskStore"]
