"""A throw-away PostgreSQL schema for one test (needs the ``db`` extra)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.services import POSTGRES_URL, require_port


@asynccontextmanager
async def postgres_schema(prefix: str, metadata: MetaData, *seed: str) -> AsyncIterator[str]:
    """A new schema ``<prefix>_<random>`` with ``metadata``'s tables, the ``seed`` SQL run in it;
    dropped (with its tables) on exit. Skips, or fails under PYJOLT_REQUIRE_SERVICES=1, without
    PostgreSQL."""
    require_port("127.0.0.1", 5432, "PostgreSQL")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = create_async_engine(POSTGRES_URL)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(f'CREATE SCHEMA "{name}"'))
            await conn.execute(text(f'SET search_path TO "{name}"'))
            await conn.run_sync(metadata.create_all)
            for statement in seed:
                await conn.execute(text(statement))
        yield name
    finally:
        async with engine.begin() as conn:
            await conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        await engine.dispose()
