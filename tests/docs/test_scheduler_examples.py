"""docs/topics/scheduler.md: the answers the page shows."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from pyjolt.testing import PyJoltTestClient
from tests.docs.support import load_example


async def until(condition: object, what: str) -> None:
    """Wait (at most 10 s, generous on a loaded machine) for ``condition()`` to hold."""
    for _ in range(1000):
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{what} did not happen")


async def test_jobs_and_background_tasks() -> None:
    example = load_example("scheduler/jobs.py")
    async with PyJoltTestClient(example.Application()) as client:
        res = await client.get("/jobs")
        assert res.json() == [
            {"id": "cleanup", "trigger": "interval[0:10:00]"},
            {"id": "nightly-report", "trigger": "cron[hour='3', minute='30']"},
        ]

        res = await client.post("/signup/ada@example.com")
        assert (res.status_code, res.json()) == (202, {"queued": "ada@example.com"})
        await until(lambda: example.WELCOMED == ["ada@example.com"], "the background task")

        # run the interval job now instead of in ten minutes
        example.scheduler.get_job("cleanup").modify(next_run_time=datetime.now(UTC))
        await until(lambda: example.CLEANUPS == ["expired sessions removed"], "the cleanup job")
