"""One app process for the multi-process tests: answers one request through a shared cache,
or drops entries from it.

Usage: ``python shared_app.py '<CACHE section as JSON>' '<what>'`` where ``what`` is a
``/path?query`` (prints ``{"status": ..., "x_cache": ..., "body": ...}``),
``tags:<tag>,<tag>`` or ``route:<n>`` (drops those entries; prints ``{"dropped": ...}``).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

from pyjolt import Request, Response
from pyjolt.appcontext import app_context
from pyjolt.caching import Cache
from pyjolt.controller import Controller, get, path
from pyjolt.testing import PyJoltTestClient, make_app

cache = Cache()


@path("/")
class Api(Controller):
    @get("/who/<int:n>")
    @cache.cache(duration=60, query="all", tags=["who:{n}"])
    async def who(self, req: Request, n: int) -> Response[Any]:
        return req.res.json({"pid": os.getpid(), "n": n})


async def main(section: dict[str, Any], what: str) -> None:
    app = make_app(controllers=[Api], EXTENSIONS=[cache], CACHE=section)
    async with PyJoltTestClient(app) as client:
        if what.startswith("tags:"):
            with app_context(app):
                out: dict[str, Any] = {"dropped": await cache.invalidate_tags(*what[5:].split(","))}
        elif what.startswith("route:"):
            with app_context(app):
                out = {"dropped": await cache.invalidate_route("Api.who", n=int(what[6:]))}
        else:
            res = await client.get(what)
            out = {
                "status": res.status_code,
                "x_cache": res.headers.get("x-cache"),
                "body": res.json(),
            }
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    # Run the module's own copy (not ``__main__``'s), so handler names match the test process's.
    from tests.caching.shared_app import main as module_main

    asyncio.run(module_main(json.loads(sys.argv[1]), sys.argv[2]))
