"""End to end: ``pyjolt new-project`` in a fresh virtualenv with this checkout installed.

Slow (a ``pip install``): runs only with ``PYJOLT_E2E=1``::

    PYJOLT_E2E=1 .venv/bin/pytest tests/cli/test_new_project_e2e.py -q -p no:cacheprovider
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.services import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(900),
    pytest.mark.skipif(os.environ.get("PYJOLT_E2E") != "1", reason="set PYJOLT_E2E=1 to run"),
]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "DEBUG", "SQL_DATABASE", "PORT", "PYTHONHOME")
    }
    env.update(extra)
    return env


def _check(
    cmd: list[str], cwd: Path, timeout: float, **extra: str
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        cmd,
        cwd=cwd,
        env=_clean_env(**extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _template_extras() -> str:
    """The extras of the generated project's pyjolt dependency, e.g. ``db,auth,ratelimit``."""
    template = REPO_ROOT / "templates_scaffold" / "pyproject.toml"
    deps = tomllib.loads(template.read_text(encoding="utf-8"))["project"]["dependencies"]
    (pyjolt,) = (d for d in deps if d.startswith("pyjolt["))
    return str(pyjolt.split("[", 1)[1].split("]", 1)[0])


@pytest.fixture(scope="module")
def venv_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(python of a fresh venv with pyjolt and the extras the project needs installed, a project
    made by its `pyjolt` script)."""
    root = tmp_path_factory.mktemp("e2e")
    venv = root / "venv"
    base_python = getattr(sys, "_base_executable", sys.executable)
    _check([base_python, "-m", "venv", str(venv)], root, 120)
    python = venv / "bin" / "python"
    _check(
        [str(python), "-m", "pip", "install", "-q", f"{REPO_ROOT}[{_template_extras()}]"], root, 600
    )

    project = root / "shop"
    _check([str(venv / "bin" / "pyjolt"), "new-project", str(project), "--name", "Shop"], root, 60)
    # the test tools the project itself declares (its dev dependency group)
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    dev = pyproject["dependency-groups"]["dev"]
    _check([str(python), "-m", "pip", "install", "-q", *dev], root, 600)
    return python, project


def test_package_is_installed_not_imported_from_the_checkout(venv_project: tuple[Path, Path]):
    python, project = venv_project
    result = _check([str(python), "-c", "import pyjolt; print(pyjolt.__file__)"], project, 60)
    assert str(REPO_ROOT) not in result.stdout
    assert "site-packages" in result.stdout


def test_generated_project_tests_pass(venv_project: tuple[Path, Path]):
    python, project = venv_project
    result = _check([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, 300)
    assert "8 passed" in result.stdout


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=5) as res:
            return res.status, res.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_run_py_serves_the_example_endpoint(venv_project: tuple[Path, Path]):
    python, project = venv_project
    port = free_port()
    log = project / "server.log"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [str(python), "run.py"],
            cwd=project,
            env=_clean_env(PORT=str(port), HOST="127.0.0.1", APP_ENV="development"),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # uvicorn's reloader starts a child: stop the whole group
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        status, body = 0, b""
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status, body = _get(base + "/api/v1/users")
                break
            except OSError:
                time.sleep(0.5)
        output = log.read_text(encoding="utf-8")
        assert status == 200, output
        assert json.loads(body) == []
        assert (project / "app.db").is_file()  # created at first start
        # DEBUG=True comes from .env.dev (read in development mode): docs served, reloader runs
        assert _get(base + "/openapi/specs.json")[0] == 200
        assert "reloader" in output.lower()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
