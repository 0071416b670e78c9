"""The bench app in FastAPI. Serve: ``uvicorn bench.fastapi_app:app``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from bench.common import (
    DATABASE_URL,
    HELLO,
    User,
    UserIn,
    search_answer,
    user_by_id,
    user_row,
)

state: dict[str, Any] = {}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    engine = create_async_engine(DATABASE_URL)
    state["sessionmaker"] = async_sessionmaker(engine, expire_on_commit=False)
    yield
    await engine.dispose()


async def get_session() -> AsyncIterator[AsyncSession]:
    async with state["sessionmaker"]() as session:
        yield session


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


@app.get("/db/users")
async def db_users(session: Annotated[AsyncSession, Depends(get_session)]) -> list[dict[str, Any]]:
    users = (await session.execute(select(User).order_by(User.id))).scalars()
    return [user_row(u) for u in users]
