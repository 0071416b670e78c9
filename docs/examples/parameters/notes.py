"""Typed query parameters, headers and cookies, a declared status and a plain return value."""

import os
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from pyjolt import BaseConfig, Cookie, Header, HttpStatus, MediaType, PyJolt, Query, Request, app
from pyjolt.controller import Controller, consumes, get, path, post


class Paging(BaseModel):
    limit: int = Field(default=10, ge=1, le=100)
    offset: int = Field(default=0, ge=0)


FIRST_PAGE = Paging()


class Color(StrEnum):
    RED = "red"
    BLUE = "blue"


class NoteIn(BaseModel):
    text: str = Field(min_length=1)


class NoteOut(BaseModel):
    id: int
    text: str


@path("/notes")
class NotesApi(Controller):
    @get("/")
    async def list_notes(
        self,
        req: Request,
        page: Annotated[int, Field(ge=1)] = 1,
        tag: list[str] | None = None,
        order: Literal["asc", "desc"] = "asc",
        color: Color | None = None,
        request_id: Annotated[str | None, Header(alias="X-Request-Id")] = None,
        theme: Annotated[str, Cookie()] = "light",
        paging: Annotated[Paging, Query()] = FIRST_PAGE,
    ) -> dict[str, object]:
        return {
            "page": page,
            "tag": tag,
            "order": order,
            "color": color,
            "request_id": request_id,
            "theme": theme,
            "limit": paging.limit,
            "offset": paging.offset,
        }

    @post("/", status_code=HttpStatus.CREATED)
    @consumes(MediaType.APPLICATION_JSON)
    async def create(self, req: Request, note: NoteIn) -> NoteOut:
        return NoteOut(id=1, text=note.text)


class Config(BaseConfig):
    BASE_PATH: str = os.path.dirname(__file__)
    CONTROLLERS: list[str | type] = [NotesApi]


@app(__name__, configs=Config)
class Application(PyJolt):
    pass
