"""docs/topics/migrations.md: the db-* commands the page runs, in order."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyjolt.cli.runner import run_cli
from tests.database.sql.support import sqlite_tables
from tests.docs.support import load_example


def test_migration_commands(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database, folder = tmp_path / "blog.db", tmp_path / "migrations"
    monkeypatch.setenv("SQL_DATABASE__DATABASE_URI", f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("SQL_DATABASE__ALEMBIC_MIGRATION_DIR", str(folder))
    example = load_example("migrations/blog.py")

    def run(*argv: str) -> str:
        capsys.readouterr()
        assert run_cli(example.Application(), list(argv)) == 0
        return capsys.readouterr().out

    assert run("db-init") == f"Migrations folder for database 'db' created at {folder}\n"
    assert (folder / "env.py").is_file()

    out = run("db-migrate", "--message", "create posts")
    [script] = (folder / "versions").glob("*_create_posts.py")
    assert f"Generated {script}" in out
    revision = script.name.split("_")[0]

    assert run("db-upgrade") == "Database 'db' upgraded to head\n"
    assert "posts" in sqlite_tables(database)
    assert run("db-current") == f"{revision} (head)\n"
    assert run("db-history") == f"<base> -> {revision} (head), create posts\n"

    assert run("db-downgrade") == "Database 'db' downgraded to -1\n"
    assert "posts" not in sqlite_tables(database)
    assert run("db-current") == ""
