"""SocketRequest's receive/send take a shortcut for an open connection's usual messages: every
message sequence must end exactly as with Starlette's own WebSocket (same messages sent, same
states, same errors)."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.types import Message
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from pyjolt.request import SocketRequest

SCOPE: dict[str, Any] = {"type": "websocket", "path": "/ws", "headers": [], "query_string": b""}
CONNECT = {"type": "websocket.connect"}
TEXT = {"type": "websocket.receive", "text": "hi"}
GONE = {"type": "websocket.disconnect", "code": 1001}


class Peer:
    """The server's side of one connection: queued incoming messages, the messages sent, and an
    OSError on send once the client has gone (as uvicorn's ``ClientDisconnected``)."""

    def __init__(self, incoming: list[Message], *, gone_after: int | None = None) -> None:
        self.incoming = list(incoming)
        self.sent: list[Message] = []
        self.gone_after = gone_after

    async def receive(self) -> Message:
        return self.incoming.pop(0)

    async def send(self, message: Message) -> None:
        if self.gone_after is not None and len(self.sent) >= self.gone_after:
            raise OSError("client disconnected")
        self.sent.append(message)


async def play(cls: type[WebSocket], incoming: list[Message], steps: list[Any], **peer: Any) -> Any:
    """Run ``steps`` ("receive" or a message to send) on a connection of ``cls``: what each step
    gave (a message, None, or the error's type and text), the messages sent and the states."""
    link = Peer(incoming, **peer)
    ws = cls(dict(SCOPE), link.receive, link.send)
    results: list[Any] = []
    for step in steps:
        try:
            results.append(await ws.receive() if step == "receive" else await ws.send(step))
        except (RuntimeError, WebSocketDisconnect) as exc:
            code = getattr(exc, "code", None)
            results.append((type(exc).__name__, str(exc), code))
    return results, link.sent, ws.client_state, ws.application_state


ACCEPT = {"type": "websocket.accept"}
SEND = {"type": "websocket.send", "text": "hi"}
CLOSE = {"type": "websocket.close", "code": 1000}
DENY = {"type": "websocket.http.response.start", "status": 403, "headers": []}
DENY_BODY = {"type": "websocket.http.response.body", "body": b"no"}

SCENARIOS: dict[str, tuple[list[Message], list[Any], dict[str, Any]]] = {
    "echo then the client leaves": (
        [CONNECT, TEXT, TEXT, GONE],
        ["receive", ACCEPT, "receive", SEND, "receive", SEND, "receive", "receive"],
        {},
    ),
    "an unexpected message received": (
        [CONNECT, {"type": "websocket.connect"}],
        ["receive", ACCEPT, "receive"],
        {},
    ),
    "send after the client has gone": (
        [CONNECT],
        ["receive", ACCEPT, SEND, SEND],
        {"gone_after": 1},
    ),
    "close, then send": ([CONNECT], ["receive", ACCEPT, CLOSE, SEND], {}),
    "a message that is not for an open connection": (
        [CONNECT],
        ["receive", ACCEPT, {"type": "websocket.accept"}, SEND],
        {},
    ),
    "send before accept": ([CONNECT], ["receive", SEND], {}),
    "a denial response": ([CONNECT], ["receive", DENY, DENY_BODY, SEND], {}),
    "close from the start": ([CONNECT], ["receive", CLOSE, SEND], {}),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
async def test_socket_request_ends_as_starlettes_websocket(name: str) -> None:
    incoming, steps, peer = SCENARIOS[name]
    ours = await play(SocketRequest, incoming, steps, **peer)
    theirs = await play(WebSocket, incoming, steps, **peer)
    assert ours == theirs


async def test_the_shortcut_cases_do_what_they_say() -> None:
    # the comparison above holds only if the scenarios reach these outcomes at all
    results, sent, client, application = await play(
        SocketRequest, [CONNECT], ["receive", ACCEPT, SEND, SEND], gone_after=1
    )
    assert results[2] == ("WebSocketDisconnect", "", 1006)
    assert results[3][0] == "WebSocketDisconnected"
    assert sent == [ACCEPT] and application is WebSocketState.DISCONNECTED
    results, _, client, _ = await play(
        SocketRequest, [CONNECT, TEXT, GONE], ["receive", ACCEPT, "receive", "receive", "receive"]
    )
    assert results[2:4] == [TEXT, GONE] and client is WebSocketState.DISCONNECTED
    assert results[4][0] == "WebSocketDisconnected"
    results, *_ = await play(SocketRequest, [CONNECT, CONNECT], ["receive", ACCEPT, "receive"])
    assert results[-1][0] == "RuntimeError" and "websocket.connect" in results[-1][1]
