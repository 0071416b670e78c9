"""End to end over real HTTP and websockets, served by uvicorn with --factory."""

from collections.abc import Callable

import httpx
import websockets.asyncio.client

from pyjolt.testing import PyJoltTestClient
from tests.e2e.sample_app import Application


def test_uvicorn_factory_serves_json(uvicorn_server: Callable[..., str]) -> None:
    base = uvicorn_server("tests.e2e.sample_app:Application", "--factory")
    res = httpx.get(base + "/api/hello/3", timeout=5)
    assert res.status_code == 200
    assert res.json() == {"hello": 3}
    assert httpx.get(base + "/nowhere", timeout=5).status_code == 404


async def test_websocket_echo_over_uvicorn(uvicorn_server: Callable[..., str]) -> None:
    base = uvicorn_server("tests.e2e.sample_app:Application", "--factory")
    url = base.replace("http://", "ws://") + "/api/ws"
    async with websockets.asyncio.client.connect(url) as ws:
        await ws.send("hi")
        assert await ws.recv() == "echo:hi"
        await ws.send("again")
        assert await ws.recv() == "echo:again"


async def test_websocket_echo_through_test_client() -> None:
    async with PyJoltTestClient(Application()) as client:
        with client.websocket_connect("/api/ws") as ws:
            ws.send_text("hello")
            assert ws.receive_text() == "echo:hello"


def test_websockets_come_with_every_install() -> None:
    """The echo above runs in the minimal (no extras) session too: what uvicorn serves
    websockets with is a core dependency, not a test tool."""
    from importlib.metadata import requires

    core = [r for r in requires("pyjolt") or [] if "extra ==" not in r]
    assert any(r.startswith("websockets") for r in core), core
