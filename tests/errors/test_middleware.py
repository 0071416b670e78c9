"""Middleware: PyJolt and raw ASGI kinds, order, short-circuit, exceptions, unmatched paths."""

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.exceptions import ExceptionHandler, NotFound, handles
from pyjolt.middleware import MiddlewareBase

TRAIL: list[str] = []


class OuterMW(MiddlewareBase):
    async def middleware(self, req: Request) -> Response:
        TRAIL.append("outer in")
        res = await self.next(req)
        TRAIL.append("outer out")
        res.headers["x-outer"] = self.config.get("TAG", "none")
        return res


class RawASGI:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        TRAIL.append("raw in")

        async def tagged(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message["headers"], (b"x-raw", b"1")]
            await send(message)

        await self.app(scope, receive, tagged)
        TRAIL.append("raw out")


class InnerMW(MiddlewareBase):
    async def middleware(self, req: Request) -> Response:
        TRAIL.append("inner in")
        if req.headers.get("x-block"):
            return req.res.json({"blocked": True}).status(403)
        if req.headers.get("x-explode"):
            raise ValueError("exploded in middleware")
        res = await self.next(req)
        TRAIL.append("inner out")
        return res


class TimingMW(MiddlewareBase):
    async def middleware(self, req: Request) -> Response:
        t0 = time.perf_counter()
        try:
            res = await self.next(req)
            res.headers["x-process-time-ms"] = str(int((time.perf_counter() - t0) * 1000))
            return res
        finally:
            req.state.elapsed = time.perf_counter() - t0


@path("/mw")
class MwApi(Controller):
    @get("/")
    async def index(self, req: Request) -> Response:
        TRAIL.append("handler")
        return req.res.json({"ok": True})


class Handlers(ExceptionHandler):
    @handles(ValueError)
    async def value_error(self, req: Request, exc: ValueError) -> Response:
        return req.res.json({"handled": str(exc)}).status(400)

    @handles(NotFound)
    async def not_found(self, req: Request, exc: NotFound) -> Response:
        return req.res.json({"elapsed_seen": hasattr(req.state, "elapsed")}).status(404)


async def test_order_with_two_pyjolt_and_one_raw_middleware(build_client: Any) -> None:
    TRAIL.clear()
    client = await build_client(
        controllers=[MwApi], MIDDLEWARE=[OuterMW, RawASGI, InnerMW], OUTER_MW={"TAG": "cfg"}
    )
    res = await client.get("/mw")
    assert res.json() == {"ok": True}
    assert res.headers["x-outer"] == "cfg" and res.headers["x-raw"] == "1"
    assert TRAIL == [
        "outer in",
        "raw in",
        "inner in",
        "handler",
        "inner out",
        "raw out",
        "outer out",
    ]


async def test_short_circuit(build_client: Any) -> None:
    TRAIL.clear()
    client = await build_client(controllers=[MwApi], MIDDLEWARE=[OuterMW, InnerMW])
    res = await client.get("/mw", headers={"x-block": "1"})
    assert res.status_code == 403 and res.json() == {"blocked": True}
    assert "handler" not in TRAIL


async def test_exception_in_middleware_reaches_handlers(build_client: Any) -> None:
    client = await build_client(
        controllers=[MwApi], MIDDLEWARE=[InnerMW], EXCEPTION_HANDLERS=[Handlers]
    )
    res = await client.get("/mw", headers={"x-explode": "1"})
    assert res.status_code == 400 and res.json() == {"handled": "exploded in middleware"}


async def test_timing_middleware_sees_a_404(build_client: Any) -> None:
    client = await build_client(
        controllers=[MwApi], MIDDLEWARE=[TimingMW], EXCEPTION_HANDLERS=[Handlers]
    )
    ok = await client.get("/mw")
    assert "x-process-time-ms" in ok.headers
    missing = await client.get("/unknown/path")
    assert missing.status_code == 404
    assert missing.json() == {"elapsed_seen": True}  # next() raised NotFound; finally ran


@path("/stream")
class StreamApi(Controller):
    @get("/")
    async def events(self, req: Request) -> Response:
        async def gen() -> Any:
            for n in range(3):
                yield f"data: {n}\n\n"

        return req.res.stream(gen(), "text/event-stream")


async def test_streamed_answers_pass_through_middleware(build_client: Any) -> None:
    client = await build_client(controllers=[StreamApi], MIDDLEWARE=[OuterMW, TimingMW])
    async with client.stream("GET", "/stream") as res:
        chunks = [chunk async for chunk in res.aiter_text()]
    assert "".join(chunks) == "data: 0\n\ndata: 1\n\ndata: 2\n\n"
    assert res.headers["content-type"].startswith("text/event-stream")
    assert res.headers["x-outer"] == "none" and "x-process-time-ms" in res.headers
