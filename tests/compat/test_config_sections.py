"""0.111 upgrades: config sections annotated with PyJolt's own config models, paths taken
from BASE_PATH, and the documented ``MAX_PER_PAGE`` limit of ``paginate``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from pyjolt import BaseConfig, PyJolt, Request, Response, app
from pyjolt.caching import Cache, SqliteCacheBackend
from pyjolt.controller import Controller, get, path
from pyjolt.database.sql import (
    AsyncSession,
    SqlDatabase,
    SqlDatabaseConfig,
    create_declarative_base,
)
from pyjolt.email import EmailClient, EmailClientConfig
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.testing import PyJoltTestClient, make_app

Base = create_declarative_base("db")


class Entry(Base):  # type: ignore[misc, valid-type]
    __tablename__ = "compat_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(30))


def build(config_class: type[BaseConfig]) -> PyJolt:
    @app(__name__, configs=config_class)
    class Application(PyJolt):
        pass

    return Application()


async def test_sections_annotated_with_the_extensions_config_models(tmp_path: Path) -> None:
    db = SqlDatabase()
    email = EmailClient()

    class Config(BaseConfig):
        BASE_PATH: str = str(tmp_path)
        EXTENSIONS: list[Any] = [db, email]
        SQL_DATABASE: SqlDatabaseConfig = {  # type: ignore[assignment]
            "DATABASE_URI": "sqlite+aiosqlite:///./app.db",
            "SESSION_NAME": "sess",
            "NICE_NAME": "Main database",
        }
        EMAIL_CLIENT: EmailClientConfig = {  # type: ignore[assignment]
            "SENDER_NAME_OR_ADDRESS": "App <noreply@example.com>",
            "SMTP_SERVER": "127.0.0.1",
            "SMTP_PORT": 2525,
            "USE_TLS": False,
        }

    application = build(Config)
    # the loader built the models; the extensions take them as they are
    assert isinstance(application.configs["SQL_DATABASE"], SqlDatabaseConfig)
    assert db.session_name == "sess"
    assert db.nice_name == "Main database"
    assert db.url.database == str(tmp_path / "app.db")
    assert email.config.SMTP_PORT == 2525
    assert email.config.USE_TLS is False
    async with PyJoltTestClient(application):
        await db.create_all(Base)
        async with db.session_scope() as session:
            session.add(Entry(title="kept"))
        async with db.readonly_scope() as session:
            assert await Entry.query(session).count() == 1


def test_a_model_instance_and_a_dict_both_work(tmp_path: Path) -> None:
    for section in (
        SqlDatabaseConfig(DATABASE_URI="sqlite+aiosqlite://", SESSION_NAME="given"),
        {"DATABASE_URI": "sqlite+aiosqlite://", "SESSION_NAME": "given"},
    ):
        db = SqlDatabase()
        make_app(EXTENSIONS=[db], SQL_DATABASE=section)
        assert db.session_name == "given"
        assert db.config.MAX_PER_PAGE == 100  # defaults still come from the model


def test_an_annotated_section_with_a_wrong_key_names_it() -> None:
    class Config(BaseConfig):
        SQL_DATABASE: SqlDatabaseConfig = {  # type: ignore[assignment]
            "DATABASE_URI": "sqlite+aiosqlite://",
            "SESION_NAME": "typo",
        }

    with pytest.raises(ConfigurationError, match=r"SQL_DATABASE\.SESION_NAME"):
        build(Config)


async def test_relative_paths_are_taken_from_base_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    (project / "templates").mkdir(parents=True)
    (project / "static").mkdir()
    (project / "templates" / "page.html").write_text("<p>{{ word }}</p>", encoding="utf-8")
    (project / "static" / "site.css").write_text("p {}", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    @path("/")
    class Pages(Controller):
        @get("/page")
        async def page(self, req: Request) -> Response[Any]:
            return await req.response.html("page.html", {"word": "found"})

    db = SqlDatabase()
    cache = Cache()
    application = make_app(
        controllers=[Pages],
        EXTENSIONS=[db, cache],
        BASE_PATH=str(project),
        TEMPLATES_DIR="templates",
        STATIC_DIR="static",
        SQL_DATABASE={"DATABASE_URI": "sqlite+aiosqlite:///data.db"},
        CACHE={"BACKEND": SqliteCacheBackend, "SQLITE_PATH": "cache/pages.db"},
    )
    assert application.root_path == str(project)
    assert db.url.database == str(project / "data.db")
    backend = cache.backend
    assert isinstance(backend, SqliteCacheBackend)
    assert backend.path == str(project / "cache" / "pages.db")
    async with PyJoltTestClient(application) as client:
        page = await client.get("/page")
        css = await client.get("/static/site.css")
    assert (page.status_code, page.text) == (200, "<p>found</p>")
    assert (css.status_code, css.text) == (200, "p {}")


@path("/api/entries")
class Entries(Controller):
    @get("/")
    async def list_entries(self, req: Request) -> Response[Any]:
        per_page = int(req.query_params.get("per_page", "10"))
        db: SqlDatabase = req.app.extensions["SQL_DATABASE"]
        async with db.readonly_scope() as session:
            page = await _page(session, per_page)
        return req.response.json({"count": len(page["items"]), "per_page": page["per_page"]})


async def _page(session: AsyncSession, per_page: int) -> dict[str, Any]:
    return await Entry.query(session).paginate(page=1, per_page=per_page)


@pytest.mark.parametrize(("limit", "per_page", "status"), [(None, 200, 400), (250, 200, 200)])
async def test_paginate_limit_is_a_setting_named_in_the_400(
    tmp_path: Path, limit: int | None, per_page: int, status: int
) -> None:
    db = SqlDatabase()
    section: dict[str, Any] = {"DATABASE_URI": f"sqlite+aiosqlite:///{tmp_path / 'p.db'}"}
    if limit is not None:
        section["MAX_PER_PAGE"] = limit
    application = make_app(controllers=[Entries], EXTENSIONS=[db], SQL_DATABASE=section)
    async with PyJoltTestClient(application) as client:
        await db.create_all(Base)
        async with db.session_scope() as session:
            session.add_all(Entry(title=f"e{i}") for i in range(3))
        answer = await client.get("/api/entries", params={"per_page": per_page})
        assert answer.status_code == status, answer.text
        if status == 400:
            message = answer.json()["message"]
            assert "per_page must be at most 100 (got 200)" in message
            assert "SQL_DATABASE['MAX_PER_PAGE']" in message
        else:
            assert answer.json() == {"count": 3, "per_page": 200}
        below = await client.get("/api/entries", params={"per_page": 100})
        assert below.status_code == 200
