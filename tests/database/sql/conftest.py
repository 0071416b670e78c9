"""Fixtures of the SQL tests: every test runs on SQLite (a temp file) and on PostgreSQL.

PostgreSQL isolation: each test gets its own schema (first on the connection's search_path),
dropped with everything in it when the test ends.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.database.sql.support import make_models
from tests.services import POSTGRES_URL, require_port


@dataclass
class TestDatabase:
    """Where a test's database lives and the config section that reaches it."""

    __test__ = False

    backend: str
    uri: str
    connect_args: dict[str, Any] = field(default_factory=dict)
    schema: str | None = None

    def section(self, **extra: Any) -> dict[str, Any]:
        """A ``SQL_DATABASE``-style config section for this database."""
        section: dict[str, Any] = {"DATABASE_URI": self.uri}
        if self.connect_args:
            section["CONNECT_ARGS"] = self.connect_args
        section.update(extra)
        return section


async def _pg_schema(action: str, schema: str) -> None:
    engine = create_async_engine(POSTGRES_URL)
    try:
        async with engine.begin() as conn:
            if action == "create":
                await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            else:
                await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        await engine.dispose()


async def _make_database(
    backend: str, tmp_path: Any, name: str = "test"
) -> AsyncIterator[TestDatabase]:
    if backend == "sqlite":
        yield TestDatabase("sqlite", f"sqlite+aiosqlite:///{tmp_path / f'{name}.db'}")
        return
    require_port("127.0.0.1", 5432, "PostgreSQL")
    schema = f"pyjolt_sql_{uuid.uuid4().hex[:12]}"
    await _pg_schema("create", schema)
    try:
        yield TestDatabase(
            "postgresql",
            POSTGRES_URL,
            connect_args={"server_settings": {"search_path": schema}},
            schema=schema,
        )
    finally:
        await _pg_schema("drop", schema)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Any) -> AsyncIterator[TestDatabase]:
    """The test's database (parametrised: SQLite, PostgreSQL)."""
    async for item in _make_database(request.param, tmp_path):
        yield item


@pytest.fixture
async def second_database(database: TestDatabase, tmp_path: Any) -> AsyncIterator[TestDatabase]:
    """Another database on the same backend as ``database``."""
    async for item in _make_database(database.backend, tmp_path, "second"):
        yield item


@pytest.fixture
def models() -> SimpleNamespace:
    return make_models()


@pytest.fixture
async def sqlite_and_postgres(tmp_path: Any) -> AsyncIterator[tuple[TestDatabase, TestDatabase]]:
    """One SQLite and one PostgreSQL database (for two apps in one process)."""
    async for lite in _make_database("sqlite", tmp_path, "lite"):
        async for pg in _make_database("postgresql", tmp_path):
            yield lite, pg
