"""Fixtures of the CLI tests: run scripts in a subprocess with this checkout importable."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SAMPLE_APP = Path(__file__).with_name("sample_cli_app.py")

RunScript = Callable[..., subprocess.CompletedProcess[str]]


def subprocess_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    env.pop("DEBUG", None)
    env.update(extra)
    return env


@pytest.fixture
def checkout_env() -> dict[str, str]:
    """Environment for subprocesses: this checkout importable, no DEBUG/SQL_DATABASE leaking in."""
    env = subprocess_env()
    env.pop("SQL_DATABASE", None)
    return env


@pytest.fixture
def run_script() -> RunScript:
    """``run_script(path, *args, cwd=...)`` runs ``python path args`` (60 s bound)."""

    def _run(
        script: Path | str, *args: str, cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(script), *args],
            cwd=cwd or REPO_ROOT,
            env=subprocess_env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return _run


@pytest.fixture
def run_sample(run_script: RunScript) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``run_sample("add", "2", "3")`` runs the sample app's CLI."""

    def _run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_script(SAMPLE_APP, *args)

    return _run
