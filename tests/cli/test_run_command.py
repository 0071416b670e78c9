"""``pyjolt run`` / ``python cli.py run``: uvicorn options from the app's settings."""

from typing import Any

import pytest

from pyjolt.cli.runner import collect_commands
from pyjolt.cli.serve import ServeOptions, uvicorn_options
from pyjolt.exceptions import ConfigurationError
from pyjolt.testing import make_app
from tests.cli.run_app import Application


def test_options_come_from_the_settings() -> None:
    app = make_app(
        HOST="0.0.0.0",
        PORT=9001,
        PROXY_HEADERS=False,
        FORWARDED_ALLOW_IPS="10.0.0.1",
        ACCESS_LOG=True,
        DEFAULT_LOGGER={"LEVEL": "WARNING"},
    )
    opts = uvicorn_options(app, ServeOptions(), None)
    assert opts["app"] is app and opts["workers"] == 1 and opts["reload"] is False
    assert (opts["host"], opts["port"]) == ("0.0.0.0", 9001)
    assert opts["proxy_headers"] is False and opts["forwarded_allow_ips"] == "10.0.0.1"
    assert opts["access_log"] is False  # the app's access log replaces uvicorn's
    assert opts["log_config"] is None and opts["log_level"] == "warning"
    assert opts["server_header"] is False  # no `server: uvicorn` answer header


def test_command_line_overrides_and_reload_in_development() -> None:
    app = Application()
    dev = uvicorn_options(app, ServeOptions(reload=True, port=1234), None)
    assert dev["reload"] is True and dev["port"] == 1234
    assert dev["app"] == "tests.cli.run_app:Application" and dev["factory"] is True
    workers = uvicorn_options(app, ServeOptions(workers=3, reload=True), None)
    assert workers["workers"] == 3 and workers["reload"] is False
    assert workers["app"] == "tests.cli.run_app:Application"


def test_workers_need_an_importable_app() -> None:
    app = make_app(WORKERS=2)  # a class defined inside a function
    with pytest.raises(ConfigurationError, match="import string"):
        uvicorn_options(app, ServeOptions(), None)


def test_cli_has_a_run_command_outside_the_lifespan() -> None:
    commands: dict[str, Any] = collect_commands(Application())
    run = commands["run"]
    assert run.lifespan is False
    assert {a.name for a in run.arguments} >= {"host", "port", "workers", "reload"}
