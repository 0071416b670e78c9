"""CLI commands that need no running service: ``routes`` and ``openapi`` do not start the app
(no database connection, no hooks); other commands start the extensions but run only the hooks
that opt in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyjolt import PyJolt, Request, Response, app, on_startup
from pyjolt.cli import CLIController, command
from pyjolt.cli.runner import run_cli
from pyjolt.config import BaseConfig
from pyjolt.controller import Controller, get, path
from pyjolt.database.sql import SqlDatabase
from tests.services import free_port

QUIET = {"DEFAULT_LOGGER": {"LEVEL": "ERROR"}}


@path("/api")
class Api(Controller):
    @get("/ping")
    async def ping(self, req: Request) -> Response:
        return req.res.json({"ok": True})


def _app(uri: str, seen: list[str]) -> PyJolt:
    db = SqlDatabase()

    class Cli(CLIController):
        @command("count", help="Ask the database.")
        async def count(self) -> None:
            seen.append("command")

    class Config(BaseConfig):
        CONTROLLERS: list[Any] = [Api]
        EXTENSIONS: list[Any] = [db]
        CLI_CONTROLLERS: list[Any] = [Cli]
        SQL_DATABASE: dict[str, Any] = {"DATABASE_URI": uri}
        DEFAULT_LOGGER: dict[str, Any] = QUIET["DEFAULT_LOGGER"]

    @app(__name__, configs=Config)
    class Application(PyJolt):
        @on_startup
        async def create_tables(self) -> None:
            seen.append("create_tables")

        @on_startup(cli=True)
        async def announce(self) -> None:
            seen.append("cli hook")

    return Application()


def test_openapi_with_the_database_unreachable(tmp_path: Path, capsys: Any) -> None:
    seen: list[str] = []
    closed = f"postgresql+asyncpg://app@127.0.0.1:{free_port()}/app"
    application = _app(closed, seen)
    target = tmp_path / "f.json"
    assert run_cli(application, ["openapi", "--output", str(target)]) == 0
    assert "/api/ping" in json.loads(target.read_text())["paths"]
    assert run_cli(application, ["routes"]) == 0
    assert "/api/ping" in capsys.readouterr().out
    assert seen == []  # nothing was started


def test_commands_start_extensions_and_only_opted_in_hooks(tmp_path: Path) -> None:
    seen: list[str] = []
    application = _app(f"sqlite+aiosqlite:///{tmp_path / 'app.db'}", seen)
    assert run_cli(application, ["count"]) == 0
    assert seen == ["cli hook", "command"]  # create_tables (server-only) did not run
