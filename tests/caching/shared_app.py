"""One app process for test_processes: answers one request through a shared cache.

Usage: ``python shared_app.py '<CACHE section as JSON>' '<path?query>'``; prints one JSON
line ``{"status": ..., "x_cache": ..., "body": ...}``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Any

from pyjolt import Request, Response
from pyjolt.caching import Cache
from pyjolt.controller import Controller, get, path
from pyjolt.testing import PyJoltTestClient, make_app

cache = Cache()


@path("/")
class Api(Controller):
    @get("/who/<int:n>")
    @cache.cache(duration=60)
    async def who(self, req: Request, n: int) -> Response[Any]:
        return req.res.json({"pid": os.getpid(), "n": n})


async def main(section: dict[str, Any], url: str) -> None:
    app = make_app(controllers=[Api], EXTENSIONS=[cache], CACHE=section)
    async with PyJoltTestClient(app) as client:
        res = await client.get(url)
    out = {"status": res.status_code, "x_cache": res.headers.get("x-cache"), "body": res.json()}
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1]), sys.argv[2]))
