"""One app process of the cross-process lock test (not a test module).

``python lock_worker.py <redis_url> <key_prefix> <locked|unlocked>``: runs the app's lifespan
with a 1-second interval job until stdin closes, then prints one JSON line: this process's
submitted and executed scheduled run times. The job counts its runs in Redis.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime
from typing import Any

import redis.asyncio as aioredis
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED

from pyjolt.task_manager import TaskManager, schedule_job
from pyjolt.testing import PyJoltTestClient, make_app

REDIS_URL, PREFIX, MODE = sys.argv[1], sys.argv[2], sys.argv[3]
LOCKED = MODE == "locked"
# Unlocked, the epoch anchor is given explicitly, so both processes still share fire times
# and the test can see every tick run in each process.
ANCHOR: dict[str, Any] = {} if LOCKED else {"start_date": datetime(1970, 1, 1, tzinfo=UTC)}


class Ticker(TaskManager):
    redis: Any = None

    @schedule_job("interval", seconds=1, id="tick", **ANCHOR)
    async def tick(self) -> None:
        await self.redis.incr(f"{PREFIX}:runs")


async def main() -> None:
    ticker = Ticker()
    section = {"LOCK_URL": REDIS_URL, "LOCK_KEY_PREFIX": f"{PREFIX}:lock:"} if LOCKED else {}
    app = make_app(EXTENSIONS=[ticker], TASK_MANAGER=section)
    submitted: list[str] = []
    executed: list[str] = []

    def on_event(event: Any) -> None:
        if event.code == EVENT_JOB_SUBMITTED:
            submitted.extend(t.isoformat() for t in event.scheduled_run_times)
        else:
            executed.append(event.scheduled_run_time.isoformat())

    client = aioredis.from_url(REDIS_URL)
    try:
        ticker.redis = client
        async with PyJoltTestClient(app):
            ticker.scheduler.add_listener(on_event, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED)
            await client.sadd(f"{PREFIX}:ready", os.getpid())
            await asyncio.to_thread(sys.stdin.read)
    finally:
        await client.aclose()
    print(json.dumps({"pid": os.getpid(), "submitted": submitted, "executed": executed}))


if __name__ == "__main__":
    asyncio.run(main())
