"""One headless Chromium launcher for the browser tests (admin, docs site): a new browser with its
own profile and no network but the loopback server, reachable over the DevTools protocol (CDP).

Needs Debian's ``chromium``: skipped when absent, failed under PYJOLT_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import IO

from tests.services import HEADLESS_CHROMIUM_FLAGS, chromium_binary

_LISTENING = re.compile(rb"DevTools listening on (ws://[^\s]+)")


@asynccontextmanager
async def headless_chromium(prefix: str) -> AsyncIterator[str]:
    """Start a headless Chromium and yield its browser-level DevTools websocket URL."""
    binary = chromium_binary()
    # chromium's helper processes may still be writing to the profile as it is removed
    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as profile:
        cmd = [
            binary,
            *HEADLESS_CHROMIUM_FLAGS,
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        # a file, not a pipe: nobody reads chromium's log once it has started
        with tempfile.TemporaryFile() as log:
            proc = subprocess.Popen(
                cmd, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True
            )
            try:
                yield await _devtools_url(proc, log)
            finally:
                _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End the browser and its helper processes (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


async def _devtools_url(proc: subprocess.Popen[bytes], log: IO[bytes]) -> str:
    """The browser's DevTools address, from the line chromium logs when it listens."""
    deadline = asyncio.get_running_loop().time() + 60
    while True:
        log.seek(0)
        seen = log.read()
        found = _LISTENING.search(seen)
        if found:
            return found.group(1).decode()
        if proc.poll() is not None or asyncio.get_running_loop().time() > deadline:
            raise RuntimeError(f"chromium did not start: {seen.decode(errors='replace')[-2000:]}")
        await asyncio.sleep(0.1)
