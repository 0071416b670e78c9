"""Against the real brokers (Redis streams, RabbitMQ, NATS JetStream) with worker processes
and PostgreSQL: round trip, retries, failures, SIGTERM, kill -9 and redelivery.

Each test starts worker processes (seconds each on a busy machine): the checks are grouped so
that every broker needs one worker for the round trip and two for kill -9 (run once per CI)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pyjolt.task_queue import TaskFailedError, TaskQueueError
from pyjolt.testing import PyJoltTestClient
from tests.task_queue.conftest import once
from tests.task_queue.sample_app import always_fails, build_app, flaky, queue, record
from tests.task_queue.support import REPO, SAMPLE_APP, QueueEnv


async def row_count(client: PyJoltTestClient, key: str) -> int:
    res = await client.get(f"/jobs/count/{key}")
    assert res.status_code == 200, res.text
    count: int = res.json()["rows"]
    return count


async def run_count(key: str) -> list[int]:
    from sqlalchemy import select

    from tests.task_queue.sample_app import Run, db

    async with db.session_scope() as session:
        rows = await session.scalars(select(Run.attempt).where(Run.key == key).order_by(Run.id))
        return list(rows)


async def test_round_trip_retries_failures_and_sigterm(queue_env: QueueEnv, tmp_path: Path) -> None:
    worker = queue_env.start_worker(tmp_path, "--concurrency", "3")
    async with PyJoltTestClient(build_app(queue_env.config)) as client:
        # A handler enqueues; the worker process writes the row; the result comes back.
        res = await client.post("/jobs/alpha/21")
        assert res.status_code == 200, res.text
        body = res.json()
        assert body["result"]["doubled"] == 42
        assert body["result"]["pid"] == worker.pid != os.getpid()
        assert await row_count(client, "alpha") == 1
        await queue.health_checks()["task_queue:TASK_QUEUE"]()  # readiness: broker reachable
        # Delayed enqueue: RabbitMQ holds the message back itself; the others refuse.
        if queue_env.kind == "rabbitmq":
            sent_at = time.monotonic()
            later = await record.enqueue_in(1.0, "later", 4)
            assert (await later.result(timeout=30)).doubled == 8
            assert time.monotonic() - sent_at >= 1.0
        else:
            with pytest.raises(TaskQueueError, match="delayed enqueue is not supported"):
                await record.enqueue_in(1.0, "later", 4)
        # Failing twice, then succeeding: three runs, the third one's result.
        handle = await flaky.enqueue("flaky", fail_times=2)
        assert await handle.result(timeout=30) == 3
        assert await run_count("flaky") == [1, 2, 3]
        # Always failing: 1 run + 1 retry, then recorded as failed with its ID and error.
        doomed = await always_fails.enqueue("doomed", password="hunter2")
        with pytest.raises(TaskFailedError, match="ValueError: cannot do doomed"):
            await doomed.result(timeout=30)
        assert await run_count("doomed") == [1, 2]
        failed = await queue.failed_tasks()
        assert [(f.task_id, f.task_name, f.attempts) for f in failed] == [
            (doomed.task_id, "tests.always_fails", 2)
        ]
        assert failed[0].arguments == {"key": "doomed", "password": "***"}
        # SIGTERM with a task in flight: the worker stops taking tasks, finishes it, exits 0.
        marker = tmp_path / "started"
        held = await record.enqueue("graceful", 5, hold=1.5, marker=str(marker))
        await wait_for_file(marker, worker)
        code = await asyncio.to_thread(worker.stop, signal.SIGTERM, 30)
        assert code == 0, worker.output()
        assert (await held.result(timeout=5)).pid == worker.pid
        assert await row_count(client, "graceful") == 1
    log = worker.output()
    assert "finishing running tasks" in log
    assert "concurrency 3" in log  # --concurrency reached the worker
    # The task ID is in the log lines of its run (the worker's and the task's own).
    assert f"[task {handle.task_id}]" in log
    assert f"[task {body['task_id']}]" in log
    assert "hunter2" not in log
    if queue_env.kind == "redis":  # the listing does not depend on the broker
        listed = subprocess.run(
            [sys.executable, str(SAMPLE_APP), "tasks-failed"],
            cwd=REPO,
            env={**os.environ, "PYJOLT_TQ_CONFIG": json.dumps(queue_env.config)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert listed.returncode == 0, listed.stderr
        assert doomed.task_id in listed.stdout
        assert "ValueError: cannot do doomed" in listed.stdout


@once
async def test_kill_9_redelivers_to_another_worker(queue_env: QueueEnv, tmp_path: Path) -> None:
    first = queue_env.start_worker(tmp_path)
    marker = tmp_path / "started"
    async with PyJoltTestClient(build_app(queue_env.config)) as client:
        handle = await record.enqueue("survivor", 7, hold=1.5, marker=str(marker))
        await wait_for_file(marker, first)
        assert marker.read_text() == str(first.pid)
        first.proc.kill()  # SIGKILL in the middle of the task: nothing acknowledged
        first.proc.wait()
        second = queue_env.start_worker(tmp_path)
        result = await handle.result(timeout=40)
        assert result.pid == second.pid
        assert result.doubled == 14
        assert await row_count(client, "survivor") == 1
    assert second.stop() == 0


async def wait_for_file(path: Path, worker: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise AssertionError(f"task did not start within {timeout}s: {worker}")
        await asyncio.sleep(0.05)


@once
@pytest.mark.parametrize("queue_env", ["rabbitmq"], indirect=True)
async def test_sigterm_past_the_grace_period_leaves_the_task_to_another_worker(
    queue_env: QueueEnv, tmp_path: Path
) -> None:
    queue_env.section["SHUTDOWN_TIMEOUT"] = 0.5
    first = queue_env.start_worker(tmp_path)
    marker = tmp_path / "started"
    async with PyJoltTestClient(build_app(queue_env.config)) as client:
        handle = await record.enqueue("abandoned", 9, hold=3.0, marker=str(marker))
        await wait_for_file(marker, first)
        code = await asyncio.to_thread(first.stop, signal.SIGTERM, 30)
        assert code == 0, first.output()
        assert "1 task(s) unfinished" in first.output()
        assert await row_count(client, "abandoned") == 0  # interrupted before its write
        second = queue_env.start_worker(tmp_path)
        assert (await handle.result(timeout=40)).pid == second.pid
        assert await row_count(client, "abandoned") == 1
    assert second.stop() == 0
