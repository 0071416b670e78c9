"""Liveness and readiness endpoints; readiness asks every extension's ``health_checks()``."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request as StarletteRequest
from starlette.responses import JSONResponse
from starlette.routing import Route

from pyjolt.appcontext import AppProtocol
from pyjolt.extension import BaseExtension, HealthCheck


async def _run(check: HealthCheck, seconds: float) -> dict[str, Any]:
    try:
        async with asyncio.timeout(seconds):
            await check()
    except TimeoutError:
        return {"status": "fail", "error": f"no answer within {seconds} s"}
    except Exception as exc:  # the check's own failure is the answer; never its message
        return {"status": "fail", "error": type(exc).__name__}
    return {"status": "ok"}


def health_routes(app: AppProtocol) -> list[Route]:
    """``HEALTH_LIVE_PATH`` (the process answers) and ``HEALTH_READY_PATH`` (its resources do)."""
    configs = app.configs
    timeout = float(configs["HEALTH_TIMEOUT"])
    in_schema = bool(configs["HEALTH_IN_SCHEMA"])

    async def live(request: StarletteRequest) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def ready(request: StarletteRequest) -> JSONResponse:
        checks: dict[str, HealthCheck] = {}
        for ext in app.extensions.values():
            if isinstance(ext, BaseExtension):
                checks.update(ext.health_checks())
        names = list(checks)
        results = await asyncio.gather(*(_run(checks[n], timeout) for n in names))
        report = dict(zip(names, results, strict=True))
        ok = all(r["status"] == "ok" for r in results)
        body = {"status": "ok" if ok else "fail", "checks": report}
        return JSONResponse(body, status_code=200 if ok else 503)

    return [
        Route(configs["HEALTH_LIVE_PATH"], live, methods=["GET"], include_in_schema=in_schema),
        Route(configs["HEALTH_READY_PATH"], ready, methods=["GET"], include_in_schema=in_schema),
    ]
