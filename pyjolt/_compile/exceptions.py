"""The exception layer: Starlette's ``ExceptionMiddleware`` without its per-request objects.

Starlette's middleware builds a ``Request`` (or ``WebSocket``) for every request, plus a
wrapper app around the rest of the stack, whether anything is raised or not. This layer takes
the same handler tables (built by ``ExceptionMiddleware`` itself, so its defaults for
``HTTPException`` and ``WebSocketException`` stay) and applies them with the same rules; the
connection object handed to a handler is built only when a handler runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette._exception_handler import _lookup_exception_handler
from starlette._utils import is_async_callable
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

from pyjolt._compile.route_index import IndexedRouter
from pyjolt._internal.security_headers import ServerErrorLayer

_HANDLED_TYPES = ("http", "websocket")
#: ``(scope, send, origin) -> send or None``: see ``ExceptionLayer.cross_origin``
CrossOrigin = Callable[[Scope, Send, str], Awaitable[Send | None]]


class ExceptionLayer:
    """Turn exceptions raised below into the answers of the app's exception handlers."""

    def __init__(self, app: ASGIApp, handlers: dict[Any, Any], *, debug: bool) -> None:
        tables = ExceptionMiddleware(app, handlers=handlers, debug=debug)
        self.app = app
        self.debug = debug
        #: (exception class -> handler, status code -> handler), as Starlette reads them
        self.handlers = (tables._exception_handlers, tables._status_handlers)
        #: the CORS check of a request with an ``Origin`` header, run before anything below
        #: (as a CORS layer right outside this one would): the send to answer through, or None
        #: when it answered itself (a preflight, a refused origin)
        self.cross_origin: CrossOrigin | None = None
        #: when ``app`` is the app's router: what serves a request it matches fully, found
        #: without the router's coroutine frame (``IndexedRouter.endpoint``)
        self.endpoint: Callable[[Scope], ASGIApp | None] | None = (
            app.endpoint if type(app) is IndexedRouter else None
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in _HANDLED_TYPES:
            await self.app(scope, receive, send)
            return
        conn_send = send
        if self.cross_origin is not None and scope["type"] == "http":
            # inline, so that requests without an Origin header cost no CORS layer frame
            for key, value in scope["headers"]:
                if key == b"origin":
                    cors_send = await self.cross_origin(scope, send, value.decode("latin-1"))
                    if cors_send is None:
                        return
                    send = cors_send
                    break
        # read by Starlette's own routes (request_response) below, as under its middleware
        scope["starlette.exception_handlers"] = self.handlers
        started = False

        def tracked(message: Message) -> Awaitable[None]:
            # a plain function handing back send's awaitable: no coroutine per message
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            return send(message)

        # only an HTTP answer has a start to track: a websocket's messages go straight on
        sender: Send = tracked if scope["type"] == "http" else send
        try:
            endpoint = self.endpoint(scope) if self.endpoint is not None else None
            await (endpoint or self.app)(scope, receive, sender)
        except Exception as exc:
            await self.answer(exc, scope, receive, conn_send, sender, started=started)

    async def answer(
        self,
        exc: Exception,
        scope: Scope,
        receive: Receive,
        conn_send: Send,
        send: Send,
        *,
        started: bool,
    ) -> None:
        """The exception handlers' answer to ``exc`` (sent through ``send``; the handler's
        connection object gets ``conn_send``), or ``exc`` raised again when none handles it."""
        exception_handlers, status_handlers = self.handlers
        handler: Any = None
        if isinstance(exc, HTTPException):
            handler = status_handlers.get(exc.status_code)
        if handler is None:
            handler = _lookup_exception_handler(exception_handlers, exc)
        if handler is None:
            raise exc
        if started:
            raise RuntimeError("Caught handled exception, but response already started.") from exc
        conn: Any = (
            Request(scope, receive, conn_send)
            if scope["type"] == "http"
            else WebSocket(scope, receive, conn_send)
        )
        if is_async_callable(handler):
            response = await handler(conn, exc)
        else:
            response = await run_in_threadpool(handler, conn, exc)
        if response is not None:
            await response(scope, receive, send)
        # a reused exception instance would collect tracebacks across requests
        exc.__traceback__ = None


def fuse_outermost(outer: ASGIApp) -> ASGIApp:
    """``outer`` (the app's outermost layer); when the exception layer sits right inside it
    (nothing between them: no hosts, proxies or observability layer), ``outer`` runs that
    layer's part of an HTTP request itself (``ServerErrorLayer.fused``)."""
    if type(outer) is ServerErrorLayer and type(outer.app) is ExceptionLayer:
        outer.fused = outer.app
    return outer
