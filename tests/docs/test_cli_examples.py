"""docs/topics/cli.md: the commands the page runs and what they print."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pyjolt.cli.runner import run_cli
from tests.docs.support import EXAMPLES, load_example


def test_cli_script_in_a_process() -> None:
    done = subprocess.run(
        [sys.executable, "tools.py", "greet", "Ada"],
        cwd=EXAMPLES / "cli",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Hello, Ada! This is Tools.\n"


@pytest.mark.parametrize(
    ("argv", "status", "out", "err"),
    [
        (["greet", "--name", "Ada", "--times", "2"], 0, "Hello, Ada! This is Tools.\n" * 2, ""),
        (["add", "2", "3.5"], 0, "5.5\n", ""),
        (["check-name", "Al"], 1, "", "tools.py check-name: error: name 'Al' is too short\n"),
        (
            ["routes"],
            0,
            "METHOD  PATH       NAME          GUARDS\nGET     /api/ping  PingApi.ping\n",
            "",
        ),
    ],
)
def test_commands(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    status: int,
    out: str,
    err: str,
) -> None:
    monkeypatch.setattr(sys, "argv", ["tools.py"])
    example = load_example("cli/tools.py")
    application = example.Application()
    capsys.readouterr()
    assert run_cli(application, argv) == status
    captured = capsys.readouterr()
    assert captured.out == out
    if err:
        assert err in captured.err


def test_unknown_command(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["tools.py"])
    example = load_example("cli/tools.py")
    assert run_cli(example.Application(), ["nope"]) == 2
    assert capsys.readouterr().err.startswith(
        "tools.py: error: unknown command 'nope'.\n"
        "Available commands: add, check, check-name, greet, openapi, routes, run\n"
    )
