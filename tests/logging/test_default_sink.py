"""The default loguru sink: configured at build, not duplicated, removed at shutdown."""

import logging

import pytest
from loguru import logger

from pyjolt.testing import PyJoltTestClient, make_app


async def test_second_app_does_not_duplicate_lines(capfd: pytest.CaptureFixture[str]) -> None:
    make_app(APP_NAME="first")
    second = make_app(
        APP_NAME="second",
        DEFAULT_LOGGER={"LEVEL": "DEBUG", "FORMAT": "{level}|{extra[logger_name]}|{message}"},
    )
    capfd.readouterr()
    second.logger.info("only once")
    err = capfd.readouterr().err
    assert err.count("only once") == 1
    assert "INFO|second|only once" in err


async def test_standard_logging_is_routed_with_its_name(capfd: pytest.CaptureFixture[str]) -> None:
    make_app(DEFAULT_LOGGER={"FORMAT": "{extra[logger_name]}: {message}"})
    logging.getLogger("some.library").warning("from stdlib")
    assert "some.library: from stdlib" in capfd.readouterr().err


async def test_level_respected_and_sink_removed_at_shutdown(
    capfd: pytest.CaptureFixture[str],
) -> None:
    application = make_app(DEFAULT_LOGGER={"LEVEL": "WARNING", "FORMAT": "{message}"})
    async with PyJoltTestClient(application):
        application.logger.info("hidden")
        application.logger.warning("shown")
    out = capfd.readouterr().err
    assert "shown" in out and "hidden" not in out
    logger.warning("after shutdown")
    assert "after shutdown" not in capfd.readouterr().err
