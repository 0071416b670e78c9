"""Fixtures of the caching tests: one config (and one backend) per backend kind."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from loguru import logger

from pyjolt.caching import BaseCacheBackend, Cache
from pyjolt.controller import Controller
from tests.caching.support import BACKEND_KINDS, Served, backend_config, cached_client, make_backend
from tests.conftest import BuildClient


@pytest.fixture(params=BACKEND_KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
async def backend(kind: str, tmp_path: Path) -> AsyncIterator[BaseCacheBackend]:
    """A connected backend of each kind, cleared and closed afterwards."""
    made = make_backend(kind, tmp_path)
    await made.connect()
    try:
        yield made
    finally:
        await made.clear()
        await made.disconnect()


@pytest.fixture
def cache_section(kind: str, tmp_path: Path) -> dict[str, Any]:
    return backend_config(kind, tmp_path)


@pytest.fixture
async def served(
    request: pytest.FixtureRequest, build_client: BuildClient, cache_section: dict[str, Any]
) -> Served:
    """A client of an app serving the test module's ``make_api(cache, calls)`` with a
    ``Cache`` on each backend kind."""
    make_api: Callable[[Cache, list[str]], type[Controller]] = request.module.make_api
    return await cached_client(build_client, make_api, cache_section)


@pytest.fixture
def log_messages() -> Iterator[Callable[[], list[str]]]:
    """Collects loguru messages of level WARNING and up while the test runs."""
    messages: list[str] = []
    sink_id = logger.add(lambda msg: messages.append(msg.record["message"]), level="WARNING")
    yield lambda: list(messages)
    logger.remove(sink_id)
