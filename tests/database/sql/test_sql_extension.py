"""SqlDatabase: config, lifecycle, pool options, two databases in one app, imports."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from loguru import logger
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession as SAAsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

import pyjolt.database
from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path, post
from pyjolt.database.sql import (
    AsyncQuery,
    AsyncSession,
    SqlDatabase,
    SqlModel,
    create_declarative_base,
)
from pyjolt.database.sql.models import bases_for
from pyjolt.exceptions import ConfigurationError
from pyjolt.testing import PyJoltTestClient, make_app
from tests.database.sql.support import make_models, sqlite_tables
from tests.registration import route_controller
from tests.services import free_port


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (None, r"SQL_DATABASE\['DATABASE_URI'\] is required"),
        ({"SESSION_NAME": "s"}, r"SQL_DATABASE\['DATABASE_URI'\] is required"),
        ({"DATABASE_URI": "sqlite:///x.db"}, "synchronous driver 'sqlite'"),
        ({"DATABASE_URI": "nosuchdb+driver://h/db"}, "unknown database driver"),
        ({"DATABASE_URI": "not a url"}, "DATABASE_URI"),
        ({"DATABASE_URI": "sqlite+aiosqlite://", "DATABASE_URL": "x"}, "DATABASE_URL"),
        ({"DATABASE_URI": "sqlite+aiosqlite://", "SESSION_NAME": "a b"}, "SESSION_NAME"),
        ({"DATABASE_URI": "sqlite+aiosqlite://", "POOL_SIZE": 0}, "POOL_SIZE"),
    ],
)
def test_bad_config_refuses_to_start(section: dict[str, Any] | None, message: str) -> None:
    config = {} if section is None else {"SQL_DATABASE": section}
    with pytest.raises(ConfigurationError, match=message):
        make_app(EXTENSIONS=[SqlDatabase()], **config)


async def test_engine_made_at_build_and_disposed_at_shutdown(database: Any) -> None:
    # issue 19 changed this: the engine exists after the build (it used to wait for startup)
    db = SqlDatabase()
    app = make_app(EXTENSIONS=[db], SQL_DATABASE=database.section())
    built = db.engine
    async with PyJoltTestClient(app):
        engine = db.engine
        assert engine is built  # the lifespan uses the engine an admin may already hold
        session = db.create_session()
        assert isinstance(session, SAAsyncSession)
        assert (await session.execute(select(1))).scalar() == 1
        await session.close()
    with pytest.raises(RuntimeError, match="shutdown"):
        db.engine  # noqa: B018
    assert engine.pool.checkedout() == 0


async def test_pool_options_reach_the_engine(database: Any) -> None:
    db = SqlDatabase()
    section = database.section(
        POOL_SIZE=3, MAX_OVERFLOW=2, POOL_RECYCLE=60, POOL_PRE_PING=True, POOL_TIMEOUT=5
    )
    app = make_app(EXTENSIONS=[db], SQL_DATABASE=section)
    async with PyJoltTestClient(app):
        pool = db.engine.pool
        assert pool.size() == 3  # type: ignore[attr-defined]
        assert pool._max_overflow == 2  # type: ignore[attr-defined]
        assert pool._recycle == 60
        assert pool._pre_ping is True
        assert pool._timeout == 5  # type: ignore[attr-defined]


async def test_in_memory_sqlite_keeps_one_database() -> None:
    db = SqlDatabase()
    models = make_models()
    app = make_app(EXTENSIONS=[db], SQL_DATABASE={"DATABASE_URI": "sqlite+aiosqlite://"})
    async with PyJoltTestClient(app):
        await db.create_all(models.Base)
        async with db.session_scope() as session:
            session.add(models.User(fullname="Mem", email="mem@example.com"))
        async with db.readonly_scope() as session:
            assert await models.User.query(session).count() == 1


def test_relative_sqlite_path_resolves_against_base_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the working directory plays no part: the path is taken from BASE_PATH
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    db = SqlDatabase()
    make_app(
        EXTENSIONS=[db],
        BASE_PATH=str(tmp_path / "project"),
        SQL_DATABASE={"DATABASE_URI": "sqlite+aiosqlite:///./data/app.db"},
    )
    assert db.url.database == str(tmp_path / "project" / "data" / "app.db")


async def test_check_on_startup_fails_the_start() -> None:
    db = SqlDatabase()
    uri = f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/none"
    app = make_app(EXTENSIONS=[db], SQL_DATABASE={"DATABASE_URI": uri, "CHECK_ON_STARTUP": True})
    with pytest.raises(BaseException, match=r"(?i)connect|refused"):
        async with PyJoltTestClient(app):
            pass


async def test_show_sql_logs_statements(database: Any) -> None:
    lines: list[str] = []
    sink = logger.add(lambda m: lines.append(str(m)), level="INFO", format="{message}")
    try:
        db = SqlDatabase()
        app = make_app(EXTENSIONS=[db], SQL_DATABASE=database.section(SHOW_SQL=True))
        async with PyJoltTestClient(app), db.session_scope() as session:
            await session.execute(select(func.count()).select_from(select(1).subquery()))
    finally:
        logger.remove(sink)
    assert any("SQL [db]" in line and "count" in line for line in lines)


async def test_one_extension_on_several_apps(database: Any) -> None:
    db = SqlDatabase()
    models = make_models()
    for _ in range(2):
        app = make_app(EXTENSIONS=[db], SQL_DATABASE=database.section())
        async with PyJoltTestClient(app):
            await db.create_all(models.Base)
            async with db.session_scope() as session:
                session.add(models.User(fullname="A", email=f"{id(app)}@example.com"))
    async with PyJoltTestClient(app), db.readonly_scope() as session:
        assert await models.User.query(session).count() == 2


async def test_two_databases_in_one_app(database: Any, second_database: Any) -> None:
    main_db = SqlDatabase()
    other_db = SqlDatabase(db_name="other", configs_name="OTHER_DATABASE")
    main = make_models("db")
    other = make_models("other")
    assert main.User.__db_name__ == "db"
    assert other.User.__db_name__ == "other"

    @path("/both")
    class BothApi(Controller):
        @post("/<string:email>")
        @main_db.managed_session
        @other_db.managed_session
        async def add(
            self, req: Request, email: str, session: AsyncSession, other_session: AsyncSession
        ) -> Response:
            assert session is not other_session
            session.add(main.User(fullname="Main", email=email))
            other_session.add(other.User(fullname="Other", email=email))
            other_session.add(other.User(fullname="Other 2", email="2" + email))
            return req.response.json({"ok": True})

        @get("/")
        @other_db.readonly_session
        @main_db.readonly_session
        async def counts(
            self, req: Request, session: AsyncSession, other_session: AsyncSession
        ) -> Response:
            main_count = await main.User.query(session).count()
            return req.response.json([main_count, await other.User.query(other_session).count()])

    app = make_app(
        controllers=[BothApi],
        EXTENSIONS=[main_db, other_db],
        MODELS=[main.User, other.User],
        SQL_DATABASE=database.section(),
        OTHER_DATABASE=second_database.section(SESSION_NAME="other_session"),
    )
    assert main_db.models_metadata() == [main.Base.metadata]
    assert other_db.models_metadata() == [other.Base.metadata]
    async with PyJoltTestClient(app) as client:
        await main_db.create_all()
        await other_db.create_all()
        res = await client.post("/both/a@example.com")
        assert res.status_code == 200, res.text
        assert (await client.get("/both")).json() == [1, 2]


async def test_paginate_error_is_a_400(database: Any, models: SimpleNamespace) -> None:
    db = SqlDatabase()
    User = models.User

    async def page(self: Controller, req: Request, session: AsyncSession) -> Response:
        page = int(req.query_params.get("page", "1"))
        result = await User.query(session).paginate(page=page, per_page=2)
        return req.response.json({k: v for k, v in result.items() if k != "items"})

    api = route_controller("Api", "/users", get("/"), page, db.readonly_session)
    app = make_app(controllers=[api], EXTENSIONS=[db], SQL_DATABASE=database.section())
    async with PyJoltTestClient(app) as client:
        await db.create_all(models.Base)
        assert (await client.get("/users?page=1")).json()["pages"] == 0
        res = await client.get("/users?page=0")
        assert res.status_code == 400
        assert "page must be at least 1" in res.json()["message"]


def test_spec_import_paths() -> None:
    assert pyjolt.database.AsyncSession is SAAsyncSession
    assert AsyncSession is SAAsyncSession
    assert pyjolt.database.create_declerative_base is create_declarative_base
    assert pyjolt.database.create_declarative_base is create_declarative_base
    base = pyjolt.database.create_declerative_base()
    assert base.__db_name__ == "db"
    assert base.metadata is not create_declarative_base().metadata
    with pytest.raises(AttributeError):
        pyjolt.database.nope  # noqa: B018
    models = make_models()
    assert isinstance(models.User.query(SAAsyncSession()), AsyncQuery)


async def test_a_base_written_as_a_class(tmp_path: Path) -> None:
    class Base(SqlModel, DeclarativeBase):
        __db_name__ = "classy"

    class Item(Base):
        __tablename__ = "items"
        id: Mapped[int] = mapped_column(primary_key=True)

    assert bases_for("classy") == [Base]  # the models are not bases
    assert Base.metadata is not create_declarative_base("classy").metadata
    db = SqlDatabase(db_name="classy", configs_name="CLASSY")
    app = make_app(EXTENSIONS=[db], CLASSY={"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path}/c.db"})
    assert Base.metadata in db.models_metadata()  # found without MODELS
    async with PyJoltTestClient(app):
        await db.create_all()
        async with db.session_scope() as session:
            session.add(Item(id=7))
        async with db.readonly_scope() as session:
            assert [item.id for item in await Item.query(session).all()] == [7]
    assert sqlite_tables(tmp_path / "c.db") == {"items"}
    with pytest.raises(ValueError, match=r"^Empty.__db_name__ must be a non-empty string$"):

        class Empty(SqlModel, DeclarativeBase):
            __db_name__ = ""


def test_importing_pyjolt_database_is_lazy() -> None:
    code = (
        "import sys, pyjolt, pyjolt.database\n"
        "bad = [m for m in ('sqlalchemy', 'alembic', 'pymongo') if m in sys.modules]\n"
        "assert not bad, bad\n"
        "import pyjolt.database.sql\n"
        "assert 'sqlalchemy' in sys.modules and 'alembic' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
