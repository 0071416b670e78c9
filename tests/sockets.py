"""An echo websocket route shared by the end-to-end and robustness apps."""

from __future__ import annotations

from pyjolt.controller import Controller, socket
from pyjolt.request import SocketRequest


class EchoSocket(Controller):
    """Subclass it under a ``@path``: ``/ws`` answers text with ``echo:<text>`` and bytes with
    the same bytes, until the client disconnects."""

    @socket("/ws")
    async def ws(self, req: SocketRequest) -> None:
        await req.accept()
        while True:
            msg = await req.receive()
            if msg["type"] == "websocket.disconnect":
                return
            if msg.get("text") is not None:
                await req.send_text("echo:" + msg["text"])
            else:
                await req.send_bytes(msg.get("bytes") or b"")
