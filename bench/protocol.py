"""Requests served through uvicorn's own HTTP protocol in this process, without sockets.

The server's whole share of a request (httptools parsing, uvicorn's scope and header encoding,
the app) minus the socket system calls, driven one request at a time on one keep-alive
connection. Deterministic enough to count CPU instructions under ``valgrind --tool=callgrind``,
which a busy shared machine does not disturb, unlike wrk's req/s or a server's CPU time.

``python -m bench.protocol TARGET REQUESTS [--path /hello]`` serves REQUESTS requests to the
``module:attribute`` app after a warm-up of ``WARMUP``; ``instructions_per_request(target)``
runs that under callgrind and returns instructions per request. ``python -m bench.protocol
--compare [ENDPOINT ...]`` prints PyJolt's (defaults) and Starlette's instructions per request
and their ratio for each bench endpoint (``bench/asgi_micro.py``'s cases; about 25 s each).
"""

from __future__ import annotations

import argparse
import asyncio
import email.utils
import importlib
from typing import Any

from bench.callgrind import window

WARMUP = 300


class Transport(asyncio.Transport):
    """What uvicorn's protocol writes to: collected, and each answer signalled as complete."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[bytes] = []

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(
            name, default
        )

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written.append(bytes(data))

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def raw_request(
    method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1:8000", "User-Agent: wrk"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def serve(target: str, request: bytes, requests: int, warmup: int = WARMUP) -> bytes:
    """Serve ``warmup + requests`` copies of ``request``; returns the last answer's head."""
    from uvicorn.config import Config
    from uvicorn.lifespan.on import LifespanOn
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    from uvicorn.server import ServerState

    module, _, attribute = target.partition(":")
    app = getattr(importlib.import_module(module), attribute)
    # as bench/run.py serves: default options, no access log (proxy headers middleware on)
    config = Config(app, http="httptools", loop="asyncio", access_log=False, log_level="warning")
    config.load()
    lifespan = LifespanOn(config)
    await lifespan.startup()
    state = ServerState()
    state.default_headers = [
        (b"date", email.utils.formatdate(usegmt=True).encode()),
        *config.encoded_headers,
    ]
    protocol = HttpToolsProtocol(config, state, lifespan.state)
    transport = Transport()
    protocol.connection_made(transport)
    done = asyncio.Event()
    answered = protocol.on_response_complete

    def on_response_complete() -> None:
        answered()
        done.set()

    protocol.on_response_complete = on_response_complete  # type: ignore[method-assign]

    async def one() -> None:
        done.clear()
        transport.written.clear()
        protocol.data_received(request)
        await done.wait()

    for _ in range(warmup):
        await one()
    with window():
        for _ in range(requests):
            await one()
    head = b"".join(transport.written).partition(b"\r\n\r\n")[0]
    protocol.connection_lost(None)
    await lifespan.shutdown()
    return head


def instructions_per_request(
    target: str, path: str = "/hello", requests: int = 1000, method: str = "GET", body: bytes = b""
) -> float:
    """CPU instructions per request served, counted by callgrind (see ``bench/callgrind.py``);
    a ``body`` is sent as JSON."""
    from bench.callgrind import per_request

    argv = ["bench.protocol", "--path", path, "--method", method, target]
    if body:
        argv[1:1] = ["--body", body.decode()]
    return per_request(argv, requests)


def compare(names: list[str], requests: int) -> int:
    """PyJolt (defaults) / Starlette instructions per request, for each named bench endpoint."""
    from bench.asgi_micro import CASES

    print("| Endpoint | PyJolt instructions/req | Starlette instructions/req | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name in names or list(CASES):
        method, path, body = CASES[name]
        pyjolt, starlette = (
            instructions_per_request(f"bench.{app}_app:app", path, requests, method, body)
            for app in ("pyjolt", "starlette")
        )
        print(f"| {name} | {pyjolt:,.0f} | {starlette:,.0f} | {pyjolt / starlette:.3f}x |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", help="module:attribute of the ASGI app")
    parser.add_argument("requests", type=int, nargs="?", default=1000)
    parser.add_argument("--path", default="/hello")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", default="", help="a JSON body to send")
    parser.add_argument("--show", action="store_true", help="print the last answer's head")
    parser.add_argument(
        "--compare", nargs="*", metavar="ENDPOINT", help="PyJolt vs Starlette, callgrind"
    )
    args = parser.parse_args()
    from bench.common import ensure_db

    ensure_db()
    if args.compare is not None:
        return compare(args.compare, args.requests)
    if args.target is None:
        parser.error("a target is needed without --compare")
    request = raw_request(args.method, args.path, body=args.body.encode())
    head = asyncio.run(serve(args.target, request, args.requests))
    if args.show:
        print(head.decode("latin-1"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
