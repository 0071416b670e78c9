"""The notes API in FastAPI (the left column of docs/migrating.md)."""

from typing import Annotated

from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel

app = FastAPI(title="Notes")

NOTES: dict[int, str] = {1: "buy milk"}


class NoteIn(BaseModel):
    text: str


class NoteOut(NoteIn):
    id: int


@app.get("/notes/{note_id}")
async def get_note(note_id: int, upper: bool = False) -> NoteOut:
    if note_id not in NOTES:
        raise HTTPException(status_code=404, detail=f"Note {note_id} not found")
    text = NOTES[note_id]
    return NoteOut(id=note_id, text=text.upper() if upper else text)


@app.post("/notes", status_code=201)
async def create_note(note: NoteIn, x_client: Annotated[str | None, Header()] = None) -> NoteOut:
    note_id = max(NOTES) + 1
    NOTES[note_id] = note.text
    return NoteOut(id=note_id, text=note.text)
