"""Fixtures of the robustness tests: the attacked app, a log capture and a uvicorn server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from loguru import logger

from pyjolt.testing import PyJoltTestClient
from tests.robustness import robust_app
from tests.services import free_port

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
def uvicorn_app() -> Iterator[Callable[..., str]]:
    """``base = uvicorn_app()``: the robust app under a real uvicorn on 127.0.0.1."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> str:
        port = free_port()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "tests.robustness.robust_app:Application",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                *args,
            ],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                out = proc.stdout.read().decode() if proc.stdout else ""
                raise RuntimeError(f"uvicorn exited early:\n{out}")
            try:
                httpx.get(base + "/__ready__", timeout=1)
                return base
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("uvicorn did not start within 30 s")

    yield start
    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
