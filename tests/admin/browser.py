"""A headless Chromium driven over the DevTools protocol (CDP) with ``websockets``.

Needs Debian's ``chromium``: skipped when absent, failed under PYJOLT_REQUIRE_SERVICES=1.
The browser gets no network but the loopback server.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import websockets

from tests.services import require_service

_LISTENING = re.compile(rb"DevTools listening on (ws://[^\s]+)")


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    require_service(found is not None, "chromium (Debian: apt-get install -y chromium)")
    assert found is not None
    return found


class Page:
    """One browser tab: navigate, run JavaScript, wait for a condition."""

    def __init__(self, socket: Any) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        call = next(self.ids)
        await self.socket.send(json.dumps({"id": call, "method": method, "params": params}))
        while True:
            message = json.loads(await self.socket.recv())
            if message.get("id") == call:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    async def eval(self, expression: str) -> Any:
        """The value of a JavaScript expression (promises awaited)."""
        result = await self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 20) -> Any:
        """Poll until the expression is truthy (``timeout`` only bounds a failing wait)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                value = await self.eval(expression)
            except RuntimeError:  # the page is navigating
                value = None
            if value:
                return value
            if asyncio.get_running_loop().time() > deadline:
                text = await self.eval("document.body ? document.body.innerText : ''")
                raise AssertionError(f"never true: {expression}\npage: {text[:1500]}")
            await asyncio.sleep(0.1)

    async def goto(self, url: str) -> None:
        await self.send("Page.navigate", url=url)
        await self.wait_for(f"location.href.startsWith({json.dumps(url)}) || true")
        await self.loaded()

    async def loaded(self) -> None:
        await self.wait_for("document.readyState === 'complete'")

    async def text(self) -> str:
        return str(await self.eval("document.body.innerText"))

    async def path(self) -> str:
        return str(await self.eval("location.pathname"))

    async def submit_and_wait(self, click: str) -> None:
        """Run ``click`` (JavaScript that submits a form) and wait for the next page."""
        await self.eval("window.__before = true")
        await self.eval(click)
        await self.wait_for("window.__before === undefined && document.readyState === 'complete'")


@asynccontextmanager
async def open_page() -> AsyncIterator[Page]:
    """A tab of a new headless Chromium with its own profile (no cookies)."""
    binary = chromium()
    # chromium's helper processes may still be writing to the profile as it is removed
    with tempfile.TemporaryDirectory(
        prefix="pyjolt-admin-chromium-", ignore_cleanup_errors=True
    ) as profile:
        cmd = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank",
        ]  # fmt: skip
        # a file, not a pipe: nobody reads chromium's log once it has started
        log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
        try:
            browser_url = await _devtools_url(proc, log)
            port = browser_url.split(":")[2].split("/")[0]
            async with httpx.AsyncClient() as http:
                targets = (await http.get(f"http://127.0.0.1:{port}/json/list")).json()
            page_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
            async with websockets.connect(page_url, max_size=None) as socket:
                page = Page(socket)
                await page.send("Page.enable")
                yield page
        finally:
            _stop(proc)
            log.close()


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


async def _devtools_url(proc: subprocess.Popen[bytes], log: Any) -> str:
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
