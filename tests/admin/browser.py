"""A headless Chromium driven over the DevTools protocol (CDP) with ``websockets``.

Needs Debian's ``chromium``: skipped when absent, failed under PYJOLT_REQUIRE_SERVICES=1.
The browser gets no network but the loopback server.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import websockets

from tests.browser import headless_chromium


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
    async with headless_chromium("pyjolt-admin-chromium-") as browser_url:
        port = browser_url.split(":")[2].split("/")[0]
        async with httpx.AsyncClient() as http:
            targets = (await http.get(f"http://127.0.0.1:{port}/json/list")).json()
        page_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        async with websockets.connect(page_url, max_size=None) as socket:
            page = Page(socket)
            await page.send("Page.enable")
            yield page
