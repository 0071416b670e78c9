"""The app's outermost layer, which also adds the security headers: no layer of their own.

The outermost layer (the last-resort 500 of Starlette's ``ServerErrorMiddleware``) wraps
``send`` anyway to know whether an answer started; with the security headers on, PyJolt's
version of it adds them in that same wrapper. So every HTTP answer gets them (handlers',
errors', CORS's, a mounted app's, the allowed-hosts 400 and this layer's own 500) for the
cost of a few lookups, not of one more layer. The settings are read in
``pyjolt.security.headers``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

STS = b"strict-transport-security"


class HeaderBlock:
    """The security headers precomputed once at build: the plain set and the HTTPS set
    (with HSTS), and the names a handler may have set itself."""

    __slots__ = ("http", "https", "names")

    def __init__(self, headers: list[tuple[bytes, bytes]], hsts: bytes | None) -> None:
        self.http = list(headers)
        self.https = self.http if hsts is None else [*headers, (STS, hsts)]
        self.names = frozenset(k for k, _ in self.https)


class ExceptionLayerLike(Protocol):
    """What the outermost layer reads of the exception layer it runs (``fused``)."""

    app: ASGIApp
    handlers: Any
    cross_origin: Callable[[Scope, Send, str], Awaitable[Send | None]] | None
    endpoint: Callable[[Scope], ASGIApp | None] | None

    def answer(self, *args: Any, **kwargs: Any) -> Awaitable[None]:
        """``answer(exc, scope, receive, conn_send, send, *, started)``: the exception
        handlers' answer, or ``exc`` raised again."""


class ServerErrorLayer(ServerErrorMiddleware):
    """The app's outermost layer: Starlette's ``ServerErrorMiddleware`` (an unhandled exception
    becomes a 500, or the debug page) with a cheaper ``send`` wrapper (a plain function handing
    on ``send``'s awaitable: no coroutine of its own per message) that also adds the security
    headers, when given, to every HTTP answer, its own 500 included. A header the answer sets
    itself (a page that may be framed) is left as it set it; the answer's own header list is
    never changed (a Starlette response may reuse it for every answer)."""

    def __init__(self, app: ASGIApp, *, debug: bool, block: HeaderBlock | None) -> None:
        super().__init__(app, handler=None, debug=debug)
        self.block = block
        #: the exception layer right inside (``app``), when this layer runs its part of an
        #: HTTP request itself: one coroutine frame and one ``send`` wrapper less per request
        self.fused: ExceptionLayerLike | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        block = self.block
        started = False

        def send_on(message: Message) -> Awaitable[None]:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if block is not None:
                    # the scheme as it is now: a proxy-headers layer inside may have set it
                    extra = block.https if scope.get("scheme") == "https" else block.http
                    raw = message.get("headers") or []
                    names = block.names
                    for key, _ in raw:  # ASGI header names are lower case
                        if key in names:
                            own = {k for k, _ in raw}
                            extra = [h for h in extra if h[0] not in own]
                            break
                    # a new list: ``raw`` may be a response's own, sent again and again
                    if raw.__class__ is list:
                        message["headers"] = raw + extra
                    else:
                        message["headers"] = [*raw, *extra]
            return send(message)

        try:
            fused = self.fused
            if fused is None:
                await self.app(scope, receive, send_on)
                return
            # the exception layer's part, inline (``pyjolt._compile.exceptions``)
            sender: Send = send_on
            if fused.cross_origin is not None:
                # inline, so that requests without an Origin header cost no call
                for key, value in scope["headers"]:
                    if key == b"origin":
                        cors_send = await fused.cross_origin(
                            scope, send_on, value.decode("latin-1")
                        )
                        if cors_send is None:
                            return
                        sender = cors_send  # CORS's headers come before ours, as with two layers
                        break
            scope["starlette.exception_handlers"] = fused.handlers
            try:
                endpoint = fused.endpoint
                await ((endpoint and endpoint(scope)) or fused.app)(scope, receive, sender)
            except Exception as exc:
                await fused.answer(exc, scope, receive, send_on, sender, started=started)
        except Exception as exc:
            await self.server_error(exc, scope, receive, send_on, started=started)
            raise  # as Starlette's: the server logs it, a test client may re-raise it

    async def server_error(
        self, exc: Exception, scope: Scope, receive: Receive, send: Send, *, started: bool
    ) -> None:
        """The 500 (or the debug page) for ``exc`` through ``send``, unless ``started``."""
        request = Request(scope)
        if self.debug:
            response = await run_in_threadpool(self.debug_response, request, exc)
        else:
            response = self.error_response(request, exc)
        if not started:
            await response(scope, receive, send)
