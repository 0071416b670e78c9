"""One cached route for the metrics and tracing tests (the status controller is in
``tests/status_api.py``)."""

from typing import Any

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from tests.status_api import STATUS_REQUESTS, StatusApi, send_all

__all__ = ["STATUS_REQUESTS", "StatusApi", "cached_controller", "send_all"]


def cached_controller(cache: Any, prefix: str) -> type[Controller]:
    """A controller at ``prefix`` whose one GET route answers ``{"n": 1}`` through
    ``cache.cache``."""

    class CachedApi(Controller):
        @get("/")
        @cache.cache
        async def cached(self, req: Request) -> Response:
            return req.res.json({"n": 1})

    return path(prefix)(CachedApi)
