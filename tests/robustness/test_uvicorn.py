"""The app under a real uvicorn: raw-socket garbage, huge URLs and chunked bodies (bounded)."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import httpx
import pytest
import websockets.asyncio.client
from websockets.exceptions import InvalidStatus

from tests.robustness.support import assert_clean


def _raw(base: str, data: bytes, limit: int = 65536) -> bytes:
    """Send raw bytes, read the answer until the server closes or 5 s pass (no half-close:
    a file response stops when it sees the client leave)."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as sock:
        sock.sendall(data)
        out = b""
        try:
            while len(out) < limit:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                out += chunk
        except TimeoutError:
            pass
        return out


def test_real_server_answers_bad_input(uvicorn_app: Callable[..., str]) -> None:
    base = uvicorn_app()
    with httpx.Client(base_url=base, timeout=10) as http:
        assert_clean(
            http.post("/api/items", content=b"{", headers={"content-type": "application/json"}), 400
        )
        assert_clean(http.request("PATCH", "/api/items/1"), 405)
        assert_clean(http.get("/api/items/" + "9" * 40), 200)

        def chunks() -> Iterator[bytes]:
            for _ in range(40):
                yield b"x" * 8192

        res = http.post("/api/raw", content=chunks(), headers={"content-type": "application/json"})
        assert_clean(res, 413)
        # 40 KB query string: an answer, not a hang or a 500
        res = http.get("/api/query?" + "&".join(f"k{i}=v" for i in range(8000)))
        assert res.status_code in (200, 400, 414, 431)
        assert "Traceback" not in res.text
        # the server still serves normal requests afterwards
        assert http.get("/api/items/1").json() == {"id": 1}


def test_real_server_raw_garbage(uvicorn_app: Callable[..., str]) -> None:
    base = uvicorn_app()
    answers = [
        _raw(base, b"GARBAGE\r\n\r\n"),
        _raw(base, b"GET /api/items/1 HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n"),
        _raw(base, b"GET /api/items/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n"),
        _raw(base, b"GET /api/hello/%00%ff HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        _raw(
            base,
            b"GET /static/..%2f..%2fpyproject.toml HTTP/1.1\r\n"
            b"Host: x\r\nConnection: close\r\n\r\n",
        ),
        _raw(
            base,
            b"POST /api/items HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b'Content-Length: 100\r\nConnection: close\r\n\r\n{"name"',  # truncated body
        ),
    ]
    for answer in answers:
        assert b" 500 " not in answer.split(b"\r\n", 1)[0], answer[:200]
        assert b"Traceback" not in answer
    assert answers[3].startswith(b"HTTP/1.1 200")
    assert answers[4].startswith(b"HTTP/1.1 404")
    assert b"[project]" not in answers[4]
    with httpx.Client(base_url=base, timeout=10) as http:
        assert http.get("/api/items/2").json() == {"id": 2}


async def test_real_server_websockets(uvicorn_app: Callable[..., str]) -> None:
    base = uvicorn_app().replace("http://", "ws://")
    async with websockets.asyncio.client.connect(base + "/api/ws", max_size=2**21) as ws:
        await ws.send(b"\xff\x00")
        assert await ws.recv() == b"\xff\x00"
        await ws.send("y" * 500_000)
        assert len(await ws.recv()) == 500_005
    try:
        async with websockets.asyncio.client.connect(base + "/secure/ws") as ws:
            await ws.recv()
        refused = False
    except InvalidStatus as exc:
        refused = exc.response.status_code == 403
    except websockets.exceptions.ConnectionClosed as exc:
        refused = exc.rcvd is not None and exc.rcvd.code == 1008
    assert refused
    with pytest.raises(InvalidStatus) as info:
        async with websockets.asyncio.client.connect(base + "/nope"):
            pass
    assert info.value.response.status_code == 404  # was a 500 before the denial fix
