"""An app with rate limits, also served by uvicorn (``--factory``) for the multi-process test."""

from __future__ import annotations

import os
import secrets
from typing import Any

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path, post
from pyjolt.rate_limit import RateLimiter
from pyjolt.testing import make_app

limiter = RateLimiter()


@path("/")
class LimitedApi(Controller):
    @get("/limited")
    @limiter.limit("5/minute")
    async def limited(self, req: Request) -> Response:
        return req.res.json({"pid": os.getpid()})

    @get("/free")
    @limiter.exempt
    async def free(self, req: Request) -> Response:
        return req.res.json({"ok": True})

    @get("/other")
    async def other(self, req: Request) -> Response:
        return req.res.json({"ok": True})

    @post("/per-user")
    @limiter.limit("2/minute", key=lambda req: req.headers.get("x-user", "anonymous"))
    async def per_user(self, req: Request) -> Response:
        return req.res.json({"ok": True})


def build(**overrides: Any) -> Any:
    section = {"STORAGE_URL": os.environ.get("RL_STORAGE", "memory://")}
    if "RL_PREFIX" in os.environ:
        section["KEY_PREFIX"] = os.environ["RL_PREFIX"]
    section.update(overrides.pop("RATE_LIMIT", {}))
    return make_app(
        controllers=[LimitedApi],
        EXTENSIONS=[limiter],
        RATE_LIMIT=section,
        SECRET_KEY=secrets.token_urlsafe(48),
        **overrides,
    )


def Application() -> Any:  # uvicorn --factory target
    return build()
