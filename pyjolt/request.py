"""The request object handed to handlers: Starlette's request plus the spec's attributes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.requests import Request as StarletteRequest
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

if TYPE_CHECKING:
    from pyjolt.response import Response, SocketResponse

REQUEST_SCOPE_KEY = "pyjolt.request"
#: The ``HandlerPlan`` of the handler serving the request (read by handler decorators).
PLAN_SCOPE_KEY = "pyjolt.plan"
_CONNECTED = WebSocketState.CONNECTED
_DISCONNECTED = WebSocketState.DISCONNECTED


async def _empty_receive() -> Any:
    raise RuntimeError("Receive channel has not been made available")


async def _empty_send(message: Any) -> None:
    raise RuntimeError("Send channel has not been made available")


class _ConnectionExtras:
    """What HTTP and websocket requests add to Starlette's connection, written once."""

    scope: Scope
    _user: Any

    @property
    def user(self) -> Any:
        """The loaded user (set by the authentication guards), or None."""
        return self._user

    @user.setter
    def user(self, value: Any) -> None:
        self._user = value

    @property
    def route_parameters(self) -> dict[str, Any]:
        """Path parameters, already converted (``<int:id>`` gives an int)."""
        params: dict[str, Any] = self.scope.get("path_params", {})
        return params

    @property
    def path(self) -> str:
        """The request path."""
        path: str = self.scope["path"]
        return path

    @property
    def query_string(self) -> str:
        """Everything after ``?`` in the URL."""
        raw: bytes = self.scope.get("query_string", b"")
        return raw.decode("latin-1")


class Request(_ConnectionExtras, StarletteRequest):
    """An HTTP request.

    Adds ``route_parameters``, ``query_string``, ``user`` and ``res``/``response`` (the
    response builder for this request) to Starlette's request.
    """

    def __init__(self, scope: Scope, receive: Receive = _empty_receive, send: Send = _empty_send):
        # Starlette's Request.__init__ and HTTPConnection.__init__, inlined: two frames less
        # per request (tests/core/test_request.py checks these are still all their fields)
        assert scope["type"] == "http"
        self.scope = scope
        self._receive = receive
        self._send = send
        self._stream_consumed = False
        self._is_disconnected = False
        self._form = None
        self._user: Any = None
        self._res: Response[Any] | None = None

    async def json(self) -> Any:
        """The body parsed as JSON; a malformed body raises ``MalformedBody`` (400)."""
        if not hasattr(self, "_json"):
            from pyjolt.exceptions.http import MalformedBody
            from pyjolt.serialization import loads

            try:
                self._json = loads(await self.body())
            except ValueError as exc:
                raise MalformedBody("Request body is not valid JSON") from exc
        return self._json

    @property
    def res(self) -> Response[Any]:
        """The response builder for this request (the same object as ``response``)."""
        if self._res is None:
            app = self.scope.get("app")
            response_class: type[Response[Any]] | None = getattr(app, "response_class", None)
            if response_class is None:  # a plain Starlette app; no import on the usual path
                from pyjolt.response import Response

                response_class = Response
            self._res = response_class(app, self)
        return self._res

    @property
    def response(self) -> Response[Any]:
        return self.res


class SocketRequest(_ConnectionExtras, WebSocket):
    """A websocket connection with the request surface of the spec.

    ``await req.accept()``, ``await req.receive()`` (ASGI messages) and
    ``await req.res.send({...})``, plus Starlette's ``send_text``/``receive_json``/...
    """

    def __init__(self, scope: Scope, receive: Receive, send: Send):
        super().__init__(scope, receive, send)
        self._user: Any = None
        self._res: SocketResponse | None = None

    @property
    def method(self) -> str:
        return "WEBSOCKET"

    # Starlette's receive and send check the connection's state for every message with enum
    # comparisons (each dearer than an identity check); the open connection's usual messages
    # take an identity check here, everything else Starlette's own checks.

    async def receive(self) -> Message:
        """The next ASGI message; after the connect, ``websocket.receive`` or
        ``websocket.disconnect`` (anything else is a ``RuntimeError``, as with Starlette)."""
        if self.client_state is not _CONNECTED:
            return await super().receive()  # the connect, or an error once disconnected
        message = await self._receive()
        kind = message["type"]
        if kind != "websocket.receive":
            if kind != "websocket.disconnect":
                raise RuntimeError(
                    'Expected ASGI message "websocket.receive" or "websocket.disconnect", '
                    f"but got {kind!r}"
                )
            self.client_state = _DISCONNECTED
        return message

    async def send(self, message: Message) -> None:
        """Send an ASGI message; a ``websocket.send`` on an open connection whose client has
        gone raises ``WebSocketDisconnect(1006)``, as with Starlette."""
        if self.application_state is not _CONNECTED or message["type"] != "websocket.send":
            await super().send(message)  # accept, close, denial response, or an error
            return
        try:
            await self._send(message)
        except OSError as exc:
            self.application_state = _DISCONNECTED
            raise WebSocketDisconnect(code=1006) from exc

    @property
    def res(self) -> SocketResponse:
        if self._res is None:
            from pyjolt.response import SocketResponse

            self._res = SocketResponse(self)
        return self._res

    @property
    def response(self) -> SocketResponse:
        return self.res


#: Either kind of connection; guards and ``before_request`` hooks accept both.
AnyRequest = Request | SocketRequest
