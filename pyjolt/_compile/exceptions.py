"""The exception layer: Starlette's ``ExceptionMiddleware`` without its per-request objects.

Starlette's middleware builds a ``Request`` (or ``WebSocket``) for every request, plus a
wrapper app around the rest of the stack, whether anything is raised or not. This layer takes
the same handler tables (built by ``ExceptionMiddleware`` itself, so its defaults for
``HTTPException`` and ``WebSocketException`` stay) and applies them with the same rules; the
connection object handed to a handler is built only when a handler runs.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from starlette._exception_handler import _lookup_exception_handler
from starlette._utils import is_async_callable
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette.websockets import WebSocket

_HANDLED_TYPES = ("http", "websocket")


class ExceptionLayer:
    """Turn exceptions raised below into the answers of the app's exception handlers."""

    def __init__(self, app: ASGIApp, handlers: dict[Any, Any], *, debug: bool) -> None:
        tables = ExceptionMiddleware(app, handlers=handlers, debug=debug)
        self.app = app
        self.debug = debug
        #: (exception class -> handler, status code -> handler), as Starlette reads them
        self.handlers = (tables._exception_handlers, tables._status_handlers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in _HANDLED_TYPES:
            await self.app(scope, receive, send)
            return
        # read by Starlette's own routes (request_response) below, as under its middleware
        scope["starlette.exception_handlers"] = self.handlers
        started = False

        def sender(message: Message) -> Awaitable[None]:
            # a plain function handing back send's awaitable: no coroutine per message
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            return send(message)

        try:
            await self.app(scope, receive, sender)
        except Exception as exc:
            exception_handlers, status_handlers = self.handlers
            handler: Any = None
            if isinstance(exc, HTTPException):
                handler = status_handlers.get(exc.status_code)
            if handler is None:
                handler = _lookup_exception_handler(exception_handlers, exc)
            if handler is None:
                raise
            if started:
                raise RuntimeError(
                    "Caught handled exception, but response already started."
                ) from exc
            conn: Any = (
                Request(scope, receive, send)
                if scope["type"] == "http"
                else WebSocket(scope, receive, send)
            )
            if is_async_callable(handler):
                response = await handler(conn, exc)
            else:
                response = await run_in_threadpool(handler, conn, exc)
            if response is not None:
                await response(scope, receive, sender)
            # a reused exception instance would collect tracebacks across requests
            exc.__traceback__ = None
