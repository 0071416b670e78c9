"""Fixtures of the robustness tests: the attacked app, a log capture and a uvicorn server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from loguru import logger

from pyjolt.testing import PyJoltTestClient
from tests.robustness import robust_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def client() -> AsyncIterator[PyJoltTestClient]:
    """The robust app with DEBUG False, its lifespan running."""
    robust_app.COUNTER["n"] = 0
    async with PyJoltTestClient(robust_app.build()) as c:
        yield c


@pytest.fixture
def make_client() -> Callable[..., PyJoltTestClient]:
    """``async with make_client(MAX_BODY_SIZE=...) as c``: the robust app with overrides."""

    def _make(**overrides: Any) -> PyJoltTestClient:
        robust_app.COUNTER["n"] = 0
        return PyJoltTestClient(robust_app.build(**overrides))

    return _make


@pytest.fixture
def captured_logs() -> Iterator[list[str]]:
    """Every log record (message and formatted exception) of level WARNING and above."""
    lines: list[str] = []
    sink = logger.add(
        lambda msg: lines.append(str(msg)),
        level="WARNING",
        format="{level} {message}\n{exception}",
        backtrace=True,
        diagnose=False,
    )
    yield lines
    logger.remove(sink)


@pytest.fixture
def uvicorn_app(uvicorn_server: Callable[..., str]) -> Callable[..., str]:
    """``base = uvicorn_app()``: the robust app under a real uvicorn on 127.0.0.1."""

    def start(*args: str) -> str:
        return uvicorn_server(
            "tests.robustness.robust_app:Application", "--factory", "--no-access-log", *args
        )

    return start
