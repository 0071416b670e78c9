"""Under real hypercorn and granian, every log line is written once (the server's own lines,
the app's, and stdlib lines from a library)."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.services import free_port

ROOT = Path(__file__).resolve().parents[2]
TARGET = "tests.logging.server_app:application"

# slow server-process tests: once per CI run (the Python 3.11 session), not per interpreter
pytestmark = pytest.mark.skipif(
    sys.version_info[:2] != (3, 11) and os.environ.get("PYJOLT_SLOW_ALL") != "1",
    reason="slow server-process test: runs once per CI run, in the Python 3.11 session",
)

# the message of a line: after the app's "12:00:00 | INFO | name | " or a server's "[...] "
_PREFIX = re.compile(r"^(?:\d\d:\d\d:\d\d \| \w+ \| [\w.]+ \| |(?:\[[^\]]*\] ?)+)")


def _serve_once(argv: list[str], port: int) -> list[str]:
    """Start the server, answer /hello once, stop it; the lines it wrote (stdout and stderr)."""
    proc = subprocess.Popen(
        argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "the server exited early"
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            try:
                res = httpx.get(f"http://127.0.0.1:{port}/hello", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert res.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, _ = proc.communicate()
    return [line for line in out.decode().splitlines() if line.strip()]


def _check_once(lines: list[str], *expected: str) -> None:
    """The server's, the app's and the library's lines are there, each message once."""
    text = "\n".join(lines)
    for part in (
        *expected,
        "handler line through the app logger",
        "handler line through stdlib logging",
    ):
        assert part in text, text
    messages = [_PREFIX.sub("", line) for line in lines]
    assert sorted({m for m in messages if messages.count(m) > 1}) == [], text


def test_hypercorn_lines_once() -> None:
    port = free_port()
    argv = [sys.executable, "-m", "hypercorn", TARGET, "-b", f"127.0.0.1:{port}"]
    lines = _serve_once([*argv, "--access-logfile", "-", "--error-logfile", "-"], port)
    _check_once(lines, "Running on http://127.0.0.1", '"GET /hello 1.1" 200')


def test_granian_lines_once() -> None:
    port = free_port()
    argv = [
        sys.executable, "-m", "granian", "--interface", "asgi", "--host", "127.0.0.1",
        "--port", str(port), "--access-log", TARGET,
    ]  # fmt: skip
    _check_once(_serve_once(argv, port), "Started worker-1", '"GET /hello HTTP/1.1" 200')
