"""Read-only connections: the database itself refuses writes, set once per pooled connection.

Each database gets a second pool whose connections are made read-only when they are opened, so
a read-only session costs nothing per request: no statement before or after the handler's own.

- PostgreSQL (asyncpg): ``default_transaction_read_only`` in the connection's startup packet;
  other PostgreSQL drivers: ``SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`` on connect.
- SQLite: ``PRAGMA query_only = ON`` on connect (not for in-memory databases: a second pool
  would open a second, empty database; those set and reset the pragma around each use).
- MySQL / MariaDB: ``SET SESSION TRANSACTION READ ONLY`` on connect.
- Other databases: no read-only pool; nothing is committed, but a write is not refused.

On SQLite and PostgreSQL the read-only pool runs in autocommit mode (unless ``ENGINE_OPTIONS``
sets an ``isolation_level``): no BEGIN and no ROLLBACK round trip around the handler's reads.
On SQLite, where each driver call is a trip to the connection's thread, SQLAlchemy's rollback
calls at session close and at check-in are skipped too (``skip_autocommit_rollback``); a
transaction a handler opened itself (``BEGIN``) is rolled back when the connection returns
(``pyjolt.database.sql.pool.end_open_transaction``).
Nothing is lost: SQLite's driver does not open a transaction for a SELECT anyway, and under
PostgreSQL's default READ COMMITTED every statement takes its own snapshot in a transaction too.
MySQL/MariaDB keep one transaction per session (REPEATABLE READ: one snapshot for all reads).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

#: backends whose read-only pool runs in autocommit mode (see the module's docstring)
_AUTOCOMMIT = frozenset({"sqlite", "postgresql"})
_ON_CONNECT = {
    "sqlite": "PRAGMA query_only = ON",
    "mysql": "SET SESSION TRANSACTION READ ONLY",
    "mariadb": "SET SESSION TRANSACTION READ ONLY",
    "postgresql": "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY",
}
#: SQLAlchemy >= 2.0.43 can skip ``rollback()`` on a connection in autocommit mode
_CAN_SKIP_ROLLBACK = "skip_autocommit_rollback" in inspect.signature(DefaultDialect).parameters


def is_memory_sqlite(url: URL) -> bool:
    """Whether ``url`` names an in-memory SQLite database."""
    database = url.database or ""
    return (
        database in ("", ":memory:")
        or database.startswith("file:")
        or url.query.get("mode") == "memory"
    )


def readonly_engine_options(url: URL, options: dict[str, Any]) -> dict[str, Any] | None:
    """Engine options of the read-only pool of ``url``, or ``None`` when it gets no such pool."""
    backend = url.get_backend_name()
    if backend not in _ON_CONNECT or (backend == "sqlite" and is_memory_sqlite(url)):
        return None
    options = dict(options)
    if backend in _AUTOCOMMIT:
        options.setdefault("isolation_level", "AUTOCOMMIT")
        if (
            backend == "sqlite"
            and options["isolation_level"] == "AUTOCOMMIT"
            and _CAN_SKIP_ROLLBACK
        ):
            options.setdefault("skip_autocommit_rollback", True)
    if backend == "postgresql" and url.get_driver_name() == "asyncpg":
        connect_args = dict(options.get("connect_args") or {})
        settings = dict(connect_args.get("server_settings") or {})
        settings["default_transaction_read_only"] = "on"
        connect_args["server_settings"] = settings
        options["connect_args"] = connect_args
    return options


def make_readonly(engine: AsyncEngine) -> None:
    """Make every new connection of ``engine`` read-only (see the module's docstring)."""
    url = engine.url
    if url.get_backend_name() == "postgresql" and url.get_driver_name() == "asyncpg":
        return  # set by the startup packet (readonly_engine_options)
    statement = _ON_CONNECT[url.get_backend_name()]

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(statement)
        finally:
            cursor.close()

    event.listen(engine.sync_engine, "connect", on_connect)


async def _enter(connection: AsyncConnection) -> None:
    if connection.dialect.name == "sqlite":
        await connection.exec_driver_sql("PRAGMA query_only = ON")


async def _exit(connection: AsyncConnection) -> None:
    if connection.in_transaction():
        await connection.rollback()
    if connection.dialect.name == "sqlite":
        await connection.exec_driver_sql("PRAGMA query_only = OFF")
        await connection.rollback()


@asynccontextmanager
async def readonly_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection of the shared pool, read-only for the block (for databases without a
    read-only pool); everything is rolled back at the end. If undoing the setting fails, the
    connection is discarded instead of going back to the pool.
    """
    async with engine.connect() as connection:
        await _enter(connection)
        try:
            yield connection
        finally:
            try:
                await _exit(connection)
            except BaseException:
                await connection.invalidate()
                raise
