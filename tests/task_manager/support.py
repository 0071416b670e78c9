"""Helpers of the task manager tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

# Generous: the machine is shared; nothing asserts how fast things happen.
WAIT = 15.0


async def wait_until(predicate: Callable[[], bool], what: str, limit: float = WAIT) -> None:
    """Poll ``predicate`` until it holds; fail (naming ``what``) after ``limit`` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {limit}s waiting for: {what}")
        await asyncio.sleep(0.02)


def leftover_tasks() -> list[asyncio.Task[object]]:
    """Job and background tasks still alive (should be none once the app has shut down)."""
    return [
        t
        for t in asyncio.all_tasks()
        if t.get_name().startswith(("job ", "background ")) and not t.done()
    ]
