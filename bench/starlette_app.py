"""The bench app in raw Starlette: plain ``Route``s, ``JSONResponse``, pydantic by hand.

Serve: ``uvicorn bench.starlette_app:app``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

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


async def hello(request: Request) -> JSONResponse:
    return JSONResponse(HELLO)


async def get_user(request: Request) -> JSONResponse:
    return JSONResponse(user_by_id(request.path_params["user_id"]))


async def search(request: Request) -> JSONResponse:
    """Three query parameters checked by hand (what the frameworks do for typed ones)."""
    params = request.query_params
    try:
        q = params["q"]
        page = int(params.get("page", 1))
        per_page = int(params.get("per_page", 10))
    except (KeyError, ValueError) as exc:
        return JSONResponse({"detail": str(exc)}, 422)
    if len(q) > 50 or page < 1 or not 1 <= per_page <= 100:
        return JSONResponse({"detail": "out of range"}, 422)
    return JSONResponse(search_answer(q, page, per_page))


async def create_user(request: Request) -> JSONResponse:
    try:
        user = UserIn.model_validate_json(await request.body())
    except ValidationError as exc:
        return JSONResponse({"detail": exc.errors(include_url=False, include_input=False)}, 422)
    return JSONResponse(user.model_dump(), status_code=201)


async def items(request: Request) -> JSONResponse:
    return JSONResponse(ITEMS)


def db_users(key: str, *, write: bool) -> Callable[[Request], Awaitable[JSONResponse]]:
    """The users list from database ``key``: in a plain session, or in a committed one."""

    async def endpoint(request: Request) -> JSONResponse:
        sessionmaker: async_sessionmaker[AsyncSession] = state[key]
        scope = sessionmaker.begin() if write else sessionmaker()
        async with scope as session:
            users = (await session.execute(select(User).order_by(User.id))).scalars()
            return JSONResponse([user_row(u) for u in users])

    return endpoint


async def echo(websocket: WebSocket) -> None:
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    engines = [create_async_engine(DATABASE_URL)]
    state["sessionmaker"] = async_sessionmaker(engines[0], expire_on_commit=False)
    if PG_URL:
        engines.append(create_async_engine(PG_URL, connect_args=PG_CONNECT_ARGS))
        state["pg"] = async_sessionmaker(engines[1], expire_on_commit=False)
    yield
    for engine in engines:
        await engine.dispose()


routes: list[Any] = [
    Route("/hello", hello),
    Route("/users/{user_id:int}", get_user),
    Route("/search", search),
    Route("/users", create_user, methods=["POST"]),
    Route("/json/list", items),
    Route("/db/users", db_users("sessionmaker", write=False)),
    Route("/db/rw/users", db_users("sessionmaker", write=True)),
    WebSocketRoute("/ws/echo", echo),
]
if PG_URL:
    routes += [
        Route("/pg/users", db_users("pg", write=False)),
        Route("/pg/rw/users", db_users("pg", write=True)),
    ]

app = Starlette(routes=routes, lifespan=lifespan)
