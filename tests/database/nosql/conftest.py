"""Fixtures for the NoSQL tests: a mongoeco wire-protocol server and per-test databases.

Targets:

- ``mongoeco``: mongoeco's MongoDB wire-protocol server, started once per session as a
  subprocess of Python >= 3.13 (``PYJOLT_MONGOECO_PYTHON``, default
  ``.cache/mongoeco-venv/bin/python`` in the repo, a venv with ``mongoeco[wire]``). Skips when
  that interpreter is missing, fails instead under ``PYJOLT_REQUIRE_SERVICES=1``.
- ``mongodb``: a real MongoDB at ``PYJOLT_TEST_MONGO_URI`` (skipped when unset).
- ``memory``: the user-written in-memory backend of ``nosql_memory_backend.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from pyjolt.database.nosql import NoSqlDatabase
from tests.database.nosql.support import (
    MongoecoServer,
    Target,
    drop_database,
    make_target,
    start_mongoeco,
)


@pytest.fixture(scope="session")
def mongoeco_server() -> Iterator[MongoecoServer]:
    server = start_mongoeco()
    yield server
    server.stop()


@pytest.fixture(params=["mongoeco", "mongodb", "memory"])
def target(request: pytest.FixtureRequest, mongoeco_server: MongoecoServer) -> Target:
    """Every backend the contract must hold for."""
    return make_target(request.param, mongoeco_server)


@pytest.fixture(params=["mongoeco", "mongodb"])
def mongo_target(request: pytest.FixtureRequest, mongoeco_server: MongoecoServer) -> Target:
    """MongoDB over the wire protocol only."""
    return make_target(request.param, mongoeco_server)


async def _started(build_client: Any, target: Target) -> AsyncIterator[NoSqlDatabase]:
    ext = NoSqlDatabase()
    await build_client(EXTENSIONS=[ext], NOSQL_DATABASE=target.section())
    yield ext
    await drop_database(ext)


@pytest.fixture
async def nosqldb(build_client: Any, target: Target) -> AsyncIterator[NoSqlDatabase]:
    """A started NoSqlDatabase on ``target`` (the app's lifespan is running)."""
    async for ext in _started(build_client, target):
        yield ext


@pytest.fixture
async def mongodb(build_client: Any, mongo_target: Target) -> AsyncIterator[NoSqlDatabase]:
    """A started NoSqlDatabase with MongoBackend."""
    async for ext in _started(build_client, mongo_target):
        yield ext
