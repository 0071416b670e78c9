"""A small app served by real uvicorn processes in the observability tests."""

import os

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.controller import Controller, get, path


@path("/")
class PidApi(Controller):
    @get("/pid")
    async def pid(self, req: Request) -> Response:
        self.app.logger.info("answering from {}", os.getpid())
        return req.res.json({"pid": os.getpid()})

    @get("/__ready__")
    async def ready(self, req: Request) -> Response:
        return req.res.json({"ok": True})


class Config(BaseConfig):
    APP_NAME: str = "worker-app"
    CONTROLLERS: list = [PidApi]
    METRICS: bool = True
    REQUEST_ID: bool = True
    ACCESS_LOG: bool = True


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
