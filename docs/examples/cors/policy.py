"""A global CORS policy with per-endpoint overrides."""

import os

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.controller import Controller, cors, get, no_cors, path, post


@path("/api")
class ApiController(Controller):
    @get("/items")
    async def items(self, req: Request) -> Response:
        return req.response.json([1, 2, 3])

    @post("/items")
    async def add_item(self, req: Request) -> Response:
        return req.response.json({"added": True}).status(201)

    @get("/public")
    @cors(allow_origins=["*"], max_age=600)
    async def public(self, req: Request) -> Response:
        return req.response.json({"public": True})

    @get("/internal")
    @no_cors
    async def internal(self, req: Request) -> Response:
        return req.response.json({"internal": True})


class Config(BaseConfig):
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [ApiController]
    CORS_ALLOW_ORIGINS: list[str] = ["https://app.example.com"]
    CORS_ALLOW_METHODS: list[str] = ["GET", "POST"]
    CORS_EXPOSE_HEADERS: list[str] = ["X-Total-Count"]
    CORS_MAX_AGE: int | None = 3600


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
