"""Resources exist after the build: sqladmin mounted right after it lists PostgreSQL rows, and a
PyJolt app mounted in FastAPI answers from the database (with or without the lifespan
forwarded)."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqladmin import Admin, ModelView
from sqlalchemy import String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.database.sql import AsyncSession, SqlDatabase
from pyjolt.testing import PyJoltTestClient, make_app
from tests.pg_schema import postgres_schema
from tests.services import POSTGRES_URL


class Base(DeclarativeBase):
    pass


class Gadget(Base):
    __tablename__ = "gadget"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))


@pytest.fixture
async def schema() -> AsyncIterator[str]:
    """A PostgreSQL schema of this test with a ``gadget`` table of two rows."""
    seed = "INSERT INTO gadget (name) VALUES ('sprocket'), ('widget')"
    async with postgres_schema("pyjolt_obs", Base.metadata, seed) as name:
        yield name


def _app(schema: str, db: SqlDatabase) -> Any:
    @path("/gadgets")
    class GadgetApi(Controller):
        @get("/")
        @db.managed_session
        async def names(self, req: Request, session: AsyncSession) -> Response:
            rows = await session.execute(text("SELECT name FROM gadget ORDER BY id"))
            return req.res.json([name for (name,) in rows])

    section = {
        "DATABASE_URI": POSTGRES_URL,
        "CONNECT_ARGS": {"server_settings": {"search_path": schema}},
    }
    return make_app(controllers=[GadgetApi], EXTENSIONS=[db], SQL_DATABASE=section)


async def test_sqladmin_mounted_right_after_build_lists_rows(schema: str) -> None:
    db = SqlDatabase()
    application = _app(schema, db)
    admin = Admin(application, engine=db.engine)  # no start-up hook needed

    class GadgetAdmin(ModelView, model=Gadget):
        column_list = [Gadget.id, Gadget.name]

    admin.add_view(GadgetAdmin)
    async with PyJoltTestClient(application) as client:
        res = await client.get("/admin/gadget/list")
        assert res.status_code == 200, res.text[:500]
        assert "sprocket" in res.text and "widget" in res.text


async def test_mounted_in_fastapi_without_the_lifespan_forwarded(schema: str) -> None:
    db = SqlDatabase()
    pyjolt_app = _app(schema, db)
    api = FastAPI()
    api.mount("/py", pyjolt_app)
    transport = httpx.ASGITransport(app=api)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        res = await client.get("/py/gadgets")
        assert res.status_code == 200 and res.json() == ["sprocket", "widget"]
        assert (await client.get("/py/gadgets")).status_code == 200
    # nothing forwarded the shutdown: the parent's shutdown would call this
    await pyjolt_app.stop_started_lifespan()
    with pytest.raises(RuntimeError, match="shutdown"):
        db.engine  # noqa: B018 - disposed of by the shutdown


async def test_mounted_in_fastapi_with_the_documented_forwarding(schema: str) -> None:
    from asgi_lifespan import LifespanManager

    db = SqlDatabase()
    pyjolt_app = _app(schema, db)
    api = FastAPI(lifespan=lambda _: pyjolt_app.router.lifespan_context(pyjolt_app))
    api.mount("/py", pyjolt_app)
    async with LifespanManager(api):
        assert db.engine is not None
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            res = await client.get("/py/gadgets")
            assert res.status_code == 200 and res.json() == ["sprocket", "widget"]
    with pytest.raises(RuntimeError, match="shutdown"):
        db.engine  # noqa: B018 - the forwarded shutdown disposed of it
