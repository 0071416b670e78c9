"""The app of the Redis fault test (``uvicorn --factory`` target): one cached endpoint on the
Redis named by ``FAULT_REDIS_URL``, with the settings the test reads back from ``SETTINGS``."""

from __future__ import annotations

import os
from typing import Any

from pyjolt import Request, Response
from pyjolt.caching import Cache, RedisCacheBackend
from pyjolt.controller import Controller, get, path
from pyjolt.testing import make_app

SETTINGS: dict[str, Any] = {
    "REDIS_TIMEOUT": 1.0,
    "RETRY_AFTER": 2.0,
    "REDIS_MAX_CONNECTIONS": 16,
    "REDIS_IDLE_TIMEOUT": 2.0,
}


def Application() -> Any:  # uvicorn --factory target
    cache = Cache()

    @path("/")
    class Api(Controller):
        @get("/item/<int:n>")
        @cache.cache(duration=600)
        async def item(self, req: Request, n: int) -> Response[Any]:
            return req.res.json({"n": n})

    section = {
        "BACKEND": RedisCacheBackend,
        "REDIS_URL": os.environ["FAULT_REDIS_URL"],
        "KEY_PREFIX": os.environ["FAULT_KEY_PREFIX"],
        **SETTINGS,
    }
    return make_app(controllers=[Api], EXTENSIONS=[cache], CACHE=section)
