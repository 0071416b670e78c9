"""The bench app in PyJolt, with its default config (CORS on, INFO logging, DEBUG off).

Serve: ``uvicorn bench.pyjolt_app:app``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import select

from bench.common import (
    DATABASE_URL,
    HELLO,
    User,
    UserIn,
    search_answer,
    user_by_id,
    user_row,
)
from pyjolt import BaseConfig, HttpStatus, MediaType, PyJolt, Request, Response
from pyjolt import app as pyjolt_app
from pyjolt.controller import Controller, consumes, get, path, post
from pyjolt.database.sql import AsyncSession, SqlDatabase

db = SqlDatabase()


@path("/")
class BenchApi(Controller):
    @get("/hello")
    async def hello(self, req: Request) -> Response[Any]:
        return req.res.json(HELLO)

    @get("/users/<int:user_id>")
    async def get_user(self, req: Request, user_id: int) -> Response[Any]:
        return req.res.json(user_by_id(user_id))

    @get("/search")
    async def search(
        self,
        req: Request,
        q: Annotated[str, Field(max_length=50)],
        page: Annotated[int, Field(ge=1)] = 1,
        per_page: Annotated[int, Field(ge=1, le=100)] = 10,
    ) -> Response[Any]:
        return req.res.json(search_answer(q, page, per_page))

    @post("/users")
    @consumes(MediaType.APPLICATION_JSON)
    async def create_user(self, req: Request, data: UserIn) -> Response[UserIn]:
        return req.res.json(data).status(HttpStatus.CREATED)

    @get("/db/users")
    @db.managed_session
    async def db_users(self, req: Request, session: AsyncSession) -> Response[Any]:
        users = (await session.execute(select(User).order_by(User.id))).scalars()
        return req.res.json([user_row(u) for u in users])


class Config(BaseConfig):
    APP_NAME: str = "PyJolt bench"
    CONTROLLERS: list[Any] = [BenchApi]
    EXTENSIONS: list[Any] = [db]
    SQL_DATABASE: dict[str, Any] = {"DATABASE_URI": DATABASE_URL}


@pyjolt_app(__name__, configs=Config)
class BenchApp(PyJolt):
    pass


app = BenchApp()
