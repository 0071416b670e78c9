"""The first-come-first-served pool of the asyncio engines (``pyjolt.database.sql.pool``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool, StaticPool

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.database.sql import AsyncSession, SqlDatabase
from pyjolt.database.sql.pool import FairAsyncAdaptedQueuePool
from pyjolt.testing import PyJoltTestClient, make_app


@pytest.fixture
async def engine(tmp_path: Any) -> AsyncIterator[AsyncEngine]:
    """A one-connection fair pool on an SQLite file."""
    one = create_async_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'pool.db'}",
        poolclass=FairAsyncAdaptedQueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=5,
    )
    try:
        yield one
    finally:
        assert one.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        await one.dispose()


async def _use(engine: AsyncEngine, name: str, served: list[str]) -> None:
    async with engine.connect() as conn:
        served.append(name)
        await conn.execute(text("SELECT 1"))


async def _queued(engine: AsyncEngine, count: int) -> None:
    """Wait until ``count`` checkouts wait for the pool's connection."""
    for _ in range(500):
        if len(engine.sync_engine.pool._pool._waiters) == count:  # type: ignore[attr-defined]
            return
        await asyncio.sleep(0.001)
    raise AssertionError(f"{count} checkouts never queued")


async def test_a_returned_connection_goes_to_the_oldest_waiter_not_a_newcomer(
    engine: AsyncEngine,
) -> None:
    served: list[str] = []
    newcomers: list[asyncio.Task[None]] = []

    def newcomer(*args: Any) -> None:
        # arrives while the connection is being put back, before any waiter has run again
        if not newcomers:
            newcomers.append(asyncio.ensure_future(_use(engine, "newcomer", served)))

    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        waiters = [asyncio.ensure_future(_use(engine, f"w{i}", served)) for i in range(3)]
        await _queued(engine, 3)
        event.listen(engine.sync_engine.pool, "checkin", newcomer)
    await asyncio.gather(*waiters)
    await asyncio.gather(*newcomers)
    assert served == ["w0", "w1", "w2", "newcomer"]


async def test_a_waiter_that_times_out_leaves_the_line(tmp_path: Any) -> None:
    engine = create_async_engine(
        f"sqlite+aiosqlite:///{tmp_path / 'timeout.db'}",
        poolclass=FairAsyncAdaptedQueuePool,
        pool_size=1,
        max_overflow=0,
        pool_timeout=0.05,
    )
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            with pytest.raises(PoolTimeoutError):
                await _use(engine, "late", [])
            assert not engine.sync_engine.pool._pool._waiters  # type: ignore[attr-defined]
        served: list[str] = []
        await _use(engine, "next", served)  # the connection is idle again, taken at once
        assert served == ["next"]
    finally:
        await engine.dispose()


async def test_a_waiter_cancelled_after_the_hand_over_passes_the_connection_on(
    engine: AsyncEngine,
) -> None:
    served: list[str] = []
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
        first = asyncio.ensure_future(_use(engine, "first", served))
        await _queued(engine, 1)
        second = asyncio.ensure_future(_use(engine, "second", served))
        await _queued(engine, 2)
        # cancelled once the connection is handed to it, before it runs again
        loop = asyncio.get_running_loop()
        event.listen(
            engine.sync_engine.pool, "checkin", lambda *a: loop.call_soon(first.cancel), once=True
        )
    with pytest.raises(asyncio.CancelledError):
        await first
    await second
    assert served == ["second"]


async def test_the_apps_engines_use_the_fair_pool_unless_configured_otherwise(
    tmp_path: Any,
) -> None:
    file_db, memory_db, null_db = SqlDatabase(), SqlDatabase("m", "MEM"), SqlDatabase("n", "NUL")
    app = make_app(
        EXTENSIONS=[file_db, memory_db, null_db],
        SQL_DATABASE={"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"},
        MEM={"DATABASE_URI": "sqlite+aiosqlite://"},
        NUL={
            "DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'b.db'}",
            "ENGINE_OPTIONS": {"poolclass": NullPool},
        },
    )
    async with PyJoltTestClient(app):
        for engine in (file_db.engine, file_db.readonly_engine):
            assert type(engine.sync_engine.pool) is FairAsyncAdaptedQueuePool
        assert type(memory_db.engine.sync_engine.pool) is StaticPool
        assert type(null_db.engine.sync_engine.pool) is NullPool


async def test_a_session_holds_no_connection_before_its_first_statement(tmp_path: Any) -> None:
    """With one connection, a request awaiting something else (say, a password hash) before
    its first statement does not keep another request from the database."""
    db = SqlDatabase()
    started, go = asyncio.Event(), asyncio.Event()

    @path("/")
    class Api(Controller):
        @get("/slow")
        @db.readonly_session
        async def slow(self, req: Request, session: AsyncSession) -> Response:
            started.set()
            await go.wait()
            return req.res.json({"one": (await session.execute(text("SELECT 1"))).scalar()})

        @get("/fast")
        @db.readonly_session
        async def fast(self, req: Request, session: AsyncSession) -> Response:
            return req.res.json({"one": (await session.execute(text("SELECT 1"))).scalar()})

    one_connection = {"POOL_SIZE": 1, "MAX_OVERFLOW": 0, "POOL_TIMEOUT": 2}
    uri = f"sqlite+aiosqlite:///{tmp_path / 'h.db'}"
    app = make_app(
        controllers=[Api], EXTENSIONS=[db], SQL_DATABASE={"DATABASE_URI": uri, **one_connection}
    )
    async with PyJoltTestClient(app) as client:
        slow = asyncio.ensure_future(client.get("/slow"))
        await asyncio.wait_for(started.wait(), 5)
        pool: Any = db.readonly_engine.sync_engine.pool
        assert pool.checkedout() == 0
        assert (await client.get("/fast")).json() == {"one": 1}
        assert pool.checkedout() == 0
        go.set()
        assert (await slow).json() == {"one": 1}
        assert pool.checkedout() == 0


async def test_sqlite_committed_requests_make_no_rollback_trip(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A committed session leaves nothing to undo: the check-in makes no rollback() call (one
    trip to aiosqlite's thread each); a failed request is still rolled back."""
    db = SqlDatabase()
    insert, count_rows = text("INSERT INTO t (x) VALUES (1)"), text("SELECT count(*) FROM t")

    @path("/")
    class Api(Controller):
        @get("/write/<int:fail>")
        @db.managed_session
        async def write(self, req: Request, session: AsyncSession, fail: int) -> Response:
            await session.execute(insert)
            count = (await session.execute(count_rows)).scalar()
            if fail:
                raise RuntimeError("after the write")
            return req.res.json({"count": count})

    uri = f"sqlite+aiosqlite:///{tmp_path / 'w.db'}"
    app = make_app(controllers=[Api], EXTENSIONS=[db], SQL_DATABASE={"DATABASE_URI": uri})
    async with PyJoltTestClient(app) as client:
        async with db.engine.begin() as conn:
            await conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            adapter = type((await conn.get_raw_connection()).dbapi_connection)
        rollbacks: list[object] = []
        real = adapter.rollback
        monkeypatch.setattr(adapter, "rollback", lambda self: rollbacks.append(real(self)))
        for count in (1, 2, 3):
            assert (await client.get("/write/0")).json() == {"count": count}
        assert rollbacks == []
        assert (await client.get("/write/1")).status_code == 500
        assert len(rollbacks) == 1
        assert (await client.get("/write/0")).json() == {"count": 4}
