"""The bench app in FastAPI. Serve: ``uvicorn bench.fastapi_app:app``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, WebSocket, WebSocketDisconnect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

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

state: dict[str, Any] = {}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    engines = [create_async_engine(DATABASE_URL)]
    state["sessionmaker"] = async_sessionmaker(engines[0], expire_on_commit=False)
    if PG_URL:
        engines.append(create_async_engine(PG_URL, connect_args=PG_CONNECT_ARGS))
        state["pg"] = async_sessionmaker(engines[1], expire_on_commit=False)
    yield
    for engine in engines:
        await engine.dispose()


def session_dependency(key: str, *, write: bool) -> Callable[[], AsyncIterator[AsyncSession]]:
    async def get_session() -> AsyncIterator[AsyncSession]:
        sessionmaker: async_sessionmaker[AsyncSession] = state[key]
        async with sessionmaker.begin() if write else sessionmaker() as session:
            yield session

    return get_session


app = FastAPI(lifespan=lifespan)


@app.get("/hello")
async def hello() -> dict[str, Any]:
    return HELLO


@app.get("/users/{user_id:int}")
async def get_user(user_id: int) -> dict[str, Any]:
    return user_by_id(user_id)


@app.get("/search")
async def search(
    q: Annotated[str, Query(max_length=50)],
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 10,
) -> dict[str, Any]:
    return search_answer(q, page, per_page)


@app.post("/users", status_code=201)
async def create_user(user: UserIn) -> UserIn:
    return user


@app.get("/json/list")
async def items() -> list[dict[str, Any]]:
    return ITEMS


# module-level names: the annotations are strings resolved in this module's namespace
SqliteRead = Annotated[AsyncSession, Depends(session_dependency("sessionmaker", write=False))]
SqliteWrite = Annotated[AsyncSession, Depends(session_dependency("sessionmaker", write=True))]
PgRead = Annotated[AsyncSession, Depends(session_dependency("pg", write=False))]
PgWrite = Annotated[AsyncSession, Depends(session_dependency("pg", write=True))]


async def user_rows(session: AsyncSession) -> list[dict[str, Any]]:
    users = (await session.execute(select(User).order_by(User.id))).scalars()
    return [user_row(u) for u in users]


@app.get("/db/users")
async def db_users(session: SqliteRead) -> list[dict[str, Any]]:
    return await user_rows(session)


@app.get("/db/rw/users")
async def db_rw_users(session: SqliteWrite) -> list[dict[str, Any]]:
    return await user_rows(session)


if PG_URL:

    @app.get("/pg/users")
    async def pg_users(session: PgRead) -> list[dict[str, Any]]:
        return await user_rows(session)

    @app.get("/pg/rw/users")
    async def pg_rw_users(session: PgWrite) -> list[dict[str, Any]]:
        return await user_rows(session)


@app.websocket("/ws/echo")
async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass
