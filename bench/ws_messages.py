"""CPU instructions per websocket message of each bench app's echo, without a server.

``python -m bench.ws_messages``: callgrind counts (see ``bench/callgrind.py``) for a bare ASGI
echo (the floor: this harness's queues and event loop), PyJolt and Starlette, each fed
``websocket.receive`` messages on ``/ws/echo`` after the connect and a warm-up. The difference
to the floor is the framework's own work per message. ``python -m bench.ws_messages TARGET N``
is the measured child run (``TARGET`` is ``module:attribute``).
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from typing import Any

from bench.callgrind import per_request, window

WARMUP = 500
TARGETS = {
    "bare ASGI echo": "bench.ws_messages:bare_echo",
    "PyJolt": "bench.pyjolt_app:app",
    "Starlette": "bench.starlette_app:app",
}
SCOPE: dict[str, Any] = {
    "type": "websocket",
    "asgi": {"version": "3.0"},
    "scheme": "ws",
    "http_version": "1.1",
    "path": "/ws/echo",
    "raw_path": b"/ws/echo",
    "query_string": b"",
    "root_path": "",
    "headers": [(b"host", b"127.0.0.1:8000")],
    "client": ("127.0.0.1", 50000),
    "server": ("127.0.0.1", 8000),
    "subprotocols": [],
}


async def bare_echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The least an ASGI app can do for the echo (lifespan included)."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    while (message := await receive())["type"] == "websocket.receive":
        await send({"type": "websocket.send", "text": message.get("text", "")})


async def echo_messages(app: Any, messages: int, warmup: int = WARMUP) -> list[str]:
    """Start ``app``'s lifespan, open the echo and send ``warmup + messages`` texts; the texts
    sent back for the measured ones (measured inside ``window()``)."""
    lifespan_in: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    lifespan_out: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await lifespan_in.put({"type": "lifespan.startup"})
    scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
    lifespan = asyncio.create_task(app(scope, lifespan_in.get, lifespan_out.put))
    assert (await lifespan_out.get())["type"] == "lifespan.startup.complete"
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await inbox.put({"type": "websocket.connect"})
    socket = asyncio.create_task(app({**SCOPE, "state": {}}, inbox.get, outbox.put))
    accepted = await outbox.get()
    assert accepted["type"] == "websocket.accept", accepted
    message = {"type": "websocket.receive", "text": "ping"}
    for _ in range(warmup):
        inbox.put_nowait(message)
        await outbox.get()
    answers = []
    with window():
        for _ in range(messages):
            inbox.put_nowait(message)
            answers.append(await outbox.get())
    await inbox.put({"type": "websocket.disconnect", "code": 1000})
    await socket
    await lifespan_in.put({"type": "lifespan.shutdown"})
    await lifespan
    return [str(a.get("text")) for a in answers]


def load(target: str) -> Any:
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


def main(argv: list[str]) -> int:
    if argv:
        asyncio.run(echo_messages(load(argv[0]), int(argv[1])))
        return 0
    counts = {name: per_request(["bench.ws_messages", t], 3000) for name, t in TARGETS.items()}
    floor = counts["bare ASGI echo"]
    print("| App | instructions/message | framework's own (over the bare echo) |")
    print("| --- | ---: | ---: |")
    for name, count in counts.items():
        print(f"| {name} | {count:,.0f} | {count - floor:,.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
