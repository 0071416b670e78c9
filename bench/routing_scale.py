"""Routing scale: µs per request to the first and the last of 1, 100 and 1,000 routes.

``python -m bench.routing_scale [--budget SECONDS]``: each framework gets apps of N
parametrised routes (``/r<i>/{id:int}``) called in-process as ASGI (CPU time of this process,
no server), so the numbers show what matching costs as routes are added. PyJolt, raw
Starlette, FastAPI and Litestar (the ``bench`` extra installs them).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from bench.asgi_micro import one
from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.testing import make_app

SIZES = (1, 100, 1000)


def pyjolt_app(n: int) -> Any:
    def handler(i: int) -> Any:
        async def h(self: Any, req: Request, id: int) -> Response[Any]:
            return req.res.json({"route": i, "id": id})

        return get(f"/r{i}/<int:id>")(h)

    members = {f"h{i}": handler(i) for i in range(n)}
    return make_app(controllers=[path("/")(type("ScaleApi", (Controller,), members))])


def starlette_app(n: int) -> Any:
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    def handler(i: int) -> Any:
        async def h(request: Any) -> JSONResponse:
            return JSONResponse({"route": i, "id": request.path_params["id"]})

        return h

    return Starlette(routes=[Route(f"/r{i}/{{id:int}}", handler(i)) for i in range(n)])


def fastapi_app(n: int) -> Any:
    from fastapi import FastAPI

    app = FastAPI()
    for i in range(n):

        async def h(id: int, i: int = i) -> dict[str, int]:
            return {"route": i, "id": id}

        app.get(f"/r{i}/{{id:int}}", name=f"h{i}")(h)
    return app


def litestar_app(n: int) -> Any:
    from litestar import Litestar, get

    def handler(i: int) -> Any:
        async def h(id: int) -> dict[str, int]:
            return {"route": i, "id": id}

        return get(f"/r{i}/{{id:int}}", name=f"h{i}")(h)

    return Litestar(route_handlers=[handler(i) for i in range(n)], debug=False)


FRAMEWORKS: dict[str, Callable[[int], Any]] = {
    "pyjolt": pyjolt_app,
    "starlette": starlette_app,
    "fastapi": fastapi_app,
    "litestar": litestar_app,
}


@asynccontextmanager
async def running(app: Any) -> AsyncIterator[dict[str, Any]]:
    """The app's lifespan around the block; yields the lifespan state."""
    state: dict[str, Any] = {}
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    sent: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    await inbox.put({"type": "lifespan.startup"})
    task = asyncio.create_task(app({"type": "lifespan", "state": state}, inbox.get, sent.put))
    message = await sent.get()
    assert message["type"] == "lifespan.startup.complete", message
    try:
        yield state
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await task


async def per_request_us(
    app: Any,
    method: str,
    path: str,
    body: bytes,
    state: dict[str, Any],
    budget: float,
    repeats: int,
    expect: tuple[int, ...] = (200,),
) -> float:
    """Median CPU µs per request over ``repeats`` rounds of about ``budget`` seconds each."""
    status = await one(app, method, path, body, state)
    assert status in expect, (path, status)
    start, count = time.process_time(), 0
    while time.process_time() - start < budget / 10 or count < 10:
        await one(app, method, path, body, state)
        count += 1
    per = (time.process_time() - start) / count
    batch = max(int(budget / per), 10)
    samples = []
    for _ in range(repeats):
        start = time.process_time()
        for _ in range(batch):
            await one(app, method, path, body, state)
        samples.append((time.process_time() - start) / batch * 1e6)
    return statistics.median(samples)


async def measure(name: str, budget: float, repeats: int) -> dict[tuple[int, str], float]:
    out: dict[tuple[int, str], float] = {}
    for n in SIZES:
        app = FRAMEWORKS[name](n)
        async with running(app) as state:
            for which, index in (("first", 0), ("last", n - 1)):
                path = f"/r{index}/42"
                out[(n, which)] = await per_request_us(
                    app, "GET", path, b"", state, budget, repeats
                )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=0.2, help="seconds per sample")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--apps", default=",".join(FRAMEWORKS))
    args = parser.parse_args()
    names = args.apps.split(",")
    results = {name: asyncio.run(measure(name, args.budget, args.repeats)) for name in names}
    print("| Routes | Route | " + " | ".join(f"{n} µs/req" for n in names) + " |")
    print("| ---: | --- |" + " ---: |" * len(names))
    for n in SIZES:
        for which in ("first", "last"):
            cells = [f"{results[name][(n, which)]:.1f}" for name in names]
            print(f"| {n:,} | {which} | " + " | ".join(cells) + " |")
    if "pyjolt" in results:
        own = results["pyjolt"]
        worst = max(own[(n, w)] for n in SIZES for w in ("first", "last"))
        base = own[(1, "first")]
        print(
            f"\nPyJolt, last of 1,000 vs a 1-route app: {own[(1000, 'last')] / base:.2f}x"
            f" (worst case over all sizes: {worst / base:.2f}x)"
        )
        if "litestar" in results:
            ratios = [
                own[(n, w)] / results["litestar"][(n, w)] for n in SIZES for w in ("first", "last")
            ]
            print(f"PyJolt vs Litestar: {min(ratios):.2f}x to {max(ratios):.2f}x")


if __name__ == "__main__":
    main()
