"""Test fixtures: ``client`` runs the app's lifespan (the database starts) for each test."""

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pyjolt import PyJolt
from pyjolt.testing import PyJoltTestClient

from app import Application
from app.api.models.user_model import Base
from app.extensions import db


@pytest.fixture(autouse=True)
def test_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets a fresh SQLite file (environment variables override Config)."""
    uri = "sqlite+aiosqlite:///" + os.path.join(str(tmp_path), "test.db")
    monkeypatch.setenv("SQL_DATABASE", json.dumps({"DATABASE_URI": uri}))


@pytest.fixture
async def application() -> AsyncIterator[PyJolt]:
    yield Application()


@pytest.fixture
async def client(application: PyJolt) -> AsyncIterator[PyJoltTestClient]:
    # https, as in production: the login cookie is `Secure`, and the client sends it back
    async with PyJoltTestClient(application, base_url="https://testserver") as c:
        async with db.engine.begin() as conn:  # the tables, also when migrations manage them
            await conn.run_sync(Base.metadata.create_all)
        yield c
