"""Redis streams broker (imported lazily: it subclasses taskiq-redis's broker).

taskiq-redis's ``RedisStreamBroker`` only looks for unacknowledged messages of dead workers
after a read that returned new messages, so a task left by a killed worker waits for the
next enqueue. This listener reclaims them on every turn, idle queue included.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from pyjolt._internal.imports import optional_import

_redis_broker = optional_import("taskiq_redis.redis_broker", "taskqueue-redis")
_taskiq = optional_import("taskiq", "taskqueue")
_redis = optional_import("redis.asyncio", "taskqueue-redis")
_StreamBroker: Any = _redis_broker.RedisStreamBroker


class RedisStreamBroker(_StreamBroker):  # type: ignore[misc]
    """Consumer-group stream broker: acknowledged after the result is saved; a message left
    unacknowledged longer than ``idle_timeout`` ms is claimed by another worker."""

    _client: Any = None

    def _shared(self) -> Any:
        # One client over the pool for kicks and acks: building a ``Redis`` object per
        # message (as taskiq-redis does) costs more than the command itself.
        if self._client is None:
            self._client = _redis.Redis(connection_pool=self.connection_pool)
        return self._client

    async def kick(self, message: Any) -> None:
        await self._shared().xadd(
            message.labels.get("queue_name") or self.queue_name,
            {b"data": message.message},
            maxlen=self.maxlen,
            approximate=self.approximate,
        )

    def _ack_generator(self, id: Any, queue_name: str) -> Any:
        async def ack() -> None:
            await self._shared().xack(queue_name, self.consumer_group_name, id)

        return ack

    async def shutdown(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose(close_connection_pool=False)
        await super().shutdown()

    async def listen(self) -> AsyncGenerator[Any, None]:
        async with _redis.Redis(connection_pool=self.connection_pool) as conn:
            while True:
                claimed = await conn.xautoclaim(
                    name=self.queue_name,
                    groupname=self.consumer_group_name,
                    consumername=self.consumer_name,
                    min_idle_time=self.idle_timeout,
                    start_id="0-0",
                    count=self.unacknowledged_batch_size,
                )
                for msg_id, msg in claimed[1]:
                    if msg:  # an entry deleted from the stream comes back empty
                        yield self._message(msg_id, msg)
                fetched = await conn.xreadgroup(
                    self.consumer_group_name,
                    self.consumer_name,
                    {self.queue_name: ">"},
                    block=self.block,
                    noack=False,
                    count=self.count,
                )
                for _stream, messages in fetched or ():
                    for msg_id, msg in messages:
                        yield self._message(msg_id, msg)

    def _message(self, msg_id: Any, msg: Any) -> Any:
        return _taskiq.AckableMessage(
            data=msg[b"data"], ack=self._ack_generator(id=msg_id, queue_name=self.queue_name)
        )


__all__ = ["RedisStreamBroker"]
