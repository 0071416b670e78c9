"""SPEC: SQL database (models, AsyncQuery, pagination, sessions), Migrate commands,
Command line interface (CLIController, run_cli)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from tests.spec.specapp.api.models import Post, User
from tests.spec.specapp.extensions import db


async def test_query_builder_and_executors(client: Any) -> None:
    from pyjolt.database import AsyncQuery, AsyncSession, create_declarative_base  # noqa: F401

    async with db.session_scope() as session:
        for i in range(25):
            session.add(User(fullname=f"user{i:02d}", email=f"u{i:02d}@x.io", role="user"))
    session = db.create_session()
    try:
        q = User.query(session)
        assert isinstance(q, AsyncQuery)
        assert await User.query(session).count() == 25
        assert len(await User.query(session).all()) == 25
        first = await User.query(session).filter_by(fullname="user03").first()
        assert first.email == "u03@x.io"
        one = await User.query(session).where(User.email == "u04@x.io").one()
        assert one.fullname == "user04"
        got = await User.query(session).filter(User.id > 20, User.role == "user").count()
        assert got == 5
        rows = await User.query(session).order_by(User.fullname.desc()).limit(2).offset(1).all()
        assert [r.fullname for r in rows] == ["user23", "user22"]
        assert await User.query(session).like(User.email, "u1%").count() == 10
        assert await User.query(session).ilike(User.email, "U2%").count() == 5
        page = await User.query(session).order_by(User.id).paginate(page=2, per_page=10)
        assert set(page) >= {"items", "total", "page", "pages", "per_page", "has_next", "has_prev"}
        assert page["total"] == 25 and page["page"] == 2 and page["pages"] == 3
        assert page["per_page"] == 10 and page["has_next"] and page["has_prev"]
        assert len(page["items"]) == 10
        uid = (await User.query(session).filter_by(email="u05@x.io").first()).id
        session.add(Post(user_id=uid, title="hello"))
        await session.flush()
        joined = await User.query(session).join(Post).filter(Post.title == "hello").all()
        assert [u.email for u in joined] == ["u05@x.io"]
    finally:
        await session.close()


def test_declarative_base_spelling_alias() -> None:
    from pyjolt.database import create_declarative_base, create_declerative_base

    assert create_declerative_base is create_declarative_base or callable(create_declerative_base)
    base = create_declerative_base()  # default "db"
    assert hasattr(base, "query")


def test_sql_database_defaults() -> None:
    from pyjolt.database.sql import SqlDatabase
    from pyjolt.database.sql.migrate import Migrate

    d = SqlDatabase()
    assert d.configs_name == "SQL_DATABASE"
    assert d.db_name == "db"
    Migrate(d, command_prefix="")
    Migrate(SqlDatabase(configs_name="MY_DATABASE", db_name="other"), command_prefix="other-")


def _run_cli(monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    from tests.spec.specapp import Application

    application = Application()
    monkeypatch.setattr(sys, "argv", ["cli.py", *argv])
    with pytest.raises(SystemExit) as info:
        application.run_cli()
    code = info.value.code
    return code if isinstance(code, int) else 1


def test_cli_controller_commands(
    spec_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run_cli(monkeypatch, "greet", "Ana") == 0
    assert "Hello, Ana! Welcome to the CLI utility." in capsys.readouterr().out
    assert _run_cli(monkeypatch, "add", "2", "40") == 0
    assert "The sum of 2 and 40 is 42. app=Test app" in capsys.readouterr().out
    assert _run_cli(monkeypatch, "add", "2", "x") != 0


def test_migrate_commands(
    spec_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run_cli(monkeypatch, "db-init") == 0
    assert (spec_env / "migrations").is_dir()
    assert _run_cli(monkeypatch, "db-migrate", "--message", "Your migration message") == 0
    assert _run_cli(monkeypatch, "db-upgrade") == 0
    import sqlite3

    con = sqlite3.connect(spec_env / "test.db")
    try:
        tables = {r[0] for r in con.execute("select name from sqlite_master")}
    finally:
        con.close()
    assert "users" in tables and "alembic_version" in tables
    capsys.readouterr()
    assert _run_cli(monkeypatch, "db-history", "--verbose", "--indicate-current") == 0
    assert "Your migration message" in capsys.readouterr().out
    assert _run_cli(monkeypatch, "db-current", "--verbose") == 0
    assert _run_cli(monkeypatch, "db-heads", "--verbose") == 0
    assert _run_cli(monkeypatch, "db-downgrade", "--revision", "base") == 0
    assert _run_cli(monkeypatch, "db-stamp", "--revision", "head") == 0
    assert _run_cli(monkeypatch, "db-show", "--revision", "head") == 0
