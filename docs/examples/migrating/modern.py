"""The same app in the current style: no deprecation warnings."""

import os

from pyjolt import BaseConfig, HttpStatus, PyJolt, Request, Response, app
from pyjolt.controller import Controller, get, path, post


@path("/api/items")
class ItemsApi(Controller):
    @post("/", status_code=HttpStatus.CREATED)  # the status on the route decorator
    async def create(self, req: Request) -> Response:
        return req.response.json({"created": True})

    @get("/")
    async def list_items(self, req: Request) -> Response:
        return req.response.json([])


class Config(BaseConfig):
    APP_NAME: str = "Items"
    BASE_PATH: str = os.path.dirname(__file__)
    DEBUG: bool = False  # the environment variable DEBUG overrides it (true/false, 1/0...)
    CONTROLLERS: list[str | type] = [ItemsApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
