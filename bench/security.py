"""Cost of the default security layer (production headers, CSRF origin check) per request.

``python -m bench.security --server``: the bench app with its defaults (DEBUG off: security
headers on, CSRF on for unsafe requests) and with both switched off, each under one uvicorn
worker loaded by ``wrk`` on ``GET /hello``, round by round; server CPU time per request and
req/s, as ``bench/observability.py`` measures. Target: at most 1.05x on ``GET /hello``.

Without ``--server`` the app is called as ASGI (no server, no HTTP parsing: the layer's share
looks larger): CPU instructions per request counted by ``valgrind --tool=callgrind`` (see
``bench/callgrind.py``; independent of the machine's load, but slow), or CPU time with
``--cpu``. ``POST /users`` carries a cookie and a
same-origin ``Origin``, so the CSRF check runs in full.

``--protocol``: ``GET /hello`` served through uvicorn's own HTTP protocol in this process
(``bench/protocol.py``: parsing, uvicorn's header checks and encoding, the app; no sockets),
instructions per request by callgrind, with the floor: what uvicorn alone spends on the four
extra headers (a bare ASGI app with and without the same four headers, made once).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import time
from typing import Any

from bench.asgi_micro import BODY, make_scope
from bench.callgrind import per_request, window

CASES = {"GET /hello": ("GET", "/hello", b""), "POST /users": ("POST", "/users", BODY)}
EXTRA_HEADERS = [(b"cookie", b"session=abc"), (b"origin", b"http://127.0.0.1:8000")]
VARIANTS = ("off", "defaults")
TARGET = 1.05


def build(variant: str) -> Any:
    from bench.pyjolt_app import BenchApp, Config

    class Unprotected(Config):
        SECURITY_HEADERS = False
        CSRF_ENABLED = False

    return BenchApp(configs=Unprotected) if variant == "off" else BenchApp()


async def drive(app: Any, case: str, requests: int, warmup: int = 200) -> float:
    """Warm up, then serve ``requests`` requests; returns CPU seconds of the measured part."""
    method, path, body = CASES[case]
    state: dict[str, Any] = {}
    startup: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await startup.put({"type": "lifespan.startup"})
    lifespan = asyncio.create_task(app({"type": "lifespan", "state": state}, startup.get, sent.put))
    assert (await sent.get())["type"] == "lifespan.startup.complete"
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    async def one() -> None:
        scope = make_scope(method, path, body)
        scope["headers"] = [*scope["headers"], *EXTRA_HEADERS]
        scope["state"] = dict(state)
        await app(scope, receive, send)

    for _ in range(warmup):
        await one()
    assert statuses[-1] in (200, 201), statuses[-1]
    start = time.process_time()
    with window():
        for _ in range(requests):
            await one()
    spent = time.process_time() - start
    await startup.put({"type": "lifespan.shutdown"})
    await lifespan
    return spent


def served(rounds: int = 3) -> int:
    import statistics

    from bench.observability import compare_hello

    targets = {
        "security off": "bench.pyjolt_unprotected_app:app",
        "defaults": "bench.pyjolt_app:app",
    }
    measured = compare_hello(targets, rounds, 2, 64)
    if measured is None:
        return 1
    rps, cpu_us = measured
    print("| GET /hello | req/s (median) | server CPU us/req (median) |\n| --- | ---: | ---: |")
    for name in targets:
        print(f"| {name} | {statistics.median(rps[name]):,.0f} | "
              f"{statistics.median(cpu_us[name]):.1f} |")  # fmt: skip
    ratio = statistics.median(cpu_us["defaults"]) / statistics.median(cpu_us["security off"])
    print(f"CPU per request, defaults / off: {ratio:.3f}x (target <= {TARGET}x): "
          f"{'met' if ratio <= TARGET else 'NOT met'}")  # fmt: skip
    return 0


async def _raw(scope: Any, receive: Any, send: Any, extra: list[tuple[bytes, bytes]]) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    headers = [(b"content-length", b"27"), (b"content-type", b"application/json"), *extra]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b'{"message":"Hello, World!"}'})


async def raw_plain(scope: Any, receive: Any, send: Any) -> None:
    """A bare ASGI /hello: with ``raw_secured``, what the four headers cost uvicorn alone."""
    await _raw(scope, receive, send, [])


def default_security_headers() -> list[tuple[bytes, bytes]]:
    """The headers the default config adds over HTTP (the four of ``GET /hello``)."""
    from pyjolt.config import BaseConfig
    from pyjolt.security.headers import security_headers

    fields = BaseConfig.model_fields.items()
    defaults = {name: f.default for name, f in fields if name.startswith("SECURITY_")}
    return security_headers(defaults)[0]


#: made once, so that the bare app's cost is uvicorn's work on them, not their making
_SECURED: list[tuple[bytes, bytes]] = []


async def raw_secured(scope: Any, receive: Any, send: Any) -> None:
    if not _SECURED:
        _SECURED.extend(default_security_headers())
    await _raw(scope, receive, send, _SECURED)


def through_protocol(requests: int) -> int:
    """Instructions per ``GET /hello`` through uvicorn's protocol in-process (callgrind)."""
    from bench.protocol import instructions_per_request

    targets = {
        "security off": "bench.pyjolt_unprotected_app:app",
        "defaults": "bench.pyjolt_app:app",
        "bare ASGI, no headers": "bench.security:raw_plain",
        "bare ASGI, the same 4 headers": "bench.security:raw_secured",
    }
    cost = {name: instructions_per_request(t, requests=requests) for name, t in targets.items()}
    print("| GET /hello through uvicorn's protocol | instructions/req |\n| --- | ---: |")
    for name, value in cost.items():
        print(f"| {name} | {value:,.0f} |")
    ratio = cost["defaults"] / cost["security off"]
    floor = cost["bare ASGI, the same 4 headers"] - cost["bare ASGI, no headers"]
    own = cost["defaults"] - cost["security off"] - floor
    print(f"defaults / off: {ratio:.3f}x (target <= {TARGET}x): "
          f"{'met' if ratio <= TARGET else 'NOT met'}; of the difference, uvicorn's own work "
          f"on the 4 headers: {floor:,.0f} ({floor / cost['security off']:.1%} of off), "
          f"PyJolt's: {own:,.0f} ({own / cost['security off']:.1%})")  # fmt: skip
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of instructions")
    parser.add_argument("--server", action="store_true", help="uvicorn + wrk, GET /hello")
    parser.add_argument(
        "--protocol", action="store_true", help="through uvicorn's protocol, callgrind"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.server:
        return served()
    from bench.common import ensure_db

    ensure_db()
    if args.protocol:
        return through_protocol(args.requests)
    if args.child:
        variant, case, n = args.child
        asyncio.run(drive(build(variant), case, int(n)))
        return 0
    use_cpu = args.cpu or not shutil.which("valgrind")
    unit = "us/req" if use_cpu else "instructions/req"
    print(f"| Endpoint | security off {unit} | defaults {unit} | ratio |")
    print("| --- | ---: | ---: | ---: |")
    verdict = True
    for case in CASES:
        cost: dict[str, float] = {}
        for variant in VARIANTS:
            if use_cpu:
                runs = [asyncio.run(drive(build(variant), case, args.requests)) for _ in range(5)]
                cost[variant] = min(runs) / args.requests * 1e6
            else:
                argv = ["bench.security", "--child", variant, case]
                cost[variant] = per_request(argv, args.requests)
        ratio = cost["defaults"] / cost["off"]
        verdict = verdict and (ratio <= TARGET or case != "GET /hello")
        print(f"| {case} | {cost['off']:,.0f} | {cost['defaults']:,.0f} | {ratio:.3f}x |")
    print(f"Target GET /hello <= {TARGET}x: {'met' if verdict else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
