"""Built-in exception handlers and the adapter for user ``ExceptionHandler`` methods."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.requests import Request as StarletteRequest

from pyjolt.enums import HttpStatus
from pyjolt.exceptions.http import BaseHttpException, HtmlAborterException
from pyjolt.request import REQUEST_SCOPE_KEY, Request
from pyjolt.response import Response

if TYPE_CHECKING:
    from pyjolt.application import PyJolt

Handler = Callable[[StarletteRequest, Exception], Awaitable[Any]]

#: Status recorded (access log, metrics) for a request whose client left before the answer;
#: nginx's convention. It never reaches the client.
CLIENT_CLOSED_REQUEST = 499


def pyjolt_request(app: PyJolt, conn: StarletteRequest) -> Request:
    """The PyJolt request of this scope (the one the handler saw, if any)."""
    req = conn.scope.get(REQUEST_SCOPE_KEY)
    if isinstance(req, Request):
        return req
    new: Request = app.request_class(conn.scope, conn.receive)
    conn.scope[REQUEST_SCOPE_KEY] = new
    return new


def _json_error(
    app: PyJolt, status: int, message: str, data: Any = None, status_text: str = "error"
) -> Response[Any]:
    res: Response[Any] = app.response_class(app)
    return res.json({"status": status_text, "message": message, "data": data}).status(status)


def default_handlers(app: PyJolt) -> dict[Any, Handler]:
    """Handlers for the framework's own errors; user handlers registered later override them."""

    async def http_exception(conn: StarletteRequest, exc: Exception) -> Response[Any]:
        assert isinstance(exc, BaseHttpException)
        res = _json_error(app, exc.status_code, exc.message, exc.data, exc.status)
        for key, value in exc.headers.items():
            res.set_header(key, value)
        return res

    async def starlette_http(conn: StarletteRequest, exc: Exception) -> Response[Any]:
        assert isinstance(exc, HTTPException)
        res = _json_error(app, exc.status_code, str(exc.detail))
        for key, value in (exc.headers or {}).items():
            res.set_header(key, value)
        return res

    async def validation(conn: StarletteRequest, exc: Exception) -> Response[Any]:
        assert isinstance(exc, ValidationError)
        details = [
            {"loc": list(err["loc"]), "msg": err["msg"], "type": err["type"]}
            for err in exc.errors(include_url=False, include_input=False)
        ]
        return _json_error(app, HttpStatus.UNPROCESSABLE_ENTITY, "Validation failed", details)

    async def html_abort(conn: StarletteRequest, exc: Exception) -> Response[Any]:
        assert isinstance(exc, HtmlAborterException)
        res: Response[Any] = app.response_class(app, pyjolt_request(app, conn))
        await res.html(exc.template, {"data": exc.data, "status_code": exc.status_code})
        return res.status(exc.status_code)

    async def client_disconnect(conn: StarletteRequest, exc: Exception) -> Response[Any]:
        # The client went away mid-body: nothing to answer and nothing wrong on the server, so
        # no traceback and no alert (a flood of aborted uploads must not flood the logs).
        app.logger.info(
            "Client disconnected during {} {}", conn.scope.get("method"), conn.scope.get("path")
        )
        res: Response[Any] = app.response_class(app)
        return res.status(CLIENT_CLOSED_REQUEST)

    handlers: dict[Any, Handler] = {
        ClientDisconnect: client_disconnect,
        HTTPException: starlette_http,
        BaseHttpException: http_exception,
        ValidationError: validation,
        HtmlAborterException: html_abort,
    }
    if not app.debug:

        async def server_error(conn: StarletteRequest, exc: Exception) -> Response[Any]:
            # Method, path and traceback only: never the body, cookies or authorization header.
            app.logger.opt(exception=exc).critical(
                "Unhandled {} in {} {}",
                type(exc).__name__,
                conn.scope.get("method"),
                conn.scope.get("path"),
            )
            # the spec's exact body: {"status": "error", "message": "Internal server error"}
            res: Response[Any] = app.response_class(app)
            body = {"status": "error", "message": "Internal server error"}
            return res.json(body).status(HttpStatus.INTERNAL_SERVER_ERROR)

        handlers[Exception] = server_error
    return handlers


def user_handler(app: PyJolt, method: Callable[[Request, Exception], Awaitable[Any]]) -> Handler:
    """Adapt an ``ExceptionHandler`` method ``(req, exc) -> Response`` to Starlette."""

    async def handler(conn: StarletteRequest, exc: Exception) -> Any:
        return await method(pyjolt_request(app, conn), exc)

    handler.pyjolt_method = method  # type: ignore[attr-defined]  # read by the OpenAPI document
    return handler
