"""managed_session / readonly_session on controller methods and plain functions."""

import functools
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel
from sqlalchemy import func, select

from pyjolt import HttpStatus, MediaType, Request, Response
from pyjolt.controller import Controller, consumes, get, path, post, produces
from pyjolt.database.sql import AsyncSession, SqlDatabase
from pyjolt.exceptions import NotFound, abort
from pyjolt.testing import PyJoltTestClient, make_app
from tests.registration import assert_refused, route_controller


class UserIn(BaseModel):
    fullname: str
    email: str


async def count_users(db: SqlDatabase, User: Any) -> int:
    async with db.session_scope() as session:
        return int(await session.scalar(select(func.count()).select_from(User)) or 0)


def users_api(db: SqlDatabase, User: Any) -> type[Controller]:
    @path("/users")
    class UsersApi(Controller):
        @post("/")
        @consumes(MediaType.APPLICATION_JSON)
        @produces(MediaType.APPLICATION_JSON)
        @db.managed_session
        async def create(self, req: Request, data: UserIn, session: AsyncSession) -> Response:
            user = User(fullname=data.fullname, email=data.email)
            session.add(user)
            await session.flush()
            return req.response.json({"id": user.id}).status(HttpStatus.CREATED)

        # managed_session outermost, above the route decorator
        @db.managed_session
        @post("/fail/<string:how>")
        async def create_then_fail(self, req: Request, how: str, session: AsyncSession) -> Response:
            session.add(User(fullname="Doomed", email=f"{how}@example.com"))
            await session.flush()
            if how == "abort":
                abort("refused", status_code=HttpStatus.CONFLICT)
            if how == "notfound":
                raise NotFound("gone")
            raise RuntimeError("boom")

        @get("/")
        @db.readonly_session
        async def list_users(self, req: Request, session: AsyncSession) -> Response:
            users = await User.query(session).order_by(User.id).all()
            return req.response.json([u.email for u in users])

        @post("/readonly/<string:how>")
        @db.readonly_session
        async def readonly_write(self, req: Request, how: str, session: AsyncSession) -> Response:
            session.add(User(fullname="Sneaky", email=f"{how}@example.com"))
            if how == "commit":
                await session.commit()
            else:
                await session.flush()
            return req.response.json({"written": True})

    return UsersApi


@pytest.fixture
async def api(database: Any, models: SimpleNamespace) -> Any:
    db = SqlDatabase()
    app = make_app(
        controllers=[users_api(db, models.User)],
        EXTENSIONS=[db],
        # one pooled connection: a read-only setting that leaked would break the next write
        SQL_DATABASE=database.section(POOL_SIZE=1, MAX_OVERFLOW=0, POOL_TIMEOUT=10),
    )
    async with PyJoltTestClient(app) as client:
        await db.create_all(models.Base)
        yield SimpleNamespace(client=client, db=db, User=models.User)


async def test_managed_session_commits_on_success(api: SimpleNamespace) -> None:
    res = await api.client.post("/users", json={"fullname": "Ada", "email": "ada@example.com"})
    assert res.status_code == 201
    assert res.json()["id"] >= 1
    assert await count_users(api.db, api.User) == 1
    res = await api.client.get("/users")
    assert res.json() == ["ada@example.com"]


@pytest.mark.parametrize(("how", "status"), [("abort", 409), ("notfound", 404), ("crash", 500)])
async def test_managed_session_rolls_back_on_any_exception(
    api: SimpleNamespace, how: str, status: int
) -> None:
    res = await api.client.post(f"/users/fail/{how}")
    assert res.status_code == status
    assert await count_users(api.db, api.User) == 0
    # the connection went back to the pool clean: the next write works
    res = await api.client.post("/users", json={"fullname": "Ada", "email": "ada@example.com"})
    assert res.status_code == 201
    assert await count_users(api.db, api.User) == 1


