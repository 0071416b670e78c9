"""bench/ws_load.py loads a real server's websocket echo over raw sockets: it counts only echoes
it checked byte for byte, from every bench app, and refuses a server that answers otherwise."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bench.ws_load import round_trips


async def pong(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An echo that answers the wrong text (and HTTP, for the readiness probe)."""
    if scope["type"] == "http":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})
    elif scope["type"] == "websocket":
        await receive()
        await send({"type": "websocket.accept"})
        while (await receive())["type"] == "websocket.receive":
            await send({"type": "websocket.send", "text": "pong"})


def port_of(base: str) -> int:
    return int(base.rsplit(":", 1)[1])


@pytest.mark.parametrize("target", ["bench.pyjolt_app:app", "bench.starlette_app:app"])
def test_every_app_serves_the_load(
    target: str, uvicorn_server: Callable[..., str], tmp_path: Any
) -> None:
    base = uvicorn_server(target, env={"BENCH_DB": str(tmp_path / "bench.sqlite3")})
    rate, echoes = round_trips(port_of(base), connections=4, seconds=0.3, warmup=50)
    assert rate > 100  # hundreds of checked echoes a second at the least, even when loaded
    assert echoes >= 50 + rate * 0.3 * 0.9  # the warm-up's and the counted ones


def test_a_wrong_echo_stops_the_load(uvicorn_server: Callable[..., str]) -> None:
    base = uvicorn_server("tests.bench.test_ws_load:pong", "--lifespan", "off")
    with pytest.raises(RuntimeError, match="the echo answered"):
        round_trips(port_of(base), connections=2, seconds=0.3, warmup=10)


def test_a_path_without_websocket_is_no_handshake(uvicorn_server: Callable[..., str]) -> None:
    base = uvicorn_server("tests.bench.test_ws_load:pong", "--lifespan", "off", "--ws", "none")
    with pytest.raises(RuntimeError, match="handshake"):
        round_trips(port_of(base), connections=1, seconds=0.1)
