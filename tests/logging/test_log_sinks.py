"""Each app adds and removes only its own sinks; the stdlib bridge is installed once per process."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from loguru import logger

from pyjolt import Request, Response
from pyjolt.controller import Controller, get, path
from pyjolt.log_sinks import InterceptHandler
from pyjolt.testing import PyJoltTestClient, make_app

FORMAT = "{extra[logger_name]}|{message}"


@path("/log")
class LogApi(Controller):
    @get("/<word>")
    async def log(self, req: Request, word: str) -> Response:
        self.app.logger.info("app logger {}", word)
        logger.info("global logger {}", word)  # no app bound: the serving app's sinks
        logging.getLogger("some.library").warning("stdlib %s", word)
        return req.res.text(word)


def _app(name: str, folder: Path) -> object:
    return make_app(
        controllers=[LogApi],
        APP_NAME=name,
        DEFAULT_LOGGER={"SINK": str(folder / f"{name}.log"), "FORMAT": FORMAT},
    )


async def test_two_apps_in_one_process_both_log_to_their_own_sinks(tmp_path: Path) -> None:
    first = _app("first", tmp_path)
    second = _app("second", tmp_path)  # building it leaves the first app's sinks in place
    async with PyJoltTestClient(first) as one, PyJoltTestClient(second) as two:
        assert (await one.get("/log/alpha")).text == "alpha"
        assert (await two.get("/log/beta")).text == "beta"
        first.logger.info("first direct")  # type: ignore[attr-defined]
        second.logger.info("second direct")  # type: ignore[attr-defined]
    assert (tmp_path / "first.log").read_text().splitlines() == [
        "first|app logger alpha",
        "first|global logger alpha",
        "some.library|stdlib alpha",
        "first|first direct",
    ]
    assert (tmp_path / "second.log").read_text().splitlines() == [
        "second|app logger beta",
        "second|global logger beta",
        "some.library|stdlib beta",
        "second|second direct",
    ]


async def test_an_app_removes_only_its_own_sinks(tmp_path: Path) -> None:
    first = _app("first", tmp_path)
    second = _app("second", tmp_path)
    async with PyJoltTestClient(second):
        pass  # the second app stops: its sinks go, the first app's stay
    first.logger.info("still logging")  # type: ignore[attr-defined]
    second.logger.info("after its shutdown")  # type: ignore[attr-defined]
    assert (tmp_path / "first.log").read_text().splitlines() == ["first|still logging"]
    assert "after its shutdown" not in (tmp_path / "second.log").read_text()


@pytest.fixture
def server_logger() -> Iterator[io.StringIO]:
    """The "uvicorn" loggers as uvicorn's own logging config leaves them (earlier tests may
    have run servers in this process): a stream handler on "uvicorn", "uvicorn.error" below."""
    loggers = [logging.getLogger(name) for name in ("uvicorn", "uvicorn.error")]
    saved = [(std.handlers[:], std.propagate, std.level, std.disabled) for std in loggers]
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    top, error = loggers
    top.handlers, top.propagate, top.disabled = [handler], False, False
    top.setLevel(logging.INFO)
    error.handlers, error.propagate, error.disabled = [], True, False
    error.setLevel(logging.NOTSET)
    yield out
    for std, (handlers, propagate, level, disabled) in zip(loggers, saved, strict=True):
        std.handlers, std.propagate, std.level, std.disabled = handlers, propagate, level, disabled


def _bridges(name: str | None) -> int:
    handlers = logging.getLogger(name).handlers
    return sum(isinstance(h, InterceptHandler) for h in handlers)


async def test_bridge_is_installed_once_and_server_lines_outlive_the_app(
    server_logger: io.StringIO, tmp_path: Path
) -> None:
    apps = [_app(f"app{i}", tmp_path) for i in range(3)]
    assert _bridges(None) == 1  # the root logger: one bridge, however many apps
    assert len(logging.getLogger("uvicorn").handlers) == _bridges("uvicorn") == 1
    last = apps[-1]
    async with PyJoltTestClient(last):
        logging.getLogger("uvicorn.error").info("Application startup complete.")
    # the server's last lines come after the app's sinks are gone: its own handler writes them
    logging.getLogger("uvicorn.error").info("Application shutdown complete.")
    logging.getLogger("uvicorn.error").info("Finished server process [1]")
    assert server_logger.getvalue().splitlines() == [
        "INFO: Application shutdown complete.",
        "INFO: Finished server process [1]",
    ]
    assert (tmp_path / "app2.log").read_text().splitlines() == [
        "uvicorn.error|Application startup complete."
    ]


async def test_a_server_run_keeps_the_sinks_past_the_lifespan(
    server_logger: io.StringIO, tmp_path: Path
) -> None:
    application = _app("served", tmp_path)
    with application.keep_logging():  # type: ignore[attr-defined]  # what `pyjolt run` does
        async with PyJoltTestClient(application):
            pass
        logging.getLogger("uvicorn.error").info("Finished server process [1]")
    logging.getLogger("uvicorn.error").info("after the run")
    assert (tmp_path / "served.log").read_text().splitlines() == [
        "uvicorn.error|Finished server process [1]"
    ]
