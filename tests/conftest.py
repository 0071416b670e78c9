"""Shared fixtures: ``build_client`` builds an app inline and runs its lifespan."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import pytest

from pyjolt.testing import PyJoltTestClient, make_app
from tests.extras import EXTRA_DIRS
from tests.services import start_uvicorn, stop_process

BuildClient = Callable[..., Coroutine[Any, Any, PyJoltTestClient]]


@pytest.fixture
async def build_client() -> AsyncIterator[BuildClient]:
    """``client = await build_client(controllers=[MyApi], DEBUG=True, EXTENSIONS=[ext])``."""
    async with AsyncExitStack() as stack:

        async def _build(controllers: list[Any] | None = None, **config: Any) -> PyJoltTestClient:
            application = make_app(controllers=controllers or [], **config)
            return await stack.enter_async_context(PyJoltTestClient(application))

        yield _build


@pytest.fixture
def uvicorn_server() -> Iterator[Callable[..., str]]:
    """``base_url = uvicorn_server("tests.e2e.sample_app:Application", "--factory")``."""
    procs: list[subprocess.Popen[bytes]] = []
    logs: list[Any] = []

    def start(target: str, *args: str, env: dict[str, str] | None = None) -> str:
        log = tempfile.TemporaryFile()  # noqa: SIM115 - closed at teardown
        logs.append(log)
        proc, base = start_uvicorn(target, *args, env={**os.environ, **(env or {})}, log=log)
        procs.append(proc)
        return base

    yield start
    for proc in procs:
        stop_process(proc)
    for log in logs:
        log.close()


_skipped_extras: set[str] = set()


def _importable(module: str) -> bool:
    """Whether ``module`` can be imported (a dotted name whose parent package is missing
    makes ``find_spec`` raise instead of answering None)."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def pytest_ignore_collect(collection_path: Any, config: Any) -> bool | None:

    try:
        rel = (
            Path(collection_path).resolve().relative_to(Path(__file__).parent.resolve()).as_posix()
        )
    except ValueError:
        return None
    for folder, needs in EXTRA_DIRS.items():
        if not (rel == folder or rel.startswith(folder + "/")):
            continue
        missing = [(m, e) for m, e in needs if not _importable(m)]
        if missing:
            extras = ", ".join(sorted({e for _, e in missing}))
            modules = ", ".join(m for m, _ in missing)
            _skipped_extras.add(f"tests/{folder} (needs the extras {extras}: {modules} missing)")
            return True
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in sorted(_skipped_extras):
        terminalreporter.write_line(f"not collected: {line}")
