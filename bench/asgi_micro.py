"""Per-request CPU cost of each bench app called as ASGI, without a server or sockets.

``python -m bench.asgi_micro [--requests N]``: a quieter signal than wrk on a busy machine
(CPU time of this process only), handy while profiling the framework's own code. It is not
a substitute for ``bench/run.py``: no HTTP parsing, no event-loop I/O.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import statistics
import time
from typing import Any

from bench.common import PG_URL, SEARCH_QUERY, ensure_db

APPS = ("starlette", "pyjolt", "fastapi")
BODY = json.dumps({"email": "ada@example.com", "fullname": "Ada Lovelace", "age": 36}).encode()
CASES: dict[str, tuple[str, str, bytes]] = {
    "GET /hello": ("GET", "/hello", b""),
    "GET /users/<id>": ("GET", "/users/42", b""),
    "GET /search?q&page&per_page": ("GET", "/search?" + SEARCH_QUERY, b""),
    "POST /users": ("POST", "/users", BODY),
    "GET /json/list": ("GET", "/json/list", b""),
    "GET /db/users": ("GET", "/db/users", b""),
    "GET /db/rw/users": ("GET", "/db/rw/users", b""),
}
if PG_URL:
    CASES["GET /pg/users"] = ("GET", "/pg/users", b"")
    CASES["GET /pg/rw/users"] = ("GET", "/pg/rw/users", b"")


def make_scope(method: str, target: str, body: bytes) -> dict[str, Any]:
    path, _, query = target.partition("?")
    headers = [(b"host", b"127.0.0.1:8000"), (b"user-agent", b"wrk"), (b"accept", b"*/*")]
    if body:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 50000),
        "scheme": "http",
        "method": method,
        "root_path": "",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": headers,
        "state": {},
    }


async def one(app: Any, method: str, path: str, body: bytes, state: dict[str, Any]) -> int:
    scope = make_scope(method, path, body)
    scope["state"] = dict(state)
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def measure(name: str, requests: int, repeats: int) -> dict[str, float]:
    app = importlib.import_module(f"bench.{name}_app").app
    state: dict[str, Any] = {}
    startup: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await startup.put({"type": "lifespan.startup"})
    lifespan = asyncio.create_task(app({"type": "lifespan", "state": state}, startup.get, sent.put))
    assert (await sent.get())["type"] == "lifespan.startup.complete"
    out: dict[str, float] = {}
    try:
        for case, (method, path, body) in CASES.items():
            count = requests // 20 if path.startswith(("/db", "/pg", "/json")) else requests
            assert await one(app, method, path, body, state) in (200, 201)
            samples = []
            for _ in range(repeats):
                start = time.process_time()
                for _ in range(count):
                    await one(app, method, path, body, state)
                samples.append((time.process_time() - start) / count * 1e6)
            out[case] = statistics.median(samples)
    finally:
        await startup.put({"type": "lifespan.shutdown"})
        await lifespan
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--apps", default=",".join(APPS))
    args = parser.parse_args()
    ensure_db()
    results = {
        name: asyncio.run(measure(name, args.requests, args.repeats))
        for name in args.apps.split(",")
    }
    base = results.get("starlette")
    print("| Endpoint | " + " | ".join(f"{n} us/req" for n in results) + " |")
    print("| --- |" + " ---: |" * len(results))
    for case in CASES:
        cells = []
        for name in results:
            value = results[name][case]
            ratio = f" ({value / base[case]:.2f}x)" if base else ""
            cells.append(f"{value:.1f}{ratio}")
        print(f"| {case} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
