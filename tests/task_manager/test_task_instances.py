"""``max_instances`` never stays pinned: whatever ends a run frees its slot for later ticks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from pyjolt.task_manager import JobLockStore, TaskManager
from tests.task_manager.support import wait_until


class HangsOnce(JobLockStore):
    """A lock store whose first claim never answers (a frozen shared store)."""

    def __init__(self) -> None:
        self.claims = 0

    async def acquire(self, key: str, ttl: float) -> bool:
        self.claims += 1
        if self.claims == 1:
            await asyncio.Event().wait()
        return True


async def _raises() -> None:
    raise RuntimeError("job failed")


async def _cancelled() -> None:
    task = asyncio.current_task()
    assert task is not None
    task.cancel()
    await asyncio.sleep(1)


async def _hangs() -> None:
    await asyncio.Event().wait()


async def _quick() -> None:
    return None


# ending of each run, lock store, what the log says about the run
CASES: dict[str, tuple[Callable[[], Coroutine[Any, Any, None]], bool, str]] = {
    "raises": (_raises, False, "failed: RuntimeError('job failed')"),
    "cancelled": (_cancelled, False, ""),
    "times-out": (_hangs, False, "timeout of 0.3s"),
    "claim-hangs": (_quick, True, "lock store gave no answer within 0.3s"),
}


@pytest.mark.parametrize("case", list(CASES))
async def test_later_ticks_run_whatever_ended_the_run(
    case: str, build_client: Any, log_records: list[dict[str, Any]]
) -> None:
    body, locked, logged = CASES[case]
    starts: list[int] = []

    async def job() -> None:
        starts.append(1)
        await body()

    manager = TaskManager()
    section: dict[str, Any] = {"LOCK_STORE": HangsOnce()} if locked else {}
    await build_client(EXTENSIONS=[manager], TASK_MANAGER=section)
    manager.add_job(job, "interval", seconds=0.2, id=case, max_instances=1, timeout=0.3)
    # one instance at a time: a third start means the slot was given back twice
    await wait_until(lambda: len(starts) >= 3, f"three runs of the {case!r} job")
    if logged:
        assert any(logged in r["message"] for r in log_records), [r["message"] for r in log_records]
