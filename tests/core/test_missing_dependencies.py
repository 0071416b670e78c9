"""Missing packages are found when the app is built and reported in one line with the install
command. The subprocesses hide the packages (``sys.modules[name] = None``) when this
environment has them, so the same test runs with and without the extras."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pyjolt._internal.dependencies import MissingDependencyError, Requirement, install_command

ROOT = Path(__file__).resolve().parents[2]

APP = """
from pyjolt import BaseConfig, PyJolt, app

class Config(BaseConfig):
    EXTENSIONS: list = [{extensions}]
    SQL_DATABASE: dict = {{"DATABASE_URI": "postgresql+asyncpg://app@127.0.0.1:1/app"}}
    SECRET_KEY: str = "Zt3kq9LmWx2Rv7Bn4Hs8Jd1Fc6Yg0Pa5Ue-_QoNiTrKlMbVcXzAsDfGhJ"

@app(__name__, configs=Config)
class Application(PyJolt):
    pass
"""

EXTENSIONS = """
from pyjolt.auth import Authentication

class Auth(Authentication):
    async def user_loader(self, req):
        return None

auth = Auth()
"""

SQL = """
from pyjolt.database.sql import SqlDatabase

db = SqlDatabase()
"""


def _serve(
    tmp_path: Path, extensions: str, hide: tuple[str, ...]
) -> subprocess.CompletedProcess[str]:
    """Start uvicorn on the app in ``tmp_path`` with the modules ``hide`` made unimportable."""
    (tmp_path / "appmod.py").write_text(APP.format(extensions=extensions), encoding="utf-8")
    (tmp_path / "authext.py").write_text(EXTENSIONS, encoding="utf-8")
    (tmp_path / "sqlext.py").write_text(SQL, encoding="utf-8")
    code = (
        "import runpy, sys\n"
        f"for name in {hide!r}:\n"
        "    sys.modules[name] = None\n"
        "sys.argv = ['uvicorn', 'appmod:Application', '--factory', '--port', '0']\n"
        "runpy.run_module('uvicorn', run_name='__main__')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SQL_DATABASE")}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_sql_database_without_the_db_extra_and_driver(tmp_path: Path) -> None:
    result = _serve(tmp_path, '"sqlext:db"', ("sqlalchemy", "asyncpg"))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: EXTENSIONS[0] 'sqlext:db': ")
    assert "'asyncpg' (for SQL_DATABASE['DATABASE_URI'] postgresql+asyncpg)" in lines[0]
    assert lines[0].endswith('install with: pip install "pyjolt[db,postgres]"')


def test_missing_auth_extra_is_found_at_build_not_at_first_login(tmp_path: Path) -> None:
    result = _serve(tmp_path, '"authext:auth"', ("jwt", "pwdlib"))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines == [
        "error: Auth (AUTHENTICATION): 'jwt', 'pwdlib' are not installed; "
        'install with: pip install "pyjolt[auth]"'
    ], result.stderr


def test_every_extension_is_checked_before_reporting(tmp_path: Path) -> None:
    result = _serve(tmp_path, '"authext:auth", "sqlext:db"', ("jwt", "sqlalchemy", "asyncpg"))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].endswith('pip install "pyjolt[auth,db,postgres]"'), lines[0]


def test_install_command_combines_extras_and_packages() -> None:
    requirements = [
        Requirement("sqlalchemy", "db"),
        Requirement("aiomysql", package="aiomysql"),
        Requirement("psycopg", package="psycopg[binary]"),
        Requirement("asyncpg", "postgres"),
    ]
    assert install_command(requirements) == (
        'pip install "pyjolt[db,postgres]" aiomysql "psycopg[binary]"'
    )
    error = MissingDependencyError(requirements[1:2], "SqlDatabase (SQL_DATABASE)")
    assert isinstance(error, ImportError)
    assert str(error) == (
        "SqlDatabase (SQL_DATABASE): 'aiomysql' is not installed; "
        "install with: pip install aiomysql"
    )


@pytest.mark.parametrize("uri", ["mysql+aiomysql://u@h/db", "postgresql+psycopg://u@h/db"])
def test_url_drivers_outside_the_extras(uri: str) -> None:
    from pyjolt._internal.dependencies import url_drivers

    (req,) = url_drivers({"SQL_DATABASE": {"DATABASE_URI": uri}})
    assert req.extra is None
    assert req.package in ("aiomysql", "psycopg[binary]")
