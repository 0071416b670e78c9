"""Middleware: PyJolt's ``MiddlewareBase`` and its ASGI adapter."""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pyjolt.request import REQUEST_SCOPE_KEY, Request
from pyjolt.response import Response


class MiddlewareBase:
    """Base class of PyJolt middleware.

    Implement ``async def middleware(self, req) -> Response``: return ``await self.next(req)``
    (possibly changed) or short-circuit by returning a response of your own. Options come from
    the config section named after the class (``TimingMW`` -> ``TIMING_MW``) as ``self.config``.
    """

    def __init__(self, app: Any, next_app: ASGIApp, config: dict[str, Any] | None = None) -> None:
        self.app = app
        self._next_app = next_app
        self.config: dict[str, Any] = dict(config or {})

    async def middleware(self, req: Request) -> Response[Any]:
        return await self.next(req)

    async def next(self, req: Request) -> Response[Any]:
        """Run the rest of the chain and return its response.

        Exceptions (e.g. ``NotFound`` for an unmatched path) propagate to the caller and, if not
        caught, to the exception handlers.
        """
        capture = _Capture()
        await self._next_app(req.scope, req.receive, capture.send)
        return capture.to_response(self.app)


class _Capture:
    __slots__ = ("body", "headers", "status")

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = [
                (k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"
            ]
        elif message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))

    def to_response(self, app: Any) -> Response[Any]:
        res: Response[Any] = Response(app)
        res.status_code = self.status
        res.headers.raw.extend(self.headers)
        res.kind, res.body, res.media_type = "bytes", b"".join(self.body), None
        return res


class MiddlewareAdapter:
    """Runs a ``MiddlewareBase`` as an ASGI middleware (HTTP only; websockets pass through)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        middleware_class: type[MiddlewareBase],
        pyjolt_app: Any,
        config: dict[str, Any],
    ) -> None:
        self.next_app = app
        self.pyjolt_app = pyjolt_app
        self.instance = middleware_class(pyjolt_app, app, config)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.next_app(scope, receive, send)
            return
        req: Request | None = scope.get(REQUEST_SCOPE_KEY)
        if req is None:
            req = self.pyjolt_app.request_class(scope, receive)
            scope[REQUEST_SCOPE_KEY] = req
        res = await self.instance.middleware(req)
        await res.send(scope, receive, send)
