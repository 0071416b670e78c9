"""The built docs site in a real headless Chromium, driven over the DevTools protocol.

Loads the index, a topic page and ``search.html?q=LOCK_URL`` from a loopback HTTP server and
records every request and console message: nothing may leave 127.0.0.1, nothing may log an
error, and the search must find LOCK_URL. Runs in ``nox -s docs`` (PYJOLT_DOCS_HTML names the
built site); elsewhere it builds the site itself when Sphinx is installed and skips otherwise.
Needs Debian's ``chromium``: skipped when absent, failed under PYJOLT_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import itertools
import json
import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser import headless_chromium
from tests.docs.site import DOCS
from tests.services import chromium_binary

websockets = pytest.importorskip("websockets")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = os.environ.get("PYJOLT_DOCS_HTML")
    if built:
        path = Path(built).resolve()
        assert (path / "search.html").is_file(), f"PYJOLT_DOCS_HTML={built} holds no built site"
        return path
    if importlib.util.find_spec("sphinx") is None:
        pytest.skip("sphinx is not installed: the docs site is built and checked by `nox -s docs`")
    out = tmp_path_factory.mktemp("docs-html")
    cmd = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(DOCS), str(out)]
    subprocess.run(cmd, check=True, timeout=600)
    return out


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Page:
    """What one page load did: the URLs requested and the errors reported."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class DevTools:
    """A minimal DevTools protocol client: one browser connection, one attached page."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.session: str | None = None
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for raw in self.ws:
            message = json.loads(raw)
            if "id" in message and message["id"] in self.pending:
                self.pending.pop(message["id"]).set_result(message)
            elif "method" in message:
                await self.events.put(message)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        number = next(self.ids)
        message: dict[str, Any] = {"id": number, "method": method, "params": params}
        if self.session is not None and not method.startswith("Target."):
            message["sessionId"] = self.session
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[number] = future
        await self.ws.send(json.dumps(message))
        answer = await asyncio.wait_for(future, 30)
        assert "error" not in answer, f"{method}: {answer['error']}"
        result: dict[str, Any] = answer.get("result", {})
        return result

    def drain(self, page: Page) -> None:
        """Record the events received so far into ``page``."""
        while not self.events.empty():
            self._record(self.events.get_nowait(), page)

    @staticmethod
    def _record(event: dict[str, Any], page: Page) -> None:
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            page.requests.append(params["request"]["url"])
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            page.errors.append(f"exception: {text}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
            args = [a.get("value", a.get("description")) for a in params.get("args", [])]
            page.errors.append(f"console.error: {args}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            page.errors.append(f"log: {params['entry'].get('text')} {params['entry'].get('url')}")

    async def load(self, url: str, ready: str) -> Page:
        """Navigate to ``url`` and wait until the JavaScript ``ready`` expression is true."""
        page = Page()
        self.drain(Page())
        await self.send("Page.navigate", url=url)
        for _ in range(300):  # up to 30 s for the page and its scripts
            result = await self.send("Runtime.evaluate", expression=ready, returnByValue=True)
            if result.get("result", {}).get("value") is True:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError(f"{url}: still not ready ({ready})")
        await asyncio.sleep(0.5)  # late requests and errors of the page
        self.drain(page)
        return page


@asynccontextmanager
async def chromium() -> AsyncIterator[DevTools]:
    async with (
        headless_chromium("pyjolt-docs-chromium-") as browser_url,
        websockets.connect(browser_url, max_size=None) as ws,
    ):
        tools = DevTools(ws)
        target = await tools.send("Target.createTarget", url="about:blank")
        attached = await tools.send(
            "Target.attachToTarget", targetId=target["targetId"], flatten=True
        )
        tools.session = attached["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            await tools.send(f"{domain}.enable")
        try:
            yield tools
        finally:
            tools.reader.cancel()


def _topic_page(site: Path) -> str:
    """A topic page: the first one besides the topics index (the index while there is none)."""
    pages = sorted(p.name for p in (site / "topics").glob("*.html") if p.name != "index.html")
    return f"topics/{pages[0] if pages else 'index.html'}"


def _left_loopback(requests: list[str], base_url: str) -> list[str]:
    host = urlsplit(base_url).netloc
    return [
        url
        for url in requests
        if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).netloc != host
    ]


LOADED = "document.readyState === 'complete'"
#: Sphinx's search writes its results into #search-results once the index has loaded
SEARCH_DONE = (
    "document.readyState === 'complete' && "
    "document.querySelectorAll('#search-results ul.search li').length > 0 || "
    "/did not match|no results/i.test(document.querySelector('#search-results')?.innerText || '')"
)


async def test_index_topic_and_search_pages_stay_local_and_find_lock_url(
    site: Path, base_url: str
) -> None:
    chromium_binary()
    async with chromium() as browser:
        pages = {
            "index.html": await browser.load(base_url + "index.html", LOADED),
            _topic_page(site): await browser.load(base_url + _topic_page(site), LOADED),
            "search": await browser.load(base_url + "search.html?q=LOCK_URL", SEARCH_DONE),
        }
        hits = await browser.send(
            "Runtime.evaluate",
            expression="[...document.querySelectorAll('#search-results ul.search li a')]"
            ".map(a => a.getAttribute('href'))",
            returnByValue=True,
        )
    for name, page in pages.items():
        assert page.requests, f"{name}: no request recorded"
        assert _left_loopback(page.requests, base_url) == [], name
        assert page.errors == [], name
    assert any(url.endswith(".js") for url in pages["search"].requests)
    found = hits["result"]["value"]
    assert found, "the search for LOCK_URL found nothing"
    assert any("configuration.html" in href for href in found), found