@pytest.mark.parametrize("how", ["flush", "commit"])
async def test_readonly_session_refuses_writes(api: SimpleNamespace, how: str) -> None:
    res = await api.client.post(f"/users/readonly/{how}")
    assert res.status_code == 500
    assert await count_users(api.db, api.User) == 0
    # the read-only setting did not stick to the pooled connection
    res = await api.client.post("/users", json={"fullname": "Ada", "email": "ada@example.com"})
    assert res.status_code == 201
    assert (await api.client.get("/users")).json() == ["ada@example.com"]


async def test_readonly_session_rejects_raw_sql_write(api: SimpleNamespace) -> None:
    db, User = api.db, api.User

    @db.readonly_session
    async def sneaky(session: AsyncSession) -> None:
        await session.execute(User.__table__.insert().values(fullname="X", email="x@example.com"))

    with pytest.raises(Exception, match=r"(?i)read-?only"):
        await sneaky()
    assert await count_users(db, User) == 0


async def test_plain_async_functions(api: SimpleNamespace) -> None:
    db, User = api.db, api.User

    @db.managed_session
    async def add_user(email: str, *, session: AsyncSession) -> int:
        user = User(fullname="Job", email=email)
        session.add(user)
        await session.flush()
        return int(user.id)

    @db.managed_session
    async def add_then_fail(session: AsyncSession) -> None:
        await add_user("inner@example.com", session=session)  # joins this session
        raise ValueError("job failed")

    @db.readonly_session
    async def emails(session: AsyncSession) -> list[str]:
        return [u.email for u in await User.query(session).order_by(User.id).all()]

    assert await add_user("job@example.com") >= 1
    with pytest.raises(ValueError, match="job failed"):
        await add_then_fail()
    assert await emails() == ["job@example.com"]
    assert add_user.__name__ == "add_user"


async def test_decorating_a_sync_function_is_an_error() -> None:
    db = SqlDatabase()

    def not_async(session: AsyncSession) -> None:
        pass

    with pytest.raises(TypeError, match="async function"):
        db.managed_session(not_async)


async def test_session_name_from_config(database: Any, models: SimpleNamespace) -> None:
    db = SqlDatabase()
    User = models.User

    async def count(self: Controller, req: Request, db_session: AsyncSession) -> Response:
        return req.response.json({"count": await User.query(db_session).count()})

    api = route_controller("Api", "/", get("/count"), count, db.readonly_session)
    section = database.section(SESSION_NAME="db_session")
    app = make_app(controllers=[api], EXTENSIONS=[db], SQL_DATABASE=section)
    async with PyJoltTestClient(app) as client:
        await db.create_all(models.Base)
        res = await client.get("/count")
        assert res.status_code == 200
        assert res.json() == {"count": 0}


async def test_under_another_wrapping_decorator(database: Any, models: SimpleNamespace) -> None:
    db = SqlDatabase(session_name="db_session")
    User = models.User

    def traced(fn: Any) -> Any:
        @functools.wraps(fn)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            res = await fn(*args, **kwargs)
            res.headers["x-traced"] = "1"
            return res

        return wrapper

    @path("/")
    class Api(Controller):
        @get("/count")
        @traced
        @db.managed_session
        async def count(self, req: Request, db_session: AsyncSession) -> Response:
            db_session.add(User(fullname="T", email="t@example.com"))
            await db_session.flush()
            return req.response.json({"count": await User.query(db_session).count()})

    app = make_app(controllers=[Api], EXTENSIONS=[db], SQL_DATABASE=database.section())
    async with PyJoltTestClient(app) as client:
        await db.create_all(models.Base)
        res = await client.get("/count")
        assert res.status_code == 200
        assert res.json() == {"count": 1}
        assert res.headers["x-traced"] == "1"
        assert await count_users(db, User) == 1


def test_session_decorator_on_a_handler_without_session_fails_at_startup(tmp_path: Any) -> None:
    db = SqlDatabase()

    async def count(self: Controller, req: Request) -> Response:
        return req.res

    assert_refused(
        r"NoSessionApi.count: a decorator injects 'session' but the handler has no "
        r"parameter named 'session'",
        [route_controller("NoSessionApi", "/r", get("/"), count, db.readonly_session)],
        EXTENSIONS=[db],
        SQL_DATABASE={"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path}/x.db"},
    )
