"""A controller with JSON endpoints, per-controller hooks and a websocket."""

import os

from pydantic import BaseModel

from pyjolt import BaseConfig, HttpStatus, MediaType, PyJolt, Request, Response, app
from pyjolt.controller import (
    Controller,
    after_request,
    before_request,
    consumes,
    delete,
    get,
    path,
    post,
    produces,
    socket,
)
from pyjolt.request import SocketRequest


class UserData(BaseModel):
    email: str
    fullname: str


@path("/api/v1/users", tags=["Users"])
class UsersApi(Controller):
    @before_request
    async def count_request(self, req: Request) -> None:
        req.state.seen_by = "UsersApi"

    @after_request
    async def tag_response(self, res: Response) -> None:
        res.set_header("X-Controller", "UsersApi")

    @get("/<int:user_id>")
    @produces(MediaType.APPLICATION_JSON)
    async def get_user(self, req: Request, user_id: int) -> Response:
        """Returns a user by its ID."""
        return req.response.json({"id": user_id, "seen_by": req.state.seen_by})

    @post("/", status_code=HttpStatus.CREATED)
    @consumes(MediaType.APPLICATION_JSON)
    async def create_user(self, req: Request, user_data: UserData) -> Response[UserData]:
        """Creates a user from the JSON body."""
        return req.response.json(user_data)

    @delete("/<int:user_id>", status_code=HttpStatus.NO_CONTENT)
    async def delete_user(self, req: Request, user_id: int) -> Response:
        return req.response.no_content()

    @get("/<int:user_id>/link")
    async def link(self, req: Request, user_id: int) -> Response:
        # url_for takes "<Controller>.<method>" and the route parameters
        return req.response.json({"url": self.app.url_for("UsersApi.get_user", user_id=user_id)})

    @socket("/ws")
    async def echo(self, req: SocketRequest) -> None:
        await req.accept()
        while True:
            message = await req.receive()
            if message["type"] == "websocket.disconnect":
                break
            await req.res.send({"type": "websocket.send", "text": "Echo: " + message["text"]})


class Config(BaseConfig):
    APP_NAME: str = "Users"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [UsersApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
