"""Shared pieces of the three bench apps: the databases, the ORM model, the body model, data.

The SQLite file is ``$BENCH_DB`` (default: ``pyjolt_bench.sqlite3`` in the temp folder);
``python -m bench.common`` (or the runner) creates it with its 10 rows. When ``$BENCH_PG_URL``
is set (the runner sets it when PostgreSQL answers on 127.0.0.1:5432), the apps also serve the
``/pg/...`` endpoints from the same table in the PostgreSQL schema ``$BENCH_PG_SCHEMA``.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

DB_PATH = os.environ.get("BENCH_DB") or os.path.join(tempfile.gettempdir(), "pyjolt_bench.sqlite3")
DATABASE_URL = f"sqlite+aiosqlite:///{DB_PATH}"
PG_URL = os.environ.get("BENCH_PG_URL") or None
PG_SCHEMA = os.environ.get("BENCH_PG_SCHEMA", "pyjolt_bench")
#: engine keyword arguments of the PostgreSQL database (its schema first on the search path)
PG_CONNECT_ARGS: dict[str, Any] = {"server_settings": {"search_path": PG_SCHEMA}}
ROWS = 10
HELLO = {"message": "Hello, World!"}
#: the answer of ``GET /json/list``: 1,000 small objects
ITEMS = [
    {"id": i, "name": f"item-{i}", "price": i * 1.5, "in_stock": i % 3 != 0, "tags": ["a", "b"]}
    for i in range(1000)
]


class UserIn(BaseModel):
    """The body of ``POST /users``, echoed back with 201."""

    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$", max_length=254)
    fullname: str = Field(min_length=1, max_length=100)
    age: int = Field(ge=0, le=150)


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "bench_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    fullname: Mapped[str] = mapped_column(String(100))
    age: Mapped[int] = mapped_column(Integer)


def user_by_id(user_id: int) -> dict[str, Any]:
    """The answer of ``GET /users/<id>``."""
    return {"id": user_id, "name": f"user-{user_id}"}


SEARCH_QUERY = "q=ada&page=2&per_page=5"


def search_answer(q: str, page: int, per_page: int) -> dict[str, Any]:
    """The answer of ``GET /search`` (three typed query parameters, validated)."""
    return {"q": q, "page": page, "per_page": per_page}


def user_row(user: User) -> dict[str, Any]:
    """One row of ``GET /db/users``."""
    return {"id": user.id, "email": user.email, "fullname": user.fullname, "age": user.age}


def expected_rows() -> list[dict[str, Any]]:
    """What ``GET /db/users`` must answer."""
    return [
        {"id": i, "email": f"user{i}@example.com", "fullname": f"User {i}", "age": 20 + i}
        for i in range(1, ROWS + 1)
    ]


def ensure_db(path: str = DB_PATH) -> None:
    """Create the table with its rows (idempotent; stdlib sqlite3, no server needed)."""
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_users "
            "(id INTEGER PRIMARY KEY, email VARCHAR(254), fullname VARCHAR(100), age INTEGER)"
        )
        conn.execute("DELETE FROM bench_users")
        conn.executemany(
            "INSERT INTO bench_users (id, email, fullname, age) "
            "VALUES (:id, :email, :fullname, :age)",
            expected_rows(),
        )
    conn.close()


async def _pg_execute(url: str, *statements: tuple[str, Any]) -> None:
    """Run ``(sql, parameters)`` pairs in one PostgreSQL transaction."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            for sql, parameters in statements:
                await conn.execute(text(sql), parameters)
    finally:
        await engine.dispose()


async def ensure_pg(url: str, schema: str = PG_SCHEMA) -> None:
    """Create the PostgreSQL schema and table with its rows (idempotent)."""
    await _pg_execute(
        url,
        (f'CREATE SCHEMA IF NOT EXISTS "{schema}"', None),
        (f'DROP TABLE IF EXISTS "{schema}".bench_users', None),
        (
            f'CREATE TABLE "{schema}".bench_users (id INTEGER PRIMARY KEY, '
            "email VARCHAR(254), fullname VARCHAR(100), age INTEGER)",
            None,
        ),
        (
            f'INSERT INTO "{schema}".bench_users (id, email, fullname, age) '
            "VALUES (:id, :email, :fullname, :age)",
            expected_rows(),
        ),
    )


async def drop_pg(url: str, schema: str = PG_SCHEMA) -> None:
    """Drop the bench schema."""
    await _pg_execute(url, (f'DROP SCHEMA IF EXISTS "{schema}" CASCADE', None))


if __name__ == "__main__":
    ensure_db()
    print(DB_PATH)
