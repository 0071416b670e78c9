"""Read-only sessions: set once per pooled connection, nothing per request, writes refused.

Runs on SQLite (a temp file), PostgreSQL and MariaDB (``mysql+aiomysql``).
"""

import os
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, event, func, select, text

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path, post
from pyjolt.database.sql import AsyncSession, SqlDatabase
from pyjolt.database.sql.pool import FairAsyncAdaptedQueuePool
from pyjolt.testing import PyJoltTestClient, make_app
from tests.services import POSTGRES_URL, require_port

MARIADB_URL = os.environ.get("PYJOLT_TEST_MARIADB_URL", "mysql+aiomysql://root@127.0.0.1:3306/test")
REQUESTS = 5


@pytest.fixture(params=["sqlite", "postgresql", "mariadb"])
def uri(request: pytest.FixtureRequest, tmp_path: Any) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'ro.db'}"
    if request.param == "postgresql":
        require_port("127.0.0.1", 5432, "PostgreSQL")
        return POSTGRES_URL
    require_port("127.0.0.1", 3306, "MariaDB")
    return MARIADB_URL


@pytest.fixture
async def app_and_db(uri: str) -> AsyncIterator[tuple[Any, SqlDatabase, Table]]:
    """An app reading and writing a table of its own (a random name: the servers are shared)."""
    db = SqlDatabase()
    table = Table(
        f"pyjolt_ro_{uuid.uuid4().hex[:10]}",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String(20)),
    )

    @path("/")
    class Api(Controller):
        @get("/rows")
        @db.readonly_session
        async def rows(self, req: Request, session: AsyncSession) -> Response:
            count = (await session.execute(select(func.count()).select_from(table))).scalar()
            return req.res.json({"count": count})

        @post("/sneaky")
        @db.readonly_session
        async def sneaky(self, req: Request, session: AsyncSession) -> Response:
            await session.execute(table.insert().values(name="sneaky"))
            await session.commit()
            return req.res.json({"wrote": True})

        @post("/rows")
        @db.managed_session
        async def add(self, req: Request, session: AsyncSession) -> Response:
            await session.execute(table.insert().values(name="ok"))
            return req.res.json({"wrote": True})

    app = make_app(controllers=[Api], EXTENSIONS=[db], SQL_DATABASE={"DATABASE_URI": uri})
    async with PyJoltTestClient(app) as client:
        async with db.engine.begin() as conn:
            await conn.run_sync(table.metadata.create_all)
        try:
            yield client, db, table
        finally:
            async with db.engine.begin() as conn:
                await conn.run_sync(table.metadata.drop_all)


async def test_only_the_handlers_statements_per_request(app_and_db: Any) -> None:
    client, db, table = app_and_db
    seen: dict[str, list[str]] = {"sql": [], "commit": [], "begin": [], "connect": []}
    engines = {db.engine.sync_engine, db.readonly_engine.sync_engine}
    listeners = [
        ("before_cursor_execute", lambda c, cur, stmt, *a: seen["sql"].append(stmt)),
        ("commit", lambda conn: seen["commit"].append("commit")),
        ("begin", lambda conn: seen["begin"].append("begin")),
    ]
    for engine in engines:
        for name, fn in listeners:
            event.listen(engine, name, fn)
    event.listen(
        db.readonly_engine.sync_engine.pool, "connect", lambda *a: seen["connect"].append("")
    )
    try:
        for _ in range(REQUESTS):
            res = await client.get("/rows")
            assert res.json() == {"count": 0}
    finally:
        for engine in engines:
            for name, fn in listeners:
                event.remove(engine, name, fn)
    # one SELECT per request and nothing else: no PRAGMA / SET / SHOW around it, no commit
    assert len(seen["sql"]) == REQUESTS, seen["sql"]
    assert all(s.lstrip().upper().startswith("SELECT") for s in seen["sql"]), seen["sql"]
    assert table.name in seen["sql"][0]
    assert seen["commit"] == []
    # at most the driver's own transaction per request (none in autocommit mode)
    assert len(seen["begin"]) <= REQUESTS
    # the read-only setting is made when a connection opens: at most once for these requests
    assert len(seen["connect"]) <= 1


