"""The in-memory broker: tasks run in the app's process (tests, development)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from pydantic import BaseModel

from pyjolt import Request, Response
from pyjolt.controller import Controller, path, post
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.task_queue import (
    TaskArgumentsError,
    TaskFailedError,
    TaskQueue,
    TaskQueueError,
    current_task,
)
from pyjolt.testing import make_app

queue = TaskQueue()
runs: list[tuple[str, int]] = []


class Point(BaseModel):
    x: int
    y: int


@queue.task
async def add(a: int, b: int = 1) -> int:
    return a + b


@queue.task(name="memory.shift")
async def shift(point: Point, when: dt.date, days: int) -> Point:
    assert isinstance(point, Point) and isinstance(when, dt.date)  # types rebuilt in the worker
    return Point(x=point.x + days, y=when.day)


@queue.task(name="memory.flaky", retries=2, backoff=0.01)
async def flaky(key: str, fail_times: int) -> str:
    context = current_task()
    assert context is not None
    runs.append((key, context.attempt))
    if context.attempt <= fail_times:
        raise RuntimeError(f"failure {context.attempt}")
    return f"ok after {context.attempt}"


@queue.task(name="memory.slow", timeout=0.2)
async def slow(seconds: float) -> str:
    await asyncio.sleep(seconds)
    return "done"


@queue.task(name="memory.sync")
def blocking(n: int) -> int:
    return n * 3


@path("/")
class Api(Controller):
    @post("/add/<int:a>")
    async def add_route(self, req: Request, a: int) -> Response[Any]:
        handle = await add.enqueue(a, b=10)
        return req.res.json({"id": handle.task_id, "sum": await handle.result(timeout=5)})


async def test_handler_enqueues_and_awaits_the_result(build_client: Any) -> None:
    client = await build_client(controllers=[Api], EXTENSIONS=[queue])
    res = await client.post("/add/5")
    assert res.status_code == 200
    assert res.json()["sum"] == 15
    assert res.json()["id"]
    await queue.health_checks()["task_queue:TASK_QUEUE"]()


async def test_models_and_dates_are_rebuilt_on_both_sides(build_client: Any) -> None:
    await build_client(EXTENSIONS=[queue])
    handle = await shift.enqueue(Point(x=1, y=2), "2024-05-17", days=3)
    assert await handle.result(timeout=5) == Point(x=4, y=17)
    assert await blocking.enqueue(4) is not None
    assert await (await blocking.enqueue(4)).result(timeout=5) == 12


async def test_bad_arguments_fail_when_enqueued(build_client: Any) -> None:
    await build_client(EXTENSIONS=[queue])
    with pytest.raises(TaskArgumentsError, match=r"argument 'a': Input should be a valid int"):
        await add.enqueue("not a number")
    with pytest.raises(TaskArgumentsError, match="missing a required argument: 'a'"):
        await add.enqueue(b=2)
    with pytest.raises(TaskArgumentsError, match="unexpected keyword argument 'c'"):
        await add.enqueue(1, c=2)
    with pytest.raises(TaskArgumentsError, match=r"argument 'point.x'"):
        await shift.enqueue({"x": "nope", "y": 1}, "2024-01-01", 1)


async def test_retries_then_success_and_failure_recorded(build_client: Any) -> None:
    await build_client(EXTENSIONS=[queue], TASK_QUEUE={"REDACT_ARGS": ["key"]})
    runs.clear()
    ok = await flaky.enqueue("a", fail_times=2)
    assert await ok.result(timeout=5) == "ok after 3"
    assert [attempt for key, attempt in runs if key == "a"] == [1, 2, 3]
    bad = await flaky.enqueue("b", fail_times=5)
    with pytest.raises(TaskFailedError, match="RuntimeError: failure 3"):
        await bad.result(timeout=5)
    assert [attempt for key, attempt in runs if key == "b"] == [1, 2, 3]
    failed = await queue.failed_tasks()
    assert [(f.task_id, f.task_name, f.attempts) for f in failed] == [
        (bad.task_id, "memory.flaky", 3)
    ]
    assert failed[0].error == "RuntimeError: failure 3"
    assert failed[0].arguments == {"key": "***", "fail_times": 5}


async def test_timeout_fails_the_task(build_client: Any) -> None:
    await build_client(EXTENSIONS=[queue])
    handle = await slow.enqueue(5)
    with pytest.raises(TaskFailedError, match=r"ran longer than its timeout of 0\.2s"):
        await handle.result(timeout=5)
    assert await (await slow.enqueue(0.01)).result(timeout=5) == "done"


async def test_delayed_enqueue_waits(build_client: Any) -> None:
    await build_client(EXTENSIONS=[queue])
    loop = asyncio.get_running_loop()
    started = loop.time()
    handle = await add.enqueue_in(0.3, 1)
    assert await handle.result(timeout=5) == 2
    assert loop.time() - started >= 0.29


def test_unknown_broker_scheme_stops_start_up() -> None:
    with pytest.raises(ConfigurationError) as info:
        make_app(EXTENSIONS=[queue], TASK_QUEUE={"BROKER_URL": "kafka://127.0.0.1:9092"})
    message = str(info.value)
    assert "TASK_QUEUE['BROKER_URL']" in message
    assert "unknown broker scheme kafka://" in message
    assert "redis://" in message


def test_timeout_must_be_below_the_redelivery_timeout() -> None:
    with pytest.raises(ConfigurationError, match=r"TASK_QUEUE\['REDELIVERY_TIMEOUT'\]"):
        make_app(
            EXTENSIONS=[queue],
            TASK_QUEUE={"BROKER_URL": "redis://127.0.0.1:6379/0", "REDELIVERY_TIMEOUT": 0.1},
        )


async def test_enqueue_outside_the_running_app_is_an_error() -> None:
    make_app(EXTENSIONS=[queue])
    with pytest.raises(TaskQueueError, match="not connected"):
        await add.enqueue(1)


def test_tasks_must_be_module_level() -> None:
    with pytest.raises(TypeError, match="module-level"):

        @queue.task
        async def inner() -> None: ...


def test_task_options_are_checked_when_decorating() -> None:
    fresh = TaskQueue(configs_name="OTHER_QUEUE")
    with pytest.raises(TypeError, match="'retry'"):
        fresh.task(name="memory.typo", retry=2)  # type: ignore[call-overload]
    with pytest.raises(ValueError, match=r"retries=\.\.\.\) must be >= 0"):
        fresh.task(name="memory.negative", retries=-1)
    with pytest.raises(ValueError, match=r"timeout=\.\.\.\) must be > 0"):
        fresh.task(timeout=0)
    assert fresh.tasks == {}


def test_calling_a_task_runs_it_here() -> None:
    assert blocking(2) == 6


def test_worker_and_failed_commands(capsys: pytest.CaptureFixture[str]) -> None:
    from pyjolt.cli.runner import run_cli

    app = make_app(EXTENSIONS=[queue])
    assert run_cli(app, ["tasks-failed"]) == 0
    assert "No failed tasks." in capsys.readouterr().out
    assert run_cli(app, ["worker", "--concurrency", "2"]) == 1
    assert "BROKER_URL'] is memory://" in capsys.readouterr().err


async def test_one_queue_serves_two_apps() -> None:
    from pyjolt.testing import PyJoltTestClient

    first = make_app(controllers=[Api], EXTENSIONS=[queue], APP_NAME="first")
    second = make_app(
        controllers=[Api], EXTENSIONS=[queue], APP_NAME="second", TASK_QUEUE={"CONCURRENCY": 3}
    )
    async with PyJoltTestClient(first) as one, PyJoltTestClient(second) as two:
        assert (await one.post("/add/1")).json()["sum"] == 11
        assert (await two.post("/add/2")).json()["sum"] == 12
    states = [queue.state_for(app) for app in (first, second)]
    assert [s.queue_name for s in states] == ["pyjolt.first", "pyjolt.second"]  # type: ignore[attr-defined]
    assert states[0].broker is not states[1].broker  # type: ignore[attr-defined]
    assert [s.config.CONCURRENCY for s in states] == [10, 3]
