"""A client that leaves in the middle of its body: no 500, no traceback, no CRITICAL line."""

from __future__ import annotations

from typing import Any

import pytest
from loguru import logger

from pyjolt.testing import PyJoltTestClient
from tests.robustness import robust_app

BOUNDARY = "xyz"
PART = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\n'
    "Content-Type: application/octet-stream\r\n\r\n"
).encode() + b"x" * 2000


@pytest.mark.parametrize(
    ("path", "ctype", "chunk"),
    [
        ("/api/upload", f"multipart/form-data; boundary={BOUNDARY}", PART),
        ("/api/items", "application/json", b'{"name": "a'),
    ],
)
async def test_disconnect_mid_body_is_logged_quietly(path: str, ctype: str, chunk: bytes) -> None:
    app = robust_app.build()
    records: list[Any] = []
    sink = logger.add(lambda m: records.append(m.record), level="DEBUG")
    sent: list[dict[str, Any]] = []
    try:
        async with PyJoltTestClient(app):
            for _ in range(20):  # a burst of aborted uploads
                messages = iter(
                    [
                        {"type": "http.request", "body": chunk, "more_body": True},
                        {"type": "http.disconnect"},
                    ]
                )

                async def receive(it: Any = messages) -> dict[str, Any]:
                    return next(it)  # type: ignore[no-any-return]

                async def send(message: dict[str, Any], out: list[Any] = sent) -> None:
                    out.append(message)

                scope = {
                    "type": "http",
                    "asgi": {"version": "3.0"},
                    "http_version": "1.1",
                    "method": "POST",
                    "scheme": "http",
                    "path": path,
                    "raw_path": path.encode(),
                    "root_path": "",
                    "query_string": b"",
                    "headers": [
                        (b"host", b"testserver"),
                        (b"content-type", ctype.encode()),
                        (b"content-length", b"50000"),
                    ],
                    "client": ("127.0.0.1", 5000),
                    "server": ("testserver", 80),
                }
                await app(scope, receive, send)
    finally:
        logger.remove(sink)
    statuses = {m["status"] for m in sent if m["type"] == "http.response.start"}
    assert 500 not in statuses
    assert statuses == {499}
    loud = [r for r in records if r["level"].no >= 30]
    assert loud == []
    quiet = [r for r in records if "Client disconnected" in r["message"]]
    assert len(quiet) == 20
    assert all(r["level"].name == "INFO" and r["exception"] is None for r in quiet)
