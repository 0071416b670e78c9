"""Engines and session factories of an SQL database, from its validated config."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.ext import asyncio as sa_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from pyjolt._internal.files import resolve_path
from pyjolt.database.sql.config import SqlDatabaseConfig
from pyjolt.database.sql.pool import fair_pool_options, watch_transactions
from pyjolt.database.sql.query import MAX_PER_PAGE_INFO_KEY, MAX_PER_PAGE_SETTING_INFO_KEY
from pyjolt.database.sql.readonly import is_memory_sqlite
from pyjolt.exceptions.errors import ConfigurationError

if TYPE_CHECKING:
    from loguru import Logger


def resolve_database_url(uri: str, configs_name: str, base: str | None = None) -> URL:
    """Parse ``uri``; a relative SQLite file path is made absolute against ``base`` (the app's
    ``BASE_PATH``; the working directory when None)."""
    try:
        url = make_url(uri)
    except ArgumentError as exc:
        raise ConfigurationError(
            f"{configs_name}['DATABASE_URI']: {exc}. Use e.g. 'sqlite+aiosqlite:///./app.db' "
            "or 'postgresql+asyncpg://user:pass@host/dbname'"
        ) from exc
    if url.get_backend_name() == "sqlite" and not is_memory_sqlite(url):
        database = url.database or ""
        if not os.path.isabs(database):
            url = url.set(database=resolve_path(base or os.getcwd(), database))
    return url


#: URL schemes whose SQLAlchemy dialect is async: the check needs no dialect import (the
#: engine, made at start-up, imports it); tests/database/sql/test_sql_lazy_engine.py checks
#: each against SQLAlchemy
ASYNC_DRIVERNAMES = frozenset(
    {
        "sqlite+aiosqlite",
        "postgresql+asyncpg",
        "postgresql+psycopg_async",
        "mysql+aiomysql",
        "mysql+asyncmy",
        "mariadb+aiomysql",
        "mariadb+asyncmy",
    }
)


def check_async_driver(url: URL, configs_name: str) -> None:
    """Refuse an unknown or synchronous driver in ``url``."""
    if url.drivername in ASYNC_DRIVERNAMES:
        return
    try:
        dialect = url.get_dialect()
    except NoSuchModuleError as exc:
        raise ConfigurationError(
            f"{configs_name}['DATABASE_URI']: unknown database driver {url.drivername!r} ({exc})"
        ) from exc
    if not getattr(dialect, "is_async", False):
        raise ConfigurationError(
            f"{configs_name}['DATABASE_URI'] uses the synchronous driver "
            f"{url.drivername!r}; use an async one such as 'sqlite+aiosqlite' or "
            "'postgresql+asyncpg'"
        )


def engine_options(config: SqlDatabaseConfig) -> dict[str, Any]:
    """Keyword arguments for ``create_async_engine`` built from ``config``."""
    options: dict[str, Any] = {
        "pool_pre_ping": config.POOL_PRE_PING,
        "echo_pool": config.ECHO_POOL,
    }
    for key, name in (
        ("pool_size", "POOL_SIZE"),
        ("max_overflow", "MAX_OVERFLOW"),
        ("pool_timeout", "POOL_TIMEOUT"),
        ("pool_recycle", "POOL_RECYCLE"),
    ):
        value = getattr(config, name)
        if value is not None:
            options[key] = value
    if config.POOL_USE_LIFO:
        options["pool_use_lifo"] = True
    if config.CONNECT_ARGS:
        options["connect_args"] = dict(config.CONNECT_ARGS)
    options.update(config.ENGINE_OPTIONS)
    return options


def create_engine(
    url: URL,
    options: dict[str, Any],
    *,
    configs_name: str,
    db_name: str,
    sql_logger: Logger | None = None,
) -> AsyncEngine:
    """An ``AsyncEngine`` for ``url``; with ``sql_logger`` every statement is logged to it.

    Unless ``options`` choose a pool, waiting checkouts are served first come, first served
    (``pyjolt.database.sql.pool``)."""
    try:
        # looked up at call time: tracing (TRACING) may have instrumented it since import
        engine = sa_asyncio.create_async_engine(url, **fair_pool_options(url, options))
    except TypeError as exc:
        raise ConfigurationError(
            f"{configs_name}: a pool option does not apply to {url.drivername!r}: {exc}"
        ) from exc
    watch_transactions(engine)
    if sql_logger is not None:
        logger = sql_logger

        def _log_sql(conn: Any, cursor: Any, statement: str, params: Any, *args: Any) -> None:
            logger.info("SQL [{}] {} {}", db_name, statement, params)

        event.listen(engine.sync_engine, "before_cursor_execute", _log_sql)
    return engine


def make_sessionmaker(
    config: SqlDatabaseConfig, engine: AsyncEngine, configs_name: str
) -> async_sessionmaker[AsyncSession]:
    """The session factory of ``engine`` with the config's session options."""
    return async_sessionmaker(
        engine,
        expire_on_commit=config.EXPIRE_ON_COMMIT,
        autoflush=config.AUTOFLUSH,
        info={
            MAX_PER_PAGE_INFO_KEY: config.MAX_PER_PAGE,
            MAX_PER_PAGE_SETTING_INFO_KEY: f"{configs_name}['MAX_PER_PAGE']",
        },
    )
