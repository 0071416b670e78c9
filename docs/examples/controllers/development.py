"""Routes that exist only in DEBUG."""

import os

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.controller import Controller, development, get, path


@path("/tools")
class ToolsApi(Controller):
    @get("/status")
    async def status(self, req: Request) -> Response:
        return req.response.json({"ok": True})

    @get("/debug-info")
    @development
    async def debug_info(self, req: Request) -> Response:
        return req.response.json({"debug": self.app.debug})


class Config(BaseConfig):
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [ToolsApi]
    DEBUG: bool = False


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
