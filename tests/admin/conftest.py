"""Fixtures of the admin tests: a PostgreSQL schema, the two databases' tables and users."""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from pyjolt.auth.passwords import PasswordHasher
from tests.admin.admin_app import AdminUser, LiteBase, PgBase
from tests.email.conftest import smtp_server  # noqa: F401 - the email page's SMTP server
from tests.pg_schema import postgres_schema

#: username -> (password, roles)
USERS = {"alice": ("alice-pw", "admin"), "vic": ("vic-pw", "viewer"), "bob": ("bob-pw", "")}


@pytest.fixture
async def pg_schema() -> AsyncIterator[str]:
    """A PostgreSQL schema of this test with the gadget table and two gadgets."""
    async with gadgets_schema() as name:
        yield name


@pytest.fixture(params=["postgresql", "sqlite"])
async def gadget_schema(request: pytest.FixtureRequest) -> AsyncIterator[str | None]:
    """The gadgets' database: a PostgreSQL schema, or None for the second SQLite file."""
    if request.param == "sqlite":
        yield None
        return
    async with gadgets_schema() as name:
        yield name


def gadgets_schema() -> AbstractAsyncContextManager[str]:
    """A throw-away PostgreSQL schema with the gadget table and two gadgets."""
    seed = "INSERT INTO admin_gadgets (name, price) VALUES ('sprocket', 3), ('widget', 5)"
    return postgres_schema("pyjolt_admin", PgBase.metadata, seed)


async def make_sqlite(path: Path, *, with_gadgets: bool = False) -> str:
    """The SQLite database: users (hashed passwords) and notes; gadgets in ``<path>.pg``."""
    engine = create_async_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as conn:
        await conn.run_sync(LiteBase.metadata.create_all)
        for name, (password, roles) in USERS.items():
            await conn.execute(
                AdminUser.__table__.insert().values(
                    username=name, password=_hash(password), role_names=roles
                )
            )
        await conn.execute(text("INSERT INTO admin_notes (title) VALUES ('first note')"))
    await engine.dispose()
    if with_gadgets:
        engine = create_async_engine(f"sqlite+aiosqlite:///{path}.pg")
        async with engine.begin() as conn:
            await conn.run_sync(PgBase.metadata.create_all)
            await conn.execute(
                text(
                    "INSERT INTO admin_gadgets (name, price) VALUES ('sprocket', 3), ('widget', 5)"
                )
            )
        await engine.dispose()
    return str(path)


@functools.cache
def _hash(password: str) -> str:
    return PasswordHasher().hash(password)


@pytest.fixture
async def sqlite_path(tmp_path: Path) -> str:
    return await make_sqlite(tmp_path / "lite.db")


@pytest.fixture
async def sqlite_only_path(tmp_path: Path) -> str:
    """Both databases in SQLite files (the gadgets in the second)."""
    return await make_sqlite(tmp_path / "lite.db", with_gadgets=True)
