"""An app served by real uvicorn in the end-to-end tests."""

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.controller import get, path
from tests.sockets import EchoSocket


@path("/api")
class EchoApi(EchoSocket):
    """``/api/ws`` echoes (``tests/sockets.py``); ``/api/hello/<n>`` answers JSON."""

    @get("/hello/<int:n>")
    async def hello(self, req: Request, n: int) -> Response:
        return req.res.json({"hello": n})


class Config(BaseConfig):
    APP_NAME: str = "E2E"
    CONTROLLERS: list = [EchoApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
