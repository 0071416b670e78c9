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


# Test folders that need an optional extra: skipped (with the reason) when it is not installed,
# as in the "minimal" nox run.
_EXTRA_DIRS = {
    "database/sql": ("sqlalchemy", "db"),
    "database/nosql": ("pymongo", "mongo"),
    "auth": ("jwt", "auth"),
    "caching": ("redis", "cache"),
    "task_manager": ("apscheduler", "scheduler"),
    "email": ("aiosmtplib", "email"),
    "ai_interface": ("httpx", "ai_interface"),
}
_skipped_extras: set[str] = set()


def pytest_ignore_collect(collection_path: Any, config: Any) -> bool | None:
    import importlib.util
    from pathlib import Path

    try:
        rel = (
            Path(collection_path).resolve().relative_to(Path(__file__).parent.resolve()).as_posix()
        )
    except ValueError:
        return None
    for folder, (module, extra) in _EXTRA_DIRS.items():
        inside = rel == folder or rel.startswith(folder + "/")
        if inside and importlib.util.find_spec(module) is None:
            _skipped_extras.add(
                f"tests/{folder} (needs the '{extra}' extra: {module} is not installed)"
            )
            return True
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in sorted(_skipped_extras):
        terminalreporter.write_line(f"not collected: {line}")
