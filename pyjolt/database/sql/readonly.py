"""Read-only connections: the database itself refuses writes, per dialect."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


async def _enter(connection: AsyncConnection) -> None:
    dialect = connection.dialect.name
    if dialect == "postgresql":
        # Every transaction on this connection starts as BEGIN READ ONLY; SQLAlchemy resets
        # the characteristic when the connection returns to the pool.
        await connection.execution_options(postgresql_readonly=True)
    elif dialect == "sqlite":
        await connection.exec_driver_sql("PRAGMA query_only = ON")
    elif dialect in ("mysql", "mariadb"):
        await connection.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")


async def _exit(connection: AsyncConnection) -> None:
    dialect = connection.dialect.name
    if connection.in_transaction():
        await connection.rollback()
    if dialect == "postgresql":
        await connection.execution_options(postgresql_readonly=False)
    elif dialect == "sqlite":
        await connection.exec_driver_sql("PRAGMA query_only = OFF")
        await connection.rollback()
    elif dialect in ("mysql", "mariadb"):
        await connection.exec_driver_sql("SET SESSION TRANSACTION READ WRITE")
        await connection.rollback()


@asynccontextmanager
async def readonly_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A pooled connection on which writes fail; everything is rolled back at the end.

    PostgreSQL: read-only transactions; SQLite: ``PRAGMA query_only``; MySQL/MariaDB:
    ``SET SESSION TRANSACTION READ ONLY``. Other databases: nothing is committed, but a write
    is not refused. The setting is undone before the connection goes back to the pool; if
    that fails the connection is discarded instead.
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
