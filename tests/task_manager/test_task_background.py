"""TaskManager.run_background_task: async and sync functions, failures, shutdown."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.task_manager import TaskManager
from pyjolt.testing import PyJoltTestClient, make_app
from tests.task_manager.support import leftover_tasks, wait_until


async def test_async_task_runs_after_the_response(build_client: Any) -> None:
    tasks = TaskManager()
    release = asyncio.Event()
    done: list[str] = []

    async def send_welcome(address: str, *, subject: str) -> None:
        await release.wait()
        done.append(f"{address}:{subject}")

    @path("/users")
    class UsersApi(Controller):
        @get("/")
        async def create(self, req: Request) -> Response:
            tasks.run_background_task(send_welcome, "ann@example.com", subject="hi")
            return req.res.json({"queued": True})

    client = await build_client(controllers=[UsersApi], EXTENSIONS=[tasks])
    response = await client.get("/users")
    assert response.json() == {"queued": True}
    assert done == []  # the handler did not wait for the task
    assert tasks.pending_background_tasks == 1
    release.set()
    await wait_until(lambda: done == ["ann@example.com:hi"], "the background task")
    await wait_until(lambda: tasks.pending_background_tasks == 0, "the task released")


async def test_sync_function_runs_in_a_thread(build_client: Any) -> None:
    tasks = TaskManager()
    await build_client(EXTENSIONS=[tasks])
    ran_in: list[str] = []

    def blocking_io(tag: str) -> str:
        ran_in.append(threading.current_thread().name)
        return tag.upper()

    task = tasks.run_background_task(blocking_io, "ok")
    assert await asyncio.wait_for(task, 15) == "OK"
    assert ran_in and ran_in[0] != threading.main_thread().name


async def test_coroutine_object_is_accepted(build_client: Any) -> None:
    tasks = TaskManager()
    await build_client(EXTENSIONS=[tasks])

    async def compute() -> int:
        return 42

    assert await asyncio.wait_for(tasks.run_background_task(compute()), 15) == 42
    with pytest.raises(TypeError, match="not callable"):
        tasks.run_background_task(42)


@pytest.mark.parametrize("kind", ["async", "sync"])
async def test_exception_is_logged_with_function_name(
    build_client: Any, log_records: list[dict[str, Any]], kind: str
) -> None:
    tasks = TaskManager()
    await build_client(EXTENSIONS=[tasks])

    async def notify_async() -> None:
        raise ValueError("smtp down")

    def notify_sync() -> None:
        raise ValueError("smtp down")

    func = notify_async if kind == "async" else notify_sync
    task = tasks.run_background_task(func)
    await asyncio.wait({task}, timeout=15)

    def errors() -> list[dict[str, Any]]:
        return [r for r in log_records if r["level"] == "ERROR" and func.__name__ in r["message"]]

    await wait_until(lambda: bool(errors()), "the logged failure")
    assert "smtp down" in errors()[0]["message"]
    assert errors()[0]["exception"] is not None
    assert tasks.pending_background_tasks == 0


async def test_shutdown_awaits_pending_tasks() -> None:
    tasks = TaskManager()
    finished: list[str] = []

    async def slow_async() -> None:
        await asyncio.sleep(0.2)
        finished.append("async")

    def slow_sync() -> None:
        threading.Event().wait(0.2)
        finished.append("sync")

    app = make_app(EXTENSIONS=[tasks], TASK_MANAGER={"SHUTDOWN_TIMEOUT": 30})
    async with PyJoltTestClient(app):
        tasks.run_background_task(slow_async)
        tasks.run_background_task(slow_sync)
    assert sorted(finished) == ["async", "sync"]
    assert leftover_tasks() == []


async def test_shutdown_cancels_tasks_after_grace_period(log_records: list[dict[str, Any]]) -> None:
    tasks = TaskManager()
    cancelled: list[bool] = []

    async def forever() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    app = make_app(EXTENSIONS=[tasks], TASK_MANAGER={"SHUTDOWN_TIMEOUT": 0.1})
    async with PyJoltTestClient(app):
        tasks.run_background_task(forever)
        await asyncio.sleep(0)
    assert cancelled == [True]
    assert leftover_tasks() == []
    assert any("cancelling 1 background task(s)" in r["message"] for r in log_records)
