"""TaskManager: per-job timeouts cancel a hung run; later ticks still run; JOB_TIMEOUT config."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import pyjolt.extension as extension_module
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.task_manager import TaskManager, schedule_job
from pyjolt.testing import make_app
from tests.task_manager.support import wait_until


async def test_hung_job_is_cancelled_and_later_ticks_run(
    build_client: Any, log_records: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[tuple[str, str]] = []
    monkeypatch.setattr(
        extension_module, "_EVENT_LISTENERS", [lambda name, event, _: events.append((name, event))]
    )
    cancelled: list[bool] = []

    class Hung(TaskManager):
        starts = 0

        @schedule_job("interval", seconds=0.3, id="hung", timeout=0.2, max_instances=1)
        async def hung(self) -> None:
            type(self).starts += 1
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                cancelled.append(True)
                raise

    hung = Hung()
    await build_client(EXTENSIONS=[hung])

    def timeouts() -> list[dict[str, Any]]:
        return [r for r in log_records if r["level"] == "ERROR" and "'hung'" in r["message"]]

    # With max_instances=1, a second start is only possible once the first run was cancelled.
    await wait_until(lambda: Hung.starts >= 3, "three runs of the hung job")
    await wait_until(lambda: len(timeouts()) >= 2, "two logged timeouts")
    line = timeouts()[0]["message"]
    assert "Hung.hung" in line
    assert "timeout of 0.2s" in line
    assert len(cancelled) >= 2
    assert ("TASK_MANAGER", "failure") in events
    assert ("TASK_MANAGER", "run") not in events


async def test_job_timeout_default_and_none(build_client: Any) -> None:
    class Jobs(TaskManager):
        @schedule_job("interval", minutes=1, id="default")
        async def default(self) -> None: ...

        @schedule_job("interval", minutes=1, id="unlimited", timeout=None)
        async def unlimited(self) -> None: ...

    jobs = Jobs()
    await build_client(EXTENSIONS=[jobs], TASK_MANAGER={"JOB_TIMEOUT": 42})
    executor = jobs.scheduler._lookup_executor("default")
    assert executor.default_timeout == 42
    assert executor.timeouts.get("default", executor.default_timeout) == 42
    assert executor.timeouts.get("unlimited", executor.default_timeout) is None


async def test_add_job_timeout_cancels_a_hung_job(
    build_client: Any, log_records: list[dict[str, Any]]
) -> None:
    manager = TaskManager()
    await build_client(EXTENSIONS=[manager], TASK_MANAGER={"JOB_TIMEOUT": None})

    async def stuck() -> None:
        await asyncio.Event().wait()

    manager.add_job(stuck, "interval", seconds=0.3, id="dyn", timeout=0.2, max_instances=1)
    await wait_until(
        lambda: any("'dyn'" in r["message"] and "0.2s" in r["message"] for r in log_records),
        "the timeout of the job added with add_job",
    )
    with pytest.raises(ValueError, match="timeout"):
        manager.add_job(stuck, "interval", seconds=1, id="bad", timeout=-1)


@pytest.mark.parametrize("value", [0, -1, "soon"])
def test_bad_job_timeout_fails_at_build(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="JOB_TIMEOUT"):
        make_app(EXTENSIONS=[TaskManager()], TASK_MANAGER={"JOB_TIMEOUT": value})


@pytest.mark.parametrize("value", [0, -0.5, "1", True])
def test_bad_decorator_timeout_is_rejected(value: Any) -> None:
    with pytest.raises(ValueError, match=r"@schedule_job\(timeout"):
        schedule_job("interval", minutes=1, timeout=value)
