"""An app served by real uvicorn in the end-to-end tests."""

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.controller import Controller, get, path, socket
from pyjolt.request import SocketRequest


@path("/api")
class EchoApi(Controller):
    @get("/hello/<int:n>")
    async def hello(self, req: Request, n: int) -> Response:
        return req.res.json({"hello": n})

    @socket("/ws")
    async def echo(self, req: SocketRequest) -> None:
        await req.accept()
        while True:
            data = await req.receive()
            if data["type"] == "websocket.disconnect":
                break
            if data["type"] == "websocket.receive":
                await req.res.send(
                    {"type": "websocket.send", "text": "Echo: " + data.get("text", "")}
                )


class Config(BaseConfig):
    APP_NAME: str = "E2E"
    CONTROLLERS: list = [EchoApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
