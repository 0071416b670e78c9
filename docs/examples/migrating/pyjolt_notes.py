"""The notes API in PyJolt (the right column of docs/migrating.md)."""

import os
from typing import Annotated

from pydantic import BaseModel

from pyjolt import BaseConfig, Header, HttpStatus, PyJolt, Request, abort, app
from pyjolt.controller import Controller, get, path, post

NOTES: dict[int, str] = {1: "buy milk"}


class NoteIn(BaseModel):
    text: str


class NoteOut(NoteIn):
    id: int


@path("/notes")
class NotesApi(Controller):
    @get("/<int:note_id>")
    async def get_note(self, req: Request, note_id: int, upper: bool = False) -> NoteOut:
        if note_id not in NOTES:
            abort(f"Note {note_id} not found", status_code=HttpStatus.NOT_FOUND)
        text = NOTES[note_id]
        return NoteOut(id=note_id, text=text.upper() if upper else text)

    @post("", status_code=HttpStatus.CREATED)
    async def create_note(
        self,
        req: Request,
        note: NoteIn,
        x_client: Annotated[str | None, Header(alias="X-Client")] = None,
    ) -> NoteOut:
        note_id = max(NOTES) + 1
        NOTES[note_id] = note.text
        return NoteOut(id=note_id, text=note.text)


class Config(BaseConfig):
    APP_NAME: str = "Notes"
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [NotesApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
