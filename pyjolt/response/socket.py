"""The ``res`` of a websocket request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pyjolt.serialization import dumps

if TYPE_CHECKING:
    from pyjolt.request import SocketRequest


class SocketResponse:
    """The ``res`` of a websocket request: ``await req.res.send({...})``."""

    __slots__ = ("_socket",)

    def __init__(self, socket: SocketRequest) -> None:
        self._socket = socket

    async def send(self, message: Mapping[str, Any]) -> None:
        """Send a raw ASGI message, e.g. ``{"type": "websocket.send", "text": "hi"}``."""
        await self._socket.send(dict(message))

    async def send_text(self, data: str) -> None:
        await self._socket.send_text(data)

    async def send_json(self, data: Any) -> None:
        await self._socket.send({"type": "websocket.send", "text": dumps(data).decode()})

    async def send_bytes(self, data: bytes) -> None:
        await self._socket.send_bytes(data)
