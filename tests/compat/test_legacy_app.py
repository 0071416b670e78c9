"""Must-show of the upgrade issue: an app written for PyJolt 0.111 (``legacy_app``: models on
two databases with ``DeclarativeBaseModel``, ``AuthUtils``, ``@produces(status_code=201)``, CLI
commands with ``--option`` arguments and ``managed_session_for_cli``, sections typed with
``SqlDatabaseConfig``/``EmailConfig``/``LoggerConfig``) builds, migrates, runs its commands and
answers, and the only warnings are deprecation warnings naming the current way."""

from __future__ import annotations

import asyncio
import importlib
import secrets
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pyjolt.cli.runner import run_cli
from pyjolt.enums import RunMode
from pyjolt.testing import PyJoltTestClient
from tests.compat.support import signed_the_0111_way

#: What each kept 0.111 name's warning mentions.
EXPECTED_WARNINGS = (
    "BaseConfig.value_to_bool",
    "pyjolt.email.EmailConfig",
    "pyjolt.database.sql.DeclarativeBaseModel",
    "pyjolt.auth.AuthUtils",
    "@produces(..., status_code=...)",
    "db.managed_session_for_cli",
)


@pytest.fixture(scope="module")
def legacy() -> tuple[ModuleType, list[warnings.WarningMessage]]:
    """The app package, imported once, with every warning its import raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module("tests.compat.legacy_app")
    return module, list(caught)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the app's relative paths (SQLite files, migrations) go: BASE_PATH from the
    environment, as a deployment would set it; a strong SECRET_KEY, DEBUG off."""
    monkeypatch.setenv("BASE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(48))
    monkeypatch.chdir(tmp_path.parent)  # commands run from another folder
    return tmp_path


def cli(application: Any, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = run_cli(application, list(argv))
    out, err = capsys.readouterr()
    assert code == 0, (argv, out, err)
    return out


def test_a_0111_app_builds_migrates_and_answers(
    legacy: tuple[ModuleType, list[warnings.WarningMessage]],
    project: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    module, import_warnings = legacy
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cli_app = module.Application(cli_mode=True)
        assert cli_app.run_mode is RunMode.CLI
        # the CLI: both databases' migrations (0.111's command names), then the commands
        listing = cli(cli_app, capsys, "--help")
        for name in ("db-upgrade", "other-db-upgrade", "create-admin", "log-action"):
            assert name in listing
        for prefix, table in (("", "legacy_users"), ("other-", "legacy_audit")):
            cli(cli_app, capsys, f"{prefix}db-init")
            cli(cli_app, capsys, f"{prefix}db-migrate", "--message", "init")
            cli(cli_app, capsys, f"{prefix}db-upgrade")
            [revision] = (project / f"{prefix.replace('-', '_')}migrations" / "versions").glob(
                "*_init.py"
            )
            assert table in revision.read_text(encoding="utf-8")
        out = cli(
            cli_app, capsys, "create-admin", "--email", "root@example.com", "--password", "pw-1"
        )
        assert "Admin root@example.com created" in out
        out = cli(cli_app, capsys, "log-action", "--action", "seeded", "--times", "2")
        assert "Logged 'seeded' 2 time(s)" in out
        assert (project / "main.db").is_file() and (project / "other.db").is_file()

        application = module.Application()
        assert application.extensions["SQL_DATABASE"].nice_name == "Main database"
        asyncio.run(answers(application))

    all_warnings = import_warnings + list(caught)
    others = [w for w in all_warnings if not issubclass(w.category, DeprecationWarning)]
    assert others == [], [str(w.message) for w in others]
    messages = "\n".join(str(w.message) for w in all_warnings)
    for name in (*EXPECTED_WARNINGS, "PyJolt(cli_mode=True)"):
        assert name in messages, name


async def answers(application: Any) -> None:
    """The HTTP side: the same requests a 0.111 deployment answers."""
    async with PyJoltTestClient(application) as client:
        created = await client.post(
            "/api/v1/users", json={"email": "ada@example.com", "password": "pw-2"}
        )
        assert created.status_code == 201, created.text
        assert created.json()["email"] == "ada@example.com"
        listed = await client.get("/api/v1/users")  # paginate(per_page=200)
        assert listed.status_code == 200, listed.text
        assert listed.json() == {
            "total": 2,
            "emails": ["root@example.com", "ada@example.com"],
        }

        wrong = await client.post(
            "/api/v1/auth/login", json={"email": "root@example.com", "password": "nope"}
        )
        assert wrong.status_code == 401
        login = await client.post(
            "/api/v1/auth/login", json={"email": "root@example.com", "password": "pw-1"}
        )
        assert login.status_code == 200, login.text
        cookie = login.cookies["auth_cookie"]
        client.cookies.clear()
        headers = {"cookie": f"auth_cookie={cookie}"}
        me = await client.get("/api/v1/users/me", headers=headers)
        assert me.status_code == 200, me.text
        assert me.json()["email"] == "root@example.com"
        admin = await client.get("/api/v1/users/admin", headers=headers)
        assert admin.json() == {"admin": "root@example.com"}

        ada_login = await client.post(
            "/api/v1/auth/login", json={"email": "ada@example.com", "password": "pw-2"}
        )
        ada = {"cookie": f"auth_cookie={ada_login.cookies['auth_cookie']}"}
        client.cookies.clear()
        assert (await client.get("/api/v1/users/admin", headers=ada)).status_code == 403
        assert (await client.get("/api/v1/users/me")).status_code == 401

        # a cookie a 0.111 deployment issued to the admin (user 1) still logs in
        old = signed_the_0111_way(1, application.get_conf("SECRET_KEY"))
        upgraded = await client.get("/api/v1/users/me", headers={"cookie": f"auth_cookie={old}"})
        assert upgraded.status_code == 200
        assert "auth_cookie=" in upgraded.headers["set-cookie"]  # re-issued

        audit = await client.get("/api/v1/audit")
        assert audit.json() == ["seeded", "seeded"]
