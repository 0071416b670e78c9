"""Helpers for tests that need an external service (PostgreSQL, Redis, MongoDB...)."""

from __future__ import annotations

import importlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import IO, Any

import httpx
import pytest

#: The repository: servers started by the tests run from here.
ROOT = Path(__file__).resolve().parents[1]

POSTGRES_URL = os.environ.get(
    "PYJOLT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("PYJOLT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def services_required() -> bool:
    return os.environ.get("PYJOLT_REQUIRE_SERVICES") == "1"


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def require_service(available: bool, reason: str) -> None:
    """Skip (locally) or fail (under PYJOLT_REQUIRE_SERVICES=1) when a service is absent."""
    if available:
        return
    if services_required():
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(f"service unavailable: {reason}")


def require_module(name: str) -> ModuleType:
    """Import a test-group package, or skip the module without it (fail if services required)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        if services_required():
            raise
        pytest.skip(f"{name} is not installed", allow_module_level=True)


def require_port(host: str, port: int, name: str) -> None:
    require_service(port_open(host, port), f"{name} at {host}:{port}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def stop_process(proc: subprocess.Popen[Any], timeout: float = 10) -> None:
    """Terminate a child process; kill it when it does not exit within ``timeout`` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start_uvicorn(
    target: str, *args: str, env: dict[str, str], log: IO[bytes], timeout: float = 90
) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m uvicorn <target> <args>`` on a free port of 127.0.0.1, run from the repository
    with ``env``, its output in ``log``; returned with its base URL once it answers HTTP (it is
    stopped when it does not within ``timeout`` seconds).

    ``log`` is a file, not a pipe: nobody reads a pipe while the server runs, and a full pipe
    would block the server's logging (and so its answers) under a long test.
    """
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            target,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *args,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"uvicorn exited early:\n{log.read().decode()}")
        try:
            httpx.get(base + "/__ready__", timeout=1)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    stop_process(proc)
    raise RuntimeError(f"uvicorn did not start within {timeout:.0f} s")


#: Headless Chromium without network: every host but the loopback server fails to resolve.
HEADLESS_CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)  # fmt: skip


def chromium_binary() -> str:
    """Debian's ``chromium``: skipped when absent, failed under PYJOLT_REQUIRE_SERVICES=1."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    require_service(found is not None, "chromium (Debian: apt-get install -y chromium)")
    assert found is not None
    return found


#: Slow multi-process tests run once per CI run, in the Python 3.11 session, not once per
#: interpreter (PYJOLT_SLOW_ALL=1 runs them everywhere).
slow_once = pytest.mark.skipif(
    sys.version_info[:2] != (3, 11) and os.environ.get("PYJOLT_SLOW_ALL") != "1",
    reason="slow multi-process test: runs once per CI run, in the Python 3.11 session",
)
