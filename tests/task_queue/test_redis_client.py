"""Enqueueing on Redis from the web process (no worker needed)."""

from __future__ import annotations

import uuid

import pytest

from pyjolt.task_queue import TaskQueueError
from pyjolt.testing import PyJoltTestClient, make_app
from tests.services import REDIS_URL, require_port
from tests.task_queue.test_memory import add, queue


async def test_results_need_a_result_backend() -> None:
    require_port("127.0.0.1", 6379, "Redis")
    name = f"pyjolt-test-{uuid.uuid4().hex[:10]}"
    app = make_app(EXTENSIONS=[queue], TASK_QUEUE={"BROKER_URL": REDIS_URL, "QUEUE_NAME": name})
    try:
        async with PyJoltTestClient(app):
            handle = await add.enqueue(1)
            assert handle.task_id
            with pytest.raises(TaskQueueError, match=r"\['RESULT_BACKEND_URL'\] is not set"):
                await handle.result(timeout=1)
            with pytest.raises(TaskQueueError, match="delayed enqueue is not supported"):
                await add.enqueue_in(5, 1)
            pending = await queue.broker._shared().xlen(queue.broker_names["stream"])
            assert pending == 1  # the task waits in the stream for a worker
    finally:
        import redis.asyncio as redis

        client = redis.Redis.from_url(REDIS_URL)
        await client.delete(name)
        await client.aclose()
