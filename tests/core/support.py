"""Shared pieces of the core tests."""

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path


@path("/api")
class HelloApi(Controller):
    @get("/hello")
    async def hello(self, req: Request) -> Response:
        return req.res.json({"hello": "world", "app": self.app.app_name})

    @get("/big")
    async def big(self, req: Request) -> Response:
        return req.res.text("x" * 5000)
