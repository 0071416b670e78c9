"""The ``res`` of a websocket request."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import TYPE_CHECKING, Any

from pyjolt.serialization import dumps

if TYPE_CHECKING:
    from pyjolt.request import SocketRequest


class SocketResponse:
    """The ``res`` of a websocket request: ``await req.res.send({...})``. Each method hands back
    the connection's awaitable (no coroutine frame of its own per message)."""

    __slots__ = ("_socket",)

    def __init__(self, socket: SocketRequest) -> None:
        self._socket = socket

    def send(self, message: Mapping[str, Any]) -> Awaitable[None]:
        """Send a raw ASGI message, e.g. ``{"type": "websocket.send", "text": "hi"}``."""
        return self._socket.send(message if message.__class__ is dict else dict(message))

    def send_text(self, data: str) -> Awaitable[None]:
        return self._socket.send({"type": "websocket.send", "text": data})

    def send_json(self, data: Any) -> Awaitable[None]:
        return self._socket.send({"type": "websocket.send", "text": dumps(data).decode()})

    def send_bytes(self, data: bytes) -> Awaitable[None]:
        return self._socket.send({"type": "websocket.send", "bytes": data})
