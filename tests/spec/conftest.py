"""The spec's tests/conftest.py, applied to the spec-shaped app in ``specapp``.

The database (a SQLite file per test) and the file logger's sink come from environment
variables, which BaseConfig reads like any settings class.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from pyjolt.testing import PyJoltTestClient


@pytest.fixture
def spec_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(
        "SQL_DATABASE",
        json.dumps(
            {
                "DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'test.db'}",
                "SESSION_NAME": "session",
                "SHOW_SQL": False,
                "ALEMBIC_MIGRATION_DIR": str(tmp_path / "migrations"),
            }
        ),
    )
    monkeypatch.setenv(
        "FILE_LOGGER",
        json.dumps(
            {
                "SINK": str(tmp_path / "file.log"),
                "FORMAT": "{extra[logger_name]} | {message}",
                "LEVEL": "TRACE",
                "DELAY": True,
                "ROTATION": "5 MB",
                "RETENTION": "5 files",
                "COMPRESSION": "zip",
                "ENCODING": "utf-8",
                "MODE": "a",
                "ENQUEUE": False,
            }
        ),
    )
    return tmp_path


@pytest.fixture
async def application(spec_env: Path) -> AsyncIterator[Any]:
    from tests.spec.specapp import Application

    yield Application()  # noqa: PT022 (the spec's conftest, as written)


@pytest.fixture
async def client(application: Any) -> AsyncIterator[PyJoltTestClient]:
    async with PyJoltTestClient(application) as c:
        from tests.spec.specapp.api.models import Post, User
        from tests.spec.specapp.extensions import db

        await db.create_all(User, Post)
        yield c
