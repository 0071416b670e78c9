"""Requests must not leave reference cycles behind: the cyclic GC's pauses show up as p99
latency under load (found by bench/run.py). Counts objects, never times anything."""

from __future__ import annotations

import gc
from typing import Any

from pydantic import BaseModel

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import Controller, consumes, get, path, post
from pyjolt.exceptions import NotFound
from pyjolt.testing import make_app


class Item(BaseModel):
    name: str
    qty: int


@path("/")
class GarbageApi(Controller):
    @get("/hello")
    async def hello(self, req: Request) -> Response[Any]:
        return req.res.json({"message": "hi"})

    @get("/items/<int:item_id>")
    async def item(self, req: Request, item_id: int) -> Response[Any]:
        if item_id == 0:
            raise NotFound("no item 0")
        return req.res.json({"id": item_id})

    @post("/items")
    @consumes(MediaType.APPLICATION_JSON)
    async def create(self, req: Request, data: Item) -> Response[Item]:
        return req.res.json(data).status(HttpStatus.CREATED)


async def call(app: Any, method: str, target: str, body: bytes = b"") -> int:
    headers = [(b"host", b"testserver")]
    if body:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http",
        "method": method,
        "path": target,
        "raw_path": target.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def garbage_per_request(
    app: Any, method: str, target: str, body: bytes, expected: int
) -> float:
    assert await call(app, method, target, body) == expected  # warm caches first
    runs = 50
    # until nothing is left: objects freed by a finalizer (an earlier test's app hands its log
    # sinks over when it is collected) only become garbage in the next collection
    for _ in range(5):
        if not gc.collect():
            break
    gc.disable()
    try:
        for _ in range(runs):
            assert await call(app, method, target, body) == expected
        return gc.collect() / runs
    finally:
        gc.enable()


async def test_successful_requests_leave_no_cycles() -> None:
    app = make_app(controllers=[GarbageApi])
    assert await garbage_per_request(app, "GET", "/hello", b"", 200) == 0
    assert await garbage_per_request(app, "GET", "/items/7", b"", 200) == 0
    body = b'{"name": "pen", "qty": 2}'
    assert await garbage_per_request(app, "POST", "/items", body, 201) == 0


async def test_cross_origin_request_leaves_no_cycles() -> None:
    app = make_app(controllers=[GarbageApi])

    async def with_origin(scope: dict[str, Any], receive: Any, send: Any) -> None:
        scope["headers"] = [*scope["headers"], (b"origin", b"http://elsewhere.example")]
        await app(scope, receive, send)

    assert await garbage_per_request(with_origin, "GET", "/hello", b"", 200) == 0
