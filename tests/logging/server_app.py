"""A small app served by real hypercorn and granian processes in the logging tests."""

import logging

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.controller import Controller, get, path


@path("/")
class HelloApi(Controller):
    @get("/hello")
    async def hello(self, req: Request) -> Response:
        self.app.logger.info("handler line through the app logger")
        logging.getLogger("some.library").warning("handler line through stdlib logging")
        return req.res.json({"ok": True})


class Config(BaseConfig):
    APP_NAME: str = "server-app"
    CONTROLLERS: list = [HelloApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass


application = Application()
