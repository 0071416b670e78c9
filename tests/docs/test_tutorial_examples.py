"""docs/tutorial/index.md: the tutorial's app, its migrations, its own tests and its answers."""

from __future__ import annotations

import asyncio
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from pyjolt.cli.runner import run_cli
from pyjolt.testing import PyJoltTestClient
from tests.database.sql.support import sqlite_tables
from tests.docs.support import EXAMPLES
from tests.services import slow_once

FOLDER = EXAMPLES / "tutorial"


@pytest.fixture
def bookmarks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The tutorial's package, imported as the tutorial's folder would (fresh per test), with
    its database and migrations folder in tmp_path."""
    monkeypatch.setenv("SQL_DATABASE__DATABASE_URI", f"sqlite+aiosqlite:///{tmp_path}/b.db")
    monkeypatch.setenv("SQL_DATABASE__ALEMBIC_MIGRATION_DIR", str(tmp_path / "migrations"))
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    sys.path.insert(0, str(FOLDER))
    try:
        import bookmarks
        import bookmarks.api

        yield bookmarks
    finally:
        sys.path.remove(str(FOLDER))
        for name in [m for m in sys.modules if m == "bookmarks" or m.startswith("bookmarks.")]:
            del sys.modules[name]


async def test_migrations_then_the_pages_answers(bookmarks: ModuleType, tmp_path: Path) -> None:
    for argv in (["db-init"], ["db-migrate", "--message", "users and bookmarks"], ["db-upgrade"]):
        # the command line runs its own event loop: in a thread, as from a shell
        assert await asyncio.to_thread(run_cli, bookmarks.Application(), argv) == 0, argv
    assert {"users", "bookmarks", "alembic_version"} <= sqlite_tables(tmp_path / "b.db")
    [script] = (tmp_path / "migrations" / "versions").glob("*_users_and_bookmarks.py")
    assert "bookmarks" in script.read_text()

    from bookmarks.tasks import index_bookmark

    ada = {"email": "ada@example.com", "password": "long enough"}
    async with PyJoltTestClient(bookmarks.Application()) as client:
        res = await client.post("/api/account/register", json=ada)
        assert (res.status_code, res.json()) == (201, {"id": 1, "email": "ada@example.com"})
        res = await client.post("/api/account/register", json=ada)
        assert res.status_code == 409
        res = await client.post("/api/account/register", json={**ada, "password": "short"})
        assert res.status_code == 422
        assert (await client.get("/api/bookmarks/")).status_code == 401
        wrong = await client.post("/api/account/login", json={**ada, "password": "not the one"})
        assert wrong.status_code == 401
        res = await client.post("/api/account/login", json=ada)
        assert (res.status_code, res.json()) == (200, {"email": "ada@example.com"})

        new = {"url": "https://docs.python.org/3/", "title": "Python docs"}
        res = await client.post("/api/bookmarks/", json=new)
        assert res.status_code == 201
        assert res.json() == {**new, "id": 1, "host": None}
        assert await index_bookmark(1) == "docs.python.org"

        first = await client.get("/api/bookmarks/")
        assert first.headers["X-Cache"] == "MISS"
        assert first.json() == [{**new, "id": 1, "host": "docs.python.org"}]
        assert (await client.get("/api/bookmarks/")).headers["X-Cache"] == "HIT"
        assert (await client.get("/api/bookmarks/2")).status_code == 404
        res = await client.post("/api/bookmarks/", json={"url": "ftp://x", "title": "x"})
        assert res.status_code == 422

        assert (await client.get("/health/ready")).status_code == 200
        assert (await client.post("/api/account/logout")).status_code == 204
        assert (await client.get("/api/bookmarks/")).status_code == 401


@slow_once
def test_the_tutorials_own_tests_pass(tmp_path: Path) -> None:
    """`pytest` in the tutorial's folder, as the page says."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            "/dev/null",
            "--rootdir",
            str(FOLDER),
            "-o",
            "asyncio_mode=auto",
            "-o",
            "asyncio_default_fixture_loop_scope=function",
            "test_bookmarks.py",
        ],
        cwd=FOLDER,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "3 passed" in done.stdout
