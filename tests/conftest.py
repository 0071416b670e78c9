"""Shared fixtures: ``build_client`` builds an app inline and runs its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AsyncExitStack
from typing import Any

import pytest

from pyjolt.testing import PyJoltTestClient, make_app

BuildClient = Callable[..., Coroutine[Any, Any, PyJoltTestClient]]


@pytest.fixture
async def build_client() -> AsyncIterator[BuildClient]:
    """``client = await build_client(controllers=[MyApi], DEBUG=True, EXTENSIONS=[ext])``."""
    async with AsyncExitStack() as stack:

        async def _build(controllers: list[Any] | None = None, **config: Any) -> PyJoltTestClient:
            application = make_app(controllers=controllers or [], **config)
            return await stack.enter_async_context(PyJoltTestClient(application))

        yield _build
