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
    ITEMS,
    PG_CONNECT_ARGS,
    PG_URL,
    User,
    UserIn,
    search_answer,
    user_by_id,
    user_row,
)
from pyjolt import BaseConfig, HttpStatus, MediaType, PyJolt, Request, Response
from pyjolt import app as pyjolt_app
from pyjolt.controller import Controller, consumes, get, path, post, socket
from pyjolt.database.sql import AsyncSession, SqlDatabase

db = SqlDatabase()
pg = SqlDatabase(db_name="pg", configs_name="PG_DATABASE")


async def user_rows(session: AsyncSession) -> list[dict[str, Any]]:
    rows = (await session.execute(select(User).order_by(User.id))).scalars()
    return [user_row(u) for u in rows]


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

    @get("/json/list")
    async def items(self, req: Request) -> Response[Any]:
        return req.res.json(ITEMS)

    @get("/db/users")
    @db.readonly_session
    async def db_users(self, req: Request, session: AsyncSession) -> Response[Any]:
        return req.res.json(await user_rows(session))

    @get("/db/rw/users")
    @db.managed_session
    async def db_rw_users(self, req: Request, session: AsyncSession) -> Response[Any]:
        return req.res.json(await user_rows(session))

    @socket("/ws/echo")
    async def echo(self, req: Request) -> None:
        await req.accept()
        while True:
            message = await req.receive()
            if message["type"] == "websocket.disconnect":
                break
            await req.res.send({"type": "websocket.send", "text": message.get("text", "")})


@path("/pg")
class PgApi(Controller):
    @get("/users")
    @pg.readonly_session
    async def users(self, req: Request, session: AsyncSession) -> Response[Any]:
        return req.res.json(await user_rows(session))

    @get("/rw/users")
    @pg.managed_session
    async def rw_users(self, req: Request, session: AsyncSession) -> Response[Any]:
        return req.res.json(await user_rows(session))


class Config(BaseConfig):
    APP_NAME: str = "PyJolt bench"
    CONTROLLERS: list[Any] = [BenchApi, PgApi] if PG_URL else [BenchApi]
    EXTENSIONS: list[Any] = [db, pg] if PG_URL else [db]
    SQL_DATABASE: dict[str, Any] = {"DATABASE_URI": DATABASE_URL}
    PG_DATABASE: dict[str, Any] = {"DATABASE_URI": PG_URL, "CONNECT_ARGS": PG_CONNECT_ARGS}


@pyjolt_app(__name__, configs=Config)
class BenchApp(PyJolt):
    pass


app = BenchApp()
