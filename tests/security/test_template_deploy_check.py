"""``check --deploy`` on a fresh ``pyjolt new-project`` project, as a user runs it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from pyjolt.cli.scaffold import create_project

ROOT = Path(__file__).resolve().parents[2]


def _check(project: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "cli.py", "check", "--deploy"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_template_with_debug_off_lists_what_is_left(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    create_project(project, "shop")
    done = _check(project, DEBUG="False", SECRET_KEY=secrets.token_urlsafe(48))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 error(s)" in done.stdout
    assert "security.W004 [warning] ALLOWED_HOSTS is not set" in done.stdout  # left to the user
    assert "security.W007" not in done.stdout  # the template's login route has a rate limit
    hardened = _check(
        project,
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(48),
        APP_NAME="shop",
        ALLOWED_HOSTS='["shop.example"]',
    )
    assert hardened.returncode == 0, hardened.stdout + hardened.stderr
    assert hardened.stdout.strip().endswith("0 error(s), 0 warning(s)")


def test_template_with_its_placeholder_key_is_an_error(tmp_path: Path) -> None:
    project = tmp_path / "shop"
    create_project(project, "shop")
    done = _check(project, DEBUG="False", SECRET_KEY="change-me-to-a-long-random-string")
    assert done.returncode != 0
    assert "SECRET_KEY" in done.stdout + done.stderr
