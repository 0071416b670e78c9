"""An app written for PyJolt 0.111: it still builds and answers, with deprecation warnings."""

import os

from pyjolt import BaseConfig, MediaType, PyJolt, Request, Response, app
from pyjolt.controller import Controller, get, path, post, produces


@path("/api/items")
class ItemsApi(Controller):
    @post("/")
    @produces(MediaType.APPLICATION_JSON, status_code=201)  # 0.111: the status on @produces
    async def create(self, req: Request) -> Response:
        return req.response.json({"created": True})

    @get("/")
    async def list_items(self, req: Request) -> Response:
        return req.response.json([])


class Config(BaseConfig):
    APP_NAME: str = "Items"
    BASE_PATH: str = os.path.dirname(__file__)
    DEBUG: bool = BaseConfig.value_to_bool(os.environ.get("DEBUG", "false"))  # 0.111's helper
    CONTROLLERS: list[str | type] = [ItemsApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
