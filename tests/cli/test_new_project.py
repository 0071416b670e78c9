"""``pyjolt new-project``: the template is written, placeholders filled, and the project works."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from pyjolt.cli.main import main
from pyjolt.cli.scaffold import project_slug, template_dir

EXPECTED = [
    ".env",
    ".env.dev",
    ".env.example",
    ".gitignore",
    "README.md",
    "app/__init__.py",
    "app/api/auth_api.py",
    "app/api/exceptions/exception_handler.py",
    "app/api/models/user_model.py",
    "app/api/users/schemas.py",
    "app/api/users/user_api.py",
    "app/cli/cli_controller.py",
    "app/configs.py",
    "app/extensions.py",
    "app/static/style.css",
    "app/templates/index.html",
    "app/tests/conftest.py",
    "app/tests/test_auth_api.py",
    "app/tests/test_user_api.py",
    "cli.py",
    "pyproject.toml",
    "run.py",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("projects") / "shop"
    assert main(["new-project", str(target), "--name", "Demo Shop"]) == 0
    return target


def test_writes_the_layout_with_placeholders_filled(project: Path):
    files = sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file())
    for name in EXPECTED:
        assert name in files
    assert not any("__pycache__" in f or f.endswith((".pyc", ".db")) for f in files)
    for name in files:
        assert "__PROJECT_" not in (project / name).read_text(encoding="utf-8"), name
    pyproject = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == "demo-shop"
    # >=1.0: PyPI's older pyjolt 0.111 must never be chosen
    assert pyproject["project"]["dependencies"] == ["pyjolt[db,auth,ratelimit]>=1.0"]
    assert 'APP_NAME: str = "Demo Shop"' in (project / "app/configs.py").read_text(encoding="utf-8")
    assert (project / ".env.dev").read_text(encoding="utf-8").splitlines()[-1] == "DEBUG=True"


def test_prints_next_steps(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["new-project", str(tmp_path / "x")]) == 0
    out = capsys.readouterr().out
    assert f"in {tmp_path / 'x'}" in out
    assert "python run.py" in out


def test_refuses_a_non_empty_folder_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new-project", str(tmp_path)]) == 1
    assert "is not empty; choose an empty folder or pass --force" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]

    assert main(["new-project", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert (tmp_path / "app" / "__init__.py").is_file()


def test_a_fresh_repository_or_virtualenv_counts_as_empty(tmp_path: Path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".venv").mkdir()
    assert main(["new-project", str(tmp_path)]) == 0
    assert (tmp_path / "run.py").is_file()


def test_default_target_is_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new-project"]) == 0
    assert (tmp_path / "cli.py").is_file()
    assert 'name = "' + project_slug(tmp_path.name) + '"' in (
        tmp_path / "pyproject.toml"
    ).read_text(encoding="utf-8")


def test_target_that_is_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    (tmp_path / "f").write_text("", encoding="utf-8")
    assert main(["new-project", str(tmp_path / "f")]) == 1
    assert "is not a folder" in capsys.readouterr().err


def test_template_is_found_in_the_checkout():
    assert (template_dir() / "app" / "__init__.py").is_file()


def test_slug():
    assert project_slug("My Shop!") == "my-shop"
    assert project_slug("***") == "pyjolt-app"


def _needs_template_extras() -> None:
    """The generated project depends on pyjolt[db,auth,ratelimit]."""
    for module, extra in (
        ("alembic", "db"),
        ("aiosqlite", "db"),
        ("pwdlib", "auth"),
        ("limits", "ratelimit"),
    ):
        pytest.importorskip(module, reason=f"the project template needs the {extra!r} extra")


def _run(
    project: Path, env: dict[str, str], *args: str, timeout: float = 120, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=project,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_project_tests_pass(project: Path, checkout_env: dict[str, str]):
    _needs_template_extras()
    result = _run(project, checkout_env, "-m", "pytest", "-q", "-p", "no:cacheprovider")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "8 passed" in result.stdout


def test_the_project_cli_and_migrations(tmp_path: Path, checkout_env: dict[str, str]):
    _needs_template_extras()
    target = tmp_path / "migrating"
    assert main(["new-project", str(target)]) == 0
    # the spec's flow on a fresh project; db-* commands never create tables themselves
    for command in (["db-init"], ["db-migrate", "--message", "users"], ["db-upgrade"]):
        result = _run(target, checkout_env, "cli.py", *command)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    versions = list((target / "migrations" / "versions").glob("*_users.py"))
    assert len(versions) == 1
    assert "op.create_table('users'" in versions[0].read_text(encoding="utf-8")

    greet = _run(target, checkout_env, "cli.py", "greet", "Ada")
    assert greet.returncode == 0, greet.stderr
    assert "Hello, Ada! Welcome to migrating." in greet.stdout
    created = _run(target, checkout_env, "cli.py", "create-user", "ada@example.com", "Ada")
    assert created.returncode == 0, created.stderr
    again = _run(target, checkout_env, "cli.py", "create-user", "ada@example.com", "Ada")
    assert again.returncode == 1
    assert "a user with e-mail 'ada@example.com' already exists" in again.stderr
    # the password comes from stdin (or a prompt), never from the command line
    short = _run(target, checkout_env, "cli.py", "set-password", "ada@example.com", stdin="x\n")
    assert short.returncode == 1
    assert "at least 8 characters" in short.stderr
    stdin = "correct horse\n"
    done = _run(target, checkout_env, "cli.py", "set-password", "ada@example.com", stdin=stdin)
    assert done.returncode == 0, done.stderr
    code = (
        "import sqlite3; from pyjolt.auth import check_password_hash; "
        "(h,) = sqlite3.connect('app.db').execute('select password_hash from users').fetchone(); "
        "print(h.startswith('$argon2'), check_password_hash('correct horse', h))"
    )
    assert _run(target, checkout_env, "-c", code).stdout.split() == ["True", "True"]
    assert os.path.exists(target / "app.db")


def test_secret_key_in_a_git_ignored_env_file(project: Path, tmp_path: Path):
    from pyjolt._internal.secret_keys import weak_secret_reason

    key = (project / ".env").read_text(encoding="utf-8").split("SECRET_KEY=", 1)[1].strip()
    assert weak_secret_reason(key) is None
    other = tmp_path / "other"
    assert main(["new-project", str(other)]) == 0
    assert key not in (other / ".env").read_text(encoding="utf-8")  # one key per project
    ignored = (project / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".env*" in ignored and "!.env.example" in ignored
    assert "change-me" not in (project / "app/configs.py").read_text(encoding="utf-8")


def _config(project: Path, env: dict[str, str]) -> dict[str, str]:
    code = "from app.configs import Config; c = Config(); print(c.DEBUG, c.SECRET_KEY)"
    result = _run(project, env, "-c", code)
    assert result.returncode == 0, result.stderr
    debug, key = result.stdout.split()
    return {"DEBUG": debug, "SECRET_KEY": key}


def test_env_dev_is_read_only_in_development_mode(project: Path, checkout_env: dict[str, str]):
    # importing app.configs imports the app package, which needs the db extra
    _needs_template_extras()
    assert _config(project, checkout_env)["DEBUG"] == "False"
    assert _config(project, {**checkout_env, "APP_ENV": "development"})["DEBUG"] == "True"


def test_fresh_project_starts_with_debug_off_without_edits(
    project: Path, checkout_env: dict[str, str]
):
    _needs_template_extras()
    code = "from app import Application; a = Application(); print('debug', a.debug)"
    result = _run(project, checkout_env, "-c", code)
    assert result.returncode == 0, result.stderr
    assert "debug False" in result.stdout


def test_cli_routes_then_migrations_then_openapi_without_database(
    tmp_path: Path, checkout_env: dict[str, str]
):
    _needs_template_extras()
    pytest.importorskip("asyncpg", reason="the PostgreSQL URL needs the 'postgres' extra")
    target = tmp_path / "flow"
    assert main(["new-project", str(target)]) == 0
    # routes does not run the app's start-up hooks (create_tables), so the migration that
    # db-migrate writes still creates the users table
    for command in (["routes"], ["db-init"], ["db-migrate", "--message", "init"]):
        result = _run(target, checkout_env, "cli.py", *command)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    (version,) = (target / "migrations" / "versions").glob("*_init.py")
    assert "op.create_table('users'" in version.read_text(encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    env = {
        **checkout_env,
        "SQL_DATABASE__DATABASE_URI": f"postgresql+asyncpg://app@127.0.0.1:{closed_port}/app",
    }
    result = _run(target, env, "cli.py", "openapi", "--output", "f.json")
    assert result.returncode == 0, result.stderr
    assert "/api/v1/users/" in json.loads((target / "f.json").read_text(encoding="utf-8"))["paths"]
