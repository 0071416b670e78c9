"""``run_cli`` in-process: command sources, lifespan, built-in ``routes`` and ``openapi``."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel

from pyjolt import Request, Response, on_startup
from pyjolt.cli import Argument, CliCommand, CLIController, argument, command
from pyjolt.cli.runner import collect_commands, run_cli
from pyjolt.controller import Controller, Guard, add_guard, get, path, post
from pyjolt.enums import RunMode
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.extension import BaseExtension
from pyjolt.testing import make_app

QUIET = {"DEFAULT_LOGGER": {"LEVEL": "ERROR"}}


class Recorder(BaseExtension[Any]):
    default_configs_name = "RECORDER"

    def __init__(self, *, fail: bool = False) -> None:
        super().__init__()
        self.events: list[str] = []
        self.fail = fail

    async def startup(self) -> None:
        if self.fail:
            raise RuntimeError("cannot reach the backend")
        self.events.append("startup")

    async def shutdown(self) -> None:
        self.events.append("shutdown")

    def cli_commands(self) -> list[CliCommand]:
        async def ping(times: int = 1) -> int:
            self.events.append(f"ping x{times}")
            print("pong " * times)
            return 0

        return [
            CliCommand(
                "rec-ping",
                ping,
                "Ping the recorder.",
                (Argument("times", int, "", 1, False, True),),
            )
        ]


class Tools(CLIController):
    @command("echo")
    @argument("word", arg_type=str)
    @argument("loud", arg_type=bool, description="Shout.", default=False, required=False)
    async def echo(self, word: str, loud: bool) -> int:
        """Print a word."""
        print(word.upper() if loud else word)
        return 7 if loud else 0


def test_extension_commands_run_inside_the_lifespan(capsys):
    rec = Recorder()
    app = make_app(EXTENSIONS=[rec], **QUIET)
    assert run_cli(app, ["rec-ping", "--times", "2"]) == 0
    assert rec.events == ["startup", "ping x2", "shutdown"]
    assert "pong pong" in capsys.readouterr().out


def test_return_value_is_the_exit_code_and_bool_flag(capsys):
    app = make_app(CLI_CONTROLLERS=[Tools], **QUIET)
    assert run_cli(app, ["echo", "hi"]) == 0
    assert run_cli(app, ["echo", "hi", "--loud"]) == 7
    assert capsys.readouterr().out.split() == ["hi", "HI"]


def test_docstring_is_the_default_help(capsys):
    app = make_app(CLI_CONTROLLERS=[f"{__name__}:Tools"], **QUIET)
    assert run_cli(app, ["--help"]) == 0
    assert any(
        "echo" in line and "Print a word." in line for line in capsys.readouterr().out.splitlines()
    )


def test_startup_hooks_run_before_the_command(capsys):
    seen: list[str] = []

    class Cli(CLIController):
        @command("check")
        async def check(self) -> None:
            seen.append("command")

    app = make_app(CLI_CONTROLLERS=[Cli], **QUIET)

    async def hook(self: Any) -> None:
        seen.append(f"hook in {self.run_mode} mode, command {self.cli_command}")

    async def server_only(self: Any) -> None:
        seen.append("server-only hook")

    type(app).hook = on_startup(cli=True)(hook)  # type: ignore[attr-defined]  # app methods
    type(app).server_only = on_startup(server_only)  # type: ignore[attr-defined]
    assert run_cli(app, ["check"]) == 0
    # a hook runs for a command only when it opts in (@on_startup(cli=True))
    assert seen == ["hook in cli mode, command check", "command"]
    assert (app.run_mode, app.cli_command) == (RunMode.SERVER, None)


def test_failing_startup_is_reported(capsys):
    rec = Recorder(fail=True)
    app = make_app(EXTENSIONS=[rec], CLI_CONTROLLERS=[Tools], **QUIET)
    assert run_cli(app, ["echo", "x"]) == 1
    err = capsys.readouterr().err
    assert "echo: error: RuntimeError: cannot reach the backend" in err
    assert "x\n" not in capsys.readouterr().out


def test_duplicate_command_names_are_refused(capsys):
    class Other(CLIController):
        @command("rec-ping", help="Clashes with the extension.")
        async def ping(self) -> None:
            pass

    app = make_app(EXTENSIONS=[Recorder()], CLI_CONTROLLERS=[Other], **QUIET)
    assert run_cli(app, ["rec-ping"]) == 1
    err = capsys.readouterr().err
    assert "CLI command 'rec-ping' is defined twice" in err
    assert "CLI controller Other" in err
    assert "extension 'RECORDER'" in err


def test_an_app_command_replaces_a_builtin():
    class Mine(CLIController):
        @command("routes", help="My routes.")
        async def routes(self) -> None:
            pass

    commands = collect_commands(make_app(CLI_CONTROLLERS=[Mine], **QUIET))
    assert commands["routes"].help == "My routes."
    assert commands["openapi"].help.startswith("Write the OpenAPI document")


def test_cli_controllers_resolved_from_config_by_the_registry():
    app = make_app(CLI_CONTROLLERS=[f"{__name__}:Tools"], **QUIET)
    assert [type(c) for c in app.cli_controllers] == [Tools]
    assert [c.name for c in app.cli_controllers[0].commands()] == ["echo"]
    with pytest.raises(ConfigurationError, match=rf"CLI_CONTROLLERS\[0\] '{__name__}:Nope'"):
        make_app(CLI_CONTROLLERS=[f"{__name__}:Nope"], **QUIET)
    with pytest.raises(ConfigurationError, match="expected a CLIController subclass"):
        make_app(CLI_CONTROLLERS=[QUIET], **QUIET)


class Item(BaseModel):
    name: str


class AdminOnly(Guard):
    priority = 10

    async def check(self, req: Any) -> None:
        return None


@path("/api/items")
class ItemApi(Controller):
    @get("/<int:item_id>")
    async def get_item(self, req: Request, item_id: int) -> Response[Item]:
        return req.response.json({"name": str(item_id)})

    @post("/")
    async def create_item(self, req: Request, item: Item) -> Response[Item]:
        return req.response.json(item)


add_guard(ItemApi.create_item, AdminOnly())


def test_routes_lists_method_path_name_and_guards(capsys):
    app = make_app(controllers=[ItemApi], **QUIET)
    assert run_cli(app, ["routes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["METHOD", "PATH", "NAME", "GUARDS"]
    rows = [line.split() for line in lines[1:]]
    assert ["POST", "/api/items/", "ItemApi.create_item", "AdminOnly"] in rows
    assert ["GET", "/api/items/<int:item_id>", "ItemApi.get_item"] in rows


def test_routes_as_json(capsys):
    app = make_app(controllers=[ItemApi], **QUIET)
    assert run_cli(app, ["routes", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {
        "method": "POST",
        "path": "/api/items/",
        "name": "ItemApi.create_item",
        "guards": "AdminOnly",
    } in rows


def test_openapi_to_stdout_and_file(capsys, tmp_path):
    app = make_app(controllers=[ItemApi], APP_NAME="Items", **QUIET)
    assert run_cli(app, ["openapi"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["info"]["title"] == "Items"
    assert "/api/items/{item_id}" in doc["paths"]

    target = tmp_path / "docs" / "openapi.json"
    assert run_cli(app, ["openapi", "--output", str(target), "--indent", "0"]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == doc
    assert f"written to {target}" in capsys.readouterr().err
