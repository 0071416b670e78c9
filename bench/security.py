"""Cost of the default security layer (production headers, CSRF origin check) per request.

``python -m bench.security --server``: the bench app with its defaults (DEBUG off: security
headers on, CSRF on for unsafe requests) and with both switched off, each under one uvicorn
worker loaded by ``wrk`` on ``GET /hello``, round by round; server CPU time per request and
req/s, as ``bench/observability.py`` measures. Target: at most 1.05x on ``GET /hello``.

Without ``--server`` the app is called as ASGI (no server, no HTTP parsing: the layer's share
looks larger): CPU instructions per request counted by ``valgrind --tool=callgrind`` (two runs
per variant, N and 0 requests after the same warm-up, difference / N; independent of the
machine's load, but slow), or CPU time with ``--cpu``. ``POST /users`` carries a cookie and a
same-origin ``Origin``, so the CSRF check runs in full.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from typing import Any

from bench.asgi_micro import BODY, make_scope

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
    for _ in range(requests):
        await one()
    spent = time.process_time() - start
    await startup.put({"type": "lifespan.shutdown"})
    await lifespan
    return spent


def instructions(variant: str, case: str, requests: int) -> int:
    with tempfile.TemporaryDirectory(prefix="pyjolt-bench-cg-") as tmp:
        out = os.path.join(tmp, "callgrind.out")
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             "-m", "bench.security", "--child", variant, case, str(requests)],
            check=True, capture_output=True,
        )  # fmt: skip
        with open(out) as fh:
            match = re.search(r"^summary:\s+(\d+)", fh.read(), re.MULTILINE)
    assert match, "no callgrind summary"
    return int(match.group(1))


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of instructions")
    parser.add_argument("--server", action="store_true", help="uvicorn + wrk, GET /hello")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.server:
        return served()
    from bench.common import ensure_db

    ensure_db()
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
                full = instructions(variant, case, args.requests)
                cost[variant] = (full - instructions(variant, case, 0)) / args.requests
        ratio = cost["defaults"] / cost["off"]
        verdict = verdict and (ratio <= TARGET or case != "GET /hello")
        print(f"| {case} | {cost['off']:,.0f} | {cost['defaults']:,.0f} | {ratio:.3f}x |")
    print(f"Target GET /hello <= {TARGET}x: {'met' if verdict else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