async def test_writes_are_refused_and_the_read_write_pool_is_untouched(app_and_db: Any) -> None:
    client, db, table = app_and_db
    for _ in range(3):
        assert (await client.post("/sneaky")).status_code == 500
        assert (await client.post("/rows")).status_code == 200
    assert (await client.get("/rows")).json() == {"count": 3}
    async with db.readonly_scope() as session:
        with pytest.raises(Exception, match=r"(?i)read.?only|readonly"):
            await session.execute(table.delete())
    async with db.session_scope() as session:
        names = (await session.execute(select(table.c.name))).scalars().all()
    assert names == ["ok", "ok", "ok"]


async def test_both_pools_serve_waiting_checkouts_in_arrival_order(app_and_db: Any) -> None:
    _, db, _ = app_and_db
    for engine in (db.engine, db.readonly_engine):
        assert type(engine.sync_engine.pool) is FairAsyncAdaptedQueuePool


async def test_postgresql_read_only_from_the_startup_packet() -> None:
    require_port("127.0.0.1", 5432, "PostgreSQL")
    db = SqlDatabase()
    app = make_app(EXTENSIONS=[db], SQL_DATABASE={"DATABASE_URI": POSTGRES_URL})
    async with PyJoltTestClient(app):
        async with db.readonly_scope() as session:
            setting = await session.execute(text("SHOW default_transaction_read_only"))
            assert setting.scalar() == "on"
        async with db.session_scope() as session:
            setting = await session.execute(text("SHOW default_transaction_read_only"))
            assert setting.scalar() == "off"


async def test_in_memory_sqlite_has_no_second_pool() -> None:
    db = SqlDatabase()
    app = make_app(EXTENSIONS=[db], SQL_DATABASE={"DATABASE_URI": "sqlite+aiosqlite://"})
    async with PyJoltTestClient(app):
        assert db.readonly_engine is db.engine
        async with db.readonly_scope() as session:
            with pytest.raises(Exception, match=r"(?i)readonly"):
                await session.execute(text("CREATE TABLE t (x INTEGER)"))
        async with db.session_scope() as session:
            await session.execute(text("CREATE TABLE t (x INTEGER)"))


def _sqlite_app(tmp_path: Any, db: SqlDatabase, statements: list[str]) -> Any:
    @path("/")
    class Api(Controller):
        @get("/read")
        @db.readonly_session
        async def read(self, req: Request, session: AsyncSession) -> Response:
            for statement in statements:
                await session.execute(text(statement))
            return req.res.json({"one": (await session.execute(text("SELECT 1"))).scalar()})

    section = {"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'r.db'}", "POOL_SIZE": 1}
    return make_app(controllers=[Api], EXTENSIONS=[db], SQL_DATABASE=section)


async def test_sqlite_read_only_requests_make_no_rollback_trip(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each aiosqlite call is a trip to the connection's thread: none for a no-op rollback."""
    db = SqlDatabase()
    async with PyJoltTestClient(_sqlite_app(tmp_path, db, [])) as client:
        assert (await client.get("/read")).json() == {"one": 1}
        async with db.readonly_engine.connect() as conn:
            adapter = type((await conn.get_raw_connection()).dbapi_connection)
        rollbacks: list[object] = []
        real = adapter.rollback
        monkeypatch.setattr(adapter, "rollback", lambda self: rollbacks.append(real(self)))
        for _ in range(REQUESTS):
            assert (await client.get("/read")).json() == {"one": 1}
        assert rollbacks == []


async def test_sqlite_a_transaction_begun_by_a_read_only_handler_ends_at_check_in(
    tmp_path: Any,
) -> None:
    db = SqlDatabase()
    async with PyJoltTestClient(_sqlite_app(tmp_path, db, ["BEGIN"])) as client:
        assert (await client.get("/read")).json() == {"one": 1}
        async with db.readonly_engine.connect() as conn:
            raw = await conn.get_raw_connection()
            assert raw.driver_connection is not None
            assert not raw.driver_connection.in_transaction
