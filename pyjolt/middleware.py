"""Middleware: PyJolt's ``MiddlewareBase`` and its ASGI adapter."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt.appcontext import AppProtocol
from pyjolt.exceptions.http import PayloadTooLarge
from pyjolt.request import REQUEST_SCOPE_KEY, Request
from pyjolt.response import Response


class MiddlewareBase:
    """Base class of PyJolt middleware.

    Implement ``async def middleware(self, req) -> Response``: return ``await self.next(req)``
    (possibly changed) or short-circuit by returning a response of your own. Options come from
    the config section named after the class (``TimingMW`` -> ``TIMING_MW``) as ``self.config``.
    """

    def __init__(
        self, app: AppProtocol, next_app: ASGIApp, config: dict[str, Any] | None = None
    ) -> None:
        self.app = app
        self._next_app = next_app
        self.config: dict[str, Any] = dict(config or {})

    async def middleware(self, req: Request) -> Response[Any]:
        return await self.next(req)

    async def next(self, req: Request) -> Response[Any]:
        """Run the rest of the chain and return its response.

        Exceptions (e.g. ``NotFound`` for an unmatched path) propagate to the caller and, if not
        caught, to the exception handlers. A buffered answer comes back with its body; a
        streamed one (server-sent events, large files) keeps streaming through.
        """
        return await _run_captured(self._next_app, req, self.app)


async def _run_captured(inner: ASGIApp, req: Request, app: AppProtocol) -> Response[Any]:
    loop = asyncio.get_running_loop()
    first: asyncio.Future[None] = loop.create_future()
    start: dict[str, Any] = {}
    chunks: asyncio.Queue[Message] = asyncio.Queue()

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            await chunks.put(message)
            if not first.done():
                first.set_result(None)

    # the rest of the chain gets the server's receive: the route applies its own body limit
    receive = req.scope.get(_RAW_RECEIVE_KEY, req.receive)
    task = asyncio.ensure_future(inner(req.scope, receive, send))
    await asyncio.wait({first, task}, return_when=asyncio.FIRST_COMPLETED)
    if not first.done():
        first.cancel()
        task.result()  # re-raises what the rest of the chain raised
        raise RuntimeError("the application finished without sending a response")
    res: Response[Any] = Response(app)
    res.status_code = int(start.get("status", 500))
    res.headers.raw.extend(
        (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
    )
    head = chunks.get_nowait()
    if not head.get("more_body", False):
        await task
        res.kind, res.body, res.media_type = "bytes", head.get("body", b""), None
        return res

    async def stream() -> AsyncIterator[bytes]:
        message = head
        while True:
            yield message.get("body", b"")
            if not message.get("more_body", False):
                break
            message = await chunks.get()
        await task

    res.kind, res.body, res.media_type = "stream", stream(), None
    return res


_RAW_RECEIVE_KEY = "pyjolt.raw_receive"


def _limited(receive: Receive, limit: int) -> Receive:
    total = 0

    async def _receive() -> Message:
        nonlocal total
        message = await receive()
        total += len(message.get("body", b""))
        if total > limit:
            raise PayloadTooLarge(f"Request body exceeds the limit of {limit} bytes")
        return message

    return _receive


class MiddlewareAdapter:
    """Runs a ``MiddlewareBase`` as an ASGI middleware (HTTP only; websockets pass through)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        middleware_class: type[MiddlewareBase],
        pyjolt_app: AppProtocol,
        config: dict[str, Any],
    ) -> None:
        self.next_app = app
        self.pyjolt_app = pyjolt_app
        self.instance = middleware_class(pyjolt_app, app, config)
        self.limit: int | None = pyjolt_app.get_conf("MAX_BODY_SIZE", None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.next_app(scope, receive, send)
            return
        req: Request | None = scope.get(REQUEST_SCOPE_KEY)
        if req is None:
            # a middleware reading the body (await req.body()) is held to MAX_BODY_SIZE too
            limited = receive if self.limit is None else _limited(receive, self.limit)
            req = self.pyjolt_app.request_class(scope, limited)
            scope[REQUEST_SCOPE_KEY] = req
            scope[_RAW_RECEIVE_KEY] = receive
        res = await self.instance.middleware(req)
        await res.send(scope, receive, send)
