"""docs/topics/task-queue.md: the answers the page shows, in memory and with a Redis worker."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from pyjolt.task_queue import TaskArgumentsError
from pyjolt.testing import PyJoltTestClient
from tests.docs.support import EXAMPLES, load_example
from tests.services import REDIS_URL, require_port


async def test_in_memory_queue() -> None:
    example = load_example("task_queue/invoices.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.post("/orders/2/invoice")
        assert res.status_code == 202
        assert len(res.json()["task_id"]) == 32

        res = await client.post("/orders/3/invoice-and-wait")
        assert res.json()["receipt"] == "invoice 3 sent to ada@example.com (attempt 2)"
        res = await client.post("/orders/3/invoice-and-wait")
        assert res.json()["receipt"] == "invoice 3 already sent"

        for _ in range(500):  # the fire-and-forget task of order 2 (at most 5 s)
            if 2 in example.SENT:
                break
            await asyncio.sleep(0.01)
        assert example.SENT == {2: 1, 3: 2}

        with pytest.raises(TaskArgumentsError, match="argument 'order_id'"):
            await example.send_invoice.enqueue("x", email="ada@example.com")


def wait_for(proc: subprocess.Popen[bytes], log: Path, text: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if text in log.read_text(errors="replace"):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    raise AssertionError(f"worker did not log {text!r}:\n{log.read_text(errors='replace')}")


async def test_redis_broker_and_worker_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    require_port("127.0.0.1", 6379, "Redis")
    run_id = uuid.uuid4().hex[:10]
    settings = {
        "TASK_QUEUE__BROKER_URL": REDIS_URL,
        "TASK_QUEUE__RESULT_BACKEND_URL": REDIS_URL,
        "TASK_QUEUE__QUEUE_NAME": f"pyjolt-docs-{run_id}",
        "TASK_QUEUE__KEY_PREFIX": f"pyjolt:docs:{run_id}:",
    }
    for key, value in settings.items():
        monkeypatch.setenv(key, value)
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "invoices.py", "worker"],
            cwd=EXAMPLES / "task_queue",
            env=dict(os.environ),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    example = load_example("task_queue/invoices.py")
    names: dict[str, str] = {}
    try:
        wait_for(worker, log, "Worker for queue")
        async with PyJoltTestClient(example.Application()) as client:
            res = await client.post("/orders/5/invoice-and-wait")
            assert res.status_code == 200
            assert res.json()["receipt"] == "invoice 5 sent to ada@example.com (attempt 2)"
            names = dict(example.queue.broker_names)
        assert example.SENT == {}  # the task ran in the worker process, not here
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        import redis.asyncio as redis  # the taskqueue-redis extra

        client_redis = redis.Redis.from_url(REDIS_URL)
        keys = [k async for k in client_redis.scan_iter(match=f"pyjolt:docs:{run_id}:*")]
        if "stream" in names:
            keys.append(names["stream"])
        if keys:
            await client_redis.delete(*keys)
        await client_redis.aclose()
