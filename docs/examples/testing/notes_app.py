"""The app under test: a small notes API with a websocket."""

import os
from typing import Any

from pydantic import BaseModel

from pyjolt import BaseConfig, HttpStatus, MediaType, PyJolt, Request, app
from pyjolt.controller import Controller, consumes, get, path, post, socket
from pyjolt.request import SocketRequest


class Note(BaseModel):
    text: str


@path("/notes")
class NotesApi(Controller):
    @get("/")
    async def list_notes(self, req: Request) -> dict[str, Any]:
        return {"notes": self.app.state.notes, "app": self.app.app_name}

    @post("/", status_code=HttpStatus.CREATED)
    @consumes(MediaType.APPLICATION_JSON)
    async def add_note(self, req: Request, note: Note) -> Note:
        self.app.state.notes.append(note.text)
        return note

    @socket("/live")
    async def live(self, req: SocketRequest) -> None:
        await req.accept()
        text = await req.receive_text()
        await req.send_json({"echo": text})
        await req.close()


class Config(BaseConfig):
    APP_NAME: str = "Notes"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [NotesApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    def __init__(self) -> None:
        super().__init__()
        self.state.notes = []
