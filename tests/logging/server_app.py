"""A small app served by real hypercorn and granian processes in the logging tests."""

import logging

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.testing import make_app


@path("/")
class HelloApi(Controller):
    @get("/hello")
    async def hello(self, req: Request) -> Response:
        self.app.logger.info("handler line through the app logger")
        logging.getLogger("some.library").warning("handler line through stdlib logging")
        return req.res.json({"ok": True})


application = make_app(controllers=[HelloApi], APP_NAME="server-app")
