"""0.111 names of the core: ``BaseConfig.value_to_bool``, ``PyJolt(cli_mode=True)``,
``pyjolt.logging.LoggerConfig``, and an ``Authentication`` listed in ``MIDDLEWARE``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from pyjolt import BaseConfig, LogLevel, MediaType, PyJolt, Request, Response, app
from pyjolt.auth import Authentication, login_required
from pyjolt.cli import CLIController, argument, command
from pyjolt.cli.runner import run_cli
from pyjolt.controller import Controller, consumes, get, path, post, produces
from pyjolt.enums import RunMode
from pyjolt.exceptions.errors import ConfigurationError
from pyjolt.logging import LoggerBase, LoggerConfig
from pyjolt.openapi import build_document
from pyjolt.request import AnyRequest
from pyjolt.testing import PyJoltTestClient, make_app


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        ("true", True),
        ("True", True),
        ("1", True),
        (1, True),
        (False, False),
        ("false", False),
        ("yes", False),
        ("0", False),
        (0, False),
        (None, False),
        ("", False),
    ],
)
def test_value_to_bool_works_and_warns(value: Any, expected: bool) -> None:
    with pytest.warns(DeprecationWarning, match=r"value_to_bool.*DEBUG: bool = False"):
        assert BaseConfig.value_to_bool(value) is expected


def test_value_to_bool_in_a_config_class() -> None:
    with pytest.warns(DeprecationWarning, match="value_to_bool"):

        class Config(BaseConfig):
            DEBUG = BaseConfig.value_to_bool("True")

    @app(__name__, configs=Config)
    class Application(PyJolt):
        pass

    assert Application().debug is True


class Greeter(CLIController):
    @command("greet", help="Greet someone")
    @argument("name", arg_type=str, description="Who")
    async def greet(self, name: str) -> None:
        print(f"Hello, {name}! cli_mode={self.app.cli_mode}")


def test_cli_mode_builds_an_app_for_run_cli(capsys: pytest.CaptureFixture[str]) -> None:
    class Config(BaseConfig):
        CLI_CONTROLLERS = [Greeter]

    @app(__name__, configs=Config)
    class Application(PyJolt):
        pass

    with pytest.warns(DeprecationWarning, match=r"cli_mode=True.*app\.run_cli\(\)"):
        application = Application(cli_mode=True)
    assert application.run_mode is RunMode.CLI
    assert run_cli(application, ["greet", "Ada"]) == 0
    assert "Hello, Ada! cli_mode=True" in capsys.readouterr().out
    plain = Application()  # no warning without it
    assert (plain.cli_mode, plain.run_mode) == (False, RunMode.SERVER)


class FileLogger(LoggerBase):
    pass


async def test_logger_config_annotates_logger_sections(tmp_path: Path) -> None:
    log_file = tmp_path / "app.log"

    class Config(BaseConfig):
        APP_NAME: str = "logger-config"
        LOGGERS = [FileLogger]
        DEFAULT_LOGGER: LoggerConfig = {"LEVEL": LogLevel.WARNING, "COLORIZE": False}
        FILE_LOGGER: LoggerConfig = {
            "SINK": str(log_file),
            "LEVEL": "INFO",
            "FORMAT": "{message}",
            "DELAY": False,
            "ROTATION": "1 MB",
            "RETENTION": 2,
        }

    @app(__name__, configs=Config)
    class Application(PyJolt):
        pass

    application = Application()
    try:
        application.logger.info("written through an annotated section")
    finally:
        await application.release_logging()
    assert "written through an annotated section" in log_file.read_text(encoding="utf-8")

    class Broken(BaseConfig):
        DEFAULT_LOGGER: LoggerConfig = {"BACKTRACE": "sometimes"}  # type: ignore[typeddict-item]

    @app(__name__, configs=Broken)
    class BrokenApp(PyJolt):
        pass

    with pytest.raises(ConfigurationError, match=r"DEFAULT_LOGGER\.BACKTRACE"):
        BrokenApp()


class OldStyleAuth(Authentication):
    """Listed in MIDDLEWARE, as late 0.111 releases allowed."""

    async def user_loader(self, req: AnyRequest) -> Any:
        return None


@path("/private")
class Private(Controller):
    @get("/")
    @login_required
    async def secret(self, req: Request) -> Response[Any]:
        return req.response.json({"ok": True})


@pytest.mark.parametrize(
    "entry", [OldStyleAuth, "tests.compat.test_core_aliases:OldStyleAuth", OldStyleAuth()]
)
def test_authentication_in_middleware_names_the_fix(entry: Any) -> None:
    with pytest.raises(ConfigurationError) as info:
        make_app(
            controllers=[Private],
            MIDDLEWARE=[entry],
            SECRET_KEY="Xp4rT8mWq2LzN6vB0sK9yH3dJ7fG1cA5uE-_oRi",
        )
    message = str(info.value)
    assert message.startswith("MIDDLEWARE[0]")
    assert "Authentication is an extension: list it in EXTENSIONS" in message
    assert "no Authentication extension is registered" not in message


class NoteIn(BaseModel):
    text: str


def test_produces_status_code_declares_the_success_status() -> None:
    with pytest.warns(DeprecationWarning, match=r"status_code.*@post\('/', status_code=201\)"):
        created = produces(MediaType.APPLICATION_JSON, status_code=201)

    @path("/notes")
    class Notes(Controller):
        @post("/")
        @consumes(MediaType.APPLICATION_JSON)
        @created
        async def create(self, req: Request, note: NoteIn) -> Response[NoteIn]:
            return req.response.json(note)

    application = make_app(controllers=[Notes])
    document = build_document(application)
    [operation] = [item["post"] for key, item in document["paths"].items() if "notes" in key]
    responses = operation["responses"]
    assert "201" in responses
    assert "200" not in responses

    with (
        pytest.warns(DeprecationWarning, match="produces"),
        pytest.raises(TypeError, match="contradicts"),
    ):

        @post("/", status_code=202)
        @produces(MediaType.APPLICATION_JSON, status_code=201)
        async def twice(self: Any, req: Request) -> None: ...


async def test_produces_status_code_is_the_answers_status() -> None:
    with pytest.warns(DeprecationWarning, match="produces"):

        @path("/items")
        class Items(Controller):
            @post("/")
            @produces(MediaType.APPLICATION_JSON, status_code=201)
            async def create(self, req: Request) -> Response[Any]:
                return req.response.json({"created": True})

    async with PyJoltTestClient(make_app(controllers=[Items])) as client:
        answer = await client.post("/items", json={})
    assert answer.status_code == 201
    assert answer.json() == {"created": True}
