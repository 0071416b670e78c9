"""A small notes API using query, header and cookie parameters, bodies, a declared 201/204
and a documented 404: what schemathesis checks against its own document."""

from __future__ import annotations

import enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from pyjolt import Cookie, Header, HttpStatus, MediaType, Query, Request, Response
from pyjolt.controller import (
    Controller,
    Descriptor,
    consumes,
    delete,
    get,
    open_api_docs,
    patch,
    path,
    post,
)
from pyjolt.testing import make_app


class Priority(enum.Enum):
    LOW = "low"
    HIGH = "high"


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=200)
    priority: Priority = Priority.LOW
    tags: list[Annotated[str, Field(max_length=20)]] = Field(default_factory=list, max_length=5)


class NotePatch(BaseModel):
    text: str | None = Field(default=None, min_length=1, max_length=200)
    priority: Priority | None = None


class NoteOut(BaseModel):
    id: int
    text: str
    priority: Priority
    tags: list[str]


class Page(BaseModel):
    items: list[NoteOut]
    page: int
    per_page: int
    total: int


class Paging(BaseModel):
    page: int = Field(1, ge=1, le=1000)
    per_page: int = Field(10, ge=1, le=100)


class Problem(BaseModel):
    message: str


class Store:
    """An in-memory store (one per app)."""

    def __init__(self) -> None:
        self.notes: dict[int, dict[str, Any]] = {}
        self.next_id = 1

    def add(self, note: NoteIn) -> dict[str, Any]:
        row = {"id": self.next_id, **note.model_dump(mode="json")}
        self.notes[self.next_id] = row
        self.next_id += 1
        return row


@path("/notes", tags=["notes"])
class NotesApi(Controller):
    @property
    def store(self) -> Store:
        store: Store = self.app.state.store
        return store

    @get("/")
    async def list_notes(
        self,
        req: Request,
        paging: Annotated[Paging, Query()],
        priority: Priority | None = None,
        tag: list[Annotated[str, Field(max_length=20)]] | None = None,
        order: Literal["asc", "desc"] = "asc",
    ) -> Response[Page]:
        """Lists notes, filtered and paged."""
        rows = [
            n
            for n in self.store.notes.values()
            if (priority is None or n["priority"] == priority.value)
            and (not tag or set(tag) & set(n["tags"]))
        ]
        rows.sort(key=lambda n: n["id"], reverse=order == "desc")
        start = (paging.page - 1) * paging.per_page
        return req.res.json(
            {
                "items": rows[start : start + paging.per_page],
                "page": paging.page,
                "per_page": paging.per_page,
                "total": len(rows),
            }
        )

    @post("/", status_code=HttpStatus.CREATED)
    @consumes(MediaType.APPLICATION_JSON)
    async def create(
        self,
        req: Request,
        note: NoteIn,
        request_id: Annotated[
            Annotated[str, Field(max_length=64)] | None, Header(alias="X-Request-Id")
        ] = None,
    ) -> Response[NoteOut]:
        """Creates a note."""
        row = self.store.add(note)
        if request_id is not None:
            req.res.set_header("X-Request-Id", request_id)
        return req.res.json(row)

    @get("/<int:note_id>")
    @open_api_docs(Descriptor(HttpStatus.NOT_FOUND, "No such note", body=Problem))
    async def read(
        self,
        req: Request,
        note_id: int,
        fields: list[Literal["id", "text", "priority", "tags"]] | None = None,
        theme: Annotated[Literal["dark", "light"], Cookie()] = "light",
    ) -> Response[NoteOut]:
        """Reads one note."""
        row = self.store.notes.get(note_id)
        if row is None:
            return req.res.json({"message": f"note {note_id} not found"}).status(404)
        return req.res.json(row)

    @patch("/<int:note_id>")
    @consumes(MediaType.APPLICATION_JSON)
    @open_api_docs(Descriptor(HttpStatus.NOT_FOUND, "No such note", body=Problem))
    async def update(self, req: Request, note_id: int, changes: NotePatch) -> Response[NoteOut]:
        """Changes a note."""
        row = self.store.notes.get(note_id)
        if row is None:
            return req.res.json({"message": f"note {note_id} not found"}).status(404)
        row.update(changes.model_dump(mode="json", exclude_none=True))
        return req.res.json(row)

    @delete("/<int:note_id>", status_code=HttpStatus.NO_CONTENT)
    @open_api_docs(Descriptor(HttpStatus.NOT_FOUND, "No such note", body=Problem))
    async def remove(self, req: Request, note_id: int, force: bool = False) -> Response:
        """Deletes a note."""
        if self.store.notes.pop(note_id, None) is None and not force:
            return req.res.json({"message": f"note {note_id} not found"}).status(404)
        return req.res

    @get("/search")
    async def search(
        self,
        req: Request,
        q: Annotated[str, Field(min_length=1, max_length=50)],
        limit: Annotated[int, Field(ge=1, le=50)] = 10,
        tenant: Annotated[
            Annotated[int, Field(ge=0, le=10_000)] | None, Header(alias="X-Tenant")
        ] = None,
    ) -> list[NoteOut]:
        """Searches note texts."""
        found = [n for n in self.store.notes.values() if q.lower() in n["text"].lower()]
        return [NoteOut.model_validate(n) for n in found[:limit]]


def create_app(**overrides: Any) -> Any:
    app = make_app(controllers=[NotesApi], APP_NAME="Notes", DEBUG=True, **overrides)
    app.state.store = Store()
    return app
