"""Routes that answer what each path converter gave, shared by the routing and robustness tests."""

from __future__ import annotations

import uuid

from pyjolt import Request, Response
from pyjolt.controller import Controller, get


class ConverterRoutes(Controller):
    """Subclass it under a ``@path``: float, uuid, path and default (string) parameters."""

    @get("/price/<float:value>")
    async def price(self, req: Request, value: float) -> Response:
        return req.res.json({"value": value})

    @get("/things/<uuid:thing>")
    async def thing(self, req: Request, thing: uuid.UUID) -> Response:
        return req.res.json({"thing": str(thing), "is_uuid": isinstance(thing, uuid.UUID)})

    @get("/files/<path:rest>")
    async def files(self, req: Request, rest: str) -> Response:
        return req.res.json({"rest": rest})

    @get("/hello/<name>")
    async def hello(self, req: Request, name: str) -> Response:
        return req.res.json({"name": name})
